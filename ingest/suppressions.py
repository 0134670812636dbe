"""Suppression lists: turn plain emails and phones into the salted hashes the store keeps.

A list's columns are mapped by ``ingest.mapping`` with the ``SUPPRESSION_FIELDS`` vocabulary
(the lead synonyms for email and phone headers, plus hash, kind, reason and algorithm columns).
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
from ingest.mapping import HEADER_SYNONYMS, Vocabulary, apply_mapping, propose_mapping
from ingest.normalize import NormalizationError, normalize_email, normalize_phone
from ingest.records import ROW_COLUMN, row_dicts

REASONS = frozenset({"unsubscribe", "erasure", "do_not_call", "bounce"})
HASHED = {"sha256": re.compile(r"^[0-9a-f]{64}$"), "md5": re.compile(r"^[0-9a-f]{32}$")}
ALGORITHM_ALIASES: dict[str, str | None] = {
    "sha256": "sha256", "sha-256": "sha256", "md5": "md5", "plain": None, "": None
}  # fmt: skip
KIND_ALIASES = {"email": "email", "e-mail": "email", "mail": "email", "phone": "phone",
                "telephone": "phone", "mobile": "phone", "sms": "phone"}  # fmt: skip


VALUE_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "value": (None, None),
    "email": ("email", None),
    "phone": ("phone", None),
    "contact": (None, None),
    "email_sha256": ("email", "sha256"),
    "email_md5": ("email", "md5"),
    "email_hash": ("email", None),
}
"""Fields that can hold a list's values, in order of preference, with the (kind, algorithm) each
implies when the list has no kind or algorithm column."""

SUPPRESSION_FIELDS = Vocabulary(
    fields=(*VALUE_FIELDS, "kind", "reason", "algorithm"),
    synonyms={
        "email": HEADER_SYNONYMS["email"],
        "phone": (*HEADER_SYNONYMS["phone"], *HEADER_SYNONYMS["mobile"]),
        "contact": ("Number", "Address", "Contact"),
        "email_sha256": ("sha256", "sha256_email", "SHA-256"),
        "email_md5": ("md5", "md5_email"),
        "email_hash": ("hash", "hashed_email"),
    },
    no_fuzzy=frozenset({"value", "contact", "email_sha256", "email_md5", "email_hash", "kind",
                        "reason", "algorithm"}),
)  # fmt: skip
"""What the columns of a suppression list are mapped to."""


def suppression_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """A suppression list's rows as ``value, kind, reason, algorithm``: its columns mapped by
    ``ingest.mapping``; the values come from the most telling value column (else the first
    column), whose field implies the kind and algorithm when no column says them."""
    headers = [c for c in rows.columns if c != ROW_COLUMN]
    mapping = propose_mapping(headers, vocabulary=SUPPRESSION_FIELDS)
    mapped = apply_mapping(rows, mapping, vocabulary=SUPPRESSION_FIELDS)
    fed = mapping.fields
    value_field = next((f for f in VALUE_FIELDS if f in fed), None)
    kind, algorithm = VALUE_FIELDS.get(value_field or "", (None, None))
    out = pd.DataFrame(
        {
            "value": mapped[value_field] if value_field else rows[headers[0]],
            "kind": mapped["kind"] if "kind" in fed else kind,
            "reason": mapped["reason"],
            "algorithm": mapped["algorithm"] if "algorithm" in fed else algorithm,
        },
        index=rows.index,
    )
    return out


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
