"""Delete ad-hoc export files past EXPORT_RETENTION_HOURS, fail jobs whose worker was lost, remove their
temporary files. Also done after every finished export job; run it from cron (hourly) as well."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from motcua.reports.export_jobs import cleanup


class Command(BaseCommand):
    help = "Xóa tệp trích xuất quá hạn lưu (EXPORT_RETENTION_HOURS) và đánh dấu lỗi các lần xuất bị dừng giữa chừng."

    def handle(self, *args, **options):
        result = cleanup()
        self.stdout.write(f"Đã xóa {result['expired']} tệp hết hạn, {result['lost']} lần xuất bị dừng, "
                          f"{result['temp_removed']} tệp tạm.")
