"""Frame-level corruption: duplicates get messier than first sightings; a few rows go bad."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pandas as pd

from sample_data import _reference as ref
from sample_data._corrupt import email_variant, initial, pad, recase, typo
from sample_data._world import nicknames_for

FORMULAS = ('=HYPERLINK("http://x","y")', "=1+1", "+SUM(A1:A9)", "@SUM(1+1)*cmd|' /C calc'!A0")

# (column, function, rate on duplicates, rate on first sightings)
_Op = tuple[str, Callable[[str, random.Random], str], float, float]


def _nick(first: str, rnd: random.Random) -> str:
    options = nicknames_for(first)
    return rnd.choice(options) if options else first


_OPS: tuple[_Op, ...] = (
    ("first", _nick, 0.22, 0.03),
    ("first", lambda s, r: initial(s), 0.05, 0.005),
    ("first", typo, 0.05, 0.01),
    ("last", typo, 0.06, 0.01),
    ("first", pad, 0.03, 0.01),
    ("last", pad, 0.03, 0.01),
    ("company", pad, 0.03, 0.01),
    ("company", typo, 0.03, 0.005),
    ("title", recase, 0.05, 0.02),
    ("email", email_variant, 0.15, 0.03),
)
_BLANKS = (
    ("email",),
    ("phone",),
    ("mobile", "mobile_e164"),
    ("title",),
    ("street", "city", "postcode"),
)
_BLANK_RATES = ((0.08, 0.02), (0.1, 0.04), (0.15, 0.05), (0.15, 0.05), (0.1, 0.03))


def _mask(
    rng: np.random.Generator, dup: np.ndarray, p_dup: float, p_first: float, mess: float
) -> np.ndarray:
    return rng.random(len(dup)) < np.where(dup, p_dup, p_first) * mess


def _apply(
    out: pd.DataFrame,
    col: str,
    mask: np.ndarray,
    fn: Callable[[str, random.Random], str],
    rnd: random.Random,
) -> None:
    values = out[col].to_numpy(dtype=object).copy()
    values[mask] = [fn(v, rnd) if v else v for v in values[mask]]
    out[col] = values


def apply_mess(
    out: pd.DataFrame,
    dup: np.ndarray,
    rnd: random.Random,
    rng: np.random.Generator,
    mess: float = 1.0,
) -> None:
    """Corrupt names, e-mails, phones and blanks in place, far more often on duplicates."""
    for col, fn, p_dup, p_first in _OPS:
        _apply(out, col, _mask(rng, dup, p_dup, p_first, mess), fn, rnd)
    case = _mask(rng, dup, 0.08, 0.03, mess)
    cases = (str.upper, str.lower)
    style = rng.choice(len(cases), len(dup))  # the same draws as choosing from ``cases``
    for col in ("first", "last"):
        values = out[col].to_numpy(dtype=object).copy()
        values[case] = [cases[k](v) for k, v in zip(style[case], values[case], strict=True)]
        out[col] = values
    swap = _mask(rng, dup, 0.03, 0.005, mess)
    out.loc[swap, ["first", "last"]] = out.loc[swap, ["last", "first"]].to_numpy()
    for cols, (p_dup, p_first) in zip(_BLANKS, _BLANK_RATES, strict=True):
        out.loc[_mask(rng, dup, p_dup, p_first, mess), list(cols)] = ""


def inject_bad_rows(
    out: pd.DataFrame, rng: np.random.Generator, rnd: random.Random, rate: float
) -> None:
    """Mark ``rate`` of rows bad in one of several ways; ``bad`` names the way (or is blank)."""
    n = len(out)
    bad = np.full(n, "", dtype=object)
    rows = np.flatnonzero(rng.random(n) < rate)
    kinds = np.asarray(
        ("garbage_email", "zero_phone", "no_contact", "formula", "role_email", "disposable"),
        dtype=object,
    )
    bad[rows] = kinds[rng.permutation(len(rows)) % len(kinds)]  # every kind once rows allow
    out["bad"] = bad
    for kind, fix in (
        ("garbage_email", lambda r, j: {"email": rnd.choice(ref.GARBAGE_EMAILS)}),
        ("zero_phone", lambda r, j: {"phone": rnd.choice(("000", "0000000000", "n/a", "123"))}),
        ("no_contact", lambda r, j: {"email": "", "phone": "", "mobile": "", "mobile_e164": ""}),
        (
            "formula",
            lambda r, j: {("last", "first", "company")[j % 3]: FORMULAS[j % len(FORMULAS)]},
        ),
        ("role_email", lambda r, j: {"email": f"{rnd.choice(ref.ROLE_LOCALS)}@{r['domain']}"}),
        (
            "disposable",
            lambda r, j: {
                "email": f"{r['email'].partition('@')[0] or 'lead'}@{rnd.choice(ref.DISPOSABLE)}"
            },
        ),
    ):
        for j, i in enumerate(np.flatnonzero(bad == kind).tolist()):
            for col, value in fix(out.iloc[i], j).items():
                position = out.columns.get_loc(col)
                assert isinstance(position, int)  # (column names are unique)
                out.iat[i, position] = value
