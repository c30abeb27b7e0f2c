from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.integrations.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến phí, lệ phí")

    def ready(self) -> None:
        from motcua.dossiers.views_dossier import register_detail_panel
        from motcua.integrations.payments.panels import payment_panel
        from motcua.org.context_processors import register_nav
        from motcua.org.models import Role

        register_nav("payments_reconciliation", _("Đối soát thanh toán"),
                     {Role.CONTROL_OFFICER, Role.ONE_STOP_OFFICER})
        # Officers see paid / unpaid on every dossier page, right after the summary.
        register_detail_panel("integrations/payments/_dossier_panel.html", context=payment_panel, order=12)
