"""A province of dossiers for the benchmarks: `python bench/generate.py --size 1000000 --seed 1`.

Builds a scratch PostgreSQL database (migrated by `manage.py migrate`), loads the demo organisation
and catalog (`org.demo`, `catalog.demo`: Sở Nội vụ, Sở Tư pháp, two communes and their procedures),
adds the rest of a province's communes with their one-stop desks, officers in every unit
(one-stop officers, specialists, heads of unit), citizens and organisations, then writes --size
dossiers received over four years (2022–2025, the volume growing each year, Mondays busiest) with
PostgreSQL `COPY`:

- procedures chosen with a long-tailed popularity; commune-level procedures (half of the volume)
  spread over every commune, handled by that commune's desk and officers;
- channels: direct, postal and online (the online share growing from 25% to 60% where the procedure
  is offered online), online dossiers submitted some hours before acceptance;
- appointment, clock start, handover and warning instant from the desk's real working calendar
  (`schedule_for_unit(desk).appointment`, the 15:00 rule included), once per (case, desk, day, channel,
  before/after 15:00);
- processing times drawn against the legal time: most early, 5–12% late (fewer each year) with the
  overdue mark, 7% with a supplement round (clock paused; the original appointment kept);
  refusals, stops; dossiers still open at the end of the span are received, in progress at a step,
  waiting for a supplement or resolved and waiting at the desk — each open one with the StepRun of
  its current step, assigned to one of the step unit's specialists (15% left to the unit);
- history: receive (or submit online + accept), supplement request/receipt, result returned or stop;
- online payments of the case's fee, ratings (DOMAIN B.7) of returned dossiers, results kept in the
  applicant's records and reused by later dossiers of the same applicant; daily code counters.

Secondary indexes and foreign keys of the loaded tables are dropped for the COPY and rebuilt after
it (`ADD CONSTRAINT` validates every row in one pass), then `VACUUM ANALYZE`. The output is a
function of --seed and --size only (the clock is fixed at 31/12/2025 17:00).

`ensure_dataset(size, seed)` returns the URL of `motcua_bench_<size>_s<seed>`, generating it in a
subprocess only when no complete copy with the same generator version exists yet.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GENERATOR_VERSION = 1
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.date(2022, 1, 1)
END = dt.datetime(2025, 12, 31, 17, 0, tzinfo=VN)  # the generator's "now"
EXTRA_COMMUNES = 60
SPECIALISTS_PER_UNIT = 12  # usernames cv<unit id>_<i>, as bench/worklist_bench.py names them
SPECIALISTS_PER_COMMUNE = 3
DESK_OFFICERS = 4

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Thái", "Hà", "Lưu"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Kim", "Công", "Đình"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng",
         "Thủy", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến"]
PLACES = ["Thành Sen", "Thạch Hà", "Cẩm Xuyên", "Kỳ Anh", "Hương Sơn", "Đức Thọ", "Nghi Xuân", "Can Lộc",
          "Hương Khê", "Vũ Quang", "Lộc Hà", "Hồng Lĩnh", "Thạch Khê", "Cẩm Bình", "Kỳ Hoa", "Sơn Kim",
          "Tùng Lộc", "Xuân Thành", "Đức Minh", "Thạch Lạc"]
COMPANY = ["Công ty TNHH", "Công ty cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
TRADE = ["Xây dựng", "Thương mại", "Dịch vụ", "Vận tải", "Nông sản", "Thủy sản", "Du lịch", "Cơ khí"]


# -- the cached dataset -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Dataset:
    size: int
    seed: int
    url: str

    def as_json(self) -> dict:
        return {"size": self.size, "seed": self.seed, "url": self.url}


def database_name(size: int, seed: int) -> str:
    return f"motcua_bench_{size}_s{seed}"


def dataset_info(url: str) -> dict | None:
    """The generator's marker row of a complete dataset at `url`, or None."""
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5) as conn:
            row = conn.execute("SELECT info FROM bench_dataset WHERE complete").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def schema_fingerprint(applied: set[tuple[str, str]] | None = None) -> str:
    """A digest of the migration files on disk: a dataset migrated with other migrations is stale.
    With `applied` ((app label, name) pairs, the label being the app's folder name), only those files."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "motcua").glob("**/migrations/0*.py")):
        if applied is not None and (path.parent.parent.name, path.stem) not in applied:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dataset_ready(size: int, seed: int) -> bool:
    """A complete dataset for (size, seed) exists, made by this generator on the current migrations."""
    info = dataset_info(f"{SERVER_URL}/{database_name(size, seed)}")
    return bool(info and info.get("version") == GENERATOR_VERSION and info.get("size") == size
                and info.get("seed") == seed and info.get("schema") == schema_fingerprint())


def upgrade_in_place(size: int, seed: int) -> bool:
    """Migrations only added since the dataset was made (every migration it has is unchanged on disk):
    apply the new ones to it (`manage.py migrate`; the generator fills no new table, a new column gets
    its default as the COPY would have given it) and record the new fingerprint, instead of dropping and
    regenerating a dataset other runs may be reading. One process at a time (advisory lock)."""
    import psycopg

    url = f"{SERVER_URL}/{database_name(size, seed)}"
    info = dataset_info(url)
    if not info or info.get("version") != GENERATOR_VERSION or info.get("size") != size or info.get("seed") != seed:
        return False
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(8815001)")
        try:
            if dataset_ready(size, seed):
                return True
            applied = {(app, name) for app, name in conn.execute("SELECT app, name FROM django_migrations")}
            if schema_fingerprint(applied) != info.get("schema"):
                return False
            env = {**os.environ, "DATABASE_URL": url}
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], check=True, cwd=ROOT,
                           env=env)
            conn.execute("UPDATE bench_dataset SET info = jsonb_set(info, '{schema}', to_jsonb(%s::text)) "
                         "WHERE complete", [schema_fingerprint()])
            return True
        finally:
            conn.execute("SELECT pg_advisory_unlock(8815001)")


def ensure_dataset(size: int, seed: int = 1) -> str:
    """The URL of a complete generated dataset for (size, seed), generated once and then reused
    (migrations added since are applied to it; regenerated when the generator or an applied migration
    changed since)."""
    url = f"{SERVER_URL}/{database_name(size, seed)}"
    if dataset_ready(size, seed) or upgrade_in_place(size, seed):
        return url
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--size", str(size), "--seed", str(seed),
                    "--database-url", url], check=True, cwd=ROOT)
    return url


def drop_dataset(size: int, seed: int = 1) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database_name(size, seed)} WITH (FORCE)")


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("motcua_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the generator only writes databases named motcua_bench*")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


# -- COPY -------------------------------------------------------------------------------------------

def cell(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def clean(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


class Table:
    """COPY into a model's table: the generator gives some columns; every other column gets the
    model's default (or NULL / ''), so the generator survives a column added by another engineer."""

    def __init__(self, model, given: list[str]):
        from django.db.models import NOT_PROVIDED

        self.model = model
        self.table = model._meta.db_table
        self.given = given
        known = {f.column for f in model._meta.concrete_fields}
        unknown = set(given) - known
        if unknown:
            raise KeyError(f"{self.table}: no columns {sorted(unknown)}")
        rest, values = [], []
        for f in model._meta.concrete_fields:
            if f.column in given or f.primary_key:
                continue
            if f.default is not NOT_PROVIDED:
                default = f.default() if callable(f.default) else f.default
                if isinstance(default, dict | list):
                    default = json.dumps(default)
                elif isinstance(default, dt.datetime):
                    default = END
            else:
                default = None if f.null else ""
            rest.append(f.column)
            values.append(cell(default))
        self.columns = given + rest
        self.suffix = ("\t" + "\t".join(values) if values else "") + "\n"
        self.buffer = io.StringIO()
        self.rows = 0
        self.copy = None

    def open(self, cursor):
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        self._cm = cursor.copy(f'COPY "{self.table}" ({quoted}) FROM STDIN')
        self.copy = self._cm.__enter__()
        return self

    def add(self, row) -> None:
        self.buffer.write("\t".join(map(cell, row)))
        self.buffer.write(self.suffix)
        self.rows += 1
        if self.rows % 5000 == 0:
            self.flush()

    def flush(self) -> None:
        data = self.buffer.getvalue()
        if data:
            self.copy.write(data)
        self.buffer = io.StringIO()

    def close(self) -> None:
        self.flush()
        self._cm.__exit__(None, None, None)


# -- the province -------------------------------------------------------------------------------------

def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def add_communes(count: int) -> list:
    """`count` more communes under the province, each with a one-stop desk (codes 000.00.53.H27 …)."""
    from motcua.org import actions
    from motcua.org.models import Unit

    province = Unit.objects.get(kind=Unit.Kind.PROVINCE)
    made = []
    for i in range(count):
        code = f"000.{60 + i // 40:02d}.{10 + i % 40:02d}.H27"
        commune = Unit.objects.filter(code=code).first()
        place = f"{PLACES[i % len(PLACES)]} {i // len(PLACES) + 1}" if i >= len(PLACES) else PLACES[i]
        if commune is None:
            kind_name = "phường" if i % 5 == 0 else "xã"
            commune = actions.create_unit(acting_user=None, parent=province, kind=Unit.Kind.COMMUNE,
                                          name=f"Ủy ban nhân dân {kind_name} {place}",
                                          short_name=f"UBND {kind_name} {place}", code=code, office_hours="ha-tinh")
            actions.create_unit(acting_user=None, parent=commune, kind=Unit.Kind.ONE_STOP,
                                name=f"Bộ phận Một cửa {kind_name} {place}", short_name=f"Một cửa {kind_name} {place}",
                                code=f"000.{80 + i // 40:02d}.{10 + i % 40:02d}.H27", office_hours="ha-tinh")
        made.append(commune)
    return made


def add_officers(units, rng: random.Random) -> dict[int, list[int]]:
    """Officers of every unit: specialists (cv<unit>_<i>), one-stop officers (mc<unit>_<i>), a head
    per department. Returns user ids by unit id and role key."""
    from motcua.lib.text import fold
    from motcua.org.models import Role, RoleAssignment, Unit, User

    existing = set(User.objects.values_list("username", flat=True))
    plan = []
    for unit in units:
        if unit.kind == Unit.Kind.ONE_STOP:
            plan += [(unit, f"mc{unit.pk}_{i}", Role.ONE_STOP_OFFICER, "Cán bộ Một cửa") for i in range(DESK_OFFICERS)]
        elif unit.kind == Unit.Kind.COMMUNE:
            plan += [(unit, f"cv{unit.pk}_{i}", Role.SPECIALIST, "Công chức") for i in range(SPECIALISTS_PER_COMMUNE)]
            plan.append((unit, f"ct{unit.pk}", Role.HEAD_OF_UNIT, "Chủ tịch UBND"))
        elif unit.kind in {Unit.Kind.DEPARTMENT, Unit.Kind.OFFICE, Unit.Kind.PUBLIC_SERVICE_UNIT}:
            plan += [(unit, f"cv{unit.pk}_{i}", Role.SPECIALIST, "Chuyên viên") for i in range(SPECIALISTS_PER_UNIT)]
            plan.append((unit, f"tp{unit.pk}", Role.HEAD_OF_UNIT, "Trưởng phòng"))
    plan = [p for p in plan if p[1] not in existing]
    users = []
    for _unit, username, _role, position in plan:
        name = person_name(rng)
        users.append(User(username=username, password="!bench", full_name=name, position=position,
                          search_text=fold(f"{name} {username}"), date_joined=START_AT))
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(User.objects.filter(username__in=[p[1] for p in plan]).values_list("username", "id"))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=ids[username], unit=unit, role=role, valid_from=START)
         for unit, username, role, _position in plan], batch_size=1000)
    by_unit: dict[int, list[int]] = {}
    for user_id, unit_id in RoleAssignment.objects.filter(role=Role.SPECIALIST, user__username__startswith="cv") \
            .values_list("user_id", "unit_id").order_by("user_id"):
        by_unit.setdefault(unit_id, []).append(user_id)
    return by_unit


START_AT = dt.datetime.combine(START, dt.time(8, 0), tzinfo=VN)


@dataclass
class Plan:
    """One procedure case as the generator uses it."""

    case: object
    weight: float
    commune_level: bool
    agency: object
    desk: object
    steps: list
    duration: dt.timedelta
    days: float
    fee: int
    online: bool
    search: str
    result_name: str
    procedure_code: str


def catalog_plans(rng: random.Random) -> list[Plan]:
    from motcua.catalog.models import ProcedureCase
    from motcua.dossiers.intake import case_duration
    from motcua.lib.text import fold
    from motcua.org.models import Unit
    from motcua.portal.selectors import desk_for

    cases = list(ProcedureCase.objects.select_related("version__agency", "version__procedure", "version__field")
                 .prefetch_related("fees").order_by("pk"))
    cases = [c for c in cases if c.version.effective_to is None or c.version.effective_to >= START]
    ranks = list(range(1, len(cases) + 1))
    rng.shuffle(ranks)
    plans = []
    for case, rank in zip(cases, ranks, strict=True):
        version = case.version
        agency = version.agency.agency()
        desk = desk_for(version, case)
        if desk.kind != Unit.Kind.ONE_STOP:
            desk = (Unit.objects.filter(kind=Unit.Kind.ONE_STOP, path__startswith=agency.path).order_by("path").first()
                    or Unit.objects.filter(kind=Unit.Kind.ONE_STOP).order_by("path").first())
        process = getattr(case, "process", None)
        steps = list(process.steps.select_related("unit").order_by("order")) if process is not None else []
        duration = case_duration(case)
        plans.append(Plan(
            case=case, weight=1.0 / rank ** 0.9, commune_level=agency.kind == Unit.Kind.COMMUNE, agency=agency,
            desk=desk, steps=steps, duration=duration, days=max(duration.total_seconds() / 3600 / 8, 0.5),
            fee=sum(f.amount for f in case.fees.all()), online=version.online_level in {"full", "partial"},
            search=clean(fold(f"{version.name} {version.procedure.code}")),
            result_name=clean((version.result_name or version.name)[:500]), procedure_code=version.procedure.code))
    return plans


def working_days() -> list[dt.date]:
    from motcua.workdays import get_schedule

    calendar = get_schedule().calendar
    days, day = [], START
    while day <= END.date():
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def daily_counts(days: list[dt.date], size: int) -> list[int]:
    """Dossiers per working day: growing 60% over the span, Mondays 25% busier; sums to `size`."""
    weights = [(1 + 0.6 * i / len(days)) * (1.25 if d.weekday() == 0 else 1.0) for i, d in enumerate(days)]
    total = sum(weights)
    counts, acc, given = [], 0.0, 0
    for w in weights:
        acc += w * size / total
        n = round(acc) - given
        counts.append(n)
        given += n
    return counts


def generate(size: int, seed: int, url: str) -> dict:
    """Fill the (already created, empty) database at `url`; Django is set up here."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", f"/tmp/{url.rsplit('/', 1)[1]}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from motcua.catalog import demo as catalog_demo
    from motcua.org import demo as org_demo
    from motcua.org.models import Unit

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_dataset (complete boolean NOT NULL, info jsonb NOT NULL)")
        cursor.execute("DELETE FROM bench_dataset")
    step = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        org_demo.load()
        catalog_demo.load()
        communes = add_communes(EXTRA_COMMUNES)
        units = list(Unit.objects.order_by("path"))
        people = add_officers(units, rng)
    timings["province_s"] = round(time.perf_counter() - step, 1)
    step = time.perf_counter()
    with transaction.atomic():
        stats = write_dossiers(size, rng, people, communes + list(Unit.objects.filter(
            kind=Unit.Kind.COMMUNE, code__in=["000.00.51.H27", "000.00.52.H27"])))
    timings["copy_s"] = round(time.perf_counter() - step, 1)
    step = time.perf_counter()
    connection.close()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        timings["vacuum_s"] = round(time.perf_counter() - step, 1)
        timings["total_s"] = round(time.perf_counter() - started, 1)
        info = {"version": GENERATOR_VERSION, "size": size, "seed": seed, "schema": schema_fingerprint(),
                "now": END.isoformat(), **stats, **timings}
        from psycopg.types.json import Jsonb

        conn.execute("INSERT INTO bench_dataset (complete, info) VALUES (true, %s)", [Jsonb(info)])
    return info


BIG_TABLES = ["dossiers_applicant", "dossiers_dossier", "dossiers_dossierevent", "dossiers_steprun",
              "dossiers_supplementround", "dossiers_dailycounter", "payments_payment", "portal_rating",
              "records_record", "records_reuse"]


def drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the foreign keys and non-constraint indexes of `tables`; return the DDL to restore them."""
    cursor.execute(
        "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)", [tables])
    fks = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [tables])
    indexes = cursor.fetchall()
    for name, table, _ in fks:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [ddl for _, ddl in indexes] + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}'
                                          for name, table, ddl in fks]


def write_dossiers(size: int, rng: random.Random, people: dict[int, list[int]], communes: list) -> dict:
    from django.db import connection

    from motcua.dossiers.intake import WARN_REMAINING_SHARE
    from motcua.dossiers.models import (
        Applicant,
        DailyCounter,
        Dossier,
        DossierEvent,
        StepRun,
        SupplementRound,
    )
    from motcua.dossiers.transitions import step_minutes
    from motcua.lib.text import fold
    from motcua.org.calendar import schedule_for_unit
    from motcua.org.models import Role, Unit

    plans = catalog_plans(rng)
    # Communes receive about half of a province's dossiers (civil status, certifications, …).
    commune_total = sum(p.weight for p in plans if p.commune_level)
    other_total = sum(p.weight for p in plans if not p.commune_level)
    if commune_total and other_total:
        for p in plans:
            if p.commune_level:
                p.weight *= other_total / commune_total
    cumulative, acc = [], 0.0
    for p in plans:
        acc += p.weight
        cumulative.append(acc)
    commune_desk = {c.pk: Unit.objects.filter(kind=Unit.Kind.ONE_STOP, parent=c).first() for c in communes}
    commune_weights = [rng.uniform(0.3, 2.0) for _ in communes]
    commune_cum = [sum(commune_weights[: i + 1]) for i in range(len(communes))]
    desk_officers: dict[int, list[int]] = {}
    from motcua.org.models import RoleAssignment

    for user_id, unit_id in RoleAssignment.objects.filter(role=Role.ONE_STOP_OFFICER).values_list("user_id", "unit_id"):
        desk_officers.setdefault(unit_id, []).append(user_id)
    # Every desk's schedule is read now: no Django query may run while a COPY holds the connection.
    schedules = {desk.pk: schedule_for_unit(desk) for desk in
                 {p.desk for p in plans} | {d for d in commune_desk.values() if d is not None}}
    appointments: dict[tuple, tuple] = {}

    def appointment(plan: Plan, desk, day: dt.date, late_in_day: bool, channel: str):
        key = (plan.case.pk, desk.pk, day, late_in_day, channel)
        found = appointments.get(key)
        if found is None:
            schedule = schedules[desk.pk]
            at = dt.datetime.combine(day, dt.time(16, 0) if late_in_day else dt.time(9, 0), tzinfo=VN)
            a = schedule.appointment(at, plan.duration, channel)
            warn = schedule.warning_instant(a.clock_start, plan.duration, remaining_share=WARN_REMAINING_SHARE)
            found = appointments[key] = (a.clock_start, a.handover_at, a.due_at, warn)
        return found

    # Applicants: a third as many people as dossiers (people come back), 8% organisations.
    n_applicants = max(2000, size // 3)
    applicant_rows = []
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        restore = drop_secondary(cursor, BIG_TABLES)
        people_table = Table(Applicant, ["id", "kind", "identifier", "name", "birth_date", "phone", "address",
                                         "search_text", "updated_at"]).open(cursor)
        for i in range(1, n_applicants + 1):
            place = rng.choice(PLACES)
            phone = f"09{rng.randrange(10**8):08d}"
            if rng.random() < 0.08:
                name = f"{rng.choice(COMPANY)} {rng.choice(TRADE)} {place} {i}"
                ident, kind, birth = f"30{i:08d}", "organisation", None
            else:
                name = person_name(rng)
                year = rng.randrange(1945, 2006)
                century = (0 if year < 2000 else 2) + rng.randrange(2)
                ident, kind = f"042{century}{year % 100:02d}{i:06d}", "citizen"
                birth = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
            address = f"Thôn {rng.randrange(1, 12)}, {place}, Hà Tĩnh"
            folded = fold(f"{name} {ident} {phone}")
            people_table.add((i, kind, ident, name, birth, phone, address, folded, START_AT))
            applicant_rows.append((kind, ident, name, phone, address, fold(name)))
        people_table.close()

        dossier_cols = ["id", "code", "agency_id", "desk_id", "handling_unit_id", "version_id", "case_id", "status",
                        "channel", "return_channel", "applicant_id", "applicant_kind", "applicant_identifier",
                        "applicant_name", "applicant_phone", "applicant_address", "submitted_at", "received_at",
                        "clock_start", "handover_at", "due_at", "warn_at", "resolved_at", "returned_at",
                        "received_by_id", "search_text", "created_at", "current_step_id", "paused_since",
                        "original_due_at", "outcome", "warned_at", "overdue_at"]
        dossiers = Table(Dossier, dossier_cols).open(cursor)
        # Other tables are buffered in memory and copied after the dossiers (one COPY at a time).
        events = Table(DossierEvent, ["dossier_id", "at", "actor_id", "action", "from_status", "to_status"])
        run_columns = {f.column for f in StepRun._meta.concrete_fields}
        run_extra = [c for c in ("list_due", "paused_since") if c in run_columns]  # the work list's copies
        runs = Table(StepRun, ["id", "dossier_id", "step_id", "kind", "order", "description", "unit_id", "role",
                               "assignee_id", "budget_minutes", "counted", "received_at", "due_at", *run_extra])
        rounds = Table(SupplementRound, ["dossier_id", "number", "requested_at", "requested_by_id", "items",
                                         "reason", "received_at", "received_by_id"])
        tables = {"events": events, "runs": runs, "rounds": rounds}
        optional = optional_tables()
        for name, (model, cols) in optional.items():
            tables[name] = Table(model, cols)
        event_lines, side_lines = io.StringIO(), {name: io.StringIO() for name in tables if name != "events"}

        def side(name: str, row) -> None:
            t = tables[name]
            side_lines[name].write("\t".join(map(cell, row)))
            side_lines[name].write(t.suffix)
            t.rows += 1

        def event(row) -> None:
            event_lines.write("\t".join(map(cell, row)))
            event_lines.write(events.suffix)
            events.rows += 1

        days = working_days()
        counts = daily_counts(days, size)
        span = (END.date() - START).days
        pk = 0
        run_id = 0
        counters: dict[tuple[int, dt.date], int] = {}
        record_of: dict[int, tuple[int, dt.datetime]] = {}
        record_id = 0
        stats = {"open": 0, "late": 0, "supplements": 0, "online": 0, "returned": 0}
        hour = dt.timedelta(hours=1)
        for day, count in zip(days, counts, strict=True):
            progress = (day - START).days / span
            online_share = 0.25 + 0.35 * progress
            late_share = 0.12 - 0.07 * progress
            minutes = sorted(rng.randrange(0, 510) for _ in range(count))
            day_start = dt.datetime.combine(day, dt.time(7, 30), tzinfo=VN)
            for minute in minutes:
                pk += 1
                plan = plans[bisect.bisect(cumulative, rng.random() * acc)]
                case = plan.case
                if plan.commune_level:
                    agency = communes[bisect.bisect(commune_cum, rng.random() * commune_cum[-1])]
                    desk = commune_desk[agency.pk]
                else:
                    agency, desk = plan.agency, plan.desk
                received = day_start + dt.timedelta(minutes=minute + (90 if minute >= 240 else 0),
                                                    seconds=rng.randrange(60))
                r = rng.random()
                if plan.online and r < online_share:
                    channel, return_channel = "online", ("online" if rng.random() < 0.6 else "counter")
                    submitted = received - dt.timedelta(minutes=rng.randrange(20, 1800))
                    stats["online"] += 1
                elif r > 0.96:
                    channel, return_channel, submitted = "postal", "postal", received
                else:
                    channel, submitted = "direct", received
                    return_channel = "postal" if rng.random() < 0.1 else "counter"
                clock_start, handover, due, warn = appointment(plan, desk, day, received.hour >= 15,
                                                               "online" if channel == "online" else channel)
                seq = counters[(agency.pk, day)] = counters.get((agency.pk, day), 0) + 1
                code = f"{agency.code}-{day:%y%m%d}-{seq:04d}"
                a = int(n_applicants * rng.random() ** 1.3)  # some people come back often
                kind, ident, name, phone, address, folded_name = applicant_rows[a]
                officer = rng.choice(desk_officers.get(desk.pk) or [None])
                span_legal = due - clock_start
                original_due = None
                pause = None
                if rng.random() < 0.07:  # one supplement round, clock paused
                    asked = clock_start + span_legal * rng.uniform(0.05, 0.3)
                    back = asked + dt.timedelta(days=rng.uniform(1, 12))
                    pause = (asked, back)
                    original_due = due
                    due = due + (back - asked)
                    warn = warn + (back - asked)
                late = rng.random() < late_share
                if late:
                    resolved = due + dt.timedelta(hours=rng.uniform(2, 24 * 12))
                else:
                    resolved = clock_start + (due - clock_start) * rng.uniform(0.25, 0.98)
                returned = resolved + dt.timedelta(hours=0 if return_channel == "online" else rng.uniform(1, 80))
                status, outcome, current, paused = "returned", "approved", None, None
                stop_at = clock_start + span_legal * rng.uniform(0.1, 0.6)
                stopped = rng.random() < 0.015 and stop_at <= END
                if stopped:
                    status, resolved, returned, outcome = "stopped", None, None, ""
                elif rng.random() < 0.03:
                    outcome = "refused"
                open_ = not stopped and resolved > END
                if open_:
                    stats["open"] += 1
                    resolved = returned = None
                    outcome = ""
                    if pause and pause[0] <= END < pause[1]:
                        status, paused = "supplement_requested", pause[0]
                    elif END - received < 4 * hour:
                        status = "received"
                    else:
                        status = "in_progress"
                elif not stopped and returned > END:
                    status, returned = "resolved", None
                if status == "returned":
                    stats["returned"] += 1
                overdue = due if (late and (resolved or END) > due) or (open_ and due < END) else None
                if overdue is not None:
                    stats["late"] += 1
                warned = warn if (resolved or END) > warn else None
                # The current step of an open dossier (or a resolved one waiting at the desk).
                if status in {"received", "in_progress", "supplement_requested", "resolved"} and plan.steps:
                    steps = plan.steps
                    if status == "received":
                        step = steps[0]
                    elif status == "resolved":
                        step = steps[-1]
                    else:
                        elapsed = (END - clock_start) / max(span_legal, hour)
                        step = steps[min(len(steps) - 2, max(1, int(elapsed * (len(steps) - 1))))] \
                            if len(steps) > 2 else steps[-1]
                    unit_id = step.unit_id
                    if plan.commune_level and step.unit.kind == Unit.Kind.COMMUNE:
                        unit_id = agency.pk
                    elif plan.commune_level and step.unit.kind == Unit.Kind.ONE_STOP:
                        unit_id = desk.pk
                    run_id += 1
                    current = run_id
                    at = max(handover, END - dt.timedelta(hours=rng.uniform(1, 120)))
                    minutes_budget = step_minutes(step, case.time_unit)
                    run_due = at + dt.timedelta(minutes=minutes_budget * 2) if minutes_budget and step.counted else None
                    candidates = people.get(unit_id) if step.role == Role.SPECIALIST else None
                    assignee = rng.choice(candidates) if candidates and rng.random() > 0.15 else None
                    extra = {"list_due": run_due or due, "paused_since": paused}
                    side("runs", (run_id, pk, step.pk, "process", step.order, clean(step.description[:1000]), unit_id,
                                  step.role, assignee, minutes_budget, step.counted, at, run_due,
                                  *[extra[c] for c in run_extra]))
                dossiers.add((
                    pk, code, agency.pk, desk.pk, agency.pk, case.version_id, case.pk, status, channel,
                    return_channel, a + 1, kind, ident, name, phone, address, submitted, received, clock_start,
                    handover, due, warn, resolved, returned, officer, f"{folded_name} {ident} {plan.search}",
                    submitted, current, paused, original_due, outcome, warned, overdue))
                # History.
                if channel == "online":
                    event((pk, submitted, None, "submit_online", "", "submitted"))
                    event((pk, received, officer, "accept_online", "submitted", "received"))
                else:
                    event((pk, received, officer, "receive", "", "received"))
                if pause is not None and pause[0] <= END:
                    stats["supplements"] += 1
                    event((pk, pause[0], None, "request_supplement", "in_progress", "supplement_requested"))
                    back = pause[1] if pause[1] <= END else None
                    side("rounds", (pk, f"{code}/BS1", pause[0], None, "[]", "Bổ sung giấy tờ còn thiếu", back,
                                    officer if back else None))
                    if back:
                        event((pk, back, officer, "receive_supplement", "supplement_requested", "in_progress"))
                if status == "returned":
                    event((pk, returned, officer, "return_result", "resolved", "returned"))
                elif status == "stopped":
                    event((pk, stop_at, None, "stop", "in_progress", "stopped"))
                # Payment of the fee online; rating after return; results kept and reused.
                if "payments" in tables and plan.fee > 0 and channel == "online":
                    paid = rng.random() < 0.93
                    side("payments", (pk, plan.fee, "paid" if paid else "failed", "vnpay", f"BN{pk:010d}",
                                      f"{14000000 + pk}" if paid else "", "NCB", submitted,
                                      submitted + dt.timedelta(minutes=3) if paid else None,
                                      f"BL{pk:010d}" if paid else ""))
                if "ratings" in tables and status == "returned" and rng.random() < (0.2 if channel == "online" else 0.06):
                    r = rng.random()
                    if r < 0.78:
                        satisfaction, scores = "very_satisfied", [2] * 9
                    elif r < 0.96:
                        satisfaction, scores = "satisfied", [rng.choice((1, 2, 2)) for _ in range(9)]
                    else:
                        satisfaction, scores = "not_satisfied", [rng.choice((0, 1, 1, 2)) for _ in range(9)]
                    side("ratings", (pk, satisfaction, *scores, sum(scores), returned + dt.timedelta(hours=20)))
                if "records" in tables:
                    held = record_of.get(a)
                    if held is not None and held[1] < received and channel == "online" and rng.random() < 0.35:
                        side("reuses", (held[0], pk, submitted))
                    if status == "returned" and held is None and outcome == "approved" and rng.random() < 0.2:
                        record_id += 1
                        record_of[a] = (record_id, returned)
                        side("records", (record_id, a + 1, "ket-qua-tthc", plan.result_name, "result",
                                         f"records/{returned:%Y/%m}/{code}.pdf", "application/pdf", 180000,
                                         hashlib.sha256(code.encode()).hexdigest(), f"{seq}/QĐ",
                                         agency.code, plan.procedure_code, code, returned.date(), pk, returned))
        dossiers.close()
        counter_table = Table(DailyCounter, ["agency_id", "series", "day", "last"]).open(cursor)
        for (agency_id, day), last in counters.items():
            counter_table.add((agency_id, "dossier", day, last))
        counter_table.close()
        for name, table in tables.items():
            table.open(cursor)
            table.copy.write((event_lines if name == "events" else side_lines[name]).getvalue())
            table.close()
        for table, column in [(Applicant, n_applicants), (Dossier, pk), (StepRun, run_id)]:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table._meta.db_table}', 'id'), %s)",
                           [max(column, 1)])
        if "records" in tables:
            cursor.execute("SELECT setval(pg_get_serial_sequence('records_record', 'id'), %s)", [max(record_id, 1)])
        for ddl in restore:
            cursor.execute(ddl)
    rows = {name: t.rows for name, t in tables.items()}
    return {"dossiers": pk, "applicants": n_applicants, **stats, "rows": rows}


def optional_tables() -> dict:
    """Payments, ratings and records when those apps are installed."""
    from django.apps import apps

    found = {}
    if apps.is_installed("motcua.integrations.payments"):
        from motcua.integrations.payments.models import Payment

        found["payments"] = (Payment, ["dossier_id", "amount", "status", "gateway", "txn_ref", "gateway_ref",
                                       "bank_code", "created_at", "paid_at", "receipt_number"])
    if apps.is_installed("motcua.portal"):
        from motcua.portal.models import CRITERIA, Rating

        found["ratings"] = (Rating, ["dossier_id", "satisfaction", *[name for name, _ in CRITERIA], "total",
                                     "created_at"])
    if apps.is_installed("motcua.records"):
        from motcua.records.models import Record, Reuse

        found["records"] = (Record, ["id", "applicant_id", "document_type", "name", "source", "file",
                                     "content_type", "size", "sha256", "number", "issuer_code", "procedure_code",
                                     "dossier_code", "issued_on", "dossier_id", "created_at"])
        found["reuses"] = (Reuse, ["record_id", "dossier_id", "at"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="dossiers (10000 quick, 1000000, 10000000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None,
                        help="scratch database to (re)create; default postgres://…/motcua_bench_<size>_s<seed>")
    args = parser.parse_args()
    url = args.database_url or f"{SERVER_URL}/{database_name(args.size, args.seed)}"
    _recreate_database(url)
    info = generate(args.size, args.seed, url)
    print(f"generated {info['dossiers']:,} dossiers ({info['open']:,} open, {info['online']:,} online, "
          f"{info['late']:,} late, {info['supplements']:,} with a supplement) in {info['total_s']:.0f} s "
          f"(migrate {info['migrate_s']} s, province {info['province_s']} s, COPY + indexes {info['copy_s']} s, "
          f"VACUUM ANALYZE {info['vacuum_s']} s) → {url}", flush=True)
    print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in info["rows"].items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
