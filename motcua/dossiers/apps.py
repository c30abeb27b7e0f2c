from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from motcua.catalog.selectors import register_receiving_probe
        from motcua.dossiers.selectors import latest_receptions

        register_receiving_probe(latest_receptions)
