"""Demo organisation of the seed plan: Hà Tĩnh's Department of Home Affairs and its neighbours.

The agency identifiers follow the QĐ 20/2020 shape but are illustrative: Hà Tĩnh's real
`Hxx` code is not confirmed (DOMAIN.md C.6.5). Loading is idempotent: existing rows are kept, except that
an existing demo person whose password is unusable (the background officers an earlier dossiers demo created
without one) is given the demo password; a usable password, whoever set it, is never replaced.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.org import actions, calendar_demo
from motcua.org.models import Delegation, Role, RoleAssignment, Unit, User

DEMO_PASSWORD = "MotCua@2025"

# (key, parent key, kind, name, short name, code, office hours profile)
UNITS = [
    ("tinh", None, Unit.Kind.PROVINCE, "Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND tỉnh", "000.00.00.H27", "ha-tinh"),
    ("snv", "tinh", Unit.Kind.AGENCY, "Sở Nội vụ tỉnh Hà Tĩnh", "Sở Nội vụ", "000.00.12.H27", "ha-tinh"),
    ("snv-vp", "snv", Unit.Kind.OFFICE, "Văn phòng Sở Nội vụ", "Văn phòng", "000.01.12.H27", "ha-tinh"),
    ("snv-xdcq", "snv", Unit.Kind.DEPARTMENT, "Phòng Xây dựng chính quyền và Tổ chức biên chế", "Phòng XDCQ&TCBC",
     "000.02.12.H27", "ha-tinh"),
    ("snv-ccvc", "snv", Unit.Kind.DEPARTMENT, "Phòng Công chức, viên chức", "Phòng CCVC", "000.03.12.H27", "ha-tinh"),
    ("snv-cchc", "snv", Unit.Kind.DEPARTMENT, "Phòng Cải cách hành chính và Văn thư lưu trữ", "Phòng CCHC&VTLT",
     "000.04.12.H27", "ha-tinh"),
    ("snv-tdkt", "snv", Unit.Kind.DEPARTMENT, "Phòng Thi đua – Khen thưởng", "Phòng TĐKT", "000.05.12.H27", "ha-tinh"),
    ("snv-ldvl", "snv", Unit.Kind.DEPARTMENT, "Phòng Lao động – Việc làm", "Phòng LĐVL", "000.06.12.H27", "ha-tinh"),
    ("snv-ncc", "snv", Unit.Kind.DEPARTMENT, "Phòng Người có công", "Phòng NCC", "000.07.12.H27", "ha-tinh"),
    ("snv-dttg", "snv", Unit.Kind.DEPARTMENT, "Ban Dân tộc – Tôn giáo", "Ban DT-TG", "000.08.12.H27", "ha-tinh"),
    ("snv-ttlt", "snv", Unit.Kind.PUBLIC_SERVICE_UNIT, "Trung tâm Lưu trữ lịch sử tỉnh", "TT Lưu trữ",
     "000.09.12.H27", "ha-tinh"),
    ("snv-ttdvvl", "snv", Unit.Kind.PUBLIC_SERVICE_UNIT, "Trung tâm Dịch vụ việc làm", "TT DVVL", "000.10.12.H27",
     "ha-tinh"),
    ("ttpvhcc", "tinh", Unit.Kind.SERVICE_CENTRE, "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh", "TT PVHCC",
     "000.00.30.H27", "ha-tinh"),
    ("mc-snv", "ttpvhcc", Unit.Kind.ONE_STOP, "Quầy Sở Nội vụ tại Trung tâm Phục vụ hành chính công",
     "Một cửa Sở Nội vụ", "000.01.30.H27", "ha-tinh"),
    ("mc-stp", "ttpvhcc", Unit.Kind.ONE_STOP, "Quầy Sở Tư pháp tại Trung tâm Phục vụ hành chính công",
     "Một cửa Sở Tư pháp", "000.02.30.H27", "ha-tinh"),
    ("stp", "tinh", Unit.Kind.AGENCY, "Sở Tư pháp tỉnh Hà Tĩnh", "Sở Tư pháp", "000.00.15.H27", "ha-tinh"),
    ("stp-hctp", "stp", Unit.Kind.DEPARTMENT, "Phòng Hành chính tư pháp", "Phòng HCTP", "000.01.15.H27", "ha-tinh"),
    ("px-thanhsen", "tinh", Unit.Kind.COMMUNE, "Ủy ban nhân dân phường Thành Sen", "UBND phường Thành Sen",
     "000.00.51.H27", "ha-tinh"),
    ("px-thanhsen-mc", "px-thanhsen", Unit.Kind.ONE_STOP, "Bộ phận Một cửa phường Thành Sen",
     "Một cửa phường Thành Sen", "000.01.51.H27", "ha-tinh"),
    ("xa-thachha", "tinh", Unit.Kind.COMMUNE, "Ủy ban nhân dân xã Thạch Hà", "UBND xã Thạch Hà",
     "000.00.52.H27", "ha-tinh"),
    ("xa-thachha-mc", "xa-thachha", Unit.Kind.ONE_STOP, "Bộ phận Một cửa xã Thạch Hà", "Một cửa xã Thạch Hà",
     "000.01.52.H27", "ha-tinh"),
]

# (username, full name, position, [(role, unit key)], extra fields)
PEOPLE = [
    ("admin", "Nguyễn Quản Trị", "Quản trị hệ thống", [(Role.SYSTEM_ADMIN, "tinh")],
     {"is_staff": True, "is_superuser": True}),
    ("lan", "Trần Thị Lan", "Cán bộ Một cửa", [(Role.ONE_STOP_OFFICER, "mc-snv")], {"phone": "0912345678"}),
    ("minh", "Lê Văn Minh", "Chuyên viên", [(Role.SPECIALIST, "snv-tdkt")], {"phone": "0987654321"}),
    ("thu", "Phạm Thị Thu", "Chuyên viên", [(Role.SPECIALIST, "snv-ccvc")], {}),
    ("truongphong", "Hoàng Văn Quang", "Trưởng phòng Thi đua – Khen thưởng", [(Role.HEAD_OF_UNIT, "snv-tdkt")], {}),
    ("phophong", "Đặng Thị Hạnh", "Phó Trưởng phòng Thi đua – Khen thưởng", [(Role.SPECIALIST, "snv-tdkt")], {}),
    ("giamdoc", "Bùi Quang Dương", "Phó Giám đốc Sở", [(Role.AGENCY_LEADER, "snv")], {}),
    ("hoa", "Nguyễn Thị Hoa", "Chuyên viên Văn phòng, kiểm soát TTHC",
     [(Role.CONTROL_OFFICER, "snv"), (Role.SPECIALIST, "snv-vp")], {}),
    ("tuphap", "Võ Văn Tư", "Chuyên viên Phòng Hành chính tư pháp", [(Role.SPECIALIST, "stp-hctp")], {}),
    ("motcuaxa", "Ngô Thị Mai", "Công chức Một cửa xã Thạch Hà", [(Role.ONE_STOP_OFFICER, "xa-thachha-mc")], {}),
    ("hung", "Nguyễn Văn Hùng", "", [(Role.CITIZEN, "tinh")],
     {"personal_id": "042087001234", "phone": "0905123456", "email": "hung@example.vn"}),
    # The staff of every other unit that holds a step of a demo internal process, and of every one-stop
    # desk: a newcomer can sign in as whoever a dossier is waiting for (org/tests/test_demo_staffing.py).
    ("binhtv", "Trần Văn Bình", "Chánh Văn phòng Sở Nội vụ", [(Role.HEAD_OF_UNIT, "snv-vp")], {}),
    ("huonglt", "Lê Thị Hương", "Trưởng phòng Xây dựng chính quyền và TCBC", [(Role.HEAD_OF_UNIT, "snv-xdcq")], {}),
    ("anhnd", "Nguyễn Đức Anh", "Chuyên viên Phòng Xây dựng chính quyền và TCBC", [(Role.SPECIALIST, "snv-xdcq")],
     {}),
    ("haipv", "Phan Văn Hải", "Trưởng phòng Công chức, viên chức", [(Role.HEAD_OF_UNIT, "snv-ccvc")], {}),
    ("ngocdt", "Đinh Thị Ngọc", "Trưởng phòng Cải cách hành chính và VTLT", [(Role.HEAD_OF_UNIT, "snv-cchc")], {}),
    ("khanhhv", "Hồ Văn Khánh", "Chuyên viên Phòng Cải cách hành chính và VTLT", [(Role.SPECIALIST, "snv-cchc")], {}),
    ("hangvt", "Võ Thị Hằng", "Trưởng phòng Lao động – Việc làm", [(Role.HEAD_OF_UNIT, "snv-ldvl")], {}),
    ("toantq", "Trần Quốc Toản", "Chuyên viên Phòng Lao động – Việc làm", [(Role.SPECIALIST, "snv-ldvl")], {}),
    ("thangnv", "Nguyễn Văn Thắng", "Trưởng phòng Người có công", [(Role.HEAD_OF_UNIT, "snv-ncc")], {}),
    ("ngalt", "Lê Thị Nga", "Chuyên viên Phòng Người có công", [(Role.SPECIALIST, "snv-ncc")], {}),
    ("sonhv", "Hoàng Văn Sơn", "Trưởng ban Dân tộc – Tôn giáo", [(Role.HEAD_OF_UNIT, "snv-dttg")], {}),
    ("lienpt", "Phạm Thị Liên", "Chuyên viên Ban Dân tộc – Tôn giáo", [(Role.SPECIALIST, "snv-dttg")], {}),
    ("longnv", "Ngô Văn Long", "Giám đốc Trung tâm Lưu trữ lịch sử", [(Role.HEAD_OF_UNIT, "snv-ttlt")], {}),
    ("yendt", "Đặng Thị Yến", "Viên chức lưu trữ", [(Role.SPECIALIST, "snv-ttlt")], {}),
    ("taibv", "Bùi Văn Tài", "Giám đốc Trung tâm Dịch vụ việc làm", [(Role.HEAD_OF_UNIT, "snv-ttdvvl")], {}),
    ("phuongnt", "Nguyễn Thị Phương", "Viên chức tư vấn việc làm", [(Role.SPECIALIST, "snv-ttdvvl")], {}),
    ("khoalv", "Lê Văn Khoa", "Phó Chủ tịch UBND tỉnh", [(Role.AGENCY_LEADER, "tinh")], {}),
    ("vinhpq", "Phạm Quang Vinh", "Giám đốc Sở Tư pháp", [(Role.AGENCY_LEADER, "stp")], {}),
    ("mytt", "Trương Thị Mỹ", "Trưởng phòng Hành chính tư pháp", [(Role.HEAD_OF_UNIT, "stp-hctp")], {}),
    ("thanhht", "Hà Thị Thanh", "Cán bộ Một cửa Sở Tư pháp", [(Role.ONE_STOP_OFFICER, "mc-stp")], {}),
    ("motcuaphuong", "Dương Thị Thảo", "Công chức Một cửa phường Thành Sen",
     [(Role.ONE_STOP_OFFICER, "px-thanhsen-mc")], {}),
    ("loinv", "Nguyễn Văn Lợi", "Công chức Văn hóa – Xã hội xã Thạch Hà", [(Role.SPECIALIST, "xa-thachha")], {}),
    ("namtd", "Trần Đình Nam", "Chủ tịch UBND xã Thạch Hà", [(Role.AGENCY_LEADER, "xa-thachha")], {}),
]
# Grants held in the unit itself only: the province's vice-chairman signs the province's own steps and
# does not oversee every department's work list below it.
OWN_UNIT_ONLY = {("khoalv", Role.AGENCY_LEADER)}


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    created = {"units": 0, "people": 0, "passwords": 0, "delegations": 0}
    by_key: dict[str, Unit] = {}
    for key, parent_key, kind, name, short, code, hours in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = actions.create_unit(acting_user=None, parent=by_key.get(parent_key) if parent_key else None,
                                       kind=kind, name=name, short_name=short, code=code, office_hours=hours,
                                       receives_saturday_morning=kind == Unit.Kind.ONE_STOP and key == "mc-snv")
            created["units"] += 1
        by_key[key] = unit
    people: dict[str, User] = {}
    for username, full_name, position, grants, extra in PEOPLE:
        person = User.objects.filter(username=username).first()
        if person is None:
            person = actions.create_person(username=username, password=DEMO_PASSWORD, full_name=full_name,
                                           position=position, acting_user=None, **extra)
            for role, unit_key in grants:
                actions.assign_role(person=person, unit=by_key[unit_key], role=role, acting_user=None,
                                    valid_from=dt.date(2024, 1, 1),
                                    includes_subunits=(username, role) not in OWN_UNIT_ONLY)
            created["people"] += 1
        elif not person.has_usable_password():
            actions.set_password(person=person, password=DEMO_PASSWORD, acting_user=None,
                                 reason="demo: tài khoản minh họa chưa có mật khẩu")
            created["passwords"] += 1
        people[username] = person
    # The head of unit is on leave this week: the deputy holds the role by delegation.
    if not Delegation.objects.filter(delegate=people["phophong"]).exists():
        today = timezone.localdate()
        actions.delegate_role(delegator=people["truongphong"], delegate=people["phophong"], unit=by_key["snv-tdkt"],
                              role=Role.HEAD_OF_UNIT, starts_on=today - dt.timedelta(days=2),
                              ends_on=today + dt.timedelta(days=5), reason="Trưởng phòng đi công tác",
                              acting_user=people["truongphong"])
        created["delegations"] += 1
    if stdout is not None:
        stdout.write(f"  Tổ chức: +{created['units']} đơn vị, +{created['people']} người, "
                     f"+{created['passwords']} mật khẩu minh họa, +{created['delegations']} ủy quyền "
                     f"(tổng {Unit.objects.count()} đơn vị, {RoleAssignment.objects.count()} phân công).")
    calendar_demo.load(stdout)
    return created
