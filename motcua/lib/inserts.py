"""INSERT statements for hot paths (intake, the audit chain), built once per model and row count.

Django compiles an INSERT afresh on every `save()`/`bulk_create()` (about 0.1–0.2 ms for a wide row,
as much as a round trip to PostgreSQL). `Insert` keeps the SQL text per row count and takes each value
as `save()` would: `field.get_db_prep_save(field.pre_save(obj, add=True))`, skipping the call only for
field classes whose preparation returns a plain value unchanged (text, integers, booleans, foreign key
ids, dates and aware datetimes — psycopg and sqlite3 adapt those themselves). Signals are the caller's
business (`save()` sends them; `bulk_create()` does not).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

from django.db import connection, models

# Exact classes (not subclasses, which may prepare differently) whose get_db_prep_save(value) is value.
_PLAIN = frozenset({
    models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField, models.BigIntegerField,
    models.SmallIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField, models.BooleanField, models.CharField, models.TextField, models.EmailField,
    models.ForeignKey,
})
_PLAIN_ON_POSTGRESQL = frozenset({models.DateField, models.DateTimeField})


def _is_plain(field: models.Field) -> bool:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    if type(field) in _PLAIN:
        return True
    return connection.vendor == "postgresql" and type(field) in _PLAIN_ON_POSTGRESQL


class Insert:
    """``INSERT INTO <model> (<columns>) VALUES (…), … [RETURNING …]`` for rows of one model.

    ``with_pk``: the rows carry their primary key (e.g. reserved with nextval) and it is inserted.
    ``returning``: column names to return (PostgreSQL and SQLite ≥ 3.35 both support RETURNING)."""

    def __init__(self, model: type[models.Model], *, with_pk: bool = False, returning: tuple[str, ...] = ()):
        meta = model._meta
        self.fields = [f for f in meta.local_concrete_fields if with_pk or not f.primary_key]
        if any(hasattr(f, "get_placeholder") for f in self.fields):
            raise TypeError(f"{meta.label}: a field with its own SQL placeholder needs the ORM's compiler")
        self.table = connection.ops.quote_name(meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.returning = ", ".join(connection.ops.quote_name(c) for c in returning)
        self.one_row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self._sql: dict[tuple[str, int], str] = {}
        self._plain: dict[str, list[tuple[str, models.Field | None]]] = {}

    def sql(self, rows: int) -> str:
        key = (connection.vendor, rows)
        sql = self._sql.get(key)
        if sql is None:
            sql = f"INSERT INTO {self.table} ({self.columns}) VALUES {', '.join([self.one_row] * rows)}"
            if self.returning:
                sql += f" RETURNING {self.returning}"
            self._sql[key] = sql
        return sql

    def params(self, objs: list[models.Model]) -> list:
        plan = self._plain.get(connection.vendor)
        if plan is None:
            plan = self._plain[connection.vendor] = [(f.attname, None if _is_plain(f) else f) for f in self.fields]
        values: list = []
        for obj in objs:
            for attname, field in plan:
                if field is None:
                    values.append(getattr(obj, attname))
                else:
                    values.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        return values

    def statement(self, objs: list[models.Model]) -> tuple[str, list]:
        return self.sql(len(objs)), self.params(objs)


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class JsonRowsInsert:
    """PostgreSQL: ``INSERT INTO <model> (<columns>) SELECT <columns> FROM jsonb_populate_recordset(…)`` —
    any number of rows as ONE parameter (a JSON array of objects keyed by column), so a statement that
    embeds it keeps a fixed text and few parameters (psycopg caches the conversion of statements with at
    most 50 parameters; the server reads each value with the column type's input function, as it does a
    text literal). Rows are dicts `{column: value}`; every column must be given (no Python defaults here)."""

    def __init__(self, model: type[models.Model], *, returning: tuple[str, ...] = ()):
        meta = model._meta
        self.columns = [f.column for f in meta.local_concrete_fields if not f.primary_key]
        table = connection.ops.quote_name(meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        self.sql = f"INSERT INTO {table} ({cols}) SELECT {cols} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)"
        if returning:
            self.sql += " RETURNING " + ", ".join(connection.ops.quote_name(c) for c in returning)

    def param(self, rows: list[dict]) -> str:
        for row in rows[:1]:
            if row.keys() != set(self.columns):
                raise KeyError(f"rows must give exactly the columns {sorted(self.columns)}, not {sorted(row)}")
        return json.dumps(rows, default=_json_default, ensure_ascii=False)

    @staticmethod
    def row_of(obj: models.Model) -> dict:
        """A model instance as a row (values prepared as for a query, before the database adaptation)."""
        return {f.column: f.get_prep_value(f.pre_save(obj, True)) for f in obj._meta.local_concrete_fields
                if not f.primary_key}
