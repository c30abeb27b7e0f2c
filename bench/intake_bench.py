"""Benchmark of intake (motcua.dossiers.intake.receive_dossier) on PostgreSQL against plain SQL.

Creates a scratch PostgreSQL database `motcua_bench_intake` on 127.0.0.1 (dropped afterwards),
migrates it, loads the demo organisation and catalog, then in the same run:

1. ORM: N intakes through `receive_dossier` — validation, applicant upsert, daily code and tracking-book
   serial, frozen version, appointment and warning instant (workdays, desk schedule checked against a
   digest of its closures), dossier row, checklist, history row, audit entry on the hash chain,
   the receipt notification hook after commit — one transaction each, one officer, N different
   applicants. On PostgreSQL that is 5 statements: BEGIN; applicant + counters + dossier id +
   closures digest (one WITH); dossier + checklist + history row + audit head lock (one WITH);
   audit entry + head hash; COMMIT.
2. Raw: the same rows written with plain SQL through psycopg, one transaction per dossier, 10
   statements: BEGIN, applicant upsert, counter upsert (code and book counters, one multi-row upsert),
   dossier, checklist (one multi-row INSERT), history row, audit head lock + audit entry (with its
   SHA-256) + head update, COMMIT. The appointment is computed once up front, so the raw side does no
   deadline work at all.

Prints the queries of one intake, both rates in dossiers per second and their ratio.
Targets: ORM ≥ 200 dossiers/s and ≥ 50% of the raw rate (exit status 1 otherwise).

Run: ``.venv/bin/python bench/intake_bench.py`` (options: --n 2000, --block 100, --verbose, --keep).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "motcua_bench_intake"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_RATE = 200
TARGET_SHARE = 0.5


def create_database() -> str:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


def identifier(n: int, base: int) -> str:
    """A valid 12-digit personal ID (Hà Tĩnh 042, male born 1987) numbered n."""
    return f"042087{base + n:06d}"


class Row:
    """INSERT … RETURNING id for one table: column order and defaults taken once from the model,
    so the SQL stays valid when another engineer adds a column; per row only the values change."""

    def __init__(self, model):
        from django.db.models import NOT_PROVIDED

        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in self.fields]
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        self.defaults = {}
        for f in self.fields:
            if f.default is not NOT_PROVIDED and not callable(f.default):
                self.defaults[f.column] = f.default
            elif f.null:
                self.defaults[f.column] = None
            elif f.get_internal_type() in {"CharField", "TextField", "EmailField"}:
                self.defaults[f.column] = ""
            elif f.get_internal_type() == "JSONField":
                self.defaults[f.column] = "{}"
        placeholders = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {self.table} ({quoted}) VALUES ({placeholders}) RETURNING id"
        self.quoted = quoted

    def params(self, values: dict) -> list:
        missing = [c for c in self.columns if c not in values and c not in self.defaults]
        if missing:
            raise KeyError(f"{self.table}: no value for {missing}")
        return [values.get(c, self.defaults.get(c)) for c in self.columns]

    def many(self, rows: list[dict]) -> tuple[str, list]:
        one = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        sql = f"INSERT INTO {self.table} ({self.quoted}) VALUES " + ", ".join([one] * len(rows))
        return sql, [p for row in rows for p in self.params(row)]


def raw_intakes(indices: range, *, conn, version, case, desk, officer, received_at: dt.datetime,
                id_base: int) -> float:
    """Plain SQL on `conn` (psycopg), one transaction per dossier; returns the elapsed seconds."""
    from psycopg.types.json import Jsonb

    from motcua.dossiers.intake import case_duration
    from motcua.dossiers.models import ChecklistItem, Dossier, DossierEvent
    from motcua.org.calendar import schedule_for_unit
    from motcua.org.models import AuditEntry

    dossier_row, item_row, event_row, audit_row = Row(Dossier), Row(ChecklistItem), Row(DossierEvent), Row(AuditEntry)
    agency = version.agency.agency()
    components = list(case.components.all())
    schedule = schedule_for_unit(desk)
    appointment = schedule.appointment(received_at, case_duration(case), "direct")
    day = received_at.astimezone(VN).date()
    book_day = dt.date(day.year, 1, 1)
    start = time.perf_counter()
    for i in indices:
        ident = identifier(i, id_base)
        name = f"Người nộp {i}"
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(
                "INSERT INTO dossiers_applicant (kind, identifier, name, birth_date, phone, email, address, "
                "user_id, search_text, updated_at) VALUES ('citizen', %s, %s, NULL, %s, '', %s, NULL, %s, "
                "now()) ON CONFLICT (kind, identifier) DO UPDATE SET name = EXCLUDED.name RETURNING id",
                [ident, name, "0905123456", "Hà Tĩnh", f"nguoi nop {i} {ident} 0905123456"])
            applicant_id = cur.fetchone()[0]
            cur.execute(
                "INSERT INTO dossiers_dailycounter (agency_id, series, day, last) VALUES (%s, 'dossier', %s, 1), "
                "(%s, 'book', %s, 1) ON CONFLICT (agency_id, series, day) DO UPDATE "
                "SET last = dossiers_dailycounter.last + 1 RETURNING series, last",
                [agency.pk, day, desk.pk, book_day])
            numbers = dict(cur.fetchall())
            code = f"{agency.code}-{day:%y%m%d}-{numbers['dossier']:04d}"
            cur.execute(dossier_row.sql, dossier_row.params({
                "code": code, "agency_id": agency.pk, "desk_id": desk.pk, "handling_unit_id": agency.pk,
                "version_id": version.pk, "case_id": case.pk, "status": "received", "channel": "direct",
                "return_channel": "counter", "form_set": "tt03_2025", "applicant_id": applicant_id,
                "applicant_kind": "citizen", "applicant_identifier": ident, "applicant_name": name,
                "applicant_phone": "0905123456", "applicant_address": "Hà Tĩnh", "sets_count": 1,
                "submitted_at": received_at, "received_at": received_at, "clock_start": appointment.clock_start,
                "handover_at": appointment.handover_at, "due_at": appointment.due_at,
                "warn_at": appointment.due_at, "received_by_id": officer.pk, "idempotency_key": None,
                "search_text": f"nguoi nop {i} {ident}", "created_at": received_at, "book_serial": numbers["book"],
            }))
            dossier_id = cur.fetchone()[0]
            sql, params = item_row.many([
                {"dossier_id": dossier_id, "component_id": c.pk, "order": k, "name": c.name,
                 "originals": c.originals, "copies": c.copies, "required": c.required, "present": True}
                for k, c in enumerate(components, start=1)])
            cur.execute(sql, params)
            cur.execute(event_row.sql, event_row.params({
                "dossier_id": dossier_id, "at": received_at, "actor_id": officer.pk, "action": "receive",
                "from_status": "", "to_status": "received", "note": "",
                "data": Jsonb({"due_at": appointment.due_at.isoformat()})}))
            cur.execute("SELECT last_seq, last_hash FROM org_audithead WHERE id = 1 FOR UPDATE")
            last_seq, last_hash = cur.fetchone()
            after = {"code": code, "procedure": version.procedure.code, "case": case.pk, "channel": "direct",
                     "due_at": appointment.due_at.isoformat(), "applicant": ident}
            digest = hashlib.sha256(json.dumps([last_seq + 1, code, after, last_hash], ensure_ascii=False,
                                               sort_keys=True).encode()).hexdigest()
            cur.execute(audit_row.sql, audit_row.params({
                "seq": last_seq + 1, "at": received_at, "actor_id": officer.pk, "actor_label": str(officer),
                "ip": None, "action": "dossier.receive", "object_type": "dossiers.dossier",
                "object_id": str(dossier_id), "object_repr": code, "before": None, "after": Jsonb(after),
                "note": "", "search_text": f"dossier.receive {code}", "prev_hash": last_hash, "hash": digest}))
            cur.execute("UPDATE org_audithead SET last_seq = %s, last_hash = %s WHERE id = 1",
                        [last_seq + 1, digest])
    return time.perf_counter() - start


def orm_intakes(indices: range, *, conn=None, version, case, desk, officer, received_at: dt.datetime,
                id_base: int) -> float:
    from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier

    present = {c.pk for c in case.components.all()}
    start = time.perf_counter()
    for i in indices:
        applicant = ApplicantData(kind="citizen", identifier=identifier(i, id_base), name=f"Người nộp {i}",
                                  phone="0905123456", address="Hà Tĩnh")
        receive_dossier(request=IntakeRequest(version=version, case=case, channel="direct", applicant=applicant,
                                              desk=desk, present_components=present, received_at=received_at),
                        acting_user=officer, ip="10.0.0.1")
    return time.perf_counter() - start


def bench(args) -> list[dict]:
    from bench.common import row

    os.environ["DATABASE_URL"] = create_database()
    os.environ["DEBUG"] = "false"  # as in production: no per-query debug logging
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    try:
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from motcua.catalog import demo as catalog_demo
        from motcua.catalog.selectors import version_in_force
        from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier
        from motcua.org import demo as org_demo
        from motcua.org.models import Unit, User

        call_command("migrate", verbosity=0)
        org_demo.load()
        catalog_demo.load()
        officer = User.objects.get(username="lan")
        desk = Unit.objects.get(code="000.01.30.H27")
        # Each run receives on its own working day, so codes restart at 0001 and never collide.
        days = [dt.datetime(2025, 11, d, 9, 10, tzinfo=VN) for d in (17, 18, 19, 20, 21, 24, 25, 26, 27, 28)]
        version = version_in_force("1.013934", on=days[0].date())
        case = version.cases.all()[0]

        # One intake with every query shown (after a warm-up intake: caches filled as in steady state).
        present = {c.pk for c in case.components.all()}
        sample = ApplicantData(kind="citizen", identifier=identifier(0, 900000), name="Mẫu", phone="0905123456")
        receive_dossier(request=IntakeRequest(version=version, case=case, channel="direct", applicant=sample,
                                              desk=desk, present_components=present, received_at=days[-1]),
                        acting_user=officer)
        sample = ApplicantData(kind="citizen", identifier=identifier(1, 900000), name="Mẫu 2", phone="0905123456")
        with CaptureQueriesContext(connection) as ctx:
            receive_dossier(request=IntakeRequest(version=version, case=case, channel="direct", applicant=sample,
                                                  desk=desk, present_components=present, received_at=days[-1]),
                            acting_user=officer)
        print(f"queries per intake through receive_dossier: {len(ctx.captured_queries)}")
        if args.verbose:
            for q in ctx.captured_queries:
                print("   ", q["sql"][:150])

        # Interleaved in blocks of --block, alternating which side goes first, so both sides see the
        # same machine load (this VM is shared); the totals over N dossiers per side are compared.
        import psycopg

        orm_day, raw_day = days[0], days[1]
        common = {"version": version, "case": case, "desk": desk, "officer": officer}
        totals = {"orm": 0.0, "raw": 0.0}
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}") as conn:
            for k, first in enumerate(range(0, args.n, args.block)):
                indices = range(first, min(first + args.block, args.n))
                sides = [("orm", orm_intakes, orm_day, 0), ("raw", raw_intakes, raw_day, 100000)]
                for label, fn, day, base in (sides if k % 2 == 0 else sides[::-1]):
                    totals[label] += fn(indices, conn=conn, received_at=day, id_base=base, **common)
        orm_rate = args.n / totals["orm"]
        raw_rate = args.n / totals["raw"]
        share = orm_rate / raw_rate
        ok = orm_rate >= TARGET_RATE and share >= TARGET_SHARE
        print(f"intake on PostgreSQL ({DB_NAME}), N={args.n} per side, interleaved in blocks of {args.block}:")
        print(f"  receive_dossier (ORM, full intake): {orm_rate:7.0f} dossiers/s")
        print(f"  plain SQL via psycopg (same rows):  {raw_rate:7.0f} dossiers/s")
        print(f"  ratio ORM / raw: {share:.0%}   (targets: ≥ {TARGET_RATE}/s and ≥ {TARGET_SHARE:.0%})")
        print(f"RESULT: {'OK' if ok else 'TOO SLOW'}")
        return [row("intake: receive_dossier vs plain SQL (psycopg), one transaction each", orm_rate, "dossiers/s",
                    baseline=raw_rate, target=f"≥ {TARGET_RATE}/s and ratio ≥ {TARGET_SHARE}", ok=ok),
                row("intake: queries per receive_dossier", len(ctx.captured_queries), "queries")]
    finally:
        if not args.keep:
            drop_database()


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--block", type=int, default=100, help="dossiers per block; the sides alternate by block")
    parser.add_argument("--verbose", action="store_true", help="print the SQL of one intake")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser


def run(quick: bool, dataset=None) -> list[dict]:
    """For bench/run.py (its own scratch database: intake needs a quiet day of codes)."""
    return bench(parser().parse_args(["--n", "300"] if quick else []))


def main() -> int:
    rows = bench(parser().parse_args())
    return 0 if all(r["pass"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
