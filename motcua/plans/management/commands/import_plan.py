"""Import a yearly plan from Markdown, DOCX or XLSX. `--dry-run --json` prints the parsed plan and saves nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.org.models import Unit
from motcua.plans import actions
from motcua.plans.importer import DATES, ERROR, UNIT, parse_plan


class Command(BaseCommand):
    help = "Nhập kế hoạch kiểm soát TTHC từ tệp Markdown, Word (.docx) hoặc Excel (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True, help="Năm của kế hoạch.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đọc và kiểm tra, không lưu.")
        parser.add_argument("--json", action="store_true", help="In kế hoạch đã đọc dưới dạng JSON.")
        parser.add_argument("--unit", default="", help="Mã định danh cơ quan ban hành (nếu không đọc được từ tệp).")
        parser.add_argument("--confirm-units", action="store_true",
                            help="Xác nhận giữ nguyên các tên đơn vị chưa khớp (lưu như ghi trong kế hoạch).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        if not 2000 <= options["year"] <= 2100:
            raise CommandError("Năm kế hoạch không hợp lệ.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        parsed = parse_plan(path.read_bytes(), filename=path.name, year=options["year"])
        check = actions.check_import(parsed, issuing_unit=unit)
        if options["json"]:
            self.stdout.write(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
        self._problems(check.problems)
        blocking = check.blocking(confirm_units=options["confirm_units"])
        if options["dry_run"]:
            if any(p.kind == ERROR for p in blocking):
                raise CommandError(f"Tệp có {sum(p.kind == ERROR for p in blocking)} lỗi cần sửa.")
            if not options["json"]:
                self.stdout.write(self._summary(parsed, "Đọc được (chưa lưu)"))
            return
        try:
            plan = actions.import_plan(parsed=parsed, source_name=path.name, acting_user=None, issuing_unit=unit,
                                       confirm_units=options["confirm_units"])
        except actions.PlanImportError as exc:
            hint = (" Chạy lại với --confirm-units để giữ nguyên các tên đơn vị chưa khớp."
                    if any(p.kind == UNIT for p in exc.problems) else "")
            raise CommandError(f"Chưa nhập: còn {len(exc.problems)} vấn đề.{hint}") from None
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(self._summary(parsed, f"Đã nhập kế hoạch #{plan.pk}")))

    def _problems(self, problems):
        labels = {ERROR: "Lỗi", UNIT: "Cần xác nhận đơn vị", DATES: "Chưa có ngày"}
        for problem in problems:
            self.stderr.write(f"[{labels[problem.kind]}] {problem.as_text()}")

    def _summary(self, parsed, head: str) -> str:
        lines = [f"{head}: {parsed.header.title} — {len(parsed.sections)} mục, {len(parsed.tasks)} nhiệm vụ."]
        lines += [f"  {s.number}. {s.title}: {len(s.tasks)} nhiệm vụ" for s in parsed.sections]
        return "\n".join(lines)
