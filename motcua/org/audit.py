"""The tamper-evident audit chain.

Every state change calls `record_audit` inside the same transaction as the change. Each entry
hashes its own content together with the previous entry's hash; `verify_chain` walks the log and
reports the first entry whose link is broken.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from motcua.lib.inserts import Insert
from motcua.lib.text import fold
from motcua.org.models import AuditEntry, AuditHead, User

GENESIS_HASH = "0" * 64


def plain_json(value: Any) -> Any:
    """Normalise to what JSONField gives back, so the hash is stable across a round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def record_audit(
    *,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    actor: User | None = None,
    ip: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    reserved: tuple[int, str] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction.

    `reserved`: the (number, previous hash) the caller already took in this transaction by running
    `take_seq_sql()` inside one of its own statements (a hot path saving a round trip); None → taken here."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_audit must run inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or obj.pk
    seq, prev_hash = reserved if reserved is not None else _take_seq()
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        seq=seq,
        at=timezone.now(),
        actor=actor_obj,
        actor_label=(str(actor_obj) if actor_obj else "hệ thống")[:255],
        ip=ip or None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=(str(obj) if obj is not None else "")[:255],
        before=plain_json(before),
        after=plain_json(after),
        note=note,
        prev_hash=prev_hash,
    )
    entry.search_text = fold(
        " ".join([entry.action, entry.object_type, entry.object_id, entry.object_repr, entry.actor_label, note])
    )
    entry.hash = entry.compute_hash()
    _append(entry)
    return entry


def _head_table() -> str:
    return connection.ops.quote_name(AuditHead._meta.db_table)


def take_seq_sql() -> str:
    """The statement that locks the chain's head and takes the next number, returning (number, previous
    hash); no row when the chain has no head yet (then call `record_audit` without `reserved`)."""
    return f"UPDATE {_head_table()} SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash"


def _take_seq() -> tuple[int, str]:
    """Lock the chain's head and take the next number: one `UPDATE … RETURNING` (the row lock is held to
    the end of the caller's transaction, so writers queue here and the chain stays linear; under READ
    COMMITTED a writer that waited re-reads the committed head, hash included)."""
    sql = take_seq_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
        if row is None:  # the very first entry: create the head, then lock it like everyone else
            AuditHead.objects.get_or_create(pk=1)
            cursor.execute(sql)
            row = cursor.fetchone()
    return int(row[0]), row[1]


@functools.cache
def _entry_insert() -> Insert:
    return Insert(AuditEntry, returning=("id",))


def _append(entry: AuditEntry) -> None:
    """Insert the entry and move the head's hash to it — one statement on PostgreSQL (a data-modifying
    WITH), two elsewhere. The INSERT is built once (`motcua.lib.inserts`: values prepared as in save())."""
    insert_sql, insert_params = _entry_insert().statement([entry])
    move_head = f"UPDATE {_head_table()} SET last_hash = %s WHERE id = 1"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH moved AS ({move_head}) {insert_sql}", [entry.hash, *insert_params])
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(insert_sql, insert_params)
            entry.pk = cursor.fetchone()[0]
            cursor.execute(move_head, [entry.hash])
    entry._state.adding = False
    entry._state.db = connection.alias


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.intact:
            return gettext("Chuỗi nhật ký toàn vẹn: đã kiểm tra %(checked)s bản ghi.") % {"checked": self.checked}
        return gettext("Chuỗi nhật ký bị phá vỡ tại bản ghi #%(seq)s: %(reason)s") % {
            "seq": self.broken_seq, "reason": gettext(self.reason)}


def verify_chain(batch_size: int = 2000) -> ChainReport:
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    qs = AuditEntry.objects.order_by("seq")
    last_seq = 0
    while True:
        batch = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, gettext_noop("thiếu bản ghi (đã bị xóa?)"))
            if entry.prev_hash != prev_hash:
                return ChainReport(False, checked, entry.seq, gettext_noop("liên kết tới bản ghi trước không khớp"))
            if entry.compute_hash() != entry.hash:
                return ChainReport(False, checked, entry.seq,
                                   gettext_noop("nội dung đã bị sửa (mã băm không khớp)"))
            prev_hash = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return ChainReport(False, checked, checked + 1, gettext_noop("thiếu bản ghi cuối chuỗi (đã bị xóa?)"))
    return ChainReport(True, checked)


def model_snapshot(obj: Any, fields: list[str]) -> dict:
    """The before/after image of the given fields, foreign keys as ids."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return plain_json(data)
