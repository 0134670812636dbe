"""Suppression hashes in the store: writing them, reading them for the consent stage, and
applying them to people already loaded (their channels become opted out, audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ingest.consent import SALTED, value_digests
from ingest.consent_policy import ConsentPolicy
from ingest.records import Channel
from ingest.store.consents import add_opt_outs
from ingest.store.models import ContactPoint, Suppression
from ingest.store.sql import insert_ignore

SCAN_CHUNK = 5000
KIND_CHANNELS = {"email": (Channel.EMAIL,), "phone": (Channel.PHONE, Channel.SMS)}


@dataclass(frozen=True, slots=True)
class SuppressionIndex:
    """Every stored hash with its reason code (``suppressed.<reason>``) and the algorithms used."""

    reasons: dict[str, str]
    algorithms: frozenset[str]


@dataclass(frozen=True, slots=True)
class AppliedSuppressions:
    """What applying the suppression list to the stored people changed."""

    contact_points_checked: int
    people: int
    consents_opted_out: int


def add_suppressions(engine: Engine, rows: Sequence[dict[str, str | None]]) -> int:
    """Insert suppression hashes in one transaction; returns how many were new."""
    with Session(engine) as session, session.begin():
        before = session.scalar(select(func.count()).select_from(Suppression)) or 0
        insert_ignore(session, Suppression.__table__, rows, "kind", "value_hash")
        after = session.scalar(select(func.count()).select_from(Suppression)) or 0
    return after - before


def suppression_index(engine: Engine) -> SuppressionIndex:
    """All suppression hashes, for the consent stage of an import."""
    with Session(engine) as session:
        rows = session.execute(
            select(Suppression.value_hash, Suppression.reason, Suppression.algorithm)
        ).all()
    return SuppressionIndex(
        reasons={h: f"suppressed.{reason}" for h, reason, _ in rows},
        algorithms=frozenset({SALTED, *(a for _, _, a in rows if a)}),
    )


def apply_to_existing(
    engine: Engine, *, salt: str, policy: ConsentPolicy, actor: str = "suppressions"
) -> AppliedSuppressions:
    """Opt out the channels of stored people whose email or phone is on a suppression list.

    Record-level reasons (unsubscribe, bounce, erasure) withdraw the contact point's channels;
    channel reasons (do-not-call) withdraw the channels the policy names. Idempotent.
    """
    index = suppression_index(engine)
    checked = added = 0
    people: set[int] = set()
    last_id = 0
    while index.reasons:
        with Session(engine) as session, session.begin():
            points = session.execute(
                select(ContactPoint.id, ContactPoint.person_id, ContactPoint.kind,
                       ContactPoint.value, ContactPoint.match_key)
                .where(ContactPoint.id > last_id, ContactPoint.kind.in_(tuple(KIND_CHANNELS)))
                .order_by(ContactPoint.id).limit(SCAN_CHUNK)
            ).all()  # fmt: skip
            if not points:
                break
            last_id = points[-1].id
            checked += len(points)
            hits: list[tuple[int, int, Channel, str]] = []
            for point in points:
                values = {point.value, point.match_key} - {None}
                reasons = {
                    r
                    for v in values
                    for d in value_digests(v, point.kind, salt, index.algorithms)
                    if (r := index.reasons.get(d))
                }
                for reason in sorted(reasons):
                    code = reason.removeprefix("suppressed.")
                    channels = policy.channels_withdrawn_by(code) or KIND_CHANNELS[point.kind]
                    hits.extend((point.person_id, point.id, c, reason) for c in channels)
            new = add_opt_outs(session, hits, actor=actor) if hits else 0
            added += new
            people.update(h[0] for h in hits)
    return AppliedSuppressions(checked, len(people), added)
