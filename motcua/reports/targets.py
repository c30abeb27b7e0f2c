"""The plan's targets for a year, read through the plans app (`plans.selectors.targets_for`) when it
holds any for that year; otherwise the seed plan's targets kept as data in `data/targets.json`, and
the answer says so (`source="default"`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

from motcua.org.models import Unit

DATA = Path(__file__).resolve().parent / "data" / "targets.json"


@dataclass(frozen=True)
class Targets:
    year: int
    values: dict[str, dict]
    source: str  # "plan" or "default"

    def value(self, key: str) -> float | None:
        item = self.values.get(key)
        return float(item["value"]) if item else None

    @property
    def note(self) -> str:
        if self.source == "plan":
            return gettext("Chỉ tiêu theo kế hoạch kiểm soát TTHC năm %(year)s.") % {"year": self.year}
        return gettext("Chưa có kế hoạch năm %(year)s nêu chỉ tiêu: dùng chỉ tiêu mặc định "
                       "(kế hoạch kiểm soát TTHC năm 2024, mục VIII).") % {"year": self.year}


@cache
def default_targets() -> dict[str, dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["targets"]


def targets_for(year: int, *, unit: Unit | None = None) -> Targets:
    try:
        from motcua.plans.selectors import targets_for as plan_targets
    except ImportError:
        plan_targets = None
    found: dict[str, dict] = {}
    if plan_targets is not None:
        found = plan_targets(year, unit=unit) if unit is not None else {}
        if not found:
            found = plan_targets(year)
    if found:
        merged = {key: {**item, "default": True} for key, item in default_targets().items()}
        merged.update({key: {**item, "default": False} for key, item in found.items()})
        return Targets(year, merged, "plan")
    return Targets(year, {key: {**item, "default": True} for key, item in default_targets().items()}, "default")
