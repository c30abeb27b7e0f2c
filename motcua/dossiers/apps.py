from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from motcua.catalog.selectors import register_receiving_probe
        from motcua.dossiers.selectors import latest_receptions

        register_receiving_probe(latest_receptions)

        from django.utils.translation import gettext_lazy as _

        from motcua.dossiers.views_intake import one_stop_home
        from motcua.org.context_processors import register_nav
        from motcua.org.home import register_home_section
        from motcua.org.models import Role

        register_nav("dossiers_intake", _("Tiếp nhận hồ sơ"), {Role.ONE_STOP_OFFICER})
        register_nav("dossiers_book", _("Sổ theo dõi"), {Role.ONE_STOP_OFFICER, Role.HEAD_OF_UNIT,
                                                          Role.AGENCY_LEADER, Role.CONTROL_OFFICER})
        register_home_section("dossiers/home/one_stop.html", {Role.ONE_STOP_OFFICER}, context=one_stop_home,
                              order=15)

        from motcua.dossiers import views_counter_rating, views_online, views_processing

        views_processing.register()
        views_online.register()
        views_counter_rating.register()
