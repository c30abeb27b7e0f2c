"""Every time-frame text of the seed, and the ones that must fail or be flagged."""

import datetime as dt

import pytest

from motcua.plans.importer import parse_plan
from motcua.plans.timeframes import CONTINUOUS, PERIODIC, parse_timeframe, report_periods

D = dt.date

# Each distinct text in the seed's last column → (start, end, recurrence, needs dates).
SEED_TABLE = {
    "Tháng 03 năm 2024": (D(2024, 3, 1), D(2024, 3, 31), None, False),
    "Tháng 3 năm 2024": (D(2024, 3, 1), D(2024, 3, 31), None, False),
    "Tháng 7 năm 2024": (D(2024, 7, 1), D(2024, 7, 31), None, False),
    "Tháng 8, năm 2024": (D(2024, 8, 1), D(2024, 8, 31), None, False),
    "Tháng 3 đến tháng 7 năm 2024": (D(2024, 3, 1), D(2024, 7, 31), None, False),
    "Quý II, III": (D(2024, 4, 1), D(2024, 9, 30), None, False),
    "Thường xuyên trong năm 2024": (D(2024, 1, 1), D(2024, 12, 31), CONTINUOUS, False),
    "Thường xuyên năm 2024": (D(2024, 1, 1), D(2024, 12, 31), CONTINUOUS, False),
    "Thường xuyên": (D(2024, 1, 1), D(2024, 12, 31), CONTINUOUS, False),
    "Trong năm 2024": (D(2024, 1, 1), D(2024, 12, 31), None, False),
    "Theo lộ trình kế hoạch trong năm 2024": (D(2024, 1, 1), D(2024, 12, 31), None, False),
    "Theo quy định tại Thông tư 01/2020/TT-VPCP": (D(2023, 12, 15), D(2024, 12, 14), PERIODIC, False),
    "Theo Kế hoạch của tỉnh": (None, None, None, True),
    "Theo mốc thời gian quy định": (None, None, None, True),
    "Theo Chương trình, Kế hoạch của UBND tỉnh": (None, None, None, True),
}


def test_the_table_lists_every_time_frame_of_the_seed(seed_text):
    parsed = parse_plan(seed_text, filename="seed.md", year=2024)
    assert {t.timeframe_text for t in parsed.tasks} == set(SEED_TABLE)


@pytest.mark.parametrize(("text", "expected"), SEED_TABLE.items())
def test_seed_time_frames(text, expected):
    tf = parse_timeframe(text, year=2024)
    assert (tf.start, tf.end, tf.recurrence, tf.needs_dates) == expected
    assert tf.error == ""
    assert tf.text == text


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Quý I năm 2025", D(2025, 1, 1), D(2025, 3, 31)),
    ("Quý IV", D(2024, 10, 1), D(2024, 12, 31)),
    ("Từ tháng 9 đến hết tháng 12/2024", D(2024, 9, 1), D(2024, 12, 31)),
    ("Trước ngày 30/6/2024", None, D(2024, 6, 30)),
    ("Ngày 15/3/2024", D(2024, 3, 15), D(2024, 3, 15)),
    ("Từ ngày 01/4/2024 đến ngày 15/5/2024", D(2024, 4, 1), D(2024, 5, 15)),
    ("6 tháng đầu năm 2024", D(2024, 1, 1), D(2024, 6, 30)),
    ("  tháng\u00a002   NĂM 2024 ", D(2024, 2, 1), D(2024, 2, 29)),
    ("Tha\u0301ng 5 na\u0306m 2024", D(2024, 5, 1), D(2024, 5, 31)),  # decomposed (NFD) input
])
def test_other_readable_forms(text, start, end):
    tf = parse_timeframe(text, year=2024)
    assert (tf.start, tf.end, tf.error) == (start, end, "")


@pytest.mark.parametrize("text", ["Tháng 13 năm 2024", "Quý V", "Tháng 7 đến tháng 3 năm 2024",
                                  "Ngày 31/02/2024"])
def test_a_date_that_cannot_be_read_is_an_error_not_a_guess(text):
    tf = parse_timeframe(text, year=2024)
    assert tf.error and tf.start is None and tf.end is None
    assert text.split()[0] in tf.error


def test_report_periods_follow_the_15_to_14_cut_off():
    periods = report_periods(2024)
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("Quý I", D(2023, 12, 15), D(2024, 3, 14)),
        ("Quý II", D(2024, 3, 15), D(2024, 6, 14)),
        ("Quý III", D(2024, 6, 15), D(2024, 9, 14)),
        ("Cả năm", D(2023, 12, 15), D(2024, 12, 14)),
    ]
    assert report_periods(2024, cutoff_day=20)[0].start == D(2023, 12, 21)
    assert parse_timeframe("Theo quy định tại Thông tư 01/2020/TT-VPCP", year=2024).periods == periods
