"""Companies and golden person records: find-or-create companies, create and update people.

Person fields follow the survivorship policies of ``ingest.survivorship`` (validity,
completeness, source priority, recency, ...): a new person gets the best value of its cluster; an
existing person's stored value competes with the batch's values (keeping full ties) and is
replaced by a better one. Source priority compares the rank of the batch's source with the rank
of the source each stored value came from (``ingest.source_rank``). Each value that lands on a
person records the raw record it came from and when that value was last observed
(``value_provenance.recorded_at``: ``captured_at``, else the import's time). Companies: the first
value wins, only gaps are filled.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ingest.records import ISSUES_COLUMN
from ingest.source_rank import PROFILE_KEY, rank_for
from ingest.store.models import Company, ImportRun, Person, RawRecord, Source, ValueProvenance
from ingest.store.pins import pins_of
from ingest.store.sql import (
    LIST_CHUNK,
    chunks,
    dialect_insert,
    execute_columns,
    fetch,
    insert_returning_ids,
    one_of,
)
from ingest.survivorship import SOURCE_RANK_COLUMN, Survivor, choose

PERSON_FIELDS = (
    "honorific",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "full_name",
    "first_name_key",
    "last_name_key",
    "job_title",
)
COMPANY_FIELDS = {
    "company_name": "name",
    "company_domain": "domain",
    "website": "website",
    "industry": "industry",
    "company_size": "size",
    "street": "street",
    "city": "city",
    "region": "region",
    "postal_code": "postal_code",
    "country": "country",
}
COMPANY_ONLY_FIELDS = {**COMPANY_FIELDS, "phone": "phone"}
"""A company-only record (a directory listing) also gives the company's main line."""
LINKED_KEYS = {"first_name_key": "first_name", "last_name_key": "last_name"}
"""Matching keys come from the row whose display value survived, so the two always agree."""
SEEN = "captured_at"
"""The column survivorship's recency reads: when a candidate value was observed."""
_PROFILE_RANK = Source.profile[PROFILE_KEY]
"""A source's own rank from its stored profile (JSON null when the profile sets none)."""


def _present(value: Any) -> bool:
    return (
        value is not None
        and value is not pd.NA
        and not (isinstance(value, float) and value != value)
        and value != ""
    )


def first_by_group(
    rows: pd.DataFrame, by: str, fields: Iterable[str]
) -> dict[Any, dict[str, tuple[Any, int]]]:
    """Per group of ``by`` and per field: the first present value in row order and its row label.

    Vectorized per field (one pass each), so survivorship costs O(rows x fields), not O(groups).
    """
    chosen: dict[Any, dict[str, tuple[Any, int]]] = {}
    if rows.empty:
        return chosen
    labels = rows[by]
    row_labels = pd.Series(rows.index, index=rows.index)
    for field in fields:
        if field not in rows:
            continue
        column = rows[field]
        mask = column.map(_present).astype(bool)
        if not mask.any():
            continue
        firsts = pd.DataFrame(
            {"group": labels[mask], "value": column[mask], "row": row_labels[mask]}
        ).drop_duplicates("group", keep="first")
        for group, value, row in zip(firsts["group"], firsts["value"], firsts["row"], strict=True):
            chosen.setdefault(group, {})[field] = (value, int(row))
    return chosen


def resolve_companies(
    session: Session, frame: pd.DataFrame, *, fields: Mapping[str, str] = COMPANY_FIELDS
) -> tuple[dict[str, int], set[str]]:
    """Company id per ``company_key`` in the batch, creating the companies not yet stored.

    Returns the ids and the keys created here. Existing companies get their missing ``fields``
    filled (batch column → company column), never overwritten.
    """
    if "company_key" not in frame:
        return {}, set()
    keyed = frame.loc[frame["company_key"].map(_present).astype(bool)]
    keys = sorted(set(keyed["company_key"]))
    found: dict[str, int] = {}
    for part in chunks(keys):
        for company_id, key in session.execute(
            select(Company.id, Company.match_key)
            .where(Company.match_key.in_(part))
            .order_by(Company.id)
        ):
            found.setdefault(key, company_id)
    values_by_key = {
        key: {fields[col]: v for col, (v, _) in chosen.items()}
        for key, chosen in first_by_group(keyed, "company_key", fields).items()
    }
    values_by_key.update({k: {} for k in keys if k not in values_by_key})
    found.update(_by_domain(session, [k for k in keys if k not in found], values_by_key))
    _fill_companies(session, {found[k]: values_by_key[k] for k in found})
    missing = [k for k in keys if k not in found]
    # keys of one web domain are one company (a typo or another spelling of its name)
    group_of = {k: values_by_key[k].get("domain") or f"key:{k}" for k in missing}
    first_of_group: dict[str, str] = {}
    for key in missing:
        first_of_group.setdefault(group_of[key], key)
    new_keys = list(first_of_group.values())
    if new_keys:
        table = Company.__table__
        columns = ("match_key", *COMPANY_FIELDS.values(), *fields.values())
        new_rows: list[dict[str, Any]] = [
            {c: values_by_key[k].get(c) for c in columns} | {"match_key": k} for k in new_keys
        ]
        for row in new_rows:
            row["name"] = row.get("name") or row["match_key"]
        ids = insert_returning_ids(session, table, new_rows)
        found.update({row["match_key"]: i for row, i in zip(new_rows, ids, strict=True)})
        for key in missing:
            found[key] = found[first_of_group[group_of[key]]]
    return found, set(missing)


def _by_domain(
    session: Session, keys: list[str], values_by_key: Mapping[str, Mapping[str, Any]]
) -> dict[str, int]:
    """Stored companies for keys not stored by name, found by the web domain the batch gives
    for them (the oldest company of a domain)."""
    domain_of = {k: values_by_key[k]["domain"] for k in keys if values_by_key[k].get("domain")}
    by_domain: dict[str, int] = {}
    for part in chunks(sorted(set(domain_of.values()))):
        for company_id, domain in session.execute(
            select(Company.id, Company.domain).where(Company.domain.in_(part)).order_by(Company.id)
        ):
            if domain is not None:  # (``in_`` matched it)
                by_domain.setdefault(domain, company_id)
    return {k: by_domain[d] for k, d in domain_of.items() if d in by_domain}


def _fill_companies(session: Session, values: Mapping[int, Mapping[str, Any]]) -> None:
    if not values:
        return
    columns = sorted({c for v in values.values() for c in v})
    if not columns:
        return
    table = Company.__table__
    current = {}
    for part in chunks(sorted(values)):
        for row in session.execute(
            select(table.c.id, *(table.c[c] for c in columns)).where(table.c.id.in_(part))
        ):
            current[row.id] = row._asdict()
    _update_missing(session, table, current, values)


def _update_missing(
    session: Session,
    table: Any,
    current: Mapping[int, Mapping[str, Any]],
    values: Mapping[int, Mapping[str, Any]],
) -> None:
    """Set only the columns that are empty today; one executemany per shape of change."""
    missing: dict[int, dict[str, Any]] = {}
    for row_id, new in values.items():
        have = current.get(row_id, {})
        changes = {c: v for c, v in new.items() if _present(v) and not _present(have.get(c))}
        if changes:
            missing[row_id] = changes
    _update_rows(session, table, missing)


def observation_times(rows: pd.DataFrame, observed_at: datetime) -> pd.Series:
    """When each row was observed (UTC): its ``captured_at``, else ``observed_at``."""
    captured = rows[SEEN] if SEEN in rows else pd.Series(None, index=rows.index, dtype=object)
    stamps = pd.to_datetime(captured.astype(object), errors="coerce", utc=True, format="ISO8601")
    return stamps.fillna(pd.Timestamp(observed_at).tz_convert("UTC"))


def rank_of_source(session: Session, source_id: int) -> int | None:
    """The survivorship rank of one source: its profile's ``source_rank``, else its kind's."""
    row = session.execute(select(Source.kind, _PROFILE_RANK).where(Source.id == source_id)).first()
    return rank_for(row[0], row[1]) if row is not None else None


def _batch_candidates(
    rows: pd.DataFrame, by: str, seen: pd.Series | None, rank: int | None
) -> pd.DataFrame:
    """The batch rows as survivorship candidates, ``by`` as int, ``captured_at`` as seen and
    every row ranked as the batch's source (``rank``)."""
    columns = [c for c in (*PERSON_FIELDS, "company_key", ISSUES_COLUMN) if c in rows]
    out = rows[columns].copy()
    out[by] = rows[by].astype(int) if by == "person_id" else rows[by]
    out[SOURCE_RANK_COLUMN] = rank
    if seen is not None:
        out[SEEN] = seen.reindex(rows.index)
    elif SEEN in rows:
        out[SEEN] = rows[SEEN]
    return out


def _link_keys(chosen: dict[Any, dict[str, Survivor]], candidates: pd.DataFrame) -> None:
    """Take each matching key from the row whose display value survived (when it has one)."""
    columns = {
        key: dict(zip(candidates.index, candidates[key].tolist(), strict=True))
        for key in LINKED_KEYS
        if key in candidates
    }  # one pass per column: label lookups in pandas cost more than the rest of survivorship
    for fields in chosen.values():
        for key, display in LINKED_KEYS.items():
            winner = fields.get(display)
            if winner is None or key not in columns:
                continue
            value = columns[key][winner.row]
            if _present(value):
                fields[key] = Survivor(value, winner.row, winner.rule)


def _choose(candidates: pd.DataFrame, by: str) -> dict[Any, dict[str, Survivor]]:
    chosen = choose(candidates, by, (*PERSON_FIELDS, "company_key"))
    _link_keys(chosen, candidates)
    return chosen


def create_people(
    session: Session,
    rows: pd.DataFrame,
    *,
    by: str,
    company_ids: Mapping[str, int],
    lead_source: str,
    seen: pd.Series | None = None,
    source_rank: int | None = None,
) -> tuple[dict[Any, int], dict[int, dict[str, int]]]:
    """Insert one golden person per group of ``by`` (a new cluster), each field surviving by its
    policy among the group's rows (``seen``: when each row was observed, for recency;
    ``source_rank``: the rank of the batch's source, for source priority).

    Returns the person id per group and, per new person, the row each value came from.
    """
    labels = list(dict.fromkeys(rows[by])) if not rows.empty else []
    if not labels:
        return {}, {}
    chosen_by_group = _choose(_batch_candidates(rows, by, seen, source_rank), by)
    records, provenance = [], []
    for label in labels:
        chosen = dict(chosen_by_group.get(label, {}))
        company = chosen.pop("company_key", None)
        records.append(
            {
                **{f: chosen[f].value if f in chosen else None for f in PERSON_FIELDS},
                "company_id": company_ids.get(company.value) if company else None,
                "lead_source": lead_source,
            }
        )
        provenance.append({f: s.row for f, s in chosen.items()})
    table = Person.__table__
    ids = insert_returning_ids(session, table, records)
    return dict(zip(labels, ids, strict=True)), dict(zip(ids, provenance, strict=True))


def _read_stored(
    session: Session, person_ids: list[int]
) -> tuple[dict[int, dict[str, Any]], pd.DataFrame]:
    """The people's current values, and their stored field values as survivorship candidates
    (one row per person and field, labelled -1, -2, ...: validity from the reason codes of the
    value's raw record, source priority from the source of its run, recency from when it was
    observed; a value without provenance has no rank). One query per chunk of ids."""
    current: dict[int, dict[str, Any]] = {}
    known: dict[tuple[int, str], tuple[Any, Any, int | None]] = {}
    columns = (Person.id, Person.company_id, Person.updated_at,
               *(getattr(Person, f) for f in PERSON_FIELDS))  # fmt: skip
    keys, size = [c.key for c in columns], len(columns)
    for part in chunks(person_ids, LIST_CHUNK):
        rows = fetch(session,
            select(*columns, ValueProvenance.field, ValueProvenance.recorded_at, RawRecord.issues,
                   RawRecord.run_id)
            .outerjoin(ValueProvenance, ValueProvenance.person_id == Person.id)
            .outerjoin(RawRecord, RawRecord.id == ValueProvenance.raw_record_id)
            .where(one_of(session, Person.id, part))
        )  # fmt: skip
        ranks = _run_ranks(session, {row[size + 3] for row in rows if row[size] is not None})
        for row in rows:
            pid, (field, recorded_at, issues, run_id) = row[0], row[size:]
            if pid not in current:  # one joined row per provenance field of the person
                current[pid] = dict(zip(keys, row[:size], strict=True))
            if field is not None:
                known[(pid, field)] = (recorded_at, issues, ranks[run_id])
    stored = []
    for pid, have in current.items():
        for field in PERSON_FIELDS:
            if not _present(have[field]):
                continue
            seen, issues, rank = known.get((pid, field), (have["updated_at"], None, None))
            linked = {k: have[k] for k, d in LINKED_KEYS.items() if d == field}
            stored.append({"person_id": pid, field: have[field], **linked,
                           ISSUES_COLUMN: tuple(issues or ()), SEEN: seen,
                           SOURCE_RANK_COLUMN: rank,
                           "_field": field, "_tracked": (pid, field) in known})  # fmt: skip
    frame = pd.DataFrame(stored)
    frame.index = pd.RangeIndex(-1, -len(frame) - 1, -1)
    if SEEN in frame:
        frame[SEEN] = pd.to_datetime(frame[SEEN], utc=True)
    return current, frame


def _run_ranks(session: Session, run_ids: set[int | None]) -> dict[int | None, int | None]:
    """The source rank of each import run (of its source's kind and profile), read once per
    run instead of once per stored value; ``None`` (no raw record) has no source."""
    ranks: dict[int | None, int | None] = {None: rank_for(None, None)}
    known = sorted(r for r in run_ids if r is not None)
    for run_id, kind, profile_rank in fetch(session,
        select(ImportRun.id, Source.kind, _PROFILE_RANK)
        .join(Source, Source.id == ImportRun.source_id)
        .where(one_of(session, ImportRun.id, known))
    ):  # fmt: skip
        ranks[run_id] = rank_for(kind, profile_rank)
    ranks.update({r: rank_for(None, None) for r in known if r not in ranks})  # (a lost run)
    return ranks


def update_people(
    session: Session,
    rows: pd.DataFrame,
    *,
    by: str,
    company_ids: Mapping[str, int],
    seen: pd.Series | None = None,
    source_rank: int | None = None,
) -> dict[int, dict[str, int]]:
    """Let the rows of existing people (ids in ``by``) compete with their stored values, field
    by field (``source_rank``: the rank of the batch's source); write the values that change
    (one executemany per shape of change) and fill a missing employer. Returns, per person, the
    row each changed value came from."""
    if rows.empty:
        return {}
    current, stored = _read_stored(session, sorted({int(p) for p in rows[by]}))
    batch = _batch_candidates(rows, by, seen, source_rank).rename(columns={by: "person_id"})
    candidates = pd.concat([stored, batch]) if not stored.empty else batch
    values: dict[int, dict[str, Any]] = {}
    provenance: dict[int, dict[str, int]] = {}
    chosen_by_person = _choose(candidates, "person_id")
    pinned = pins_of(session, current)
    for person_id, chosen in chosen_by_person.items():
        changes, sources = _changes(current.get(int(person_id), {}), chosen, company_ids)
        for field in pinned.get(int(person_id), {}):  # a steward's choice stays
            changes.pop(field, None)
            sources.pop(field, None)
        if changes:
            values[int(person_id)], provenance[int(person_id)] = changes, sources
    _update_rows(session, Person.__table__, values)
    _refresh_seen(session, stored, candidates, chosen_by_person, provenance)
    return provenance


def _refresh_seen(
    session: Session,
    stored: pd.DataFrame,
    candidates: pd.DataFrame,
    chosen: Mapping[Any, Mapping[str, Survivor]],
    changed: Mapping[int, Mapping[str, int]],
) -> None:
    """A stored value observed again later keeps its provenance (raw record) but moves its
    ``recorded_at`` forward, so an observation older than the latest sighting cannot beat it."""
    if stored.empty or SEEN not in candidates:
        return
    tracked = stored.loc[stored["_tracked"].astype(bool)]
    last_seen = dict(zip(zip(tracked["person_id"], tracked["_field"], strict=True),
                         tracked[SEEN], strict=True))  # fmt: skip
    rows = []
    for person_id, fields in chosen.items():
        for field, survivor in fields.items():
            key = (int(person_id), field)
            if survivor.row < 0 or key not in last_seen or field in changed.get(key[0], {}):
                continue
            seen = candidates.at[survivor.row, SEEN]
            if isinstance(seen, pd.Timestamp) and seen > last_seen[key]:  # (NaT is not one)
                rows.append({"p": key[0], "f": field, "t": seen.to_pydatetime()})
    if rows:
        table = ValueProvenance.__table__
        session.execute(
            update(table)
            .where(table.c.person_id == bindparam("p"), table.c.field == bindparam("f"))
            .values(recorded_at=bindparam("t")),
            rows,
        )


def _changes(
    have: Mapping[str, Any], chosen: Mapping[str, Survivor], company_ids: Mapping[str, int]
) -> tuple[dict[str, Any], dict[str, int]]:
    """The values a batch row won that differ from the stored ones, and their rows."""
    changes: dict[str, Any] = {}
    sources: dict[str, int] = {}
    for field, survivor in chosen.items():
        if survivor.row < 0:  # the stored value survived
            continue
        if field == "company_key":
            if have.get("company_id") is None and survivor.value in company_ids:
                changes["company_id"] = company_ids[survivor.value]
                sources["company_id"] = survivor.row
        elif survivor.value != have.get(field):
            changes[field], sources[field] = survivor.value, survivor.row
    return changes, sources


def _update_rows(session: Session, table: Any, values: Mapping[int, Mapping[str, Any]]) -> None:
    """Write the given column values; one executemany per shape of change."""
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, changes in values.items():
        by_shape.setdefault(tuple(sorted(changes)), []).append({"pid": row_id, **changes})
    for shape, rows in by_shape.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("pid"))
            .values({c: bindparam(c) for c in shape})
        )
        session.execute(stmt, rows)


def record_provenance(
    session: Session,
    provenance: Mapping[int, Mapping[str, int]],
    raw_ids: Mapping[int, int],
    seen: Mapping[Hashable, datetime] | None = None,
) -> None:
    """Store, per person and field, the raw record the surviving value came from and when it was
    observed (``seen`` per row); replaces the field's previous provenance."""
    when: dict[int, datetime] = {}  # one conversion per row, not per row and field
    columns: dict[str, list[Any]] = {"person_id": [], "field": [], "raw_record_id": [],
                                     "recorded_at": []}  # fmt: skip
    for pid, fields in provenance.items():
        for field, row in fields.items():
            if row not in raw_ids:
                continue
            if row not in when:
                when[row] = _when(seen, row)
            columns["person_id"].append(pid)
            columns["field"].append(field)
            columns["raw_record_id"].append(raw_ids[row])
            columns["recorded_at"].append(when[row])
    if not columns["person_id"]:
        return
    stmt = dialect_insert(session, ValueProvenance.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["person_id", "field"],
        set_={"raw_record_id": stmt.excluded.raw_record_id,
              "recorded_at": stmt.excluded.recorded_at},
    )  # fmt: skip
    execute_columns(session, stmt, columns)


def _when(seen: Mapping[Hashable, datetime] | None, row: int) -> datetime:
    moment = seen.get(row) if seen is not None else None
    if moment is None or pd.isna(moment):
        return datetime.now(UTC)
    return pd.Timestamp(moment).to_pydatetime()
