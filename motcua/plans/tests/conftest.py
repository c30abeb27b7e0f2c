from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1] / "data" / "ke-hoach-kiem-soat-tthc-2024.md"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(db, seed_text):
    """The seed plan of 2024 imported for Sở Nội vụ (unknown unit names confirmed)."""
    from motcua.plans import actions
    from motcua.plans.importer import parse_plan
    from motcua.plans.models import Plan

    Plan.objects.filter(year=2024).delete()
    parsed = parse_plan(seed_text, filename="seed.md", year=2024)
    return actions.import_plan(parsed=parsed, source_name="seed.md", acting_user=None, confirm_units=True)


def task_of(plan, ref):
    section, number = ref.split(".")
    return plan.tasks.get(section__number=section, number=number)
