from django.core.management.base import BaseCommand

from motcua.org.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "In danh sách tài khoản minh họa."

    def handle(self, *args, **options):
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name, position, grants, _extra in PEOPLE:
            roles = ", ".join(str(role.label) for role, _unit in grants)
            self.stdout.write(f"  {username:<12} {full_name:<22} {roles}" + (f" – {position}" if position else ""))
