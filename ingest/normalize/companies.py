"""Companies: display name, matching key without legal suffixes, and the company's web domain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from cleanco.clean import normalized, prepare_default_terms, tail_removal_rexp

from ingest.normalize.errors import WebsiteError
from ingest.normalize.text import fold

# fmt: off
NOISE_WORDS: frozenset[str] = frozenset(
    {"the", "and", "company", "co", "group", "holding", "holdings", "corp", "corporation",
     "inc", "incorporated", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa", "bv", "nv"}
)
# fmt: on
"""Words dropped from ``company_key`` after cleanco has removed the legal form."""

# fmt: off
_LEGAL_CASE: dict[str, str] = {
    "gmbh": "GmbH", "ag": "AG", "kg": "KG", "se": "SE", "llc": "LLC", "llp": "LLP", "plc": "PLC",
    "inc": "Inc", "inc.": "Inc.", "ltd": "Ltd", "ltd.": "Ltd.", "corp": "Corp", "corp.": "Corp.",
    "co": "Co", "co.": "Co.", "s.a.": "S.A.", "sa": "SA", "b.v.": "B.V.", "bv": "BV", "nv": "NV",
    "n.v.": "N.V.", "sas": "SAS", "sarl": "SARL", "s.r.l.": "S.r.l.", "srl": "Srl", "ab": "AB",
    "as": "AS", "a/s": "A/S", "oy": "Oy", "kk": "KK", "pty": "Pty", "spa": "SpA",
    "s.p.a.": "S.p.A.",
}
# fmt: on
_VOWELS = frozenset("aeiouyäöüéèàáíóú")
_KEY_JUNK = re.compile(r"[^\w]+")
_INNER_AMP = re.compile(r"(?<=\w)&(?=\w)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@cache
def _legal_terms() -> list[tuple[int, dict[tuple[str, ...], int]]]:
    """cleanco's legal-form terms by token count, longest first, with how often each occurs
    (after normalization "Inc" and "Inc." are the same term, listed twice)."""
    by_size: dict[int, dict[tuple[str, ...], int]] = {}
    for size, parts in prepare_default_terms():
        terms = by_size.setdefault(size, {})
        terms[tuple(parts)] = terms.get(tuple(parts), 0) + 1
    return [(size, by_size[size]) for size in sorted(by_size, reverse=True)]


@cache
def last_tokens() -> frozenset[str]:
    """Normalized tokens that end some legal-form term."""
    return frozenset(term[-1] for _, terms in _legal_terms() for term in terms)


@cache
def legal_words() -> frozenset[str]:
    """Every normalized token that occurs in some legal-form term."""
    return frozenset(token for _, terms in _legal_terms() for term in terms for token in term)


@cache
def single_word_terms() -> frozenset[str]:
    """The legal-form terms of one token ("inc", "gmbh")."""
    return frozenset(term[0] for size, terms in _legal_terms() if size == 1 for term in terms)


def _strip_tail(name: str) -> str:
    """``cleanco.clean.strip_tail`` with its compiled pattern used directly."""
    match = tail_removal_rexp.search(name)
    return name[: match.start()] if match is not None else name


def strip_legal_form(name: str) -> str:
    """Remove trailing legal forms ("Acme Holdings Ltd." → "Acme Holdings").

    Same result as ``cleanco.basename`` (a test compares them) with dict look-ups instead of a
    scan of every term: cleanco walks its sorted term list once, removing each entry that
    matches the current tail, so within one size only a later entry can match next.
    """
    name = _strip_tail(name)
    parts = name.split()
    folded = name.casefold() if name.isascii() else normalized(name)  # same result for ASCII
    norm = [p.replace(".", "").replace(",", "").replace("-", "") for p in folded.split()]
    if not norm or norm[-1] not in last_tokens():  # no term can end here: nothing to strip
        return _strip_tail(" ".join(parts))
    for size, terms in _legal_terms():
        last: tuple[str, ...] | None = None
        used = 0
        while len(norm) >= size:
            tail = tuple(norm[-size:])
            if tail not in terms or (last is not None and tail < last):
                break
            if tail == last:
                if used >= terms[tail]:
                    break
                used += 1
            else:
                last, used = tail, 1
            del norm[-size:], parts[-size:]
    return _strip_tail(" ".join(parts))


@dataclass(frozen=True, slots=True)
class NormalizedCompany:
    """A company's display name and its matching key ("Acme Corp." → "Acme Corp.", "acme")."""

    name: str
    key: str | None


@lru_cache(maxsize=1_000)
def case_company_word(word: str) -> str:
    """A word of an all-caps or all-lowercase company name, re-cased (cached per word)."""
    low = word.lower()
    if low in _LEGAL_CASE:
        return _LEGAL_CASE[low]
    letters = [ch for ch in low if ch.isalpha()]
    if len(letters) <= 3 or not (set(letters) & _VOWELS) or not word.isalpha():
        return word  # IBM, HSBC, AT&T, 3M: acronyms stay as written
    return low.capitalize()


def recase_one_case(display: str) -> str:
    """An all-caps or all-lowercase name re-cased word by word, its first letter upper."""
    cased = " ".join(case_company_word(w) for w in display.split())
    return cased[:1].upper() + cased[1:]


def key_words(base: str) -> str:
    """Key words of a folded base name: split on non-word characters, noise words dropped."""
    return " ".join(w for w in _KEY_JUNK.split(base) if w and w not in NOISE_WORDS)


@lru_cache(maxsize=100_000)
def normalize_company(text: str) -> NormalizedCompany:
    """Display form (ALL CAPS / all lower fixed, acronyms kept) and key (legal form removed)."""
    display = text.strip(" ,;")
    if display == display.upper() or display == display.lower():
        display = recase_one_case(display)
    base = _INNER_AMP.sub("", fold(strip_legal_form(display) or display))
    key = key_words(base)
    if not key:  # the whole name was noise ("The Company"): key on what was there
        key = " ".join(w for w in _KEY_JUNK.split(fold(display)) if w)
    return NormalizedCompany(name=display, key=key or None)


@lru_cache(maxsize=100_000)
def website_domain(text: str) -> str:
    """Host of a website without scheme, "www.", port or path, IDNA-encoded and lowercase."""
    host = (
        _SCHEME.sub("", text.strip()).lstrip("/").split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    )
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].strip(". ").lower()
    if host.startswith("www.") or host.startswith("www1.") or host.startswith("www2."):
        host = host.split(".", 1)[1]
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise WebsiteError("the host name is not valid") from None
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise WebsiteError("the host name is not valid")
    if labels[-1].isdigit():
        raise WebsiteError("an IP address is not a company domain")
    return host
