from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = _("Tổ chức, người dùng và nhật ký")

    def ready(self) -> None:
        from motcua.org.context_processors import register_nav
        from motcua.org.home import OFFICER_WORK_ROLES, register_org_sections
        from motcua.org.models import Role

        register_nav("unit_tree", _("Tổ chức"), OFFICER_WORK_ROLES | {Role.SYSTEM_ADMIN})
        register_nav("my_delegations", _("Ủy quyền"), OFFICER_WORK_ROLES)
        register_nav("audit_log", _("Nhật ký"), {Role.CONTROL_OFFICER, Role.SYSTEM_ADMIN})
        register_org_sections()
        register_nav("work_calendar", _("Lịch làm việc"), OFFICER_WORK_ROLES | {Role.SYSTEM_ADMIN})
