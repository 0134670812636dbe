"""Read models of the review queue: filtered, sorted candidate lists with counts, the data of one
pair side by side, past merges and the audit log.

The default order is by uncertainty, ``|p - 0.5|`` ascending: the pairs the model is least sure
about come first. Open candidates whose people were merged away meanwhile are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session, aliased

from ingest.store.engine import reader
from ingest.store.evidence import FieldRow, custom_field, field_weights, matched_on, state, text
from ingest.store.models import (
    Company,
    ContactPoint,
    ImportRun,
    MatchCandidate,
    Merge,
    Person,
    Source,
)
from ingest.store.pins import Choice, choices
from ingest.store.queries import PersonDetail, person_detail
from ingest.store.raw_rows import RawRows, raw_rows_of
from ingest.store.sql import chunks

BANDS: dict[str, tuple[float, float]] = {
    "low": (0.0, 0.5),
    "mid": (0.5, 0.8),
    "high": (0.8, 1.01),
}
"""Score bands of the queue filter: ``[low, high)`` of the probability."""
STATUSES = ("pending", "skipped", "accepted", "rejected")
SORTS = ("uncertainty", "probability", "newest")
COMPARED = ("full_name", "first_name", "last_name", "job_title", "company", "email", "phone",
            "postal_code", "city", "lifecycle_stage")  # fmt: skip
ROW_OF_COMPARISON = {"person_name": "full_name", "employer": "company", "title": "job_title",
                     "home_postcode": "postal_code", "home_city": "city",
                     "work_city": "city"}  # fmt: skip
"""The match model's comparison names -> the compared row that shows their weight."""
RAW_ROWS_SHOWN = 20
"""Input rows shown per side of a pair (the count says how many there are in all)."""


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What part of the queue to show; every field is optional."""

    source: str | None = None
    run_id: int | None = None
    band: str | None = None
    status: str = "pending"
    sort: str = "uncertainty"

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters (only the ones that are set)."""
        params = {"source": self.source, "run_id": self.run_id, "band": self.band}
        out = {k: str(v) for k, v in params.items() if v not in (None, "")}
        if self.status != "pending":
            out["status"] = self.status
        if self.sort != "uncertainty":
            out["sort"] = self.sort
        return out


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int
    probability: float
    status: str
    run_id: int | None
    source: str | None
    person_a_id: int
    person_b_id: int
    name_a: str | None
    name_b: str | None
    email_a: str | None = None
    email_b: str | None = None
    company_a: str | None = None
    company_b: str | None = None
    matched_on: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class QueueCounts:
    total: int
    by_status: dict[str, int]
    by_band: dict[str, int]
    by_source: dict[str, int]
    by_run: dict[int, int]


@dataclass(frozen=True, slots=True)
class PairView:
    candidate: dict[str, Any]
    source: str | None
    left: PersonDetail
    right: PersonDetail
    rows: list[FieldRow]
    weights: list[FieldRow]
    notes: dict[str, Any] = field(default_factory=dict)
    raw_left: RawRows = field(default_factory=lambda: RawRows([], 0))
    raw_right: RawRows = field(default_factory=lambda: RawRows([], 0))
    choices: list[Choice] = field(default_factory=list)


_A, _B = aliased(Person), aliased(Person)


def _base(f: QueueFilter, *columns: Any) -> Select[Any]:
    stmt = (
        select(*columns)
        .select_from(MatchCandidate)
        .join(_A, _A.id == MatchCandidate.person_a_id)
        .join(_B, _B.id == MatchCandidate.person_b_id)
        .outerjoin(ImportRun, ImportRun.id == MatchCandidate.run_id)
        .outerjoin(Source, Source.id == ImportRun.source_id)
    )
    if f.source:
        stmt = stmt.where(Source.name == f.source)
    if f.run_id is not None:
        stmt = stmt.where(MatchCandidate.run_id == f.run_id)
    if f.band in BANDS:
        low, high = BANDS[f.band]
        stmt = stmt.where(MatchCandidate.probability >= low, MatchCandidate.probability < high)
    return stmt


def _live(stmt: Select[Any]) -> Select[Any]:
    """Leave out open pairs whose people were merged into someone else meanwhile."""
    open_ = MatchCandidate.status.in_(("pending", "skipped"))
    merged = _A.merged_into_id.is_not(None) | _B.merged_into_id.is_not(None)
    return stmt.where(~(open_ & merged))


def _ordered(stmt: Select[Any], sort: str) -> Select[Any]:
    if sort == "probability":
        return stmt.order_by(MatchCandidate.probability.desc(), MatchCandidate.id)
    if sort == "newest":
        return stmt.order_by(
            func.coalesce(MatchCandidate.decided_at, MatchCandidate.created_at).desc(),
            MatchCandidate.id.desc(),
        )
    return stmt.order_by(func.abs(MatchCandidate.probability - 0.5), MatchCandidate.id)


def queue(engine: Engine, f: QueueFilter, *, limit: int = 100, offset: int = 0) -> list[QueueItem]:
    """One page of candidates matching ``f`` in its sort order."""
    stmt = _ordered(
        _live(
            _base(
                f, MatchCandidate.id, MatchCandidate.probability, MatchCandidate.status,
                MatchCandidate.run_id, Source.name, MatchCandidate.person_a_id,
                MatchCandidate.person_b_id, _A.full_name, _B.full_name, MatchCandidate.detail,
            ).where(MatchCandidate.status == f.status)
        ),
        f.sort,
    )  # fmt: skip
    with Session(reader(engine)) as session:
        rows = session.execute(stmt.limit(limit).offset(offset)).all()
        known = _email_and_company(session, {p for r in rows for p in (r[5], r[6])})
    items = []
    for cid, probability, status, run_id, source, a, b, name_a, name_b, detail in rows:
        (email_a, company_a), (email_b, company_b) = known[a], known[b]
        names = (name_a, name_b, email_a, email_b, company_a, company_b)
        items.append(QueueItem(cid, probability, status, run_id, source, a, b, *names,
                               matched_on(detail)))  # fmt: skip
    return items


def _email_and_company(
    session: Session, person_ids: set[int]
) -> dict[int, tuple[str | None, str | None]]:
    """Person id -> (primary email, company name), a query per chunk of ids."""
    emails: dict[int, str] = {}
    companies: dict[int, str] = {}
    for part in chunks(sorted(person_ids)):
        for pid, value in session.execute(
            select(ContactPoint.person_id, ContactPoint.value)
            .where(ContactPoint.person_id.in_(part), ContactPoint.kind == "email")
            .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
        ):
            emails.setdefault(pid, value)
        for pid, name in session.execute(
            select(Person.id, Company.name)
            .join(Company, Company.id == Person.company_id)
            .where(Person.id.in_(part))
        ):
            companies[pid] = name
    return {p: (emails.get(p), companies.get(p)) for p in person_ids}


def queue_ids(engine: Engine, f: QueueFilter, *, min_probability: float | None = None) -> list[int]:
    """All candidate ids matching ``f`` in order (for j/k navigation and bulk accept)."""
    stmt = _live(_base(f, MatchCandidate.id).where(MatchCandidate.status == f.status))
    if min_probability is not None:
        stmt = stmt.where(MatchCandidate.probability >= min_probability)
    with Session(reader(engine)) as session:
        return list(session.scalars(_ordered(stmt, f.sort)))


def queue_counts(engine: Engine, f: QueueFilter) -> QueueCounts:
    """Counts for the filter bar: per status within the filter, and per band, source and run
    among the candidates of the filter's status."""
    with Session(reader(engine)) as session:
        by_status = dict.fromkeys(STATUSES, 0)
        for status, n in session.execute(
            _live(_base(f, MatchCandidate.status, func.count())).group_by(MatchCandidate.status)
        ):
            by_status[status] = n
        unfiltered = QueueFilter(status=f.status)
        base = _live(_base(unfiltered, MatchCandidate.probability, Source.name, ImportRun.id))
        rows = session.execute(base.where(MatchCandidate.status == f.status)).all()
    by_band = dict.fromkeys(BANDS, 0)
    by_source: dict[str, int] = {}
    by_run: dict[int, int] = {}
    for probability, source, run_id in rows:
        for band, (low, high) in BANDS.items():
            if low <= probability < high:
                by_band[band] += 1
        if source is not None:
            by_source[source] = by_source.get(source, 0) + 1
        if run_id is not None:
            by_run[run_id] = by_run.get(run_id, 0) + 1
    return QueueCounts(by_status.get(f.status, 0), by_status, by_band, by_source, by_run)


def pair_view(engine: Engine, candidate_id: int) -> PairView | None:
    """Both golden records of a candidate with their contact points, raw rows and sources."""
    with Session(reader(engine)) as session:
        row = session.execute(
            select(MatchCandidate, Source.name)
            .outerjoin(ImportRun, ImportRun.id == MatchCandidate.run_id)
            .outerjoin(Source, Source.id == ImportRun.source_id)
            .where(MatchCandidate.id == candidate_id)
        ).first()
        if row is None:
            return None
        candidate, source = row
        data = {c.key: getattr(candidate, c.key) for c in MatchCandidate.__table__.columns}
    left = person_detail(engine, data["person_a_id"])
    right = person_detail(engine, data["person_b_id"])
    if left is None or right is None:
        return None
    weights = field_weights(data.get("detail"))
    by_name = {ROW_OF_COMPARISON.get(w.name, w.name): w for w in weights}
    rows = []
    for name in COMPARED:
        lv, rv = _display(left, name), _display(right, name)
        w = by_name.get(name)
        rows.append(
            FieldRow(name, lv, rv, state(lv, rv), w.weight if w else None, w.level if w else None)
        )
    for w in weights:  # the file's own columns the model compared (a national id, co-authors)
        if header := custom_field(w.name):
            lv, rv = _custom_display(left, header), _custom_display(right, header)
            rows.append(FieldRow(header, lv, rv, state(lv, rv), w.weight, w.level))
    shown = ("fields", "weights", "levels", "probability")
    notes = {k: _note(v) for k, v in (data.get("detail") or {}).items() if k not in shown}
    with Session(reader(engine)) as session:
        raw = raw_rows_of(session, (left.person["id"], right.person["id"]), limit=RAW_ROWS_SHOWN)
    empty = RawRows([], 0)
    return PairView(data, source, left, right, rows, weights, notes,
                    raw.get(left.person["id"], empty), raw.get(right.person["id"], empty),
                    choices(left.person, right.person))  # fmt: skip


def _note(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_note(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_note(v) for v in value)
    return text(value)


def _custom_display(detail: PersonDetail, header: str) -> str:
    """A person's stored value of a custom field (of each of a place's two fields)."""
    names = [header] if header in detail.custom else header.split("+")
    return " / ".join(text(detail.custom.get(name)) for name in names if detail.custom.get(name))


def _display(detail: PersonDetail, name: str) -> str:
    points = detail.contact_points
    if name == "company":
        return text((detail.company or {}).get("name"))
    if name in ("email", "phone"):
        return ", ".join(sorted({p["value"] for p in points if p["kind"] == name}))
    if name in ("postal_code", "city"):
        return ", ".join(sorted({p[name] for p in points if p.get(name)}))
    return text(detail.person.get(name))


def list_merges(engine: Engine, *, limit: int = 100) -> list[dict[str, Any]]:
    """Recent merges, newest first, with the display names of both people."""
    with Session(reader(engine)) as session:
        rows = session.execute(
            select(Merge, _A.full_name, _B.full_name)
            .join(_A, _A.id == Merge.winner_id)
            .join(_B, _B.id == Merge.loser_id)
            .order_by(Merge.id.desc())
            .limit(limit)
        ).all()
        return [
            {"id": m.id, "winner_id": m.winner_id, "loser_id": m.loser_id,
             "candidate_id": m.candidate_id, "decided_by": m.decided_by, "merged_at": m.merged_at,
             "undone_at": m.undone_at, "winner_name": w, "loser_name": lo,
             "moved": {k: len(v) for k, v in (m.moved or {}).items()}}
            for m, w, lo in rows
        ]  # fmt: skip


def filter_options(engine: Engine) -> tuple[list[str], list[tuple[int, str]]]:
    """Source names and (run id, source name) of runs that queued candidates."""
    with Session(reader(engine)) as session:
        runs = session.execute(
            select(ImportRun.id, Source.name)
            .join(Source, Source.id == ImportRun.source_id)
            .where(ImportRun.id.in_(select(MatchCandidate.run_id).distinct()))
            .order_by(ImportRun.id)
        ).all()
    return sorted({name for _, name in runs}), [(i, n) for i, n in runs]
