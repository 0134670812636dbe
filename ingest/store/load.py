"""Load one prepared batch in one transaction: raw records, people, contact points, consents,
activities, custom values, links, the review queue and the run's counts.

Every row of the batch ends in exactly one outcome. Rows already recorded for the run (a resumed
import) are skipped, so loading the same batch twice changes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ingest.consent import SUPPRESSION_COLUMN
from ingest.contracts import (
    FittingMatcher,
    KeyedMatcher,
    ListingMatcher,
    Matcher,
    MatchResult,
    empty_reviews,
)
from ingest.entities import company_only, with_company_identity
from ingest.prepared import PreparedBatch
from ingest.records import ISSUES_COLUMN, Outcome, row_dicts
from ingest.store.affiliations import record_affiliations
from ingest.store.details import write_details
from ingest.store.lookup import find_candidates
from ingest.store.models import BlockingKey, MatchCandidate, Quarantine, RawRecord, RecordLink
from ingest.store.people import (
    COMPANY_ONLY_FIELDS,
    create_people,
    observation_times,
    rank_of_source,
    record_provenance,
    resolve_companies,
    update_people,
)
from ingest.store.runs import RunCounts, RunRef, add_counts, fitted_model, keep_fitted_model
from ingest.store.sql import (
    chunks,
    execute_columns,
    execute_many,
    ignoring,
    insert_ignore,
    insert_returning_ids,
)


def already_loaded(session: Session, run_id: int, row_numbers: list[int]) -> set[int]:
    """Row numbers of this run that a previous (interrupted) attempt already recorded."""
    done: set[int] = set()
    for part in chunks(sorted(row_numbers)):
        done.update(
            session.scalars(
                select(RawRecord.row_number).where(
                    RawRecord.run_id == run_id, RawRecord.row_number.in_(part)
                )
            )
        )
    return done


def load_batch(
    session: Session, run: RunRef, batch: PreparedBatch, matcher: Matcher, *, source_name: str
) -> RunCounts:
    """Match the batch against the store and write everything; the caller owns the transaction."""
    done = already_loaded(session, run.run_id, batch.row_numbers)
    frame = batch.frame[~batch.frame.index.isin(list(done))]
    broken = [b for b in batch.broken if b.row_number not in done]
    quarantined = frame["quarantined"].fillna(False).astype(bool)
    suppressed = frame[SUPPRESSION_COLUMN].notna() & ~quarantined
    loadable = with_company_identity(frame[~quarantined & ~suppressed])
    listings_mask = pd.Series(company_only(loadable), index=loadable.index)
    listings, people_rows = loadable.loc[listings_mask], loadable.loc[~listings_mask]
    if isinstance(matcher, ListingMatcher) and len(listings) > 1:
        listings = one_key_per_company(listings, matcher.cluster_listings(listings))

    company_of_row, outcomes = _load_listings(session, listings)
    match, keys = _match(session, run.run_id, matcher, people_rows)
    company_ids, _ = resolve_companies(session, people_rows)
    assignments = match.assignments
    new_rows, existing_rows, person_outcomes = _split_clusters(people_rows, assignments)
    outcomes.update(person_outcomes)
    seen = observation_times(people_rows, batch.provenance.fetched_at)
    rank = rank_of_source(session, run.source_id)
    cluster_ids, new_provenance = create_people(
        session, new_rows, by="cluster", company_ids=company_ids, lead_source=source_name,
        seen=seen, source_rank=rank,
    )  # fmt: skip
    update_provenance = update_people(
        session, existing_rows, by="person_id", company_ids=company_ids, seen=seen,
        source_rank=rank,
    )  # fmt: skip
    person_of_row = {
        int(row): (cluster_ids[c] if pd.isna(p) else int(p))
        for row, c, p in zip(
            assignments.index, assignments["cluster"], assignments["person_id"], strict=True
        )
    }

    targets = {r: ("person_id", p) for r, p in person_of_row.items()}
    targets.update({r: ("company_id", c) for r, c in company_of_row.items()})
    raw_ids = _write_raw_records(
        session, run, batch, frame, broken, quarantined, suppressed, outcomes, targets
    )
    _write_quarantine(session, run, frame[quarantined], broken, raw_ids)
    _write_links(session, assignments, targets, raw_ids)
    record_provenance(session, {**new_provenance, **update_provenance}, raw_ids, seen.to_dict())
    write_details(session, people_rows, person_of_row, raw_ids, source_id=run.source_id)
    _write_blocking_keys(session, keys, person_of_row)
    record_affiliations(
        session, people_rows, person_of_row, raw_ids, company_ids,
        source_id=run.source_id, observed_at=batch.provenance.fetched_at,
    )  # fmt: skip
    review_pending = _write_reviews(session, run, match.reviews, person_of_row)

    counts = RunCounts(
        rows_in=len(frame) + len(broken),
        loaded_new=sum(1 for o in outcomes.values() if o == Outcome.LOADED_NEW),
        merged=sum(1 for o in outcomes.values() if o == Outcome.MERGED),
        suppressed=int(suppressed.sum()),
        quarantined=int(quarantined.sum()) + len(broken),
        review_pending=review_pending,
    )
    add_counts(session, run.run_id, counts)
    return counts


def _match(
    session: Session, run_id: int, matcher: Matcher, loadable: pd.DataFrame
) -> tuple[MatchResult, pd.DataFrame | None]:
    """The matcher's decisions, and the rows' blocking keys when the matcher names any. A
    fitting matcher gets the model the run fitted so far, and the run keeps the one it fits."""
    if loadable.empty:
        assignments = pd.DataFrame(
            {"cluster": [], "person_id": [], "probability": [], "decided_by": []}
        )
        return MatchResult(assignments, empty_reviews()), None
    fitting = matcher if isinstance(matcher, FittingMatcher) else None
    kept = fitted_model(session, run_id) if fitting is not None else None
    if fitting is not None:
        fitting.use_fitted(kept)
    keys = matcher.blocking_keys(loadable) if isinstance(matcher, KeyedMatcher) else None
    result = matcher.match(loadable, find_candidates(session, loadable, keys))
    if fitting is not None and kept is None and (fitted := fitting.fitted()) is not None:
        keep_fitted_model(session, run_id, fitted)
    return result, keys


def _write_blocking_keys(
    session: Session, keys: pd.DataFrame | None, person_of_row: dict[int, int]
) -> None:
    """Each (person, rule, key) once, in that order, the keys of rows that ended in no person
    and empty keys left out; built column-wise (a 20k-row chunk has about 160k keys)."""
    if keys is None or keys.empty:
        return
    persons = pd.Series(person_of_row, dtype="float64").reindex(keys.index).to_numpy()
    values = keys["key"].to_numpy(dtype=object)
    usable = ~np.isnan(persons) & np.fromiter(
        (isinstance(key, str) and key != "" for key in values), dtype=bool, count=len(values)
    )
    rows = pd.DataFrame(
        {
            "person_id": persons[usable].astype(np.int64),
            "rule": keys["rule"].to_numpy(dtype=object)[usable],
            "key": values[usable],
        }
    )
    rows = rows.drop_duplicates().sort_values(["person_id", "rule", "key"])
    if len(rows):
        columns = {name: rows[name].tolist() for name in rows.columns}
        stmt = ignoring(session, BlockingKey.__table__, "person_id", "rule", "key")
        execute_columns(session, stmt, columns)


def one_key_per_company(listings: pd.DataFrame, clusters: np.ndarray) -> pd.DataFrame:
    """The rows with the company key of their cluster's first keyed row, so the rows the
    matcher found to be one company resolve to one stored company."""
    keys = listings["company_key"]
    keyed = keys.where(keys.fillna("") != "")
    first = keyed.groupby(clusters).transform("first")
    return listings.assign(company_key=first.where(first.notna(), keys))


def _load_listings(
    session: Session, listings: pd.DataFrame
) -> tuple[dict[int, int], dict[int, Outcome]]:
    """Create or fill companies from company-only rows; the first row of a new company is new."""
    ids, created = resolve_companies(session, listings, fields=COMPANY_ONLY_FIELDS)
    new_companies = {ids[key] for key in created}
    company_of_row: dict[int, int] = {}
    outcomes: dict[int, Outcome] = {}
    seen: set[int] = set()
    for row, key in zip(listings.index, listings.get("company_key", []), strict=True):
        company = company_of_row[int(row)] = ids[key]
        first = company in new_companies and company not in seen
        outcomes[int(row)] = Outcome.LOADED_NEW if first else Outcome.MERGED
        seen.add(company)
    return company_of_row, outcomes


def _split_clusters(
    loadable: pd.DataFrame, assignments: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, Outcome]]:
    """Rows of new clusters (first row loaded_new, the rest merged) and rows of existing people."""
    joined = loadable.join(assignments[["cluster", "person_id"]])
    is_new = joined["person_id"].isna().to_numpy()
    first_of_cluster = ~joined["cluster"].duplicated(keep="first").to_numpy()
    outcomes = {
        int(row): Outcome.LOADED_NEW if new and first else Outcome.MERGED
        for row, new, first in zip(joined.index, is_new, first_of_cluster, strict=True)
    }
    return joined.loc[is_new], joined.loc[~is_new], outcomes


def _write_raw_records(
    session: Session,
    run: RunRef,
    batch: PreparedBatch,
    frame: pd.DataFrame,
    broken: list[Any],
    quarantined: pd.Series,
    suppressed: pd.Series,
    outcomes: dict[int, Outcome],
    targets: dict[int, tuple[str, int]],
) -> dict[int, int]:
    rows: list[dict[str, Any]] = []
    for r, is_quarantined, is_suppressed, suppression, codes in zip(
        frame.index.tolist(), quarantined.tolist(), suppressed.tolist(),
        frame[SUPPRESSION_COLUMN].tolist(), frame[ISSUES_COLUMN].tolist(), strict=True,
    ):  # fmt: skip
        if is_quarantined:
            outcome, reason = Outcome.QUARANTINED, None
        elif is_suppressed:
            outcome, reason = Outcome.SUPPRESSED, suppression
        else:
            outcome, reason = outcomes[r], None
        target_column, target_id = targets.get(r, ("person_id", None))
        rows.append(
            {
                "run_id": run.run_id,
                "row_number": r,
                "payload": batch.payloads.get(r),
                "outcome": outcome.value,
                "outcome_reason": reason,
                "issues": list(codes) or None,
                "person_id": None,
                "company_id": None,
                target_column: target_id,
            }
        )
    rows.extend(
        {
            "run_id": run.run_id,
            "row_number": b.row_number,
            "payload": {"raw_text": b.raw_text},
            "outcome": Outcome.QUARANTINED.value,
            "outcome_reason": b.reason_code,
            "issues": [b.reason_code],
            "person_id": None,
            "company_id": None,
        }
        for b in broken
    )
    if not rows:
        return {}
    ids = insert_returning_ids(session, RawRecord.__table__, rows)
    return {row["row_number"]: raw_id for row, raw_id in zip(rows, ids, strict=True)}


def _write_quarantine(
    session: Session, run: RunRef, rows: pd.DataFrame, broken: list[Any], raw_ids: dict[int, int]
) -> None:
    entries = [
        {"raw_record_id": raw_ids[int(r)], "run_id": run.run_id, "reason_codes": list(codes)}
        for r, codes in zip(rows.index, rows[ISSUES_COLUMN], strict=True)
    ]
    entries.extend(
        {
            "raw_record_id": raw_ids[b.row_number],
            "run_id": run.run_id,
            "reason_codes": [b.reason_code],
        }
        for b in broken
    )
    if entries:
        execute_many(session, insert(Quarantine.__table__), entries)


def _write_links(
    session: Session,
    assignments: pd.DataFrame,
    targets: dict[int, tuple[str, int]],
    raw_ids: dict[int, int],
) -> None:
    decided = {
        int(row): (None if pd.isna(prob) else float(prob), by)
        for row, prob, by in zip(
            assignments.index, assignments["probability"], assignments["decided_by"], strict=True
        )
    }
    links = []
    for row, (column, target_id) in targets.items():
        probability, decided_by = decided.get(row, (None, "company"))
        links.append(
            {
                "raw_record_id": raw_ids[row],
                "person_id": None,
                "company_id": None,
                column: target_id,
                "probability": probability,
                "decided_by": decided_by,
            }
        )
    if links:
        execute_many(session, insert(RecordLink.__table__), links)


def _write_reviews(
    session: Session, run: RunRef, reviews: pd.DataFrame, person_of_row: dict[int, int]
) -> int:
    """Queue uncertain pairs between the people the rows ended in; returns how many are new."""
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for review in row_dicts(reviews):
        left = person_of_row.get(int(review["row"]))
        right = (
            int(review["person_id"])
            if not pd.isna(review["person_id"])
            else person_of_row.get(int(review["other_row"]))
        )
        if left is None or right is None or left == right:
            continue
        a, b = sorted((left, right))
        pairs.setdefault(
            (a, b),
            {
                "person_a_id": a,
                "person_b_id": b,
                "run_id": run.run_id,
                "probability": float(review["probability"]),
                "detail": review["detail"],
                "status": "pending",
            },
        )
    if not pairs:
        return 0
    before = _pending_count(session, run.run_id)
    insert_ignore(
        session, MatchCandidate.__table__, list(pairs.values()), "person_a_id", "person_b_id"
    )
    return _pending_count(session, run.run_id) - before


def _pending_count(session: Session, run_id: int) -> int:
    from sqlalchemy import func

    return (
        session.scalar(
            select(func.count())
            .select_from(MatchCandidate)
            .where(MatchCandidate.run_id == run_id, MatchCandidate.status == "pending")
        )
        or 0
    )
