"""Sources and import runs: registration, resume after a crash, and the counts invariant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.errors import StoreError
from ingest.records import Outcome, Provenance
from ingest.store.models import ImportRun, RawRecord, Source, utcnow

COUNT_FIELDS = ("rows_in", "loaded_new", "merged", "suppressed", "quarantined", "review_pending")


@dataclass(frozen=True, slots=True)
class RunCounts:
    """An import run's counts; ``rows_in`` always equals the four outcomes added up."""

    rows_in: int = 0
    loaded_new: int = 0
    merged: int = 0
    suppressed: int = 0
    quarantined: int = 0
    review_pending: int = 0

    def __add__(self, other: RunCounts) -> RunCounts:
        return RunCounts(*(getattr(self, f) + getattr(other, f) for f in COUNT_FIELDS))

    @property
    def adds_up(self) -> bool:
        return self.rows_in == self.loaded_new + self.merged + self.suppressed + self.quarantined

    def as_dict(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in COUNT_FIELDS}


@dataclass(frozen=True, slots=True)
class RunRef:
    """The identity of a run being loaded: what load steps need to know about it."""

    run_id: int
    source_id: int
    status: str
    resumed: bool


def run_source(engine: Engine, run_id: int) -> tuple[str, str, dict[str, Any] | None]:
    """(name, kind, stored profile) of the source an import run read."""
    with Session(engine) as session:
        name, kind, profile = session.execute(
            select(Source.name, Source.kind, Source.profile)
            .join(ImportRun, ImportRun.source_id == Source.id)
            .where(ImportRun.id == run_id)
        ).one()
    return name, kind, profile


def ensure_source(engine: Engine, *, name: str, kind: str, profile: dict[str, Any] | None) -> int:
    """The id of the named source, registering it (race-safe) when new."""
    with Session(engine) as session, session.begin():
        found = session.scalar(select(Source.id).where(Source.name == name))
        if found is not None:
            if profile is not None:
                session.execute(update(Source).where(Source.id == found).values(profile=profile))
            return found
    try:
        with Session(engine) as session, session.begin():
            source = Source(name=name, kind=kind, profile=profile)
            session.add(source)
            session.flush()
            return source.id
    except IntegrityError:
        with Session(engine) as session:
            # the insert lost a race: the other writer's row is there now
            return session.scalars(select(Source.id).where(Source.name == name)).one()


def begin_run(
    engine: Engine,
    *,
    source_id: int,
    provenance: Provenance,
    mapping: dict[str, Any] | None,
    manifest: dict[str, Any] | None = None,
) -> RunRef:
    """Find the run of this file (completed → nothing to do; running → resume) or start one."""
    key = (ImportRun.source_id == source_id, ImportRun.file_hash == provenance.file_hash)
    with Session(engine) as session:
        existing = session.execute(select(ImportRun.id, ImportRun.status).where(*key)).first()
    if existing is not None:
        if existing.status == "failed":  # a rerun resumes a failed run where it stopped
            with Session(engine) as session, session.begin():
                session.execute(
                    update(ImportRun)
                    .where(ImportRun.id == existing.id, ImportRun.status == "failed")
                    .values(status="running", error=None, finished_at=None)
                )
            return RunRef(existing.id, source_id, "running", resumed=True)
        return RunRef(existing.id, source_id, existing.status, resumed=True)
    try:
        with Session(engine) as session, session.begin():
            run = ImportRun(
                source_id=source_id,
                location=provenance.location,
                file_hash=provenance.file_hash,
                status="running",
                mapping=mapping,
                manifest=manifest,
            )
            session.add(run)
            session.flush()
            return RunRef(run.id, source_id, "running", resumed=False)
    except IntegrityError:  # another process started the same file a moment ago
        with Session(engine) as session:
            found = session.execute(select(ImportRun.id, ImportRun.status).where(*key)).one()
        return RunRef(found.id, source_id, found.status, resumed=True)


def add_counts(session: Session, run_id: int, counts: RunCounts) -> None:
    """Add one load step's counts to its run, inside that step's transaction."""
    session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id)
        .values({f: getattr(ImportRun, f) + getattr(counts, f) for f in COUNT_FIELDS})
    )


def fitted_model(session: Session, run_id: int) -> dict[str, Any] | None:
    """The match model the run fitted to an earlier batch (None: nothing fitted yet)."""
    return session.scalar(select(ImportRun.fitted_model).where(ImportRun.id == run_id))


def keep_fitted_model(session: Session, run_id: int, model: dict[str, Any]) -> None:
    """Keep the model the run fitted, inside the step's transaction: it is kept exactly when
    the batch it was fitted to is loaded, so a resumed run finds it or fits the same batch."""
    session.execute(update(ImportRun).where(ImportRun.id == run_id).values(fitted_model=model))


def finish_run(
    engine: Engine, run_id: int, *, timings: dict[str, float], mapping: dict[str, Any] | None
) -> RunCounts:
    """Mark the run completed, checking its counts against its raw records."""
    with Session(engine) as session, session.begin():
        run = session.get_one(ImportRun, run_id)
        outcomes = dict(
            session.execute(
                select(RawRecord.outcome, func.count())
                .where(RawRecord.run_id == run_id)
                .group_by(RawRecord.outcome)
            ).all()
        )
        run.status = "completed"
        run.finished_at = utcnow()
        run.timings = timings
        if mapping is not None:
            run.mapping = mapping
        counts = read_counts(run)
        recorded = sum(outcomes.values())
        if (
            recorded != counts.rows_in
            or outcomes.get(Outcome.LOADED_NEW.value, 0) != run.loaded_new
        ):
            raise StoreError(
                f"import run {run_id}: its counts disagree with its raw records",
                "report this as a bug; the run is left as it was",
            )
        from ingest.store.reports import save_run_reports  # pandas: only when a run completes

        save_run_reports(session, [run_id])  # the source report's figures, kept once
        return counts


ERROR_CHARS = 500
"""Longest error kept on a failed run."""


def describe_error(error: BaseException) -> str:
    """One line naming the error: its class and the first line of its message only (database
    errors put the offending row's values on later lines; statements' parameters are hidden)."""
    first = next(iter(str(error).strip().splitlines()), "")
    line = f"{type(error).__name__}: {first}" if first else type(error).__name__
    return line[:ERROR_CHARS]


def fail_run(engine: Engine, run_id: int, error: BaseException | str) -> None:
    """Mark a running run ``failed`` with its error; a rerun of the file resumes it.

    Best effort: when the store itself is what failed (disk full, read-only), the run stays as
    it was and the caller's own error still reaches the user.
    """
    message = error if isinstance(error, str) else describe_error(error)
    try:
        with Session(engine) as session, session.begin():
            session.execute(
                update(ImportRun)
                .where(ImportRun.id == run_id, ImportRun.status == "running")
                .values(status="failed", error=message[:ERROR_CHARS], finished_at=utcnow())
            )
    except Exception:  # the original error matters more than this one
        return


def read_counts(run: ImportRun) -> RunCounts:
    return RunCounts(*(getattr(run, f) or 0 for f in COUNT_FIELDS))


def run_counts(engine: Engine, run_id: int) -> RunCounts:
    with Session(engine) as session:
        return read_counts(session.get_one(ImportRun, run_id))
