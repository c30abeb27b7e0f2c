"""Create the plan's in-app reminders for today (run daily by cron or the worker; safe to run again)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.plans.reminders import reminder_days, send_reminders


class Command(BaseCommand):
    help = "Tạo nhắc việc trước và sau hạn các nhiệm vụ kế hoạch (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="Ngày chạy dd/mm/yyyy (mặc định hôm nay).")
        parser.add_argument("--days", type=int, default=None, help="Số ngày trước/sau hạn (mặc định 3).")

    def handle(self, *args, **options):
        day = timezone.localdate()
        if options["date"]:
            try:
                day = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()  # noqa: DTZ007 (a date)
            except ValueError:
                raise CommandError("Ngày không đúng dạng dd/mm/yyyy.") from None
        days = reminder_days() if options["days"] is None else options["days"]
        created = send_reminders(day=day, days=days)
        self.stdout.write(f"Đã tạo {created} nhắc việc mới ({day:%d/%m/%Y}, {days} ngày trước/sau hạn).")
