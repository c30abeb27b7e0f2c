"""`manage.py deadline`: text and JSON output, agency profiles and closures, pauses, bad input."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def run_json(*args) -> dict:
    return json.loads(run(*args, "--json"))


def test_readme_example_works_exactly_as_written():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if "manage.py deadline" in row)
    example = re.search(r"`\.venv/bin/python manage\.py deadline (.+?)`", line).group(1)
    assert example == '--start "17/11/2025 15:40" --working-days 10'
    text = run("--start", "17/11/2025 15:40", "--working-days", "10")
    assert "Hẹn trả kết quả:       15:40 01/12/2025  [2025-12-01T15:40:00+07:00]" in text
    assert "Bắt đầu tính thời hạn: 15:40 17/11/2025" in text
    assert "Chuyển xử lý:          07:30 18/11/2025" in text
    assert "22/11/2025  Thứ Bảy" in text and "30/11/2025  Chủ nhật" in text
    assert "Tiếp nhận sau 15:00" in text


def test_json_has_due_clock_start_handover_skipped_notes_and_official_schedule():
    answer = run_json("--start", "13/02/2026 15:10", "--working-days", "5", "--agency", "000.00.12.H27")
    assert answer["due"] == "2026-02-27T15:10:00+07:00"
    assert answer["clock_start"] == "2026-02-13T15:10:00+07:00"
    assert answer["handover_at"] == "2026-02-23T07:30:00+07:00"
    assert answer["agency"] == {"code": "000.00.12.H27", "name": "Sở Nội vụ tỉnh Hà Tĩnh"}
    assert answer["office_hours"] == "ha-tinh" and answer["after_cutoff"] is True
    assert [d["date"] for d in answer["skipped"]] == [f"2026-02-{d}" for d in range(14, 23)]
    tet = answer["skipped"][2]
    assert tet == {"date": "2026-02-16", "date_vi": "16/02/2026", "kind": "holiday",
                   "reason": "Tết Nguyên đán Bính Ngọ (Công văn 9859/VPCP-KGVX; Thông báo 9441/TB-BNV)",
                   "legal_basis": "Công văn 9859/VPCP-KGVX; Thông báo 9441/TB-BNV"}
    assert answer["skipped"][0]["kind"] == "weekend" and answer["skipped"][0]["reason"] == "Thứ Bảy"
    assert answer["official_schedule"] == {"2026": True} and answer["labour_code_only"] is False
    assert any("Tiếp nhận sau 15:00" in n for n in answer["notes"])


def test_fractional_days_with_a_decimal_comma_and_online_outside_hours():
    answer = run_json("--start", "14/03/2026 20:00", "--working-days", "0,25", "--channel", "online")
    assert answer["clock_start"] == "2026-03-16T07:30:00+07:00"  # Saturday night → Monday morning
    assert answer["due"] == "2026-03-16T09:30:00+07:00"
    assert answer["duration"] == "0,25 ngày làm việc" and answer["working_days"] == "0.25"
    assert answer["after_cutoff"] is False


def test_same_day_flag():
    answer = run_json("--start", "16/03/2026 08:00", "--working-days", "0.5", "--same-day")
    assert answer["same_day"] is True and answer["due"] == "2026-03-16T17:30:00+07:00"
    plain = run_json("--start", "16/03/2026 08:00", "--working-days", "0.5")
    assert plain["same_day"] is False and plain["due"] == "2026-03-16T14:00:00+07:00"


def test_pauses_resume_and_restart():
    args = ["--start", "02/03/2026 08:00", "--working-days", "3", "--pause", "03/03/2026 08:00..09/03/2026 08:00"]
    resumed = run_json(*args)
    # 1 day used (Mon 08:00 → Tue 08:00), 2 days left from Mon 09/03 08:00 → Wed 11/03 08:00.
    assert resumed["due"] == "2026-03-11T08:00:00+07:00"
    assert resumed["due_without_pauses"] == "2026-03-05T08:00:00+07:00"
    assert resumed["pauses"] == [{"requested_at": "2026-03-03T08:00:00+07:00",
                                  "supplemented_at": "2026-03-09T08:00:00+07:00"}]
    assert any("Tạm dừng chờ bổ sung từ 08:00 03/03/2026 đến 08:00 09/03/2026" in n for n in resumed["notes"])
    restarted = run_json(*args, "--mode", "restart")
    assert restarted["due"] == "2026-03-12T08:00:00+07:00" and restarted["pause_mode"] == "restart"
    two = run_json(*args, "--pause", "10/03/2026 08:00..11/03/2026 08:00")
    assert two["due"] == "2026-03-12T08:00:00+07:00"
    text = run(*args)
    assert "Tạm dừng:              08:00 03/03/2026 → 08:00 09/03/2026 (resume)" in text
    assert "Hẹn trả kết quả:       08:00 11/03/2026" in text


def test_agency_closure_is_skipped_with_its_reason():
    answer = run_json("--start", "26/09/2025 10:00", "--working-days", "2", "--agency", "000.01.52.H27")
    assert answer["due"] == "2025-10-01T10:00:00+07:00"
    closure = answer["skipped"][-1]
    assert closure["date"] == "2025-09-29" and closure["kind"] == "local_closure"
    assert "Bão số 10 (Bualoi)" in closure["reason"]
    national = run_json("--start", "26/09/2025 10:00", "--working-days", "2")
    assert national["due"] == "2025-09-30T10:00:00+07:00" and national["agency"] is None


def test_a_year_without_official_schedule_says_labour_code_alone():
    answer = run_json("--start", "28/12/2026 08:00", "--working-days", "10")
    assert answer["official_schedule"] == {"2026": True, "2027": False}
    assert answer["labour_code_only"] is True
    assert any("Năm 2027 chưa có lịch nghỉ chính thức" in n and "Bộ luật Lao động" in n for n in answer["notes"])
    new_year = next(d for d in answer["skipped"] if d["date"] == "2027-01-01")
    assert new_year["kind"] == "holiday" and "Điều 112" in new_year["legal_basis"]
    text = run("--start", "28/12/2026 08:00", "--working-days", "10")
    assert "Ghi chú: Năm 2027 chưa có lịch nghỉ chính thức" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--start", "31/02/2026 08:00", "--working-days", "1"],
     "Không đọc được thời điểm '31/02/2026 08:00': cần dạng dd/mm/yyyy HH:MM"),
    (["--start", "2026-02-10 08:00", "--working-days", "1"], "Không đọc được thời điểm '2026-02-10 08:00'"),
    (["--start", "10/02/2026 08:00", "--working-days", "-1"], "thời hạn không được âm"),
    (["--start", "10/02/2026 08:00", "--working-days", "366"], "vượt quá 365 ngày làm việc"),
    (["--start", "10/02/2026 08:00", "--working-days", "mười"], "Thời hạn 'mười' không hợp lệ: cần một số"),
    (["--start", "10/02/2026 08:00", "--working-days", "1", "--agency", "000.00.99.H99"],
     "Không có cơ quan, đơn vị nào mang mã định danh '000.00.99.H99'"),
    (["--start", "10/02/2026 08:00", "--working-days", "1", "--channel", "fax"], "Kênh nộp 'fax' không hợp lệ"),
    (["--start", "10/02/2026 08:00", "--working-days", "1", "--pause", "11/02/2026 08:00"],
     "Khoảng tạm dừng '11/02/2026 08:00' không đúng dạng"),
    (["--start", "10/02/2026 08:00", "--working-days", "1", "--pause", "11/02/2026 08:00..10/02/2026 09:00"],
     "trước thời điểm yêu cầu bổ sung"),
    (["--start", "10/02/2026 08:00", "--working-days", "1", "--mode", "pause"], "chỉ nhận 'resume' hoặc 'restart'"),
])
def test_bad_input_is_a_command_error_naming_the_problem(args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert message in str(exc.value)
