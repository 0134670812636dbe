"""A fictional world of companies and the people who work there, built with numpy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from nicknames import NickNamer

from sample_data import _reference as ref
from sample_data._corrupt import ascii_slug
from sample_data._phones import build_pool, complete

EMAIL_PATTERNS = 5  # first.last, flast, first, firstl, first_last


@dataclass(frozen=True)
class World:
    """Companies (one row each) and people (one row each, ``person_id`` = row index)."""

    companies: pd.DataFrame
    people: pd.DataFrame


@cache
def _names(country: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    male, female = (part.split(":", 1)[1].split() for part in ref.GIVEN[country])
    surnames = tuple(s.replace("_", " ") for s in ref.SURNAMES[country].split())
    return tuple(male), tuple(female), surnames


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def nicknames_for(name: str) -> tuple[str, ...]:
    """Common nicknames of a given name, from the nicknames package's data."""
    found = _nicknamer().nicknames_of(name.lower())
    common = sorted(n for n in found if n in ref.COMMON_NICKNAMES)
    return tuple(n.title() for n in common)


def _email_local(first: str, last: str, pattern: int) -> str:
    f, surname = ascii_slug(first.split("-")[0]), ascii_slug(last)
    return (f"{f}.{surname}", f"{f[:1]}{surname}", f, f"{f}{surname[:1]}", f"{f}_{surname}")[
        pattern
    ]


def _companies(
    n: int, rng: np.random.Generator, country_p: dict[str, float], first: list[str]
) -> pd.DataFrame:
    countries = list(country_p)
    p = np.array(list(country_p.values()), dtype=float)
    country = np.asarray(countries, dtype=object)[rng.choice(len(countries), n, p=p / p.sum())]
    country[: len(first)] = first
    heads = np.asarray(ref.COMPANY_HEADS, dtype=object)[rng.integers(0, len(ref.COMPANY_HEADS), n)]
    tails = np.asarray(ref.COMPANY_TAILS, dtype=object)[rng.integers(0, len(ref.COMPANY_TAILS), n)]
    mids = np.asarray(ref.COMPANY_MIDS, dtype=object)[rng.integers(0, len(ref.COMPANY_MIDS), n)]
    heads = np.where(rng.random(n) < min(0.9, n / 3000), heads + " " + mids, heads)
    df = pd.DataFrame({"country": country, "base": heads + " " + tails})
    city_idx = np.empty(n, dtype=np.int64)
    legal = np.empty(n, dtype=object)
    for c in countries:
        mask = (df["country"] == c).to_numpy()
        options = [i for i, city in enumerate(ref.CITIES) if city.country == c]
        city_idx[mask] = np.asarray(options)[rng.integers(0, len(options), mask.sum())]
        forms = np.asarray(ref.LEGAL_FORMS[c], dtype=object)
        legal[mask] = forms[rng.integers(0, len(forms), mask.sum())]
    df["city_idx"] = city_idx
    df["legal"] = legal
    slug = df["base"].str.lower().str.replace(" ", "-", regex=False)
    seen = slug.groupby(slug).cumcount()
    slug = slug.where(seen == 0, slug + (seen + 1).astype(str))
    df["domain"] = slug + "." + df["country"].map(ref.TLDS)
    cities = [ref.CITIES[i] for i in city_idx]
    pick = rng.integers(0, 1000, (n, 2))
    df["street"] = [
        f"{1 + k % 480} {c.streets[j % len(c.streets)]}"
        if c.country in ("US", "CA", "GB")
        else f"{c.streets[j % len(c.streets)]} {1 + k % 120}"
        for c, (k, j) in zip(cities, pick, strict=True)
    ]
    df["postcode"] = [
        c.postcodes[j % len(c.postcodes)] for c, j in zip(cities, pick[:, 1], strict=True)
    ]
    df["industry"] = np.asarray(ref.INDUSTRIES, dtype=object)[
        rng.integers(0, len(ref.INDUSTRIES), n)
    ]
    df["email_pattern"] = rng.integers(0, EMAIL_PATTERNS, n)
    return df


def _sizes(n_people: int, rng: np.random.Generator, big: tuple[int, ...], cap: int) -> np.ndarray:
    """Heavy-tailed company sizes: many 2-10, a few 50+ (``big`` are placed first)."""
    draws = np.ceil(rng.lognormal(1.2, 1.15, n_people // 2 + 10)).clip(1, cap).astype(np.int64)
    sizes = np.concatenate([np.asarray(big, dtype=np.int64), draws])
    cut = int(np.searchsorted(np.cumsum(sizes), n_people)) + 1
    sizes = sizes[:cut].copy()
    sizes[-1] -= sizes.sum() - n_people
    return sizes


def _pools(
    rng: np.random.Generator, drama: bool
) -> tuple[dict[int, tuple[list[str], int]], dict[str, tuple[list[str], int]]]:
    land: dict[int, tuple[list[str], int]] = {}
    for i, city in enumerate(ref.CITIES):
        cc = ref.COUNTRY_CODES[city.country]
        if drama and city.name in ref.UK_DRAMA:
            land[i] = ([ref.UK_DRAMA[city.name]], 3)
        else:
            land[i] = (build_pool(rng, cc, city.landline, city.nsn_len), 4)
    mobile: dict[str, tuple[list[str], int]] = {}
    for country, prefixes in ref.MOBILE_PREFIXES.items():
        cc = ref.COUNTRY_CODES[country]
        stems = [s for p in prefixes for s in build_pool(rng, cc, p, ref.MOBILE_NSN_LEN[country])]
        mobile[country] = (stems, 4)
    return land, mobile


def _numbers(
    rng: np.random.Generator, keys: np.ndarray, pools: dict, mask: np.ndarray | None = None
) -> np.ndarray:
    """One national number per row, drawn from the pool named by ``keys`` (blank where masked)."""
    out = np.full(len(keys), "", dtype=object)
    want = np.ones(len(keys), bool) if mask is None else mask
    for key in pd.unique(keys[want]):
        rows = want & (keys == key)
        stems, tail = pools[key]
        out[rows] = complete(rng, stems, int(rows.sum()), tail)
    return out


def _locals(first: pd.Series, last: pd.Series, pattern: np.ndarray) -> np.ndarray:
    """E-mail local parts, computed once per distinct (first, last, pattern)."""
    fc, fu = pd.factorize(first)
    lc, lu = pd.factorize(last)
    key = (fc.astype(np.int64) * len(lu) + lc) * EMAIL_PATTERNS + pattern
    uniq, inverse = np.unique(key, return_inverse=True)
    pat = uniq % EMAIL_PATTERNS
    rest = uniq // EMAIL_PATTERNS
    done = [
        _email_local(fu[r // len(lu)], lu[r % len(lu)], int(p))
        for r, p in zip(rest, pat, strict=True)
    ]
    return np.asarray(done, dtype=object)[inverse]


def _new_employer(
    comp0: np.ndarray, co_country: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A different employer, in the same country nine times out of ten."""
    n_comp = len(co_country)
    anywhere = (comp0 + rng.integers(1, n_comp, len(comp0))) % n_comp
    order = np.argsort(co_country, kind="stable")
    keys, starts, counts = np.unique(co_country[order], return_index=True, return_counts=True)
    group = np.searchsorted(keys, co_country[comp0])
    local = order[starts[group] + (rng.random(len(comp0)) * counts[group]).astype(np.int64)]
    local = np.where(local == comp0, anywhere, local)
    return np.where(rng.random(len(comp0)) < 0.9, local, anywhere)


def build_world(
    n_people: int,
    rng: np.random.Generator,
    country_p: dict[str, float],
    *,
    drama: bool = False,
    big: tuple[tuple[int, str], ...] = (),
    cap: int = 3000,
) -> World:
    """Build companies with heavy-tailed headcounts and the people employed there."""
    sizes = _sizes(n_people, rng, tuple(size for size, _ in big), cap)
    n_comp = len(sizes) + max(50, len(sizes) // 4)  # some companies only hire movers
    companies = _companies(n_comp, rng, country_p, [country for _, country in big])
    land, mobile = _pools(rng, drama)
    city = companies["city_idx"].to_numpy()
    companies["switchboard"] = _numbers(rng, city, land)
    headcount = np.bincount(np.repeat(np.arange(len(sizes)), sizes), minlength=n_comp)
    companies["headcount"] = headcount

    comp0 = np.repeat(np.arange(len(sizes)), sizes)
    n = len(comp0)
    country = companies["country"].to_numpy()[comp0]
    gender = np.where(rng.random(n) < 0.5, "m", "f").astype(object)
    first = np.empty(n, dtype=object)
    last = np.empty(n, dtype=object)
    for c in pd.unique(country):
        male, female, surnames = _names(c)
        rows = country == c
        k = int(rows.sum())
        m_pick = np.asarray(male, dtype=object)[rng.integers(0, len(male), k)]
        f_pick = np.asarray(female, dtype=object)[rng.integers(0, len(female), k)]
        first[rows] = np.where(gender[rows] == "m", m_pick, f_pick)
        sur = np.asarray(surnames, dtype=object)
        last[rows] = sur[rng.integers(0, len(sur), k)]
        hyphen = rng.random(k) < 0.04
        last[rows] = np.where(
            hyphen, last[rows] + "-" + sur[rng.integers(0, len(sur), k)], last[rows]
        )
    people = pd.DataFrame(
        {"company0": comp0, "country": country, "gender": gender, "first": first, "last": last}
    )
    people["title"] = np.asarray(ref.TITLES, dtype=object)[rng.integers(0, len(ref.TITLES), n)]
    moved = rng.random(n) < 0.08
    comp1 = np.where(moved, _new_employer(comp0, companies["country"].to_numpy(), rng), -1)
    people["company1"] = comp1
    patterns = companies["email_pattern"].to_numpy()
    domains = companies["domain"].to_numpy()
    people["email0"] = (
        _locals(people["first"], people["last"], patterns[comp0]) + "@" + domains[comp0]
    )
    email1 = _locals(people["first"], people["last"], patterns[np.maximum(comp1, 0)])
    people["email1"] = np.where(moved, email1 + "@" + domains[np.maximum(comp1, 0)], "")
    free = rng.random(n) < 0.12
    free_dom = np.asarray(ref.FREE_MAIL, dtype=object)[rng.integers(0, len(ref.FREE_MAIL), n)]
    year = rng.integers(60, 100, n).astype(str).astype(object)
    free_local = np.where(
        rng.random(n) < 0.5,
        _locals(people["first"], people["last"], np.zeros(n, int)),
        _locals(people["first"], people["last"], np.full(n, 1)) + year,
    )
    people["personal_email"] = np.where(free, free_local + "@" + free_dom, "")
    nanp = np.isin(country, ["US", "CA"])
    mobile_key = np.where(nanp, city[comp0], country).astype(object)
    mob_pools: dict = {**land, **mobile}
    people["mobile"] = _numbers(rng, mobile_key, mob_pools, rng.random(n) < 0.4)
    people["direct0"] = _numbers(rng, city[comp0], land, rng.random(n) < 0.3)
    people["direct1"] = _numbers(
        rng, city[np.maximum(comp1, 0)], land, moved & (rng.random(n) < 0.6)
    )
    people["ext"] = np.where(rng.random(n) < 0.2, rng.integers(100, 999, n).astype(str), "")
    return World(companies=companies, people=people)
