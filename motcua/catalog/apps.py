from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self) -> None:
        from motcua.org.context_processors import register_nav
        from motcua.org.models import Role

        register_nav("catalog_public_list", _("Thủ tục hành chính"), [])
        register_nav("catalog_control", _("Kiểm soát danh mục TTHC"), [Role.CONTROL_OFFICER])
