"""`manage.py deadline`: the appointment of a dossier, computed exactly as the receipt would."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from motcua.org.calendar import CHANNEL_LABELS, due_for
from motcua.workdays import WorkdaysError, format_vn_datetime


def _vn(iso: str) -> str:
    return format_vn_datetime(datetime.fromisoformat(iso))


class Command(BaseCommand):
    help = ("Tính hẹn trả kết quả theo ngày làm việc: thời điểm bắt đầu tính, chuyển xử lý, hạn và các ngày "
            "nghỉ được bỏ qua. Ví dụ: manage.py deadline --start \"17/11/2025 15:40\" --working-days 10")

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="Thời điểm tiếp nhận, dạng \"dd/mm/yyyy HH:MM\"")
        parser.add_argument("--working-days", required=True,
                            help="Thời hạn giải quyết theo ngày làm việc; được dùng số lẻ: 0.5, 0,25")
        parser.add_argument("--channel", default="direct", help="direct (trực tiếp), postal (bưu chính) "
                            "hoặc online (trực tuyến); mặc định direct")
        parser.add_argument("--agency", default=None,
                            help="Mã định danh cơ quan, đơn vị (ví dụ 000.00.12.H27): dùng giờ làm việc và "
                                 "ngày nghỉ địa phương của đơn vị đó")
        parser.add_argument("--pause", action="append", default=[],
                            help="Khoảng tạm dừng chờ bổ sung \"dd/mm/yyyy HH:MM..dd/mm/yyyy HH:MM\" (lặp lại được)")
        parser.add_argument("--mode", default="resume",
                            help="Sau tạm dừng: resume (tính tiếp thời gian còn lại, mặc định) hoặc restart "
                                 "(tính lại từ đầu)")
        parser.add_argument("--same-day", action="store_true",
                            help="Thủ tục giải quyết trong ngày (trả cuối ngày làm việc)")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def handle(self, *args, **options):
        try:
            answer = due_for(start=options["start"], working_days=options["working_days"],
                             channel=options["channel"], agency=options["agency"], pauses=options["pause"],
                             same_day=options["same_day"], mode=options["mode"])
        except WorkdaysError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        agency = answer["agency"]
        out(f"Tiếp nhận:             {_vn(answer['received_at'])} ({CHANNEL_LABELS[answer['channel']]})")
        out(f"Đơn vị:                {agency['name']} ({agency['code']})" if agency
            else "Đơn vị:                (không chọn) – lịch quốc gia")
        out(f"Giờ làm việc:          {answer['office_hours_name']}")
        out(f"Thời hạn:              {answer['duration']}{' (giải quyết trong ngày)' if answer['same_day'] else ''}")
        out(f"Bắt đầu tính thời hạn: {_vn(answer['clock_start'])}")
        out(f"Chuyển xử lý:          {_vn(answer['handover_at'])}")
        for pause in answer["pauses"]:
            out(f"Tạm dừng:              {_vn(pause['requested_at'])} → {_vn(pause['supplemented_at'])}"
                f" ({answer['pause_mode']})")
        out(f"Hẹn trả kết quả:       {answer['due_vi']}  [{answer['due']}]")
        if answer["skipped"]:
            out(f"Ngày không làm việc được bỏ qua ({len(answer['skipped'])}):")
            for day in answer["skipped"]:
                out(f"  {day['date_vi']}  {day['reason']}")
        else:
            out("Không có ngày nghỉ nào nằm giữa thời điểm bắt đầu tính và hẹn trả.")
        for note in answer["notes"]:
            out(f"Ghi chú: {note}")
