"""Demo local closure: xã Thạch Hà closed on the day typhoon Bualoi (storm no. 10) hit Hà Tĩnh.

Loaded from `org.demo.load`; idempotent. The document named as legal basis is illustrative.
"""

from __future__ import annotations

import datetime as dt

from motcua.org.calendar import add_local_closure
from motcua.org.models import LocalClosure, Unit

# (unit code, date, reason, legal basis)
CLOSURES = [
    ("000.00.52.H27", dt.date(2025, 9, 29), "Bão số 10 (Bualoi) – UBND tỉnh cho nghỉ làm việc",
     "Công điện của Chủ tịch UBND tỉnh Hà Tĩnh về ứng phó bão số 10 (dữ liệu minh họa)"),
]


def load(stdout=None) -> int:
    created = 0
    for code, day, reason, basis in CLOSURES:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or LocalClosure.objects.filter(unit=unit, date=day).exists():
            continue
        add_local_closure(unit=unit, date=day, reason=reason, legal_basis=basis, acting_user=None)
        created += 1
    if stdout is not None:
        stdout.write(f"  Lịch làm việc: +{created} ngày nghỉ địa phương (tổng {LocalClosure.objects.count()}).")
    return created
