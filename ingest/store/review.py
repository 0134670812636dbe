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

from ingest.store.models import AuditEntry, ImportRun, MatchCandidate, Merge, Person, Source
from ingest.store.queries import PersonDetail, person_detail

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


@dataclass(frozen=True, slots=True)
class QueueCounts:
    total: int
    by_status: dict[str, int]
    by_band: dict[str, int]
    by_source: dict[str, int]
    by_run: dict[int, int]


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One compared field: both values, whether they differ, and the model's weight if given."""

    name: str
    left: str
    right: str
    state: str
    weight: float | None = None
    level: str | None = None


@dataclass(frozen=True, slots=True)
class PairView:
    candidate: dict[str, Any]
    source: str | None
    left: PersonDetail
    right: PersonDetail
    rows: list[FieldRow]
    weights: list[FieldRow]
    notes: dict[str, Any] = field(default_factory=dict)


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
                MatchCandidate.person_b_id, _A.full_name, _B.full_name,
            ).where(MatchCandidate.status == f.status)
        ),
        f.sort,
    )  # fmt: skip
    with Session(engine) as session:
        return [QueueItem(*row) for row in session.execute(stmt.limit(limit).offset(offset))]


def queue_ids(engine: Engine, f: QueueFilter, *, min_probability: float | None = None) -> list[int]:
    """All candidate ids matching ``f`` in order (for j/k navigation and bulk accept)."""
    stmt = _live(_base(f, MatchCandidate.id).where(MatchCandidate.status == f.status))
    if min_probability is not None:
        stmt = stmt.where(MatchCandidate.probability >= min_probability)
    with Session(engine) as session:
        return list(session.scalars(_ordered(stmt, f.sort)))


def queue_counts(engine: Engine, f: QueueFilter) -> QueueCounts:
    """Counts for the filter bar: per status within the filter, and per band, source and run
    among the candidates of the filter's status."""
    with Session(engine) as session:
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
    with Session(engine) as session:
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
    by_name = {w.name: w for w in weights}
    rows = []
    for name in COMPARED:
        lv, rv = _display(left, name), _display(right, name)
        w = by_name.get(name)
        rows.append(
            FieldRow(name, lv, rv, _state(lv, rv), w.weight if w else None, w.level if w else None)
        )
    notes = {k: v for k, v in (data.get("detail") or {}).items() if k not in ("fields", "weights")}
    return PairView(data, source, left, right, rows, weights, notes)


def field_weights(detail: dict[str, Any] | None) -> list[FieldRow]:
    """Per-field weights from a candidate's ``detail``, whatever shape the matcher wrote.

    Understood: ``{"fields": {name: {"weight": w, "level": label, "left": x, "right": y}}}``
    (also ``bf``/``match_weight`` for the weight, ``label``/``comparison`` for the level, or a
    bare number), ``{"fields": [{"name": ..., ...}]}``, and ``{"weights": {name: w}}``.
    """
    if not detail:
        return []
    fields: Any = detail.get("fields", detail.get("weights"))
    if isinstance(fields, list):
        fields = {str(f.get("name", i)): f for i, f in enumerate(fields) if isinstance(f, dict)}
    if not isinstance(fields, dict):
        return []
    out = []
    for name, value in fields.items():
        spec = value if isinstance(value, dict) else {"weight": value}
        weight = next((spec[k] for k in ("weight", "match_weight", "bf") if k in spec), None)
        level = next((spec[k] for k in ("level", "label", "comparison") if k in spec), None)
        left, right = _text(spec.get("left")), _text(spec.get("right"))
        out.append(
            FieldRow(str(name), left, right, _state(left, right),
                     float(weight) if isinstance(weight, int | float) else None,
                     None if level is None else str(level))
        )  # fmt: skip
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _state(left: str, right: str) -> str:
    if not left and not right:
        return "empty"
    if not left or not right:
        return "missing"
    return "same" if left.casefold() == right.casefold() else "differs"


def _display(detail: PersonDetail, name: str) -> str:
    points = detail.contact_points
    if name == "company":
        return _text((detail.company or {}).get("name"))
    if name in ("email", "phone"):
        return ", ".join(sorted({p["value"] for p in points if p["kind"] == name}))
    if name in ("postal_code", "city"):
        return ", ".join(sorted({p[name] for p in points if p.get(name)}))
    return _text(detail.person.get(name))


def list_merges(engine: Engine, *, limit: int = 100) -> list[dict[str, Any]]:
    """Recent merges, newest first, with the display names of both people."""
    with Session(engine) as session:
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


def list_audit(engine: Engine, *, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Audit entries, newest first."""
    with Session(engine) as session:
        entries = session.scalars(
            select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
        ).all()
        return [{c.key: getattr(e, c.key) for c in AuditEntry.__table__.columns} for e in entries]


def filter_options(engine: Engine) -> tuple[list[str], list[tuple[int, str]]]:
    """Source names and (run id, source name) of runs that queued candidates."""
    with Session(engine) as session:
        runs = session.execute(
            select(ImportRun.id, Source.name)
            .join(Source, Source.id == ImportRun.source_id)
            .where(ImportRun.id.in_(select(MatchCandidate.run_id).distinct()))
            .order_by(ImportRun.id)
        ).all()
    return sorted({name for _, name in runs}), [(i, n) for i, n in runs]
