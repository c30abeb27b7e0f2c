"""manage.py import_plan on the real seed: the dry-run JSON, refusal while names are unconfirmed, the import."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.org.models import AuditEntry
from motcua.plans.models import Plan, PlanTarget, Task, TaskInstance, TaskUnit
from motcua.plans.selectors import targets_for
from motcua.plans.tests.conftest import SEED

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_plan", str(SEED), "--year", "2024", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_prints_the_parsed_plan_and_saves_nothing():
    audits = AuditEntry.objects.count()
    out, err = run("--dry-run", "--json")
    data = json.loads(out)
    assert list(data) == ["sections"]
    assert [s["number"] for s in data["sections"]] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    assert sum(len(s["tasks"]) for s in data["sections"]) == 40
    first = data["sections"][0]["tasks"][0]
    assert first == {
        "number": "1",
        "content": "Ban hành Kế hoạch kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên thông.",
        "lead": "Văn phòng", "coordinating": "Các phòng, ban, đơn vị", "product": "Kế hoạch được ban hành",
        "timeframe": {"text": "Tháng 03 năm 2024", "start": "2024-03-01", "end": "2024-03-31", "recurrence": None},
    }
    assert data["sections"][0]["tasks"][2]["content"].endswith("giai đoạn 2022-2025")
    assert data["sections"][8]["tasks"][1]["timeframe"] == {
        "text": "Theo quy định tại Thông tư 01/2020/TT-VPCP", "start": "2023-12-15", "end": "2024-12-14",
        "recurrence": "periodic"}
    assert data["sections"][7]["tasks"][11]["timeframe"] == {
        "text": "Theo Kế hoạch của tỉnh", "start": None, "end": None, "recurrence": None}
    assert "[Cần xác nhận đơn vị]" in err and "[Chưa có ngày] dòng 142" in err
    assert Plan.objects.count() == 0 and AuditEntry.objects.count() == audits


def test_import_refused_until_unknown_units_are_confirmed():
    with pytest.raises(CommandError, match="--confirm-units"):
        run()
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_import_with_confirmation_saves_the_whole_plan_in_one_audited_transaction():
    out, _err = run("--confirm-units")
    assert "9 mục, 40 nhiệm vụ" in out
    plan = Plan.objects.get(year=2024)
    assert plan.issuing_unit.code == "000.00.12.H27"
    assert (plan.decision_number, plan.signer, plan.place) == ("/QĐ-SNV", "Bùi Quang Dương", "Hà Tĩnh")
    assert not plan.has_number and len(plan.legal_bases) == 8
    assert plan.sections.count() == 9 and plan.tasks.count() == 40
    i3 = plan.tasks.get(section__number="I", number="3")
    assert i3.content.endswith("giai đoạn 2022-2025")
    assert [(u.role, u.unit.code, u.includes_subunits) for u in i3.units.all()] == [
        ("coordinating", "000.00.12.H27", True), ("lead", "000.01.12.H27", False)]
    kept = TaskUnit.objects.get(task__plan=plan, label="Văn phòng UBND tỉnh")
    assert kept.unit is None  # confirmed: kept as written
    ix2 = plan.tasks.get(section__number="IX", number="2")
    assert ix2.recurrence == "periodic"
    assert list(ix2.instances.values_list("label", "due_on")) == [
        ("Quý I", __import__("datetime").date(2024, 3, 14)), ("Quý II", __import__("datetime").date(2024, 6, 14)),
        ("Quý III", __import__("datetime").date(2024, 9, 14)), ("Cả năm", __import__("datetime").date(2024, 12, 14))]
    assert TaskInstance.objects.filter(task__plan=plan).count() == 4 * plan.tasks.exclude(recurrence="").count()
    assert plan.tasks.filter(needs_dates=True).count() == 3
    assert PlanTarget.objects.filter(plan=plan).count() == 11
    assert targets_for(2024)["online_rate"]["value"] == 70.0
    assert targets_for(2024)["waiting_minutes"] == {"label": "Thời gian chờ đợi trung bình mỗi lượt giao dịch (phút)",
                                                    "value": 15.0, "unit": "minutes", "direction": "at_most",
                                                    "source": "VIII.8"}
    entry = AuditEntry.objects.get(action="plans.import_plan")
    assert entry.after["tasks"] == 40 and entry.object_id == str(plan.pk)
    with pytest.raises(CommandError):
        run("--confirm-units")  # a second plan for the same agency and year is refused
    assert Plan.objects.count() == 1


def test_bad_file_imports_nothing(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("| TT | Nội dung công việc | Đơn vị chủ trì |\n|---|---|---|\n| I | Mục | |\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="lỗi"):
        call_command("import_plan", str(bad), "--year", "2024", "--dry-run", stdout=StringIO(), stderr=err)
    assert "dòng 1: Bảng thiếu cột “Đơn vị phối hợp”." in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_plan", str(bad), "--year", "2024", stdout=StringIO(), stderr=StringIO())
    assert Plan.objects.count() == 0
