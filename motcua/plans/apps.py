from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "motcua.plans"
    label = "plans"
    verbose_name = _("Kế hoạch kiểm soát TTHC, kiểm tra")

    def ready(self) -> None:
        from motcua.org.context_processors import register_nav
        from motcua.org.home import OFFICER_WORK_ROLES, register_home_section
        from motcua.org.models import Role
        from motcua.plans import selectors

        register_nav("plans_index", _("Kế hoạch"), OFFICER_WORK_ROLES)
        register_home_section("plans/home/control.html", {Role.CONTROL_OFFICER}, context=selectors.control_home,
                              order=25)
        register_home_section("plans/home/reminders.html", OFFICER_WORK_ROLES, context=selectors.reminders_home,
                              order=26)
