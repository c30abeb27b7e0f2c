"""Bad input gives a WorkdaysError (a ValueError) with a Vietnamese message naming the problem."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest

from motcua.workdays import (
    DatetimeParseError,
    DurationTooLongError,
    InvalidChannelError,
    InvalidDurationError,
    InvalidOfficeHoursError,
    NaiveDatetimeError,
    NegativeDurationError,
    NotADatetimeError,
    OutOfRangeError,
    Session,
    UnknownProfileError,
    WorkdaysError,
    add_working,
    appointment,
    get_schedule,
    parse_vn_datetime,
    warning_instant,
    working_between,
)

VALID = parse_vn_datetime("17/11/2025 07:30")


def test_naive_datetime() -> None:
    naive = datetime(2025, 11, 17, 7, 30)  # noqa: DTZ001 - the point of the test
    with pytest.raises(NaiveDatetimeError) as error:
        add_working(naive, 1)
    assert str(error.value) == (
        "Thời điểm '2025-11-17 07:30:00' không có múi giờ: cần thời điểm có múi giờ "
        "(Asia/Ho_Chi_Minh, UTC+7)."
    )
    assert isinstance(error.value, ValueError)
    with pytest.raises(NaiveDatetimeError):
        working_between(VALID, naive)


def test_not_a_datetime() -> None:
    with pytest.raises(NotADatetimeError, match="không phải là một thời điểm"):
        add_working(date(2025, 11, 17), 1)  # type: ignore[arg-type]


def test_negative_duration() -> None:
    with pytest.raises(
        NegativeDurationError, match=re.escape("Thời hạn '-1 ngày' không hợp lệ: thời hạn không được âm.")
    ):
        add_working(VALID, -1)
    with pytest.raises(NegativeDurationError):
        add_working(VALID, timedelta(minutes=-5))


def test_absurd_duration() -> None:
    with pytest.raises(DurationTooLongError, match="vượt quá 365 ngày làm việc"):
        add_working(VALID, 366)
    add_working(VALID, 365)  # the limit itself is allowed


@pytest.mark.parametrize("value", ["mười", float("nan"), float("inf"), True, None, [1]])
def test_unreadable_duration(value: object) -> None:
    with pytest.raises(InvalidDurationError, match="Thời hạn"):
        add_working(VALID, value)  # type: ignore[arg-type]


def test_unknown_unit() -> None:
    with pytest.raises(InvalidDurationError, match="đơn vị phải là"):
        add_working(VALID, 1, unit="weeks")


def test_unknown_profile() -> None:
    with pytest.raises(UnknownProfileError) as error:
        get_schedule("ha-noi")
    assert str(error.value) == "Không có bộ giờ làm việc mã 'ha-noi'. Các mã hiện có: default, ha-tinh."


@pytest.mark.parametrize(
    "text", ["17/11/2025", "32/01/2025 10:00", "17-11-2025 10:00", "", "29/02/2025 08:00"]
)
def test_unparseable_datetime(text: str) -> None:
    with pytest.raises(DatetimeParseError) as error:
        parse_vn_datetime(text)
    assert str(error.value) == f"Không đọc được thời điểm '{text}': cần dạng dd/mm/yyyy HH:MM"


def test_parse_accepts_officer_spellings() -> None:
    assert parse_vn_datetime(" 7/1/2026 8h05 ") == parse_vn_datetime("07/01/2026 08:05")


def test_unknown_channel() -> None:
    with pytest.raises(
        InvalidChannelError, match=re.escape("Kênh nộp 'fax' không hợp lệ: chỉ nhận direct, postal, online.")
    ):
        appointment(VALID, 1, "fax")


def test_out_of_range_year() -> None:
    far = parse_vn_datetime("01/01/2300 08:00")
    with pytest.raises(OutOfRangeError, match="ngoài phạm vi lịch làm việc hỗ trợ"):
        add_working(far, 1)


def test_bad_session() -> None:
    with pytest.raises(InvalidOfficeHoursError, match="giờ bắt đầu phải trước giờ kết thúc"):
        Session(time(11, 30), time(7, 30))


def test_bad_warning_share() -> None:
    with pytest.raises(WorkdaysError, match="phải nằm trong khoảng 0–1"):
        warning_instant(VALID, 10, remaining_share=1.5)
