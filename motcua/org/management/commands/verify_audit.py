from django.core.management.base import BaseCommand, CommandError

from motcua.org.audit import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của chuỗi nhật ký (mã băm liên kết)."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(report.message())
        self.stdout.write(self.style.SUCCESS(report.message()))
