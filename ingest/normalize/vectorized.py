"""Batch forms of field groups: whole arrays of distinct input values at once.

Each function takes the distinct input values of a group (one list per input) and returns
``(handled, columns)``: a boolean mask of the values it decided, and one object array per group
output (issues last). It only decides values whose answer it knows to be exactly what the
per-value group function gives (tests compare them); everything else is left to that function.
String work runs in pandas' Arrow-backed string methods (RE2 patterns over whole arrays).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.normalize.arrow_text import bools, fullmatch, strings
from ingest.normalize.companies import (
    key_words,
    last_tokens,
    legal_words,
    recase_one_case,
    single_word_terms,
)
from ingest.normalize.emails import (
    _PLAIN_DOMAIN,
    _SPECIAL_USE,
    _SPECIAL_USE_SUFFIXES,
    DISPOSABLE_DOMAINS,
    FREE_DOMAINS,
    GMAIL_DOMAINS,
    PLACEHOLDER_PATTERN,
    PLUS_TAG_DOMAINS,
    ROLE_LOCAL_PARTS,
    STAND_IN_PATTERN,
    _domain,
)
from ingest.normalize.errors import EmailNormalizationError
from ingest.normalize.phones import read_phones
from ingest.normalize.text import EMPTY_MARKERS, MAX_VALUE_CHARS

Columns = tuple[np.ndarray, list[np.ndarray]]

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
# Printable ASCII without spaces, one "@", a dot-atom local part, a domain that ends in a letter
# or digit: clean_text leaves it unchanged and normalize_clean_email strips nothing from it.
_PLAIN_EMAIL = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
# Printable ASCII, single spaces inside only, no spreadsheet-formula lead character.
_PLAIN_TEXT = r"[!-*,./0-<>?A-~][!-~]*(?: [!-~]+)*"

ROLE_ISSUE = ("email.role_account",)
DISPOSABLE_ISSUE = ("email.disposable_domain",)


def _strings(values: Sequence[object]) -> tuple[pd.Series, np.ndarray]:
    """The values as an Arrow string Series ("" for non-strings) and which were strings."""
    is_str = np.fromiter((type(v) is str for v in values), dtype=bool, count=len(values))
    texts = strings([v if t else "" for v, t in zip(values, is_str, strict=True)])
    return pd.Series(pd.array(texts, dtype="str")), is_str


def _objects(values: Sequence[object]) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def _plain_mask(texts: pd.Series, is_str: np.ndarray) -> np.ndarray:
    """Strings ``clean_text`` returns unchanged that are not formula-like (printable ASCII)."""
    return (
        is_str
        & texts.str.fullmatch(_PLAIN_TEXT).to_numpy(dtype=bool)
        & (texts.str.len() <= MAX_VALUE_CHARS).to_numpy(dtype=bool)
        & ~texts.str.lower().isin(EMPTY_MARKERS).to_numpy(dtype=bool)
    )


def plain_text_batch(values: Sequence[object]) -> Columns:
    """``text_group`` for values that are already clean text and not formula-like."""
    texts, is_str = _strings(values)
    issues = np.fromiter((() for _ in values), dtype=object, count=len(values))
    return _plain_mask(texts, is_str), [np.asarray(values, dtype=object).copy(), issues]


def _company_display(display: pd.Series) -> np.ndarray:
    """``normalize_company``'s display names: one-case names re-cased word by word."""
    out = display.to_numpy(dtype=object, copy=True)
    one_case = ((display == display.str.upper()) | (display == display.str.lower())).to_numpy(
        dtype=bool
    )
    for i in np.flatnonzero(one_case):
        out[i] = recase_one_case(out[i])
    return out


def _norm_token(tokens: pd.Series) -> pd.Series:
    """``strip_legal_form``'s token normalization (ASCII): lowercase without ". , -"."""
    return tokens.str.lower().str.replace(r"[.,\-]", "", regex=True)


def _without_legal_form(display: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``strip_legal_form`` of ASCII names where only the last token can be a legal form.

    When the token before the last is in no legal-form term, cleanco's scan can only remove
    the last token, and only when it is a one-token term. Returns (result, decided).
    """
    name = display.str.replace(r"[^.\w]+$", "", regex=True)
    has_prev = name.str.contains(" ", regex=False).to_numpy(dtype=bool)
    last = _norm_token(name.str.replace(r"^.* ", "", regex=True))
    prev = _norm_token(name.str.replace(r"^(?:.* )?([^ ]+) [^ ]+$", r"\1", regex=True))
    no_term = ~last.isin(last_tokens()).to_numpy(dtype=bool)
    single = (~has_prev | ~prev.isin(legal_words()).to_numpy(dtype=bool)) & ~no_term
    strip = single & last.isin(single_word_terms()).to_numpy(dtype=bool)
    head = name.str.replace(r"(?:^| )[^ ]+$", "", regex=True).str.replace(
        r"[^.\w]+$", "", regex=True
    )
    result = name.where(~strip, head)
    decided = (no_term | single) & (name != "").to_numpy(dtype=bool)
    return result, decided


def company_batch(values: Sequence[object]) -> Columns:
    """``company_group`` for plain ASCII names whose legal form is at most their last token."""
    size = len(values)
    texts, is_str = _strings(values)
    outputs = [np.full(size, None, dtype=object) for _ in range(2)]
    outputs.append(_objects([()] * size))
    handled = _plain_mask(texts, is_str)
    rows = np.flatnonzero(handled)
    display = texts.iloc[rows].str.strip(" ,;")
    stripped, decided = _without_legal_form(display)
    base = stripped.where(stripped != "", display).str.lower()
    decided &= ~base.str.contains("&", regex=False).to_numpy(dtype=bool)
    codes, bases = pd.factorize(base)
    keys = _objects([key_words(b) for b in bases]).take(codes)
    decided &= keys != ""
    handled[rows[~decided]] = False
    rows, display = rows[decided], display[decided]
    outputs[0][rows] = _company_display(display)
    outputs[1][rows] = keys[decided]
    return handled, outputs


@cache
def _disposable_set() -> pa.Array:
    return pa.array(sorted(DISPOSABLE_DOMAINS), type=pa.string())


@cache
def _free_set() -> pa.Array:
    return pa.array(sorted(FREE_DOMAINS), type=pa.string())


def _plain_domains(names: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Which ASCII domains ``_plain_ascii_domain`` accepts, and their lowercase form."""
    low = pc.ascii_lower(names)
    plain = fullmatch(low, _PLAIN_DOMAIN.pattern)
    plain &= np.array(pc.utf8_length(low), dtype=np.int64) <= 253
    plain &= ~bools(pc.match_substring(low, "--"))
    plain &= ~bools(pc.is_in(low, value_set=pa.array(sorted(_SPECIAL_USE))))
    for suffix in _SPECIAL_USE_SUFFIXES:
        plain &= ~bools(pc.ends_with(low, suffix))
    return plain, low


def _disposable(low: pa.Array) -> np.ndarray:
    """The domain or a parent of two labels or more is a disposable-mail domain."""
    found = bools(pc.is_in(low, value_set=_disposable_set()))
    dots = np.array(pc.count_substring(low, "."), dtype=np.int64)
    for labels in range(1, int(dots.max(initial=0))):
        parent = pc.replace_substring_regex(low, rf"^(?:[^.]*\.){{{labels}}}", "")
        found |= (dots > labels) & bools(pc.is_in(parent, value_set=_disposable_set()))
    return found


def _placeholder(low: pa.Array) -> np.ndarray:
    """``emails.is_placeholder_domain`` of lowercase ASCII domains."""
    return fullmatch(low, PLACEHOLDER_PATTERN)


def _domain_facts(names: list[str]) -> tuple[np.ndarray, ...]:
    """``_domain`` of ASCII domains: (valid, ascii, unicode, is_free, is_disposable,
    is_placeholder) arrays.

    Plain domains are decided as whole arrays, the others one by one through ``_domain``.
    """
    size = len(names)
    plain, low = _plain_domains(strings(names))
    ascii_ = np.array(low, dtype=object)
    ok = plain.copy()
    disposable = np.zeros(size, dtype=bool)
    free = np.zeros(size, dtype=bool)
    placeholder = np.zeros(size, dtype=bool)
    plain_low = low.filter(pa.array(plain))
    disposable[plain] = _disposable(plain_low)
    free[plain] = bools(pc.is_in(plain_low, value_set=_free_set()))
    placeholder[plain] = _placeholder(plain_low)
    free &= ~disposable
    unicode_ = ascii_.copy()
    for i in np.flatnonzero(~plain):
        try:
            info = _domain(names[i])
        except EmailNormalizationError:
            continue
        ok[i], ascii_[i], unicode_[i] = True, info.ascii, info.unicode
        free[i], disposable[i] = info.is_free, info.is_disposable
        placeholder[i] = info.is_placeholder
    return ok, ascii_, unicode_, free, disposable, placeholder


def email_batch(values: Sequence[object]) -> Columns:
    """``email_group`` for plain addresses whose domain is valid (and cached per domain)."""
    size = len(values)
    texts, is_str = _strings(values)
    handled = is_str & texts.str.fullmatch(_PLAIN_EMAIL).to_numpy(dtype=bool)
    handled &= (texts.str.len() <= 320).to_numpy(dtype=bool)
    rows = np.flatnonzero(handled)
    outputs = [np.full(size, None, dtype=object) for _ in range(9)]
    if not len(rows):
        return handled, outputs
    plain = texts.iloc[rows]  # exactly one "@" (neither part's pattern allows another)
    local = plain.str.replace(r"@.*$", "", regex=True)
    domain = plain.str.replace(r"^.*@", "", regex=True)
    domain_codes, domains = pd.factorize(domain)
    facts = [column.take(domain_codes) for column in _domain_facts(domains.tolist())]
    ok, ascii_, unicode_, is_free, is_disposable, is_placeholder = facts
    ok &= (local.str.len() <= 64).to_numpy(dtype=bool)
    ok &= (local.str.len().to_numpy() + 1 + np.fromiter(map(len, ascii_), int, len(ascii_))) <= 254
    handled[rows[~ok]] = False
    rows, local, ascii_ = rows[ok], local[ok], ascii_[ok]
    unicode_, is_free, is_disposable = unicode_[ok], is_free[ok], is_disposable[ok]
    is_placeholder = is_placeholder[ok]
    if not len(rows):
        return handled, outputs
    ascii_s = pd.Series(ascii_, index=local.index, dtype="str")
    unicode_s = pd.Series(unicode_, index=local.index, dtype="str")
    low = local.str.lower()
    key_local = low.where(
        ~ascii_s.isin(PLUS_TAG_DOMAINS), low.str.replace(r"^(.[^+]*)\+.*$", r"\1", regex=True)
    )
    gmail = ascii_s.isin(GMAIL_DOMAINS)
    key_local = key_local.where(~gmail, key_local.str.replace(".", "", regex=False))
    key = key_local + "@" + ascii_s.where(~gmail, "gmail.com")
    is_role = low.str.replace(r"\+.*$", "", regex=True).isin(ROLE_LOCAL_PARTS).to_numpy(bool)
    issue_table = np.empty(4, dtype=object)
    issue_table[:] = [(), ROLE_ISSUE, DISPOSABLE_ISSUE, ROLE_ISSUE + DISPOSABLE_ISSUE]
    outputs[0][rows] = (local + "@" + unicode_s).to_numpy(dtype=object)
    outputs[1][rows] = np.asarray(values, dtype=object)[rows]
    outputs[2][rows] = key.to_numpy(dtype=object)
    outputs[3][rows] = ascii_
    outputs[4][rows] = _objects(is_role.tolist())
    outputs[5][rows] = _objects(is_free.tolist())
    outputs[6][rows] = _objects(is_disposable.tolist())
    outputs[7][rows] = _objects(is_placeholder.tolist())
    outputs[8][rows] = issue_table.take(is_role.astype(int) + 2 * is_disposable.astype(int))
    return handled, outputs


def _phone_columns(raws: Sequence[object], regions: Sequence[object]) -> Columns:
    """(number, original, type, extension, digit key, issues) for empty and plain valid cells."""
    size = len(raws)
    found = read_phones(raws, regions)
    outputs = [found.e164, _objects([raw if isinstance(raw, str) else None for raw in raws])]
    outputs += [found.phone_type, found.extension, found.national, _objects([()] * size)]
    return found.empty | found.valid, outputs


def phone_batch(raws: Sequence[object], regions: Sequence[object]) -> Columns:
    """``phone_group`` for empty cells and plain valid numbers."""
    return _phone_columns(raws, regions)


def mobile_batch(raws: Sequence[object], regions: Sequence[object]) -> Columns:
    """``mobile_group`` for empty cells and plain valid numbers (extension dropped)."""
    handled, (number, original, kind, _ext, digits, issues) = _phone_columns(raws, regions)
    return handled, [number, original, kind, digits, issues]


_PLAIN_SITE = r"(?:[Hh][Tt][Tt][Pp][Ss]?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/?"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"


def website_batch(values: Sequence[object]) -> Columns:
    """``website_group`` for plain http(s) URLs or bare hosts whose host is a valid domain."""
    texts, is_str = _strings(values)
    handled = is_str & texts.str.fullmatch(_PLAIN_SITE).to_numpy(dtype=bool)
    host = (
        texts.str.replace(r"^[Hh][Tt][Tt][Pp][Ss]?://", "", regex=True)
        .str.replace(r"/$", "", regex=True)
        .str.lower()
        .str.replace(r"^www[12]?\.", "", regex=True)
    )
    handled &= host.str.fullmatch(rf"(?:{_LABEL}\.)+{_LABEL}").to_numpy(dtype=bool)
    handled &= ~host.str.fullmatch(r".*\.[0-9]+").to_numpy(dtype=bool)  # an IP address
    handled &= (texts.str.len() <= MAX_VALUE_CHARS).to_numpy(dtype=bool)
    handled &= ~texts.str.lower().isin(EMPTY_MARKERS).to_numpy(dtype=bool)
    issues = _objects([()] * len(values))
    return handled, [np.asarray(values, dtype=object).copy(), host.to_numpy(dtype=object), issues]


def _company_domains(domains: Sequence[object]) -> np.ndarray:
    """``emails.is_company_domain`` of website domains (None or "" is not one)."""
    texts = [d if isinstance(d, str) else "" for d in domains]
    low = strings(texts)
    ok = np.fromiter(map(bool, texts), dtype=bool, count=len(texts))
    ok &= ~bools(pc.is_in(low, value_set=_free_set()))
    ok &= ~_disposable(low)
    ok &= ~fullmatch(low, STAND_IN_PATTERN)
    return ok


def company_domain_batch(
    site_domains: Sequence[object],
    email_domains: Sequence[object],
    is_free: Sequence[object],
    is_disposable: Sequence[object],
    is_placeholder: Sequence[object],
) -> Columns:
    """``company_domain_group`` for every combination: the website's domain unless free,
    disposable or a placeholder, else a company email's domain (flags exactly ``False``)."""
    size = len(site_domains)
    site_ok = _company_domains(site_domains)
    email = pd.Series(_objects(email_domains), dtype=object)
    email_ok = (email.notna() & (email != "")).to_numpy(dtype=bool, copy=True)
    for flags in (is_free, is_disposable, is_placeholder):
        email_ok &= np.fromiter((v is False for v in flags), dtype=bool, count=size)
    domains = np.full(size, None, dtype=object)
    domains[email_ok] = email.to_numpy(dtype=object)[email_ok]
    domains[site_ok] = np.asarray(site_domains, dtype=object)[site_ok]
    return np.ones(size, dtype=bool), [domains, _objects([()] * size)]
