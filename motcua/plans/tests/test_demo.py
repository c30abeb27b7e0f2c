"""The demo: the 2024 seed plan with progress, an inspection, and a carried-over copy for this year; twice is once."""

import pytest
from django.utils import timezone

from motcua.plans import demo
from motcua.plans.models import Evidence, Inspection, Plan
from motcua.plans.selectors import overdue_tasks

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent():
    Plan.objects.all().delete()
    created = demo.load()
    year = timezone.localdate().year
    assert created == {"plans": 2 if year != 2024 else 1, "inspections": 1}
    plan_2024 = Plan.objects.get(year=2024)
    assert plan_2024.tasks.count() == 40 and plan_2024.tasks.filter(status="done").count() >= 30
    assert overdue_tasks(plans=Plan.objects.filter(pk=plan_2024.pk)).exists()
    assert Inspection.objects.get(plan=plan_2024).findings.filter(compliant=False).exists()
    if year != 2024:
        current = Plan.objects.get(year=year)
        assert "bản minh họa" in current.source_name and str(year) in current.title
        iv3 = current.tasks.get(section__number="IV", number="3")
        assert Evidence.objects.get(task=iv3).linked_type.model == "publicationdecision"
    assert demo.load() == {"plans": 0, "inspections": 0}
    assert Plan.objects.count() == created["plans"]
