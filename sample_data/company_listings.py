"""Seeded company-directory listings with ground truth: the same firm listed by several
directories and chambers, in the ways listings differ (legal form written out, dropped or
upper-cased; a typo in the name; the website with or without ``www``, or missing; the main
line in another format, or missing; the street type abbreviated; the country spelt out).

Truth is in ``true_company_id``. There is no person name: the company is the entity.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from sample_data import _reference as ref
from sample_data._corrupt import typo
from sample_data._phones import format_phone
from sample_data._render import _area_len, company_variants
from sample_data._world import build_world

COLUMNS = ("Listing ID", "Company", "Website", "Phone", "Address", "City", "Zip", "Country")
LISTING_COUNTRIES = {"US": 0.6, "CA": 0.1, "GB": 0.15, "DE": 0.15}
ABBREVIATIONS = {"Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr", "Lane": "Ln"}


def _listing(company: pd.Series, rnd: random.Random, first: bool) -> dict[str, str]:
    """One listing of ``company``; the first listing of a firm is its clean form."""
    city = ref.CITIES[int(company["city_idx"])]
    name = company_variants(company["base"], company["legal"])[0 if first else rnd.randrange(7)]
    street = company["street"]
    domain = company["domain"]
    website = f"https://www.{domain}/"
    phone = format_phone(
        ref.COUNTRY_CODES[company["country"]],
        company["switchboard"],
        _area_len(company["country"], company["switchboard"]),
        0 if first else rnd.randrange(8),
    )
    country = company["country"]
    if not first:
        if rnd.random() < 0.15:
            name = typo(name, rnd)
        website = rnd.choice((website, f"http://{domain}", domain, ""))
        if rnd.random() < 0.2:
            phone = ""
        for long, short in ABBREVIATIONS.items():
            if rnd.random() < 0.5:
                street = street.replace(long, short)
        if rnd.random() < 0.3:
            country = ref.COUNTRY_SPELLINGS[country][0]
    return {
        "Company": name,
        "Website": website,
        "Phone": phone,
        "Address": street,
        "City": city.name,
        "Zip": company["postcode"],
        "Country": country,
    }


def generate_company_listings(n_rows: int, *, seed: int = 20261123) -> pd.DataFrame:
    """``n_rows`` listings (about 1.5 per firm, heavy-tailed) with ``true_company_id``."""
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    world = build_world(max(800, 5 * n_rows), rng, LISTING_COUNTRIES)  # ~6 staff per firm
    companies = world.companies
    n_firms = min(len(companies), max(1, int(n_rows / 1.5)))
    firms = rng.choice(len(companies), n_firms, replace=False)
    weights = (rng.pareto(1.5, n_firms) + 1.0).clip(max=8.0)
    extra = rng.choice(firms, n_rows - n_firms, p=weights / weights.sum())
    order = rng.permutation(np.concatenate([firms, extra]))
    seen: set[int] = set()
    rows = []
    for i, firm in enumerate(order.tolist()):
        rows.append(
            {
                "Listing ID": f"C{i:07d}",
                **_listing(companies.iloc[firm], rnd, firm not in seen),
                "true_company_id": f"F{firm}",
            }
        )
        seen.add(firm)
    return pd.DataFrame(rows, columns=[*COLUMNS, "true_company_id"])
