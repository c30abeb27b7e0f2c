from django.apps import AppConfig


class PaperworkConfig(AppConfig):
    name = "motcua.paperwork"
    label = "paperwork"
    verbose_name = "Văn bản, biểu mẫu"
