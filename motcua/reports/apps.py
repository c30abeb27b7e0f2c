from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Báo cáo, chỉ số")

    def ready(self) -> None:
        from motcua.org.context_processors import register_nav
        from motcua.org.home import register_home_section
        from motcua.org.models import Role
        from motcua.reports.home import reports_home
        from motcua.reports.scope import NAV_ROLES

        register_nav("reports_results", _("Báo cáo kết quả"), NAV_ROLES)
        register_nav("reports_kpi", _("Chỉ tiêu"), NAV_ROLES)
        register_nav("reports_index766", _("Chỉ số 766"), NAV_ROLES)
        register_home_section("reports/home.html", {Role.CONTROL_OFFICER, Role.AGENCY_LEADER}, context=reports_home,
                              order=25)
