"""Suppression lists: turn plain emails and phones into the salted hashes the store keeps.

Values are normalized first (email → matching key, phone → E.164), so ``John.Doe+x@gmail.com``
suppresses every spelling of that mailbox. Values that cannot be normalized are counted as
rejected, never stored in clear. Lists that arrive already hashed (a vendor's unsalted SHA-256 or
MD5 of lowercase emails) are stored as they are, with their ``algorithm``; the consent stage
hashes each record the same way to compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ingest.consent import SALTED, hash_value
from ingest.normalize import NormalizationError, normalize_email, normalize_phone
from ingest.records import row_dicts

REASONS = frozenset({"unsubscribe", "erasure", "do_not_call", "bounce"})
HASHED = {"sha256": re.compile(r"^[0-9a-f]{64}$"), "md5": re.compile(r"^[0-9a-f]{32}$")}
ALGORITHM_ALIASES: dict[str, str | None] = {
    "sha256": "sha256", "sha-256": "sha256", "md5": "md5", "plain": None, "": None
}  # fmt: skip
KIND_ALIASES = {"email": "email", "e-mail": "email", "mail": "email", "phone": "phone",
                "telephone": "phone", "mobile": "phone", "sms": "phone"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SuppressionHashes:
    """Rows ready for the ``suppressions`` table, and how many input values were unusable."""

    rows: list[dict[str, str | None]]
    rejected: int


def matching_key(value: str, kind: str, *, default_region: str | None = None) -> str:
    """The key a suppressed value is hashed from; raises NormalizationError when unusable."""
    if kind == "email":
        return normalize_email(value).email_key
    return normalize_phone(value, default_region).e164


def hashed_algorithm(value: str, declared: str | None = None) -> str | None:
    """The algorithm of an already-hashed value (declared, or recognised by its shape)."""
    name = ALGORITHM_ALIASES.get((declared or "").strip().lower(), declared)
    if name is not None and name not in HASHED:
        return None
    candidates = [name] if name else list(HASHED)
    return next((a for a in candidates if HASHED[a].match(value.lower())), None)


def suppression_hashes(
    frame: pd.DataFrame, *, salt: str, default_reason: str = "unsubscribe",
    default_region: str | None = None, source: str | None = None,
) -> SuppressionHashes:  # fmt: skip
    """Hash a ``value,kind,reason[,algorithm]`` frame (kind guessed from the value when missing;
    hex digests of the right length are taken as already hashed)."""
    rows: dict[tuple[str, str], dict[str, str | None]] = {}
    rejected = 0
    for rec in row_dicts(frame):
        value = str(rec.get("value") or "").strip()
        algorithm = hashed_algorithm(value, rec.get("algorithm"))
        kind = KIND_ALIASES.get(str(rec.get("kind") or "").strip().lower()) or (
            "email" if "@" in value or algorithm else "phone"
        )
        reason = str(rec.get("reason") or default_reason).strip().lower().replace("-", "_")
        if reason not in REASONS:
            reason = default_reason
        declared = str(rec.get("algorithm") or "").lower()
        if algorithm is None and (declared not in ALGORITHM_ALIASES or ALGORITHM_ALIASES[declared]):
            rejected += 1  # declared as hashed but not a digest of that algorithm
            continue
        if algorithm is not None:
            digest = value.lower()
        else:
            try:
                key = matching_key(value, kind, default_region=default_region)
            except NormalizationError:
                rejected += 1
                continue
            digest = hash_value(key, salt)
        rows.setdefault(
            (kind, digest),
            {"kind": kind, "value_hash": digest, "reason": reason, "source": source,
             "algorithm": algorithm or SALTED},
        )  # fmt: skip
    return SuppressionHashes(rows=list(rows.values()), rejected=rejected)
