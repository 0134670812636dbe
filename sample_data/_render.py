"""Render people of a world as messy lead records (one row per record, any source shape)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from sample_data import _reference as ref
from sample_data._mess import apply_mess, inject_bad_rows
from sample_data._phones import INTL_STYLES, format_phone
from sample_data._world import World


def company_variants(base: str, legal: str) -> tuple[str, ...]:
    """The ways one company's name gets written: canonical first."""
    long = ref.LEGAL_LONG.get(legal, legal)
    return (
        f"{base} {legal}",
        f"{base}, {legal}",
        base,
        f"{base} {legal}".upper(),
        f"{base} {long}",
        base.lower(),
        f"{base.upper()} {long.upper()}",
    )


_VARIANT_P = np.array([0.45, 0.12, 0.16, 0.07, 0.08, 0.04, 0.08])


def _area_len(country: str, nsn: str) -> int:
    if country in ("US", "CA"):
        return 3
    for prefix in ref.MOBILE_PREFIXES.get(country, ()):
        if nsn.startswith(prefix) and len(nsn) == ref.MOBILE_NSN_LEN[country]:
            return len(prefix)
    for city in ref.CITIES:
        if city.country == country and nsn.startswith(city.landline):
            return len(city.landline)
    return 2


def _fmt(countries: np.ndarray, nsns: np.ndarray, styles: np.ndarray, exts: np.ndarray) -> list:
    return [
        format_phone(ref.COUNTRY_CODES[c], n, _area_len(c, n), int(s), e)
        for c, n, s, e in zip(countries, nsns, styles, exts, strict=True)
    ]


def _website(domain: str, k: int) -> str:
    return (f"www.{domain}", f"https://www.{domain}/", f"http://{domain}", domain, "")[k]


def _employees(count: int, k: int) -> str:
    est = max(1, int(count * (3 + k % 7)))
    for lo, hi in ((1, 10), (11, 50), (51, 200), (201, 500), (501, 1000), (1001, 5000)):
        if est <= hi:
            return f"{lo}-{hi}" if k % 3 else str(est)
    return "5000+"


def render(
    world: World,
    pids: np.ndarray,
    rng: np.random.Generator,
    *,
    bad_rate: float = 0.01,
    mess: float = 1.0,
    dup: np.ndarray | None = None,
) -> pd.DataFrame:
    """Turn person ids into records; repeats (or rows flagged in ``dup``) get messier."""
    ppl = world.people.iloc[pids].reset_index(drop=True)
    cos = world.companies
    n = len(pids)
    rnd = random.Random(int(rng.integers(2**62)))
    dup = pd.Series(pids).duplicated().to_numpy() if dup is None else dup
    u = lambda: rng.random(n)  # noqa: E731
    slot1 = (ppl["company1"].to_numpy() >= 0) & (u() < 0.5)
    comp = np.where(slot1, ppl["company1"], ppl["company0"]).astype(np.int64)
    co = cos.iloc[comp].reset_index(drop=True)
    country = co["country"].to_numpy()
    out = pd.DataFrame(
        {
            "person_id": pids,
            "first": ppl["first"],
            "last": ppl["last"],
            "title": ppl["title"],
            "gender": ppl["gender"],
        }
    )
    names = np.empty(len(cos), dtype=object)
    used = np.unique(comp)
    names[used] = [
        company_variants(b, g)
        for b, g in zip(cos["base"].iloc[used], cos["legal"].iloc[used], strict=True)
    ]
    variant = rng.choice(len(_VARIANT_P), n, p=_VARIANT_P)
    out["company"] = [names[c][v] for c, v in zip(comp, variant, strict=True)]
    out["company_id"] = comp

    work = np.where(slot1, ppl["email1"], ppl["email0"])
    personal = ppl["personal_email"].to_numpy()
    out["email"] = np.where((personal != "") & (u() < 0.75), personal, work)

    direct = np.where(slot1, ppl["direct1"], ppl["direct0"])
    use_direct = (direct != "") & (u() < 0.7)
    nsn = np.where(use_direct, direct, co["switchboard"])
    ext = np.where(~use_direct & (ppl["ext"] != "") & (u() < 0.6), ppl["ext"], "")
    ext = np.asarray(
        [f"{rnd.choice((' x', ' ext. ', ' Ext ', ' #'))}{e}" if e else "" for e in ext]
    )
    styles = rng.integers(0, INTL_STYLES, n)
    out["phone"] = _fmt(country, nsn, styles, ext)
    mob = np.where(u() < 0.7, ppl["mobile"], "")
    out["mobile"] = _fmt(
        ppl["country"].to_numpy(), mob, rng.integers(0, INTL_STYLES, n), np.full(n, "")
    )
    out["mobile_e164"] = np.where(mob != "", "+" + ppl["country"].map(ref.COUNTRY_CODES) + mob, "")
    out["country_code"] = country
    out["street"] = co["street"]
    out["city"] = [ref.CITIES[i].name for i in co["city_idx"]]
    out["region"] = [ref.CITIES[i].region for i in co["city_idx"]]
    out["postcode"] = co["postcode"]
    spell = rng.integers(0, 6, n)
    out["country"] = [
        ref.COUNTRY_SPELLINGS[c][k % len(ref.COUNTRY_SPELLINGS[c])]
        for c, k in zip(country, spell, strict=True)
    ]
    out["website"] = [
        _website(d, k) for d, k in zip(co["domain"], rng.integers(0, 5, n), strict=True)
    ]
    out["domain"] = co["domain"]
    out["industry"] = co["industry"]
    out["employees"] = [
        _employees(c, k) for c, k in zip(co["headcount"], rng.integers(0, 21, n), strict=True)
    ]
    apply_mess(out, dup, rnd, rng, mess)
    inject_bad_rows(out, rng, rnd, bad_rate)
    return out
