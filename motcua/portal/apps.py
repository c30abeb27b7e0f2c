from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "motcua.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công cho người dân"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from motcua.dossiers.views_dossier import register_detail_panel
        from motcua.org.context_processors import register_nav
        from motcua.org.home import register_home_section
        from motcua.org.models import Role
        from motcua.portal.panels import declaration_panel
        from motcua.portal.views import citizen_home

        register_nav("portal_my_dossiers", _("Hồ sơ của tôi"), {Role.CITIZEN})
        register_nav("portal_my_records", _("Giấy tờ của tôi"), {Role.CITIZEN})
        register_nav("portal_home", _("Nộp hồ sơ trực tuyến"), {Role.CITIZEN})
        register_nav("portal_feedback_list", _("Phản ánh, kiến nghị"), {Role.CONTROL_OFFICER})
        register_home_section("portal/home_citizen.html", {Role.CITIZEN}, context=citizen_home, order=11)
        # Officers see what the citizen declared online, right under the summary (before the checklist).
        register_detail_panel("portal/_declaration_panel.html", context=declaration_panel, order=15)
