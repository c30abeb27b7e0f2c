from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "motcua.records"
    label = "records"
    verbose_name = "Kho dữ liệu điện tử của tổ chức, cá nhân"

    def ready(self) -> None:
        from motcua.dossiers.intake import register_intake_extension
        from motcua.dossiers.transitions import dossier_moved
        from motcua.records import intake, listeners

        dossier_moved.connect(listeners.on_dossier_moved, dispatch_uid="records.on_dossier_moved")
        # Reuse at the counter and through the API: offered, checked and attached inside the intake.
        register_intake_extension(intake.apply, name="records.reuse", check=intake.check, offers=intake.offers)
