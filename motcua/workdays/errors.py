"""Errors raised by the working-time core.

Every error is a ``ValueError`` (so form and API layers can catch one type) and carries a
Vietnamese message that names the problem, because it is shown to officers as is.
"""

from __future__ import annotations


class WorkdaysError(ValueError):
    """Base class: bad input to the working-time core."""


class NaiveDatetimeError(WorkdaysError):
    def __init__(self, value: object) -> None:
        super().__init__(
            f"Thời điểm '{value}' không có múi giờ: cần thời điểm có múi giờ (Asia/Ho_Chi_Minh, UTC+7)."
        )


class NotADatetimeError(WorkdaysError):
    def __init__(self, value: object) -> None:
        super().__init__(f"'{value!r}' không phải là một thời điểm (datetime).")


class InvalidDurationError(WorkdaysError):
    def __init__(self, value: object, reason: str = "") -> None:
        message = f"Thời hạn '{value}' không hợp lệ"
        super().__init__(f"{message}: {reason}." if reason else f"{message}.")


class NegativeDurationError(InvalidDurationError):
    def __init__(self, value: object) -> None:
        super().__init__(value, "thời hạn không được âm")


class DurationTooLongError(InvalidDurationError):
    def __init__(self, value: object, limit_days: int) -> None:
        super().__init__(
            value, f"vượt quá {limit_days} ngày làm việc, không hợp lý cho một thủ tục hành chính"
        )


class UnknownProfileError(WorkdaysError):
    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(f"Không có bộ giờ làm việc mã '{code}'. Các mã hiện có: {', '.join(sorted(known))}.")


class InvalidOfficeHoursError(WorkdaysError):
    pass


class OutOfRangeError(WorkdaysError):
    def __init__(self, value: object, first_year: int, last_year: int) -> None:
        super().__init__(
            f"Thời điểm '{value}' nằm ngoài phạm vi lịch làm việc hỗ trợ ({first_year}–{last_year})."
        )


class InvalidPauseError(WorkdaysError):
    pass


class InvalidChannelError(WorkdaysError):
    def __init__(self, value: object, known: list[str]) -> None:
        super().__init__(f"Kênh nộp '{value}' không hợp lệ: chỉ nhận {', '.join(known)}.")


class CalendarDataError(WorkdaysError):
    pass


class DatetimeParseError(WorkdaysError):
    def __init__(self, value: object) -> None:
        super().__init__(f"Không đọc được thời điểm '{value}': cần dạng dd/mm/yyyy HH:MM")


class InvalidBudgetError(WorkdaysError):
    pass
