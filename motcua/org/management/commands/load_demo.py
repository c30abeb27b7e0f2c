"""Load the demo data of every app, in dependency order. Safe to run again: nothing is duplicated."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (chạy lại nhiều lần không tạo trùng)."

    def handle(self, *args, **options):
        self.stdout.write("Nạp dữ liệu minh họa…")
        for config in apps.get_app_configs():
            if not config.name.startswith("motcua."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Xong."))
