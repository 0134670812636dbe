"""The matching view of a record: the few normalized strings that blocking and comparisons read.

Built once per batch from normalized rows (or from stored people, see ``existing_features``), as
plain object arrays with ``""`` for a missing value so every later step is a vectorized compare.
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish
import numpy as np
import pandas as pd

from ingest.normalize.emails import FREE_DOMAINS
from ingest.normalize.nicknames import name_variants

FEATURE_COLUMNS = (
    "fn",  # first name key
    "ln",  # last name key
    "fn_phon",  # metaphone of fn
    "ln_phon",  # metaphone of ln
    "email",  # normalized email key
    "email_local",
    "email_domain",
    "email_free",  # "1" when a free-mail domain
    "phone",
    "mobile",
    "company",  # company key (legal suffixes removed)
    "domain",  # company web domain (or work email domain)
    "postal",
    "street",
    "city",
    "title",
    "private",  # "1" when the record has neither a company nor a web domain: its address is
    # the person's own (a home), not an office that colleagues share
    "entity",  # the person (or company, for company-only rows) this record belongs to
)
MAX_VARIANTS = 12


def _clean(value: object) -> str:
    if isinstance(value, str):
        return value.strip().lower()
    return "true" if isinstance(value, bool | np.bool_) and value else ""


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The column as lower-case strings with ``""`` for missing (any dtype in, object out);
    cleaned once per distinct value."""
    if column not in frame:
        return np.full(len(frame), "", dtype=object)
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=True)
    cleaned = np.asarray([_clean(u) for u in uniques] + [""], dtype=object)
    return cleaned[codes]


@lru_cache(maxsize=200_000)
def phonetic(key: str) -> str:
    """Metaphone of a name key (``""`` stays ``""``)."""
    letters = "".join(ch for ch in key if ch.isalpha())
    return jellyfish.metaphone(letters) if letters else ""


@lru_cache(maxsize=100_000)
def variants(first_key: str) -> tuple[str, ...]:
    """The first-name key and its nickname/canonical forms, sorted, capped for blocking."""
    if not first_key:
        return ()
    found = sorted(name_variants(first_key) - {first_key})[: MAX_VARIANTS - 1]
    return (first_key, *found)


TITLE_WORDS = {
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "cio": "chief information officer",
    "cmo": "chief marketing officer",
    "cro": "chief revenue officer",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "sr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "dir": "director",
    "eng": "engineer",
    "of": "",
    "the": "",
    "and": "",
}
"""Title words spelt out (and filler dropped), so "CTO" meets "Chief Technology Officer" and
"VP of Sales" meets "VP Sales"."""


@lru_cache(maxsize=100_000)
def title_key(title: str) -> str:
    """A job title as lower-case words with abbreviations spelt out (``""`` stays ``""``)."""
    words = "".join(ch if ch.isalnum() else " " for ch in title.lower()).split()
    return " ".join(w for w in (TITLE_WORDS.get(word, word) for word in words) if w)


def _map(function, values: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Apply ``function`` once per distinct value (names and domains repeat a lot)."""
    codes, uniques = pd.factorize(values)
    mapped = np.asarray([function(u) for u in uniques], dtype=object)
    return mapped[codes] if len(uniques) else np.full(len(values), "", dtype=object)


def record_features(rows: pd.DataFrame) -> pd.DataFrame:
    """Features of normalized rows (columns of ``ingest.records.NORMALIZED_FIELDS``)."""
    fn, ln = _text(rows, "first_name_key"), _text(rows, "last_name_key")
    email = _text(rows, "email_key")
    local = _map(lambda e: e.partition("@")[0], email)
    email_domain = _text(rows, "email_domain")
    free = _text(rows, "email_is_free")
    is_free = np.isin(free, ["true", "1"])
    domain = _text(rows, "company_domain")
    domain = np.where(domain == "", np.where(is_free, "", email_domain), domain)
    company = _text(rows, "company_key")
    return pd.DataFrame(
        {
            "fn": fn,
            "ln": ln,
            "fn_phon": _map(phonetic, fn),
            "ln_phon": _map(phonetic, ln),
            "email": email,
            "email_local": local,
            "email_domain": email_domain,
            "email_free": np.where(is_free, "1", ""),
            "phone": _text(rows, "phone"),
            "mobile": _text(rows, "mobile"),
            "company": company,
            "domain": domain,
            "postal": _map(lambda p: p.replace(" ", ""), _text(rows, "postal_code")),
            "street": _text(rows, "street"),
            "city": _text(rows, "city"),
            "title": _map(title_key, _text(rows, "job_title")),
            "private": np.where((company == "") & (domain == ""), "1", ""),
            "entity": np.full(len(rows), "", dtype=object),
        },
        index=rows.index,
        dtype=object,  # not pandas' Arrow strings: every step reads the columns as objects
    )


def existing_features(existing: pd.DataFrame) -> pd.DataFrame:
    """Features of stored people (``ingest.store.lookup.EXISTING_COLUMNS``), one record per
    stored email (phones spread over ``phone``/``mobile``, extra phones on extra records);
    ``entity`` holds the person id."""
    records: list[dict[str, object]] = []
    for person in existing.itertuples(index=False):
        emails = list(getattr(person, "email_keys", ()) or ()) or [""]
        phones = list(getattr(person, "phones", ()) or ())
        pairs = [tuple(phones[i : i + 2]) for i in range(0, len(phones), 2)] or [()]
        for i in range(max(len(emails), len(pairs))):
            pair = pairs[i] if i < len(pairs) else ()
            records.append(
                {
                    "first_name_key": person.first_name_key,
                    "last_name_key": person.last_name_key,
                    "email_key": emails[i] if i < len(emails) else "",
                    "phone": pair[0] if pair else "",
                    "mobile": pair[1] if len(pair) > 1 else "",
                    "company_key": person.company_key,
                    "company_domain": getattr(person, "company_domain", None),
                    "postal_code": person.postal_code,
                    "street": getattr(person, "street", None),
                    "city": getattr(person, "city", None),
                    "job_title": getattr(person, "job_title", None),
                    "entity": str(person.person_id),
                }
            )
    frame = pd.DataFrame(records)
    if frame.empty:
        return pd.DataFrame(columns=list(FEATURE_COLUMNS))
    frame["email_domain"] = frame["email_key"].fillna("").str.partition("@")[2]
    frame["email_is_free"] = frame["email_domain"].isin(FREE_DOMAINS).map({True: "1", False: ""})
    features = record_features(frame)
    features["entity"] = frame["entity"].to_numpy()
    return features.reset_index(drop=True)
