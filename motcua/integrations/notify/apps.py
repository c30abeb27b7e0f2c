from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.integrations.notify"
    label = "notify"
    verbose_name = _("Thông báo cho người nộp hồ sơ (thư điện tử, tin nhắn)")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from motcua.dossiers.models import DossierEvent
        from motcua.dossiers.transitions import dossier_moved
        from motcua.integrations.notify.applicant import on_dossier_moved, on_event_saved

        dossier_moved.connect(on_dossier_moved, dispatch_uid="notify-applicant")
        post_save.connect(on_event_saved, sender=DossierEvent, dispatch_uid="notify-applicant-receipt")
