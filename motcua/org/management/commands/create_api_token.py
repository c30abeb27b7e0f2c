from django.core.management.base import BaseCommand, CommandError

from motcua.org.actions import issue_api_token
from motcua.org.models import User


class Command(BaseCommand):
    help = "Tạo mã truy cập API cho một người dùng và in ra (chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Tên gợi nhớ của mã")

    def handle(self, *args, username, name, **options):
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise CommandError(f"Không tìm thấy người dùng đang hoạt động '{username}'.")
        self.stdout.write(issue_api_token(person=person, name=name, acting_user=None))
