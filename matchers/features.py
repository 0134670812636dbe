"""The matching view of a record: the few normalized strings that blocking and comparisons read.

Built once per batch from normalized rows (or from stored people, see ``existing_features``), as
plain object arrays with ``""`` for a missing value so every later step is a vectorized compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import jellyfish
import numpy as np
import pandas as pd
import phonenumbers

from ingest.normalize.emails import FREE_DOMAINS
from ingest.normalize.nicknames import name_variants
from ingest.normalize.phone_digits import national_digits
from ingest.normalize.streets import street_parts
from ingest.normalize.text import letters_key
from ingest.validate import POSTAL_CODE_KEY
from matchers.company_names import company_match_key

FEATURE_COLUMNS = (
    "fn",  # first name key
    "ln",  # last name key
    "fn_phon",  # metaphone of fn
    "ln_phon",  # metaphone of ln
    "mn",  # letters key of the first middle name
    "name_uncertain",  # "1" when the name's order could not be told (compared either way)
    "email",  # normalized email key
    "email_local",  # local part without dots, dashes, underscores and +tags
    "email_domain",
    "email_free",  # "1" when a free-mail, disposable or placeholder domain
    "phone",  # digit key of the main phone
    "mobile",  # digit key of the mobile
    "company",  # company matching key (legal forms folded, "&" = "and")
    "domain",  # company web domain (or work email domain), never free-mail or placeholder
    "postal",
    "street",
    "street_number",  # the house number
    "street_key",  # the street line folded (one spelling per direction and type, no flat)
    "street_name",  # the street's own words, without number, direction and type
    "street_form",  # direction and type, "s|ct"
    "city",
    "title",
    "dob",  # birth date, ISO
    "linkedin",  # LinkedIn profile key (in/slug or sales/id): one person's own identifier
    "private",  # "1" when the record has neither a company nor a web domain: its address is
    # the person's own (a home), not an office that colleagues share
    "entity",  # the person (or company, for company-only rows) this record belongs to
)
MAX_VARIANTS = 12
PLACEHOLDER_DOMAINS = frozenset(
    {"example.com", "example.org", "example.net", "test.com", "domain.com", "email.com",
     "noemail.com", "nomail.com", "none.com", "company.com", "yourcompany.com", "sample.com"}
)  # fmt: skip
"""Never a company's domain (the normalizer flags these too, as ``email_is_placeholder``)."""
_DIGITS = re.compile(r"\D+")
_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#)\s*\d+\s*$", re.IGNORECASE)


def isin(values: np.ndarray, collection: Iterable[object]) -> np.ndarray:
    """``np.isin`` for object (string) arrays by hashing, not sorting."""
    return pd.Series(values, dtype=object).isin(list(collection)).to_numpy()


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


def _birth_dates(rows: pd.DataFrame) -> np.ndarray:
    """The birth date as written (``birth_date_key``: kept when the date itself was dropped as
    impossible or implausible, a typo in it is still evidence), else the ISO date."""
    key = _text(rows, "birth_date_key")
    return np.where(key == "", _text(rows, "birth_date"), key)


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    return isin(_text(frame, column), ["true", "1", "yes"])


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


@lru_cache(maxsize=200_000)
def local_key(local: str) -> str:
    """An email local part as its letters and digits: ``kelly.williams`` = ``kellywilliams``,
    ``+tags`` dropped."""
    return "".join(ch for ch in local.partition("+")[0] if ch.isalnum())


@lru_cache(maxsize=200_000)
def phone_key(value: str) -> str:
    """Digits of a phone cell without an extension (``""`` below 6 digits); an E.164 value
    gives its national significant number, as the normalizer's digit key of a batch row does
    (an Italian landline keeps its leading 0 on both sides), so stored numbers and a batch's
    line up; read by calling code, not ``phonenumbers.parse`` (a big store's candidates bring
    hundreds of thousands of numbers per batch)."""
    if value.startswith("+") and value[1:].isdigit():
        return national_digits(value)
    if value.startswith("+"):
        try:
            return str(phonenumbers.parse(value).national_number)
        except phonenumbers.NumberParseException:
            pass
    digits = _DIGITS.sub("", _EXTENSION.sub("", value))
    return digits if len(digits) >= 6 else ""


def _map(function: Callable[[Any], object], values: np.ndarray) -> np.ndarray:
    """Apply ``function`` once per distinct value (names and domains repeat a lot)."""
    codes, uniques = pd.factorize(values)
    mapped = np.asarray([function(u) for u in uniques], dtype=object)
    return mapped[codes] if len(uniques) else np.full(len(values), "", dtype=object)


def _phone_keys(rows: pd.DataFrame, column: str) -> np.ndarray:
    """The normalizer's digit key of a phone column when it gave one, else the digits of the
    E.164 value or, failing that, of the original cell."""
    key = _text(rows, f"{column}_digits")
    for fallback in (column, f"{column}_original"):
        empty = np.flatnonzero(key == "")
        if len(empty):
            key[empty] = _map(phone_key, _text(rows, fallback)[empty])
    return key


def _postal_codes(rows: pd.DataFrame) -> np.ndarray:
    """The postal code, else the one validation refused for the row's country (kept by
    ``ingest.validate`` as ``POSTAL_CODE_KEY``)."""
    code = _text(rows, "postal_code")
    refused = _text(rows, POSTAL_CODE_KEY)
    return np.where(code == "", refused, code)


def _middle_key(text: str) -> str:
    """The first middle name as a letters-only key ("Anne-Marie B." → "annemarie")."""
    first = text.split()[0] if text.split() else ""
    return letters_key(first) or ""


def record_features(rows: pd.DataFrame) -> pd.DataFrame:
    """Features of normalized rows (columns of ``ingest.records.NORMALIZED_FIELDS``)."""
    fn, ln = _text(rows, "first_name_key"), _text(rows, "last_name_key")
    email = _text(rows, "email_key")
    local = _map(lambda e: local_key(e.partition("@")[0]), email)
    email_domain = _text(rows, "email_domain")
    if "email_domain" not in rows:
        email_domain = _map(lambda e: e.partition("@")[2], email)
    not_company = _flag(rows, "email_is_free") | _flag(rows, "email_is_disposable")
    not_company |= _flag(rows, "email_is_placeholder") | isin(email_domain, list(FREE_DOMAINS))
    not_company |= isin(email_domain, list(PLACEHOLDER_DOMAINS))
    domain = _text(rows, "company_domain")
    domain = np.where(isin(domain, list(PLACEHOLDER_DOMAINS)), "", domain)
    domain = np.where(domain == "", np.where(not_company, "", email_domain), domain)
    company = _map(company_match_key, _text(rows, "company_key"))
    street = _text(rows, "street")
    return pd.DataFrame(
        {
            "fn": fn,
            "ln": ln,
            "fn_phon": _map(phonetic, fn),
            "ln_phon": _map(phonetic, ln),
            "mn": _map(_middle_key, _text(rows, "middle_name")),
            "name_uncertain": np.where(_flag(rows, "name_order_uncertain"), "1", ""),
            "email": email,
            "email_local": local,
            "email_domain": email_domain,
            "email_free": np.where(not_company, "1", ""),
            "phone": _phone_keys(rows, "phone"),
            "mobile": _phone_keys(rows, "mobile"),
            "company": company,
            "domain": domain,
            "postal": _map(lambda p: p.replace(" ", ""), _postal_codes(rows)),
            "street": street,
            "street_number": _map(lambda line: street_parts(line).number, street),
            "street_key": _map(lambda line: street_parts(line).key, street),
            "street_name": _map(lambda line: street_parts(line).name, street),
            "street_form": _map(lambda line: street_parts(line).form, street),
            "city": _text(rows, "city"),
            "title": _map(title_key, _text(rows, "job_title")),
            "dob": _birth_dates(rows),
            "linkedin": _text(rows, "linkedin_key"),
            "private": np.where((company == "") & (domain == ""), "1", ""),
            "entity": np.full(len(rows), "", dtype=object),
        },
        index=rows.index,
        dtype=object,  # not pandas' Arrow strings: every step reads the columns as objects
    )


FeatureCache = dict[tuple[Any, ...], tuple[Any, ...]]
"""Feature values per stored record's values (features are computed record by record)."""


def existing_features(existing: pd.DataFrame, cache: FeatureCache | None = None) -> pd.DataFrame:
    """Features of stored people (``ingest.store.lookup.EXISTING_COLUMNS``), one record per
    stored email (phones spread over ``phone``/``mobile``, extra phones on extra records);
    ``entity`` holds the person id.

    ``cache`` (kept by the caller across the chunks of one import, when the same stored people
    come back chunk after chunk) holds the features of records already seen."""
    if existing.empty:
        return pd.DataFrame(columns=list(FEATURE_COLUMNS))
    n = len(existing)

    def column(name: str) -> list[Any]:
        return existing[name].tolist() if name in existing else [None] * n

    repeat: list[int] = []  # per stored record: the position of its person
    emails_out: list[str] = []
    phones_out: list[str] = []
    mobiles_out: list[str] = []
    for at, (emails, phones) in enumerate(zip(column("email_keys"), column("phones"),
                                              strict=True)):  # fmt: skip
        emails = list(emails or ()) or [""]
        phones = list(phones or ())
        pairs = [phones[i : i + 2] for i in range(0, len(phones), 2)] or [[]]
        for i in range(max(len(emails), len(pairs))):
            pair = pairs[i] if i < len(pairs) else []
            repeat.append(at)
            emails_out.append(emails[i] if i < len(emails) else "")
            phones_out.append(pair[0] if pair else "")
            mobiles_out.append(pair[1] if len(pair) > 1 else "")
    people = {name: column(name) for name in ("first_name_key", "last_name_key", "company_key",
              "company_domain", "postal_code", "street", "city", "job_title",
              "linkedin_key")}  # fmt: skip
    entities = [str(p) for p in column("person_id")]
    frame = pd.DataFrame(
        {
            "first_name_key": [people["first_name_key"][at] for at in repeat],
            "last_name_key": [people["last_name_key"][at] for at in repeat],
            "email_key": emails_out,
            "phone": phones_out,
            "mobile": mobiles_out,
            **{name: [people[name][at] for at in repeat]
               for name in ("company_key", "company_domain", "postal_code", "street", "city",
                            "job_title", "linkedin_key")},
            "entity": [entities[at] for at in repeat],
        }
    )  # fmt: skip
    frame["email_domain"] = frame["email_key"].fillna("").str.partition("@")[2]
    frame["email_is_free"] = frame["email_domain"].isin(FREE_DOMAINS).map({True: "1", False: ""})
    if cache is None:
        features = record_features(frame)
    else:
        features = _cached_features(frame.drop(columns=["entity"]), cache)
    features["entity"] = frame["entity"].to_numpy()
    return features.reset_index(drop=True)


def _cached_features(frame: pd.DataFrame, cache: FeatureCache) -> pd.DataFrame:
    """``record_features(frame)``, computing only the records ``cache`` does not hold."""
    keys = list(zip(*(frame[c].tolist() for c in frame.columns), strict=True))
    missing = [i for i, key in enumerate(keys) if key not in cache]
    if missing:
        computed = record_features(frame.iloc[missing])
        values = zip(*(computed[c].tolist() for c in FEATURE_COLUMNS), strict=True)
        cache.update(zip((keys[i] for i in missing), values, strict=True))
    return pd.DataFrame([cache[key] for key in keys], columns=list(FEATURE_COLUMNS), dtype=object)
