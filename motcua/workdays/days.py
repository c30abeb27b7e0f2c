"""The vocabulary of the calendar: what kind of day a date is, and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .errors import CalendarDataError


class DayKind(enum.StrEnum):
    """Kinds of calendar rows (DOMAIN A.1). Only ``MAKEUP_WORKDAY`` makes a date working."""

    HOLIDAY = "holiday"  # ngày lễ, tết (Labour Code Art. 112)
    COMPENSATORY = "compensatory"  # nghỉ bù (Art. 111 cl. 3)
    SWAP_OFF = "swap_off"  # ngày hoán đổi: a weekday off, worked back on a make-up day
    MAKEUP_WORKDAY = "makeup_workday"  # làm bù: a Saturday that is a working day
    LOCAL_CLOSURE = "local_closure"  # a unit closed by a local decision (typhoon, flood…)

    @property
    def is_working(self) -> bool:
        return self is DayKind.MAKEUP_WORKDAY

    @property
    def label_vi(self) -> str:
        return _KIND_LABELS_VI[self]


_KIND_LABELS_VI = {
    DayKind.HOLIDAY: "Ngày lễ, tết",
    DayKind.COMPENSATORY: "Nghỉ bù",
    DayKind.SWAP_OFF: "Nghỉ hoán đổi",
    DayKind.MAKEUP_WORKDAY: "Làm bù",
    DayKind.LOCAL_CLOSURE: "Nghỉ theo quyết định của địa phương",
}

# Confidence tags of DOMAIN.md, plus "computed" for days derived from the Labour Code.
CONFIDENCE_TAGS = frozenset({"V", "V-quoted", "S", "M", "computed", "local"})

WEEKDAY_NAMES_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One row of the working calendar.

    ``legal_basis`` names the document (e.g. "Công văn 12729/VPCP-KGVX"); ``confidence`` is
    the DOMAIN.md tag of the fact.
    """

    date: date
    kind: DayKind
    name_vi: str
    legal_basis: str = ""
    confidence: str = "M"

    def __post_init__(self) -> None:
        if not isinstance(self.date, date):
            raise CalendarDataError(f"Ngày '{self.date}' của mục '{self.name_vi}' không hợp lệ.")
        try:
            object.__setattr__(self, "kind", DayKind(self.kind))
        except ValueError:
            known = ", ".join(k.value for k in DayKind)
            raise CalendarDataError(
                f"Loại ngày '{self.kind}' của ngày {self.date:%d/%m/%Y} không hợp lệ: chỉ nhận {known}."
            ) from None
        if not self.name_vi:
            raise CalendarDataError(f"Ngày {self.date:%d/%m/%Y} thiếu tên (name_vi).")
        if self.confidence not in CONFIDENCE_TAGS:
            raise CalendarDataError(
                f"Mức tin cậy '{self.confidence}' của ngày {self.date:%d/%m/%Y} không hợp lệ."
            )

    @property
    def is_working(self) -> bool:
        return self.kind.is_working

    @property
    def reason_vi(self) -> str:
        """Why the date is off, for receipts: 'Tết Nguyên đán (Công văn 9859/VPCP-KGVX)'."""
        text = f"{self.name_vi} ({self.legal_basis})" if self.legal_basis else self.name_vi
        if self.date.weekday() >= 5 and not self.is_working:
            return f"{WEEKDAY_NAMES_VI[self.date.weekday()]}, {text}"
        return text


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A non-working date lying between a clock start and a due instant."""

    date: date
    reason_vi: str
    kind: DayKind | None  # None for an ordinary weekend
    legal_basis: str = ""
