"""`manage.py dossier_watch [--once] [--interval N] [--enqueue]`: the deadline watch.

Without options it loops, one pass every `--interval` seconds (default 60), until stopped; `--once`
does one pass (for cron: `* * * * * manage.py dossier_watch --once`); `--enqueue` puts one pass on
the task queue for `manage.py db_worker` instead. Any number may run at once: each dossier is claimed
by exactly one of them.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.dossiers.watch import run_once


class Command(BaseCommand):
    help = "Cảnh báo hồ sơ sắp đến hạn và đánh dấu hồ sơ quá hạn (một lượt với --once, hoặc lặp lại)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lượt rồi dừng.")
        parser.add_argument("--interval", type=int, default=60, help="Số giây giữa hai lượt (mặc định 60).")
        parser.add_argument("--enqueue", action="store_true", help="Đưa một lượt vào hàng đợi tác vụ.")

    def handle(self, *args, once=False, interval=60, enqueue=False, **options):
        if enqueue:
            from motcua.dossiers.tasks import watch_deadlines

            result = watch_deadlines.enqueue()
            self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
            return
        while True:
            self.one_pass()
            if once:
                return
            time.sleep(max(interval, 1))

    def one_pass(self):
        result = run_once()
        retried = self.retry_notifications()
        stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")
        self.stdout.write(f"{stamp} {result}, gửi lại thông báo {retried}")

    def retry_notifications(self) -> int:
        try:
            from motcua.integrations.notify.applicant import retry_failures
        except ImportError:  # the notifications integration is not installed
            return 0
        return retry_failures()
