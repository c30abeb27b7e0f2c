from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.integrations.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến phí, lệ phí")

    def ready(self) -> None:
        from motcua.org.context_processors import register_nav
        from motcua.org.models import Role

        register_nav("payments_reconciliation", _("Đối soát thanh toán"),
                     {Role.CONTROL_OFFICER, Role.ONE_STOP_OFFICER})
