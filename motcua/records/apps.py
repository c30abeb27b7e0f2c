from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "motcua.records"
    label = "records"
    verbose_name = "Kho dữ liệu điện tử của tổ chức, cá nhân"

    def ready(self) -> None:
        from motcua.dossiers.transitions import dossier_moved
        from motcua.records import listeners

        dossier_moved.connect(listeners.on_dossier_moved, dispatch_uid="records.on_dossier_moved")
