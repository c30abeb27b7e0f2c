"""`manage.py catalog export --format json|xlsx FILE` and `manage.py catalog import FILE`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog import transfer
from motcua.catalog.interchange import CatalogError


class Command(BaseCommand):
    help = "Xuất, nhập danh mục thủ tục hành chính (JSON hoặc XLSX)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Xuất toàn bộ danh mục ra tệp.")
        export.add_argument("--format", choices=["json", "xlsx"], default=None)
        export.add_argument("file")
        imp = sub.add_parser("import", help="Nhập danh mục từ tệp (tất cả hoặc không gì cả).")
        imp.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if options["action"] == "export":
            fmt = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "json")
            data = transfer.export_xlsx() if fmt == "xlsx" else transfer.export_json()
            path.write_bytes(data)
            self.stdout.write(self.style.SUCCESS(f"Đã xuất danh mục ra {path} ({len(data)} byte)."))
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from None
        try:
            summary = transfer.import_bytes(data, filename=path.name, acting_user=None)
        except CatalogError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"Không nhập được: {len(exc.problems)} lỗi; chưa có gì được lưu.") from None
        self.stdout.write(self.style.SUCCESS(
            f"Đã nhập {summary['decisions']} quyết định, {summary['versions']} phiên bản thủ tục."))
