"""Demo dossiers: a year of one-stop work at Hà Tĩnh's Department of Home Affairs and its neighbours,
played through the real actions (`receive_dossier`, `submit_online`/`accept_online_dossier`,
`give_intake_notice` and every move of `transitions`), so the history rows, step runs, audit chain
and deadlines are exactly what the system writes for real work.

- Time: dossiers received over the twelve months ending at the load instant, in office hours of the
  receiving desk's schedule (online ones submitted at any hour), each with the procedure version in
  force on its day. Every move gets an explicit instant; nothing happens after "now", so the last
  weeks' dossiers are naturally open at every stage.
- A curated set near today guarantees every open state for the demo people: received but not handed
  on, at the units assigned to Minh, Thu and Toản or not yet assigned, supplement requested, resolved and
  waiting for return (some due today), overdue, online and waiting for acceptance, a consultation
  waiting for Sở Tư pháp, an inter-agency dossier from xã Thạch Hà.
- Every step is worked by the demo organisation's people (motcua/org/demo.py), each a sign-in account:
  whoever a dossier is waiting for, a newcomer can sign in as them and carry it on.

Idempotent (nothing happens when demo dossiers exist) and deterministic (`random.Random(2025)`)
for a given load day. `load(size=...)` sets the number of dossiers (the tests use a small one).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import transaction
from django.db.models import QuerySet
from django.test.utils import override_settings
from django.utils import timezone

from motcua.catalog.models import Component, ProcedureCase, ProcedureVersion, Step
from motcua.dossiers import online
from motcua.dossiers import transitions as t
from motcua.dossiers.files import CheckedFile, check_file
from motcua.dossiers.intake import ApplicantData, IntakeRequest, give_intake_notice, receive_dossier
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    Dossier,
    IntakeNotice,
    ReturnChannel,
    Status,
)
from motcua.lib.env import env_int
from motcua.lib.text import fold
from motcua.org.calendar import schedule_for_unit
from motcua.org.models import Role, RoleAssignment, Unit, User
from motcua.workdays import MINUTES_PER_WORKING_DAY

DEMO_KEY_PREFIX = "demo-dossier-"
DEFAULT_SIZE = 500  # ≈ 45–60 s on 2 cores on SQLite; MOTCUA_DEMO_DOSSIERS sets another number
DAY = MINUTES_PER_WORKING_DAY

# ---------------------------------------------------------------------------------------------
# Applicants.
FAMILY = (["Nguyễn"] * 30 + ["Trần"] * 10 + ["Lê"] * 9 + ["Phạm"] * 6 + ["Hoàng"] * 4 + ["Phan"] * 4
          + ["Võ"] * 5 + ["Đặng"] * 3 + ["Bùi"] * 3 + ["Đỗ"] * 2 + ["Hồ"] * 3 + ["Ngô"] * 2 + ["Dương"] * 2
          + ["Đinh", "Hà", "Thái", "Trương", "Lương", "Cao", "Đào", "Chu", "Mai", "Kiều"])
MIDDLE = {"m": ["Văn", "Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Đình", "Công", "Thanh", "Quốc"],
          "f": ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Khánh", "Mai"]}
GIVEN = {"m": ["Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Sơn", "Long", "Thắng", "Cường", "Quân", "Hiếu", "Phúc",
               "Toàn", "Trung", "Vinh", "Khoa", "Lộc", "Tài", "Hoàng", "Đạt", "Bình", "Thành", "Tùng", "Kiên"],
         "f": ["Lan", "Hương", "Hoa", "Hằng", "Trang", "Linh", "Mai", "Nga", "Thảo", "Hà", "Huyền", "Yến",
               "Thủy", "Loan", "Nhung", "Oanh", "Quyên", "Vân", "Dung", "Giang", "Hạnh", "Tâm", "Nhi", "Anh"]}
PLACES = ["phường Thành Sen", "phường Trần Phú", "phường Hà Huy Tập", "phường Bắc Hồng Lĩnh",
          "phường Nam Hồng Lĩnh", "xã Thạch Hà", "xã Thạch Khê", "xã Cẩm Xuyên", "xã Cẩm Bình", "xã Đức Thọ",
          "xã Nghi Xuân", "xã Tiên Điền", "xã Can Lộc", "xã Hương Sơn", "xã Hương Khê", "xã Vũ Quang",
          "xã Lộc Hà", "phường Sông Trí", "phường Kỳ Anh", "xã Kỳ Hoa"]
PHONE_PREFIXES = ["090", "091", "094", "096", "097", "098", "086", "088", "083", "084", "085", "081", "082",
                  "070", "076", "077", "078", "079", "032", "033", "034", "035", "036", "037", "038", "039"]
COMPANY_NAMES = [
    "Công ty TNHH Thép Vũng Áng", "Công ty Cổ phần Cảng quốc tế Sơn Dương", "Công ty TNHH Điện lực Vũng Áng",
    "Công ty TNHH Xây lắp Kỹ thuật Hồng Lam", "Công ty Cổ phần Dệt may Hà Tĩnh",
    "Công ty TNHH Năng lượng tái tạo Kỳ Anh", "Công ty Cổ phần Logistics Vũng Áng",
    "Công ty TNHH Cơ khí chính xác Thạch Khê", "Công ty TNHH Dịch vụ Lưu trữ Hồng Lĩnh",
    "Công ty Cổ phần Giải pháp số hóa tài liệu Lam Hồng", "Công ty TNHH Điện tử Hà Tĩnh Việt Hàn",
    "Công ty Cổ phần Gỗ Trường Sơn", "Công ty TNHH May xuất khẩu Can Lộc", "Công ty Cổ phần Du lịch Thiên Cầm",
    "Công ty TNHH Thực phẩm sạch Hương Khê", "Công ty TNHH Khoáng sản Thạch Hà",
]
ASSOCIATION_NAMES = [
    "Hội Doanh nhân trẻ tỉnh Hà Tĩnh", "Hội Cựu giáo chức tỉnh Hà Tĩnh", "Hội Nạn nhân chất độc da cam tỉnh Hà Tĩnh",
    "Hội Làm vườn và Trang trại tỉnh Hà Tĩnh", "Quỹ Khuyến học Hồng Lam", "Quỹ Bảo trợ trẻ em vùng biển Hà Tĩnh",
    "Hội Văn học nghệ thuật dân gian tỉnh Hà Tĩnh", "Hội Người mù tỉnh Hà Tĩnh", "Hội Y dược học tỉnh Hà Tĩnh",
    "Hội Sinh vật cảnh tỉnh Hà Tĩnh", "Ban Quản lý di tích Đền Chợ Củi", "Ban Quản lý Đền Huyện Thạch Hà",
]
YOUTH_NAMES = ["Tổng đội Thanh niên xung phong Hà Tĩnh", "Đội Thanh niên xung phong xây dựng kinh tế Vũ Quang",
               "Đội Thanh niên xung phong tình nguyện Kỳ Anh"]
PUBLIC_NAMES = ["Sở Y tế tỉnh Hà Tĩnh", "Sở Giáo dục và Đào tạo tỉnh Hà Tĩnh", "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh",
                "Ủy ban nhân dân phường Thành Sen", "Ủy ban nhân dân xã Cẩm Xuyên"]
RELIGIOUS_NAMES = ["Ban Trị sự Giáo hội Phật giáo Việt Nam tỉnh Hà Tĩnh", "Hội thánh Tin Lành Việt Nam (miền Nam) – "
                   "Chi hội Hà Tĩnh"]

# Relative volume per procedure code (a provincial Sở: unemployment benefits, people with merit and
# work permits dominate; recruitment and associations are rare) and the organisation pool it draws on.
WEIGHTS = {
    "1.001978": 20, "1.900101": 12, "1.014199": 6, "1.014200": 2, "1.014201": 4, "1.014196": 2, "1.014197": 1,
    "1.014198": 1, "2.001955": 3, "1.010801": 4, "1.010803": 4, "1.010816": 3, "1.010826": 3, "1.010827": 2,
    "1.010828": 4, "1.010829": 1, "1.010830": 1, "2.001157": 2, "2.002307": 3, "1.014359": 2, "1.013263": 1,
    "1.013264": 1, "1.013932": 6, "1.013937": 1, "1.013934": 2, "1.014111": 1, "1.014113": 1, "1.012299": 1,
    "1.012300": 1, "1.014116": 2, "1.012301": 2, "1.014319": 1, "1.014318": 1, "2.001683": 1, "2.001717": 1,
    "1.003999": 1, "1.012672": 1, "1.012664": 1, "1.900001": 1, "1.900002": 1, "1.900003": 1, "1.900004": 1,
    "1.900201": 1,
}
ORG_POOL = {"2.001683": "youth", "2.001717": "youth", "1.003999": "youth", "1.012672": "religious",
            "1.012664": "religious", "1.900001": "association", "1.900002": "association",
            "1.900003": "association", "1.900004": "public", "1.900201": "association"}

SUPPLEMENT_REASONS = ["Bản sao chưa được chứng thực", "Thông tin kê khai chưa khớp với giấy tờ tùy thân",
                      "Thiếu chữ ký, đóng dấu của người có thẩm quyền", "Bản chụp mờ, không đọc được",
                      "Giấy tờ đã hết thời hạn sử dụng"]
REFUSAL_REASONS = ["Không đủ điều kiện theo quy định: hồ sơ không chứng minh được thời gian công tác liên tục.",
                   "Đối tượng không thuộc diện được hưởng chế độ theo quy định hiện hành.",
                   "Kết quả thẩm định không đạt yêu cầu; đã có văn bản trả lời nêu rõ lý do."]
INTAKE_REFUSALS = ["Thủ tục không thuộc thẩm quyền giải quyết của cơ quan; đề nghị liên hệ UBND cấp xã nơi cư trú.",
                   "Hồ sơ đã được giải quyết trước đó; không tiếp nhận hồ sơ trùng."]


@dataclass
class Person:
    data: ApplicantData
    pool: str = ""  # organisations: company / association / youth / public / religious


@dataclass
class Plan:
    """What happens to one dossier. `until` stops the story at a milestone (curated open dossiers)."""

    version: ProcedureVersion
    case: ProcedureCase
    steps: list[Step]
    desk: Unit
    channel: str
    return_channel: str
    person: Person
    at: dt.datetime  # received (direct, postal) or submitted (online)
    pace: float = 0.6  # share of each step's budget used
    late_days: float = 0.0  # extra working days at the main step
    apology: bool = False
    supplements: int = 0
    consult: bool = False
    consult_answered: bool = True
    refuse: bool = False
    stop: bool = False
    reassign: bool = False
    defer_assign: bool = False
    assignee: str = ""  # username for the main step
    until: str = ""  # "submitted", "received", "step:<order>", "supplement", "consult", "resolved"
    notes: dict = field(default_factory=dict)


class _Present(Exception):
    """The story reached the present (or its milestone): the dossier stays where it is."""


class _Builder:
    def __init__(self, *, size: int, now: dt.datetime, seed: int):
        self.rng = random.Random(seed)
        self.now = now
        self.today = timezone.localtime(now).date()
        self.size = size
        self.seq = 0
        self.numbers: Counter = Counter()
        self.created = Counter()
        self.units = {u.code: u for u in Unit.objects.all()}
        self.people = self._people()
        self.schedules: dict[int, object] = {}
        self.in_force: dict[dt.date, list[int]] = {}
        self.breakpoints: set[dt.date] = set()
        self.versions: dict[int, tuple[ProcedureVersion, ProcedureCase, list[Step]]] = {}
        self.citizens = [self._citizen(i) for i in range(300)]
        self.organisations = self._organisations()
        self.returning: list[Person] = []

    # -- people -----------------------------------------------------------------------------------
    def _people(self) -> dict[tuple[int, str], list[User]]:
        """The demo organisation's people by (unit, role): every step of a demo process has a sign-in
        account there (org/demo.py; org/tests/test_demo_staffing.py keeps it so)."""
        holders: dict[tuple[int, str], list[User]] = {}
        for ra in RoleAssignment.objects.active_on(self.today).select_related("user").order_by("user__username"):
            holders.setdefault((ra.unit_id, ra.role), []).append(ra.user)
        return holders

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def holder(self, step: Step, prefer: str = "") -> User | None:
        options = self.people.get((step.unit_id, step.role), [])
        if prefer:
            for person in options:
                if person.username == prefer:
                    return person
        return self.rng.choice(options) if options else None

    # -- applicants -------------------------------------------------------------------------------
    def _phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"

    def _citizen(self, i: int) -> Person:
        rng = self.rng
        sex = "m" if rng.random() < 0.52 else "f"
        year = rng.randint(1945, 2006)
        century = (0 if year < 2000 else 2) + (1 if sex == "f" else 0)
        identifier = f"042{century}{year % 100:02d}{rng.randrange(10**6):06d}"
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        hamlet = rng.choice(["Thôn", "Xóm", "Tổ dân phố"]) + f" {rng.randint(1, 15)}"
        email = f"{fold(name).replace(' ', '.')}.{identifier[-4:]}@example.com" if rng.random() < 0.3 else ""
        return Person(ApplicantData(kind=ApplicantKind.CITIZEN, identifier=identifier, name=name, birth_date=birth,
                                    phone=self._phone(), email=email,
                                    address=f"{hamlet}, {rng.choice(PLACES)}, tỉnh Hà Tĩnh"))

    def _organisations(self) -> list[Person]:
        pools = [("company", COMPANY_NAMES), ("association", ASSOCIATION_NAMES), ("youth", YOUTH_NAMES),
                 ("public", PUBLIC_NAMES), ("religious", RELIGIOUS_NAMES)]
        result = []
        for pool, names in pools:
            for name in names:
                tax_code = f"30{self.rng.randrange(10**8):08d}"
                phone = f"0239{self.rng.randrange(10**6):06d}" if self.rng.random() < 0.6 else self._phone()
                result.append(Person(ApplicantData(
                    kind=ApplicantKind.ORGANISATION, identifier=tax_code, name=name, phone=phone,
                    email=f"vanthu.{tax_code}@example.com",
                    address=f"{self.rng.choice(PLACES)}, tỉnh Hà Tĩnh"), pool=pool))
        return result

    def applicant_for(self, version: ProcedureVersion) -> Person:
        code = version.procedure.code
        kind = version.applicants
        if kind == "both":
            kind = "organisation" if self.rng.random() < 0.3 else "individual"
        if kind == "organisation":
            pool = ORG_POOL.get(code, "company")
            return self.rng.choice([o for o in self.organisations if o.pool == pool])
        if self.returning and self.rng.random() < 0.12:
            return self.rng.choice(self.returning)
        person = self.rng.choice(self.citizens)
        self.returning.append(person)
        return person

    # -- catalog and time -------------------------------------------------------------------------
    def schedule(self, unit: Unit):
        if unit.pk not in self.schedules:
            self.schedules[unit.pk] = schedule_for_unit(unit)
        return self.schedules[unit.pk]

    def procedures_on(self, day: dt.date) -> list[int]:
        """Versions in force on `day` (asked once per stretch of days between two effective dates)."""
        if not self.breakpoints:
            for start, end in ProcedureVersion.objects.values_list("effective_from", "effective_to"):
                self.breakpoints.add(start)
                if end is not None:
                    self.breakpoints.add(end + dt.timedelta(days=1))
        stretch = max((b for b in self.breakpoints if b <= day), default=dt.date.min)
        if stretch not in self.in_force:
            ids = list(ProcedureVersion.objects.in_force_on(day).values_list("pk", flat=True))
            self.in_force[stretch] = [pk for pk in ids if self._version(pk) is not None]
        return self.in_force[stretch]

    def _version(self, pk: int):
        if pk not in self.versions:
            version = ProcedureVersion.objects.select_related("procedure", "agency").get(pk=pk)
            entry = None
            for case in version.cases.order_by("order"):
                process = getattr(case, "process", None)
                steps = list(process.steps.select_related("unit").order_by("order")) if process else []
                if len(steps) >= 3 and code_weight(version.procedure.code) and steps[0].unit.kind == Unit.Kind.ONE_STOP:
                    entry = (version, case, steps)
                    break
            self.versions[pk] = entry
        return self.versions[pk]

    def pick_procedure(self, day: dt.date, codes: set[str] | None = None):
        entries = [self._version(pk) for pk in self.procedures_on(day)]
        entries = [e for e in entries if codes is None or e[0].procedure.code in codes]
        weights = [code_weight(e[0].procedure.code) for e in entries]
        return self.rng.choices(entries, weights=weights)[0] if entries else None

    def later(self, unit: Unit, instant: dt.datetime, minutes: float) -> dt.datetime:
        return self.schedule(unit).add_working(instant, max(int(minutes), 1), unit="minutes")

    def office_instant(self, unit: Unit, day: dt.date, lo: float = 0.02, hi: float = 0.97) -> dt.datetime | None:
        bounds = self.schedule(unit).working_day_bounds(day)
        if bounds is None:
            return None
        return self.later(unit, bounds[0], DAY * self.rng.uniform(lo, hi))

    def working_days_back(self, unit: Unit, count: int) -> list[dt.date]:
        """The last `count` working days whose office hours have begun, newest first."""
        days, day = [], self.today
        while len(days) < count:
            bounds = self.schedule(unit).working_day_bounds(day)
            if bounds is not None and bounds[0] < self.now:
                days.append(day)
            day -= dt.timedelta(days=1)
        return days

    # -- numbering ------------------------------------------------------------------------------
    def key(self) -> str:
        self.seq += 1
        return f"{DEMO_KEY_PREFIX}{self.seq:05d}"

    def result_number(self, dossier: Dossier, kind: str, at: dt.datetime) -> str:
        agency = {"000.00.12.H27": "SNV", "000.00.15.H27": "STP", "000.00.52.H27": "UBND"}.get(
            dossier.agency.code, "UBND")
        year = timezone.localtime(at).year
        self.numbers[(agency, year)] += 1
        symbol = {"Quyết định": "QĐ", "Giấy phép": "GPLĐ", "Giấy chứng nhận": "GCN", "Phiếu": "LLTP"}.get(kind, "")
        return f"{self.numbers[(agency, year)]}/{symbol + '-' if symbol else ''}{agency}"

    # -- the year ---------------------------------------------------------------------------------
    def run(self) -> None:
        curated = self.curated_plans()
        plans = [*self.bulk_plans(max(self.size - len(curated), 0)), *curated]
        for plan in sorted(plans, key=lambda p: p.at):
            self.play(plan)

    def bulk_plans(self, count: int) -> list[Plan]:
        desk = self.units["000.01.30.H27"]
        start = self.today - dt.timedelta(days=365)
        days = [start + dt.timedelta(days=i) for i in range(366)]
        days = [d for d in days if self.schedule(desk).working_day_bounds(d) is not None]
        plans = []
        for _ in range(count):
            day = self.rng.choice(days)
            entry = self.pick_procedure(day)
            if entry is None:
                continue
            plan = self.random_plan(entry, day)
            if plan is not None and plan.at <= self.now:
                plans.append(plan)
        return plans

    def random_plan(self, entry, day: dt.date) -> Plan | None:
        version, case, steps = entry
        rng = self.rng
        desk = steps[0].unit
        roll = rng.random()
        channel = Channel.ONLINE if roll < 0.55 else (Channel.DIRECT if roll < 0.90 else Channel.POSTAL)
        if channel == Channel.ONLINE:
            if rng.random() < 0.3:  # evenings and weekends too
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(18, 22), rng.randint(0, 59))))
            else:
                at = self.office_instant(desk, day)
        else:
            at = self.office_instant(desk, day)
        if at is None:
            return None
        returns = {Channel.ONLINE: [ReturnChannel.ONLINE] * 6 + [ReturnChannel.POSTAL] * 2 + [ReturnChannel.COUNTER] * 2,
                   Channel.DIRECT: [ReturnChannel.COUNTER] * 17 + [ReturnChannel.POSTAL] * 3,
                   Channel.POSTAL: [ReturnChannel.POSTAL]}[channel]
        plan = Plan(version=version, case=case, steps=steps, desk=desk, channel=channel,
                    return_channel=rng.choice(returns), person=self.applicant_for(version), at=at,
                    pace=rng.uniform(0.25, 0.85))
        fate = rng.random()
        if fate < 0.03:
            plan.refuse = True
        elif fate < 0.05:
            plan.stop = True
        elif fate < 0.13:
            plan.late_days = rng.uniform(0.5, 6)
            plan.apology = rng.random() < 0.5
            plan.pace = rng.uniform(0.8, 0.95)
        if rng.random() < 0.10:
            plan.supplements = 2 if rng.random() < 0.15 else 1
        plan.consult = rng.random() < 0.05
        plan.reassign = rng.random() < 0.08
        plan.defer_assign = rng.random() < 0.2
        if channel == Channel.DIRECT and rng.random() < 0.04:
            plan.notes["counter_notice"] = IntakeNotice.Kind.SUPPLEMENT if rng.random() < 0.75 else "refusal"
        if channel == Channel.ONLINE and rng.random() < 0.01:
            plan.notes["online_refusal"] = True
        return plan

    def curated_plans(self) -> list[Plan]:
        """Open dossiers near today, for the demo people's work lists and homes."""
        snv = self.units["000.01.30.H27"]
        days = self.working_days_back(snv, 45)
        plans: list[Plan] = []

        def add(codes: set[str], day: dt.date, until: str, channel: str = Channel.DIRECT, **extra) -> None:
            entry = self.pick_procedure(day, codes)
            if entry is None:
                return
            version, case, steps = entry
            at = extra.pop("at", None) or self.office_instant(steps[0].unit, day, 0.02, 0.3)
            if at is None or at > self.now:
                at = self.office_instant(steps[0].unit, days[1], 0.02, 0.3)
            returns = ReturnChannel.ONLINE if channel == Channel.ONLINE else ReturnChannel.COUNTER
            plan = Plan(version=version, case=case, steps=steps, desk=steps[0].unit, channel=channel,
                        return_channel=extra.pop("return_channel", returns), person=self.applicant_for(version),
                        at=at, pace=extra.pop("pace", 0.02), until=until, **extra)
            plans.append(plan)

        labour = {"1.014199", "1.014201", "1.014196", "2.001955"}
        merit = {"1.010803", "1.010816", "1.010826", "1.010828", "2.002307"}
        today_start = self.office_instant(snv, days[0], 0.0, 0.05)
        # Just received at the counter, not handed on yet (today's first working session).
        for code in ("1.001978", "1.010828"):
            add({code}, days[0], "received", at=today_start)
        # Online, waiting for the officer's check: last night, and this morning.
        evening = timezone.make_aware(dt.datetime.combine(days[1], dt.time(21, 40)))
        add({"1.001978", "1.013932"}, days[1], "submitted", Channel.ONLINE, at=evening)
        add(labour, days[0], "submitted", Channel.ONLINE, at=today_start)
        add({"1.014201"}, days[0], "submitted", Channel.ONLINE, at=today_start)
        # At Minh's desk (emulation & rewards) and Thu's (civil servants); one of Minh's is overdue.
        add({"1.013263", "1.013264"}, days[4], "step:3", assignee="minh")
        add({"1.013263", "1.013264"}, days[30], "step:3", assignee="minh")
        add({"1.014116", "1.012301"}, days[6], "step:3", assignee="thu")
        add({"1.014116", "1.012301"}, days[26], "step:3", assignee="thu", channel=Channel.ONLINE)
        # At Toản's desk (labour and employment: work permits, unemployment benefits).
        add(labour, days[5], "step:3", assignee="toantq")
        # Waiting at a unit, not assigned yet (head of unit's step), and a specialist step unassigned.
        add(merit, days[2], "step:2")
        add(labour, days[3], "step:2", channel=Channel.ONLINE)
        add(merit, days[3], "step:3", defer_assign=True)
        # Supplement requested during processing (the clock is paused), one of them Minh's.
        add(merit, days[8], "supplement", supplements=1)
        add({"1.013263", "1.013264"}, days[10], "supplement", supplements=1, assignee="minh")
        # Resolved, waiting for the applicant: due today (or next working day), and one from last week.
        for code in ("1.010828", "1.014199"):
            entry = self.pick_procedure(days[0], {code})
            if entry is not None:
                received = self.received_for_due_on(entry, self.due_target())
                if received is not None:
                    add({code}, received.date(), "resolved", at=received)
        add({"1.013932"}, days[5], "resolved", return_channel=ReturnChannel.COUNTER)
        # Overdue and still open at a unit.
        add({"1.010826", "1.010828", "2.002307"}, days[12], "step:3")
        add({"1.001978"}, days[25], "step:3")
        # Waiting for Sở Tư pháp's opinion (Võ Văn Tư's work list).
        add({"1.900001", "1.900002", "1.900003"}, days[6], "consult", consult=True, consult_answered=False)
        # Received at xã Thạch Hà, transferred to the department (inter-agency).
        add({"1.010801"}, days[7], "step:3")
        # Arrived by post (BCCI) this morning, handed over by the post yesterday: the one-stop home's
        # "Hồ sơ qua bưu chính" section.
        add({"1.001978", "1.010828"}, days[0], "received", Channel.POSTAL, at=today_start,
            return_channel=ReturnChannel.POSTAL)
        return plans

    def due_target(self) -> dt.date:
        """Today if it is a working day of the desk, else the next one."""
        snv = self.units["000.01.30.H27"]
        day = self.today
        while self.schedule(snv).working_day_bounds(day) is None:
            day += dt.timedelta(days=1)
        return day

    def received_for_due_on(self, entry, target: dt.date) -> dt.datetime | None:
        """A morning receipt whose appointment falls on `target` (searching back day by day)."""
        _version, case, steps = entry
        desk = steps[0].unit
        schedule = self.schedule(desk)
        minutes = int(Decimal(case.processing_time) * (60 if case.time_unit == "hours" else DAY))
        day = target
        for _ in range(60):
            day -= dt.timedelta(days=1)
            bounds = schedule.working_day_bounds(day)
            if bounds is None:
                continue
            received = schedule.add_working(bounds[0], 5 * 60, unit="minutes")  # early afternoon: due then
            due = schedule.add_working(received, minutes, unit="minutes")
            if timezone.localtime(due).date() == target and received < self.now:
                return received
            if timezone.localtime(due).date() < target:
                return None
        return None

    # -- one dossier's story -----------------------------------------------------------------------
    def play(self, plan: Plan) -> None:
        with contextlib.suppress(_Present):  # the story reached the present: it stays open there
            self._story(plan)

    def guard(self, when: dt.datetime, plan: Plan | None = None, milestone: str = "") -> None:
        if when > self.now:
            raise _Present
        if plan is not None and milestone and plan.until == milestone:
            raise _Present

    def _story(self, plan: Plan) -> None:
        rng = self.rng
        desk = plan.desk
        clerk = self.holder(plan.steps[0])
        components = list(Component.objects.filter(case=plan.case).order_by("order"))
        present = {c.pk for c in components}
        if "counter_notice" in plan.notes and components:
            self.counter_notice(plan, clerk, components)
            if plan.notes["counter_notice"] == "refusal":
                return
            # Back with everything, a few days later.
            day, back = timezone.localtime(plan.at).date() + dt.timedelta(days=rng.randint(2, 6)), None
            while back is None:
                back, day = self.office_instant(desk, day), day + dt.timedelta(days=1)
            plan.at = back
        if plan.channel == Channel.ONLINE:
            self.guard(plan.at)
            pdf = application_form(f"don-de-nghi-{self.seq + 1}.pdf", f"Đơn đề nghị — {plan.version.name}",
                                   plan.person.data.name)
            dossier = online.submit_online(
                version=plan.version, case=plan.case, applicant=plan.person.data, desk=desk,
                present_components=present, files=[(components[0].pk if components else None, pdf)],
                return_channel=plan.return_channel, submitted_at=plan.at, idempotency_key=self.key())
            self.created["submitted"] += 1
            self.guard(plan.at, plan, "submitted")
            accepted = self.later(desk, self.schedule(desk).clock_start(plan.at), rng.uniform(10, 0.4 * DAY))
            self.guard(accepted)
            if plan.notes.get("online_refusal"):
                online.refuse_online_dossier(dossier=dossier, reason=rng.choice(INTAKE_REFUSALS), acting_user=clerk,
                                             issued_at=accepted)
                return
            dossier = online.accept_online_dossier(dossier=dossier, present_components=present, acting_user=clerk,
                                                   received_at=accepted)
        else:
            postal = {}
            if plan.channel == Channel.POSTAL:
                postal = {"postal_waybill": waybill(rng, "EB"),
                          "postal_handed_on": timezone.localtime(plan.at).date() - dt.timedelta(days=rng.randint(1, 3))}
            dossier = receive_dossier(request=IntakeRequest(
                version=plan.version, case=plan.case, channel=plan.channel, applicant=plan.person.data, desk=desk,
                present_components=present, return_channel=plan.return_channel, received_at=plan.at, **postal),
                acting_user=clerk, idempotency_key=self.key())
        self.guard(dossier.received_at, plan, "received")
        self.walk(plan, dossier, clerk)

    def counter_notice(self, plan: Plan, clerk: User | None, components: list[Component]) -> None:
        kind = plan.notes["counter_notice"]
        missing = self.rng.sample(components, k=min(len(components), self.rng.randint(1, 2)))
        items = [{"name": c.name, "reason": self.rng.choice(SUPPLEMENT_REASONS)} for c in missing]
        self.guard(plan.at)
        give_intake_notice(
            kind=kind, version=plan.version, case=plan.case, channel=plan.channel, applicant=plan.person.data,
            desk=plan.desk, items=items if kind == IntakeNotice.Kind.SUPPLEMENT else [],
            reason=("Hồ sơ chưa đầy đủ, đề nghị bổ sung, hoàn thiện theo danh mục dưới đây."
                    if kind == IntakeNotice.Kind.SUPPLEMENT else self.rng.choice(INTAKE_REFUSALS)),
            acting_user=clerk, issued_at=plan.at)
        self.created[f"notice_{kind}"] += 1

    def walk(self, plan: Plan, dossier: Dossier, clerk: User | None) -> None:
        rng = self.rng
        steps = plan.steps
        main = max(steps[1:-1], key=lambda s: s.budget)
        deciding = t.deciding_step(steps)
        last = steps[-1]
        # Reception: handed on after the 15:00 rule allows, within its half day.
        moment = max(dossier.handover_at or dossier.received_at,
                     self.later(plan.desk, dossier.received_at, 0.5 * DAY * plan.pace * rng.uniform(0.3, 1)))
        actor = clerk
        for index, step in enumerate(steps[1:], start=1):
            into_return = step is last
            if into_return and not dossier.outcome:
                break
            assignee = None
            if step.role == Role.SPECIALIST and not (step is main and plan.defer_assign):
                assignee = self.holder(step, plan.assignee if step is main else "")
            self.guard(moment)
            dossier = t.hand_on(dossier=dossier, acting_user=actor, at=moment, assignee=assignee)
            self.guard(moment, plan, f"step:{step.order}")
            if into_return:
                self.guard(moment, plan, "resolved")
                self.return_result(plan, dossier, moment)
                return
            holder = assignee or self.holder(step)
            minutes = t.step_minutes(step, plan.case.time_unit) or 60
            spend = minutes * plan.pace * rng.uniform(0.7, 1.1)
            start = moment
            if step is main:
                if plan.defer_assign:
                    head = self.holder(steps[index - 1]) if index > 1 else None
                    moment = self.later(step.unit, moment, rng.uniform(20, 180))
                    self.guard(moment, plan, f"step:{step.order}")
                    holder = self.holder(step, plan.assignee)
                    dossier = t.assign(dossier=dossier, assignee=holder, acting_user=head, at=moment)
                if plan.reassign:
                    others = [p for p in self.people.get((step.unit_id, step.role), []) if p != holder]
                    if others:
                        moment = self.later(step.unit, moment, rng.uniform(30, 240))
                        self.guard(moment)
                        holder = rng.choice(others)
                        dossier = t.assign(dossier=dossier, assignee=holder, acting_user=self.holder(steps[index - 1]),
                                           at=moment)
                moment = self.main_step(plan, dossier, step, holder, moment, spend)
                if plan.stop:
                    return
                dossier.refresh_from_db()
            else:
                moment = self.later(step.unit, moment, spend)
            if step is deciding:
                self.guard(moment)
                decider = self.holder(step)
                dossier = t.decide(dossier=dossier, approve=not plan.refuse, acting_user=decider, at=moment,
                                   reason=rng.choice(REFUSAL_REASONS) if plan.refuse else "")
                nxt = steps[index + 1] if index + 1 < len(steps) else None
                if nxt is None or nxt is last or nxt.role != Role.SPECIALIST:
                    moment = self.later(step.unit, moment, rng.uniform(10, 60))
                    self.attach(plan, dossier, decider, moment)
            elif deciding is not None and step.order == deciding.order + 1 and step.role == Role.SPECIALIST:
                attach_at = self.later(step.unit, start, max(spend * 0.5, 5))
                self.attach(plan, dossier, holder, min(attach_at, moment))
            actor = holder
        self.guard(moment)

    def main_step(self, plan: Plan, dossier: Dossier, step: Step, holder: User | None, moment: dt.datetime,
                  spend: float) -> dt.datetime:
        """Where the work is: supplements, consultations, a withdrawal, an apology, lateness."""
        rng = self.rng
        unit = step.unit
        done = 0.0
        if plan.consult:
            moment = self.later(unit, moment, spend * 0.2)
            done += spend * 0.2
            self.guard(moment)
            justice = self.units.get("000.01.15.H27")
            consultation = t.consult(
                dossier=dossier, unit=justice, acting_user=holder, at=moment,
                question=f"Đề nghị Sở Tư pháp cho ý kiến về tính hợp pháp của hồ sơ “{plan.version.name}” "
                         f"của {plan.person.data.name}.")
            self.guard(moment, plan, "consult")
            answered = self.later(justice, moment, rng.uniform(0.5, 4) * DAY)
            if plan.consult_answered:
                self.guard(answered)
                t.answer_consultation(consultation=consultation, acting_user=self.user("tuphap"), at=answered,
                                      answer="Sở Tư pháp thống nhất với nội dung hồ sơ; đề nghị cơ quan chủ trì "
                                             "xem xét, giải quyết theo quy định.")
                moment = max(moment, answered)
        for round_no in range(plan.supplements):
            moment = self.later(unit, moment, spend * 0.25)
            done += spend * 0.25
            self.guard(moment)
            components = list(plan.case.components.order_by("order"))
            items = [{"name": c.name, "reason": rng.choice(SUPPLEMENT_REASONS)}
                     for c in rng.sample(components, k=min(len(components), 1 + round_no))]
            t.request_supplement(dossier=dossier, items=items, acting_user=holder, at=moment,
                                 reason="Hồ sơ cần bổ sung, hoàn thiện để đủ căn cứ giải quyết.")
            self.guard(moment, plan, "supplement")
            moment = self.later(plan.desk, moment, rng.uniform(1, 8) * DAY)
            self.guard(moment)
            t.receive_supplement(dossier=dossier, acting_user=self.holder(plan.steps[0]), at=moment)
        if plan.stop:
            moment = self.later(unit, moment, spend * 0.3)
            self.guard(moment)
            withdrawal = rng.random() < 0.7
            t.stop(dossier=dossier, withdrawal=withdrawal, acting_user=holder, at=moment,
                   reason="Người nộp có đơn xin rút hồ sơ." if withdrawal
                   else "Người nộp đề nghị dừng giải quyết do thay đổi nhu cầu.")
            self.created["stopped"] += 1
            return moment
        remaining = max(spend - done, 10)
        if plan.late_days:
            dossier.refresh_from_db()
            due = dossier.due_at
            finish_normal = self.later(unit, moment, remaining)
            # Stretch the work so the dossier overruns its appointment by `late_days`.
            target = self.later(unit, max(due, finish_normal), plan.late_days * DAY)
            if plan.apology:
                left = self.schedule(plan.desk).working_between(moment, due)
                if left >= dt.timedelta(minutes=int(1.3 * DAY)):
                    apology_at = self.later(unit, moment, left.total_seconds() / 60 - 1.2 * DAY)
                    self.guard(apology_at)
                    new_due = self.later(plan.desk, due, (plan.late_days + rng.uniform(1, 3)) * DAY)
                    t.issue_apology(dossier=dossier, new_due_at=new_due, acting_user=self.holder(plan.steps[0]),
                                    at=apology_at, reason="Hồ sơ phải xác minh thêm với cơ quan liên quan nên chưa "
                                                          "giải quyết kịp thời hạn đã hẹn.")
            return target
        return self.later(unit, moment, remaining)

    def attach(self, plan: Plan, dossier: Dossier, actor: User | None, at: dt.datetime) -> None:
        self.guard(at)
        version = plan.version
        if dossier.outcome == "refused":
            if self.rng.random() < 0.5:
                return
            name, kind = "Văn bản trả lời từ chối giải quyết hồ sơ", "Văn bản"
        else:
            name, kind = version.result_name or "Kết quả giải quyết", version.result_kind
        number = self.result_number(dossier, kind, at)
        signed = timezone.localtime(at).date()
        valid_until = None
        if "02 năm" in version.result_validity and dossier.outcome == "approved":
            valid_until = dt.date(signed.year + 2, signed.month, min(signed.day, 28)) - dt.timedelta(days=1)
        signer = self.holder(t.deciding_step(plan.steps))
        t.attach_result(dossier=dossier, name=name, content=demo_pdf(name, f"{number} — {dossier.code}"),
                        filename=f"{dossier.code}-ket-qua.pdf", content_type="application/pdf", number=number,
                        signed_on=signed, signer=signer.full_name if signer else "", valid_until=valid_until,
                        acting_user=actor, at=at)

    def return_result(self, plan: Plan, dossier: Dossier, resolved: dt.datetime) -> None:
        rng = self.rng
        channel = plan.return_channel
        wait = {ReturnChannel.ONLINE: rng.uniform(5, 60), ReturnChannel.POSTAL: rng.uniform(60, 0.8 * DAY),
                ReturnChannel.COUNTER: rng.uniform(30, 2.5 * DAY)}[channel]
        at = self.later(plan.desk, resolved, wait)
        if dossier.due_at and at > dossier.due_at > resolved and rng.random() < 0.9:
            at = self.later(plan.desk, resolved, 5)  # came to collect on time
        self.guard(at)
        returned_to = ""
        if channel == ReturnChannel.COUNTER:
            person = plan.person.data
            if person.kind == ApplicantKind.ORGANISATION:
                helper = rng.choice(self.citizens).data.name
                returned_to = f"{helper} (người được {person.name} ủy quyền)"
            else:
                returned_to = person.name
        t.return_result(dossier=dossier, channel=channel, returned_to=returned_to,
                        waybill=waybill(rng, "RR") if channel == ReturnChannel.POSTAL else "",
                        acting_user=self.holder(plan.steps[-1]), at=at)


def code_weight(code: str) -> int:
    return WEIGHTS.get(code, 0)


def waybill(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.randrange(10**8, 10**9)}VN"


@cache
def _base_pdf() -> bytes:
    from motcua.paperwork.pdf import FONT_FAMILY, html_to_pdf

    return html_to_pdf(
        f'<html><head><style>body {{ font-family: "{FONT_FAMILY}"; font-size: 13pt; }}</style></head><body>'
        "<h2>BẢN ĐIỆN TỬ CỦA GIẤY TỜ — DỮ LIỆU MINH HỌA</h2>"
        "<p>Tài liệu do dữ liệu minh họa của hệ thống Một Cửa tạo ra. Tên giấy tờ, số, ký hiệu và mã hồ sơ "
        "được ghi trong thuộc tính của tệp (Title, Subject).</p></body></html>")


@cache
def _checked_base() -> CheckedFile:
    return check_file("mau.pdf", demo_pdf("Đơn đề nghị", ""))


def application_form(name: str, title: str, subject: str) -> CheckedFile:
    """The applicant's scanned form: the base PDF, checked once by `check_file`, stamped per dossier."""
    content = demo_pdf(title, subject)
    return CheckedFile(name=name, content=content, content_type=_checked_base().content_type, size=len(content),
                       sha256=hashlib.sha256(content).hexdigest())


def _pdf_text(value: str) -> bytes:
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def demo_pdf(title: str, subject: str) -> bytes:
    """The base PDF with an incremental update adding its own document information (title, subject):
    a valid PDF, different for every document, without rendering each one."""
    base = _base_pdf()
    tail = base.rstrip()
    prev = int(tail[tail.rindex(b"startxref") + 9:tail.rindex(b"%%EOF")].strip())
    trailer = base[base.rindex(b"/Type /XRef"):]
    root = trailer[trailer.index(b"/Root") + 5:].split(b"R", 1)[0].strip() + b" R"
    size = int(trailer[trailer.index(b"/Size") + 5:].split(b"/", 1)[0].strip())
    info_no, xref_no = size, size + 1
    out = bytearray(base if base.endswith(b"\n") else base + b"\n")
    info_at = len(out)
    out += (f"{info_no} 0 obj\n".encode() + b"<</Title " + _pdf_text(title) + b"/Subject " + _pdf_text(subject)
            + b"/Producer (Mot Cua demo)>>\nendobj\n")
    xref_at = len(out)
    rows = b"".join(bytes([1]) + offset.to_bytes(4, "big") + b"\x00\x00" for offset in (info_at, xref_at))
    out += (f"{xref_no} 0 obj\n<</Type /XRef/Index [{info_no} 2]/W [1 4 2]/Size {xref_no + 1}/Root ".encode()
            + root + f"/Info {info_no} 0 R/Prev {prev}/Length {len(rows)}>>\nstream\n".encode() + rows
            + b"\nendstream\nendobj\n" + f"startxref\n{xref_at}\n%%EOF\n".encode())
    return bytes(out)


def demo_dossiers() -> QuerySet[Dossier]:
    return Dossier.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX)


def load(stdout=None, *, size: int | None = None, now: dt.datetime | None = None, seed: int = 2025) -> dict:
    """Play a year of dossiers through the real actions (once: nothing happens if they exist).

    Applicants are not notified of these replayed moves (`EMAIL_ENABLED`/`SMS_ENABLED` are off while
    loading): the moves are history, and the demo people's addresses are made up."""
    size = size if size is not None else env_int("MOTCUA_DEMO_DOSSIERS", DEFAULT_SIZE, minimum=0)
    if demo_dossiers().exists():
        if stdout is not None:
            stdout.write(f"  Hồ sơ: đã có {demo_dossiers().count()} hồ sơ minh họa, không nạp thêm.\n")
        return {}
    now = now or timezone.now()
    with override_settings(EMAIL_ENABLED=False, SMS_ENABLED=False), transaction.atomic():
        builder = _Builder(size=size, now=now, seed=seed)
        builder.run()
    counts = dict(Counter(demo_dossiers().values_list("status", flat=True)))
    if stdout is not None:
        stdout.write(f"  Hồ sơ: +{sum(counts.values())} hồ sơ minh họa trong 12 tháng đến "
                     f"{timezone.localtime(now):%d/%m/%Y}:\n")
        for status in Status:
            if counts.get(status.value):
                stdout.write(f"    {status.label}: {counts[status.value]}\n")
        notices = IntakeNotice.objects.values_list("kind", flat=True)
        stdout.write(f"    Phiếu tại quầy: {sum(1 for k in notices if k == 'supplement')} yêu cầu bổ sung, "
                     f"{sum(1 for k in notices if k == 'refusal')} từ chối tiếp nhận.\n")
    return counts

