"""Source quality and cost: per import run and per source.

A run's figures are computed once, in a few GROUP BY queries over that run's rows only, when the
run completes (:func:`save_run_reports`, called by ``finish_run``) and kept in ``run_reports``;
runs older than that table get theirs on first view. Reading the report is then one query per
page of runs, however many rows the store holds.

Rates are fractions of the run's rows (``rows_in``). A duplicate *within the file* is a row merged
into a person that the same run created; a duplicate *against the store* is a row merged into a
person that existed before the run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Engine, case, func, select
from sqlalchemy.orm import Session

from ingest.records import Channel
from ingest.store.engine import reader
from ingest.store.models import Consent, ImportRun, RawRecord, RunReport, Source, utcnow
from ingest.store.sql import chunks, insert_ignore

EMAIL_INVALID = ("email.invalid_syntax",)
PHONE_INVALID = (
    "phone.invalid_for_region",
    "phone.unparseable",
    "mobile.invalid_for_region",
    "mobile.unparseable",
)


@dataclass(slots=True)
class RunQuality:
    """Quality and cost figures of one import run."""

    run_id: int
    source_name: str
    source_kind: str
    started_at: datetime
    rows_in: int = 0
    loaded_new: int = 0
    merged: int = 0
    suppressed: int = 0
    quarantined: int = 0
    invalid_email_rows: int = 0
    invalid_phone_rows: int = 0
    duplicates_within_file: int = 0
    duplicates_against_store: int = 0
    consent_opt_in: dict[str, int] = field(default_factory=dict)
    cost: Decimal | None = None
    currency: str | None = None

    def rate(self, count: int) -> float:
        return count / self.rows_in if self.rows_in else 0.0

    @property
    def cost_per_new_lead(self) -> Decimal | None:
        if self.cost is None or not self.loaded_new:
            return None
        return (self.cost / self.loaded_new).quantize(Decimal("0.01"))


FIGURES = (
    "invalid_email_rows",
    "invalid_phone_rows",
    "duplicates_within_file",
    "duplicates_against_store",
    "consent_opt_in",
)
"""The figures ``run_reports`` keeps per run (the counts come from ``import_runs``)."""


def completed_runs(engine: Engine) -> int:
    """How many import runs have completed (the report's length)."""
    with Session(reader(engine)) as session:
        return (
            session.scalar(
                select(func.count()).select_from(ImportRun).where(ImportRun.status == "completed")
            )
            or 0
        )


def run_quality(engine: Engine, *, offset: int = 0, limit: int | None = None) -> list[RunQuality]:
    """Quality figures of completed import runs, oldest first: all, or the page of ``limit``
    runs from ``offset``. Kept figures are read; a run without them gets them now."""
    with Session(reader(engine)) as session:
        rows = session.execute(
            select(ImportRun, Source.name, Source.kind, Source.profile, RunReport)
            .join(Source, Source.id == ImportRun.source_id)
            .outerjoin(RunReport, RunReport.run_id == ImportRun.id)
            .where(ImportRun.status == "completed")
            .order_by(ImportRun.id)
            .offset(offset)
            .limit(limit)
        ).all()
        runs = {run.id: _quality(run, name, kind, profile) for run, name, kind, profile, _ in rows}
        figures = {
            run.id: {f: getattr(report, f) for f in FIGURES}
            for run, *_, report in rows
            if report is not None
        }
    missing = [run_id for run_id in runs if run_id not in figures]
    if missing:  # runs completed before run_reports existed: computed once, then kept
        with Session(engine) as session, session.begin():  # not the imports' load lock
            figures |= save_run_reports(session, missing)
    for run_id, quality in runs.items():
        for name, value in figures[run_id].items():
            setattr(quality, name, value)
    return list(runs.values())


def source_quality(engine: Engine) -> list[SourceQuality]:
    """Every source's completed runs with their counts and costs (no row is scanned)."""
    with Session(reader(engine)) as session:
        runs = [
            _quality(run, name, kind, profile)
            for run, name, kind, profile in session.execute(
                select(ImportRun, Source.name, Source.kind, Source.profile)
                .join(Source, Source.id == ImportRun.source_id)
                .where(ImportRun.status == "completed")
                .order_by(ImportRun.id)
            )
        ]
    return by_source(runs)


def _quality(run: ImportRun, name: str, kind: str, profile: dict | None) -> RunQuality:
    quality = RunQuality(
        run.id, name, kind, run.started_at, run.rows_in, run.loaded_new, run.merged,
        run.suppressed, run.quarantined,
    )  # fmt: skip
    if profile and profile.get("cost") is not None:
        quality.cost = Decimal(str(profile["cost"]))  # a list is bought per file
        quality.currency = profile.get("currency")
    return quality


def save_run_reports(session: Session, run_ids: list[int]) -> dict[int, dict[str, object]]:
    """Compute the figures of ``run_ids`` from their rows and keep them in the session's
    transaction (a run that already has figures keeps its own); returns what was computed."""
    figures = compute_figures(session, run_ids)
    rows = [{"run_id": run_id, **values, "computed_at": utcnow()}
            for run_id, values in figures.items()]  # fmt: skip
    insert_ignore(session, RunReport.__table__, rows, "run_id")
    return figures


def compute_figures(session: Session, run_ids: list[int]) -> dict[int, dict[str, object]]:
    """The figures of ``run_ids``, from those runs' rows only (indexed by run)."""
    figures: dict[int, dict[str, object]] = {}
    for part in chunks(sorted(run_ids)):
        runs = {run_id: RunQuality(run_id, "", "", utcnow()) for run_id in part}
        _add_issue_counts(session, runs)
        _add_duplicates(session, runs)
        _add_consents(session, runs)
        figures |= {run_id: {f: getattr(q, f) for f in FIGURES} for run_id, q in runs.items()}
    return figures


def _add_issue_counts(session: Session, runs: dict[int, RunQuality]) -> None:
    for run_id, issues in session.execute(
        select(RawRecord.run_id, RawRecord.issues).where(
            RawRecord.run_id.in_(list(runs)), RawRecord.issues.is_not(None)
        )
    ):
        quality = runs.get(run_id)
        if quality is None:
            continue
        codes = set(issues or ())
        quality.invalid_email_rows += bool(codes & set(EMAIL_INVALID))
        quality.invalid_phone_rows += bool(codes & set(PHONE_INVALID))


def _add_duplicates(session: Session, runs: dict[int, RunQuality]) -> None:
    """Merged rows per run, split into those whose person the same run created (duplicates
    within the file) and the rest (duplicates of people already in the store).

    One scan grouped by (run, person), no self-join: a join of ``raw_records`` with itself was
    planned through the wrong index and took most of an hour on a 200k-person store.
    """
    merged = func.sum(case((RawRecord.outcome == "merged", 1), else_=0))
    created_here = func.max(case((RawRecord.outcome == "loaded_new", 1), else_=0))
    per_person = (
        select(
            RawRecord.run_id.label("run_id"),
            merged.label("merged"),
            created_here.label("created_here"),
        )
        .where(
            RawRecord.run_id.in_(list(runs)),
            RawRecord.person_id.is_not(None),
            RawRecord.outcome.in_(["merged", "loaded_new"]),
        )
        .group_by(RawRecord.run_id, RawRecord.person_id)
        .subquery()
    )
    totals = select(
        per_person.c.run_id,
        func.sum(per_person.c.merged),
        func.sum(case((per_person.c.created_here == 1, per_person.c.merged), else_=0)),
    ).group_by(per_person.c.run_id)
    for run_id, all_merged, within in session.execute(totals):
        if run_id in runs:
            runs[run_id].duplicates_within_file = int(within or 0)
            runs[run_id].duplicates_against_store = int(all_merged or 0) - int(within or 0)


def _add_consents(session: Session, runs: dict[int, RunQuality]) -> None:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for run_id, channel, rows in session.execute(
        select(RawRecord.run_id, Consent.channel, func.count(func.distinct(RawRecord.id)))
        .join(Consent, Consent.raw_record_id == RawRecord.id)
        .where(RawRecord.run_id.in_(list(runs)), Consent.status == "opt_in")
        .group_by(RawRecord.run_id, Consent.channel)
    ):
        counts[run_id][channel] = rows
    for run_id, quality in runs.items():
        quality.consent_opt_in = {c.value: counts[run_id].get(c.value, 0) for c in Channel}


@dataclass(frozen=True, slots=True)
class SourceQuality:
    """Figures of all completed runs of one source added up."""

    source_name: str
    runs: list[RunQuality]

    def total(self, attribute: str) -> int:
        return sum(getattr(r, attribute) for r in self.runs)

    @property
    def cost_per_new_lead(self) -> Decimal | None:
        costs = [r.cost for r in self.runs if r.cost is not None]
        new = self.total("loaded_new")
        return (sum(costs, Decimal(0)) / new).quantize(Decimal("0.01")) if costs and new else None


def by_source(runs: list[RunQuality]) -> list[SourceQuality]:
    grouped: dict[str, list[RunQuality]] = defaultdict(list)
    for run in runs:
        grouped[run.source_name].append(run)
    return [SourceQuality(name, items) for name, items in grouped.items()]
