"""Consent rows: writing the stage's decisions, the current state per channel, audited changes.

``consents`` keeps every decision as history. The current state of a person's channel is the
newest decisive row (opt-in or opt-out, by ``captured_at``, else when it was stored); an opt-out
is only overridden by a newer opt-in the person gave themselves (form wording or a confirmed
double opt-in), never by a list. A row without an answer never overrides an answer. Changes of
the current status are written to ``audit_log`` with ids and codes only.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeGuard

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Text, cast, insert, select
from sqlalchemy.orm import Session

from ingest.consent import CONTEXT_COLUMN, DOUBLE_OPT_IN_FIELD, consent_column, parse_iso
from ingest.records import Channel, ConsentStatus
from ingest.store.models import AuditEntry, Consent, ContactPoint
from ingest.store.sql import LIST_CHUNK, chunks, column_values, execute_columns, fetch, one_of

EVIDENCE_FIELDS = ("consent_text", "consent_version", "consent_ip")
OPT_IN, OPT_OUT = ConsentStatus.OPT_IN.value, ConsentStatus.OPT_OUT.value
UNKNOWN = ConsentStatus.UNKNOWN.value
_COLUMNS = tuple(
    (channel, (consent_column(channel), f"{channel.value}_opt_in",
               *(consent_column(channel, part) for part in ("basis", "reason", "expires"))))
    for channel in Channel
)  # fmt: skip
"""Per channel, the row's status, answer, basis, reason and expiry columns (named once)."""
_FLAGS = {
    channel: tuple((name, f"source_{name}") for name in (f"{channel.value}_opt_out", *(
        ("email_bounced", "email_status") if channel is Channel.EMAIL else ())))
    for channel in Channel
}  # fmt: skip
CHANNEL_POINT = {Channel.EMAIL: ("email",), Channel.PHONE: ("phone", "mobile"),
                 Channel.SMS: ("mobile", "phone"), Channel.POST: ("address",)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ConsentState:
    """The current consent of one person on one channel."""

    status: str
    lawful_basis: str | None
    expires_at: datetime | None
    at: datetime
    evidence: Mapping[str, Any]
    consent_id: int | None = None

    def permitted(self, now: datetime | None = None) -> bool:
        """Whether marketing on this channel is allowed now."""
        now = now or datetime.now(UTC)
        if self.status == OPT_OUT or self.lawful_basis is None:
            return False
        return self.expires_at is None or aware(self.expires_at) > now


def aware(value: datetime) -> datetime:
    """SQLite returns naive timestamps; every stored timestamp is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def personal(evidence: Mapping[str, Any]) -> bool:
    """An opt-in the person gave themselves: shown wording or a confirmed double opt-in."""
    return bool(evidence.get("consent_text") or evidence.get(DOUBLE_OPT_IN_FIELD))


def advance(current: ConsentState | None, new: ConsentState) -> ConsentState:
    """The state after ``new`` arrives (see the module docstring for the rule)."""
    if current is None:
        return new
    if new.status not in (OPT_IN, OPT_OUT):
        return new if current.status not in (OPT_IN, OPT_OUT) and new.at >= current.at else current
    if current.status not in (OPT_IN, OPT_OUT):
        return new
    if new.at < current.at:
        return current
    if current.status == OPT_OUT and new.status == OPT_IN and not personal(new.evidence):
        return current
    return new


def current_consents(
    session: Session, person_ids: Iterable[int]
) -> dict[tuple[int, str], ConsentState]:
    """The current state per (person, channel) of the given people, from their history."""
    states: dict[tuple[int, str], ConsentState] = {}
    documents: dict[str, Mapping[str, Any]] = {}
    for part in chunks(sorted(set(person_ids)), LIST_CHUNK):
        people = one_of(session, Consent.person_id, part)
        rows = list(map(StateRow._make, fetch(session, select(*STATE_COLUMNS).where(people))))
        for c in sorted(rows, key=lambda c: (aware(c.captured_at or c.created_at), c.id)):
            key = (c.person_id, c.channel)
            states[key] = advance(states.get(key), _state(c, documents))
    return states


def consent_summary(engine: Engine, person_id: int) -> list[dict[str, Any]]:
    """The current consent per channel of one person, for showing it."""
    with Session(engine) as session:
        states = current_consents(session, [person_id])
    return [
        {"channel": ch, "status": s.status, "lawful_basis": s.lawful_basis,
         "expires_at": s.expires_at, "permitted": s.permitted(),
         "reason": s.evidence.get("reason"), "jurisdiction": s.evidence.get("jurisdiction")}
        for (_, ch), s in sorted(states.items())
    ]  # fmt: skip


STATE_COLUMNS = (Consent.id, Consent.person_id, Consent.channel, Consent.status,
                 Consent.lawful_basis, Consent.expires_at, Consent.captured_at,
                 Consent.created_at, cast(Consent.evidence, Text).label("evidence"))  # fmt: skip
"""What a consent row's state is read from (plain rows: no ORM objects for a whole batch; the
evidence as its JSON text, decoded once per distinct document by ``_state``)."""


class StateRow(NamedTuple):
    """One row of ``STATE_COLUMNS``."""

    id: int
    person_id: int
    channel: str
    status: str
    lawful_basis: str | None
    expires_at: datetime | None
    captured_at: datetime | None
    created_at: datetime
    evidence: str | None


def _state(c: StateRow, documents: dict[str, Mapping[str, Any]]) -> ConsentState:
    """The state one consent row records; ``documents`` holds the evidence decoded so far (a
    batch's consents share a few dozen documents), read only."""
    text = c.evidence
    if text is not None and text not in documents:
        documents[text] = json.loads(text) or {}
    evidence = documents[text] if text is not None else {}
    return ConsentState(c.status, c.lawful_basis, c.expires_at,
                        aware(c.captured_at or c.created_at), evidence, c.id)  # fmt: skip


def write_consents(
    session: Session,
    rows: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
    source_id: int,
) -> None:
    """One consent row per loaded row and channel with an answer or a decision, then the audit
    entries for every channel whose current status changed.

    Built column by column (no dict per row); rows come in row order, channels in their order.
    """
    people = set(person_of_row.values())
    before = current_consents(session, people)
    points = _contact_point_ids(session, people)
    now = datetime.now(UTC)
    labels = [int(r) for r in rows.index]
    person = [person_of_row[r] for r in labels]
    captured = [parse_iso(v) for v in column_values(rows, "captured_at")]
    evidence = _evidence(rows)
    point_keys = {c: column_values(rows, c) for c in ("email_key", "phone", "mobile")}
    shared: dict[Hashable, dict[str, Any]] = {}  # one evidence object per distinct content
    picks: list[tuple[int, int]] = []  # (row position, channel position) per consent row
    values: dict[str, list[Any]] = {}
    for position, (channel, names) in enumerate(_COLUMNS):
        status_col, answer_col, basis_col, reason_col, expires_col = names
        answers = [a if isinstance(a, bool) else None for a in column_values(rows, answer_col)]
        bases = [_str(v) for v in column_values(rows, basis_col)]
        reasons = [_str(v) for v in column_values(rows, reason_col)]
        kept = [
            i for i, (a, b, r) in enumerate(zip(answers, bases, reasons, strict=True))
            if a is not None or b is not None or r not in (None, "consent.no_contact_point")
        ]  # fmt: skip
        statuses, expiries = column_values(rows, status_col), column_values(rows, expires_col)
        flags = [(flag, column_values(rows, name)) for name, flag in _FLAGS[channel]]
        picks.extend((i, position) for i in kept)
        for key, column in (
            ("person_id", [person[i] for i in kept]),
            ("channel", [channel.value] * len(kept)),
            ("contact_point_id", _points_for(points, channel, person, point_keys, kept)),
            ("status", [_str(statuses[i]) or UNKNOWN for i in kept]),
            ("lawful_basis", [bases[i] for i in kept]),
            ("captured_at", [captured[i] for i in kept]),
            ("raw_record_id", [raw_ids[labels[i]] for i in kept]),
            ("evidence", _documents(evidence, flags, answers, bases, reasons, kept, shared)),
            ("expires_at", [parse_iso(expiries[i]) for i in kept]),
        ):  # fmt: skip
            values.setdefault(key, []).extend(column)
    if not picks:
        return
    rows_at, channels_at = zip(*picks, strict=True)
    order = np.lexsort((channels_at, rows_at)).tolist()  # by row, then channel (each pair once)
    columns = {key: [column[k] for k in order] for key, column in values.items()}
    size = len(order)
    columns.update(source_id=[source_id] * size, created_at=[now] * size)
    execute_columns(session, insert(Consent.__table__), columns)
    audit_changes(session, before, _after(before, columns, now), actor="import",
                  source_id=source_id)  # fmt: skip


def _after(
    before: Mapping[tuple[int, str], ConsentState], columns: Mapping[str, list[Any]],
    now: datetime,
) -> dict[tuple[int, str], ConsentState]:  # fmt: skip
    """The states after the new rows arrive, for the channels that had one before (only those
    can change in a way that is audited: a first answer is the consent row itself)."""
    after = dict(before)
    known = [
        k
        for k, key in enumerate(zip(columns["person_id"], columns["channel"], strict=True))
        if key in before
    ]
    at = {k: aware(columns["captured_at"][k] or now) for k in known}
    for k in sorted(known, key=lambda k: (at[k], columns["raw_record_id"][k])):
        key = (columns["person_id"][k], columns["channel"][k])
        state = ConsentState(columns["status"][k], columns["lawful_basis"][k],
                             columns["expires_at"][k], at[k], columns["evidence"][k])  # fmt: skip
        after[key] = advance(after[key], state)
    return after


def _evidence(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Per row: its consent wording, version and address, and its consent context (when set);
    rows with the same evidence share one object."""
    fields = [(f, column_values(rows, f)) for f in EVIDENCE_FIELDS]
    found = []
    shared: dict[Hashable, dict[str, Any]] = {}
    for i, context in enumerate(column_values(rows, CONTEXT_COLUMN)):
        evidence = {f: values[i] for f, values in fields if _text(values[i])}
        if isinstance(context, Mapping):
            evidence.update({k: v for k, v in context.items() if v is not None})
        found.append(_shared(shared, _content(evidence), evidence))
    return found


def _documents(
    evidence: Sequence[dict[str, Any]], flags: Sequence[tuple[str, Sequence[Any]]],
    answers: Sequence[bool | None], bases: Sequence[str | None],
    reasons: Sequence[str | None], kept: Sequence[int], shared: dict[Hashable, dict[str, Any]],
) -> list[dict[str, Any]]:  # fmt: skip
    """The evidence document of each kept row on one channel: the row's evidence, its source
    flags, answer, permission and reason. Equal documents are one object (``shared``), so the
    insert serializes each distinct document once."""
    found = []
    for i in kept:
        extra = tuple((f, type(v[i]), v[i]) for f, v in flags if isinstance(v[i], bool | str))
        key = (id(evidence[i]), extra, answers[i], bases[i] is not None, reasons[i])
        document = shared.get(key)
        if document is None:  # built once per distinct content
            document = shared[key] = {
                **evidence[i], **{f: value for f, _, value in extra},
                "source_answer": answers[i], "permitted": bases[i] is not None,
                "reason": reasons[i],
            }  # fmt: skip
        found.append(document)
    return found


def _content(document: Mapping[str, Any]) -> Hashable:
    """A flat document's items with their value types (``True`` and ``1`` serialize apart);
    a document holding lists or mappings is its own (unshared) key."""
    key = tuple((k, type(v), v) for k, v in document.items())
    try:
        hash(key)
    except TypeError:
        return ("unshared", id(document))
    return key


def _shared(
    shared: dict[Hashable, dict[str, Any]], key: Hashable, document: dict[str, Any]
) -> dict[str, Any]:
    """The object already kept for ``key``, else ``document``, kept from now on."""
    return shared.setdefault(key, document)


def audit_changes(
    session: Session,
    before: Mapping[tuple[int, str], ConsentState],
    after: Mapping[tuple[int, str], ConsentState],
    *,
    actor: str,
    audit_first: bool = False,
    **details: Any,
) -> int:
    """An audit entry per channel whose decisive status changed (ids and codes only)."""
    entries = []
    for (person_id, channel), state in after.items():
        old = before.get((person_id, channel))
        old_status = old.status if old else None
        if state.status == old_status or state.status not in (OPT_IN, OPT_OUT):
            continue
        if old_status is None and not audit_first:
            continue  # a person's first answer is the consent row itself, not a change
        entries.append(
            {
                "actor": actor,
                "action": "consent.withdrawn" if state.status == OPT_OUT else "consent.given",
                "entity": "person",
                "entity_id": person_id,
                "details": {
                    "channel": channel,
                    "from": old_status,
                    "to": state.status,
                    "reason": state.evidence.get("reason") or state.evidence.get("suppression"),
                    **details,
                },
            }
        )
    if entries:
        session.execute(insert(AuditEntry.__table__), entries)
    return len(entries)


def add_opt_outs(
    session: Session, hits: Sequence[tuple[int, int, Channel, str]], *, actor: str
) -> int:
    """Opt-out rows for (person, contact point, channel, suppression reason) hits whose channel
    is not already opted out; audited. Returns how many rows were added."""
    before = current_consents(session, {h[0] for h in hits})
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for person_id, point_id, channel, reason in hits:
        key = (person_id, channel.value)
        state = before.get(key)
        if key in seen or (state is not None and state.status == OPT_OUT):
            continue
        seen.add(key)
        rows.append({"person_id": person_id, "channel": channel.value, "contact_point_id": point_id,
                     "status": OPT_OUT, "lawful_basis": None, "captured_at": now,
                     "evidence": {"suppression": reason, "permitted": False, "reason": reason},
                     "created_at": now})  # fmt: skip
    if rows:
        session.execute(insert(Consent.__table__), rows)
        after = dict(before)
        for r in rows:
            after[(r["person_id"], r["channel"])] = ConsentState(
                OPT_OUT, None, None, now, r["evidence"]
            )
        audit_changes(session, before, after, actor=actor, audit_first=True)
    return len(rows)


def _str(value: Any) -> str | None:
    """A text cell, or None for missing values (None, NaN, pd.NA)."""
    return value if isinstance(value, str) and value else None


def _text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value)


def _contact_point_ids(session: Session, people: set[int]) -> dict[tuple[int, str, str], int]:
    found: dict[tuple[int, str, str], int] = {}
    for part in chunks(sorted(people), LIST_CHUNK):
        for pid, kind, key, value, cid in fetch(session,
            select(ContactPoint.person_id, ContactPoint.kind, ContactPoint.match_key,
                   ContactPoint.value, ContactPoint.id)
            .where(one_of(session, ContactPoint.person_id, part))
            .order_by(ContactPoint.id)  # the first stored point of a kind wins on any store
        ):  # fmt: skip
            found.setdefault((pid, kind, "" if kind == "address" else key or value), cid)
    return found


def _points_for(
    points: Mapping[tuple[int, str, str], int], channel: Channel, persons: Sequence[int],
    keys: Mapping[str, Sequence[Any]], kept: Sequence[int],
) -> list[int | None]:  # fmt: skip
    """Per kept row position: the stored contact point its channel's consent is about (the
    first of the channel's columns, in order, whose value the person has), else None."""
    if CHANNEL_POINT[channel] == ("address",):
        return [points.get((persons[i], "address", "")) for i in kept]
    found: list[int | None] = []
    for i in kept:
        point = None
        for column in CHANNEL_POINT[channel]:
            key = keys["email_key" if column == "email" else column][i]
            if _text(key):
                point = points.get((persons[i], "phone" if column == "mobile" else column, key))
                if point is not None:
                    break
        found.append(point)
    return found
