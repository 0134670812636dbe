"""Write the small demo files: one shared fictional world seen through eight sources."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sample_data import _reference as ref
from sample_data._acme import acme_frame
from sample_data._census import write_census
from sample_data._formats import eurodata_frame, events_frame, web_form_rows
from sample_data._phones import format_phone
from sample_data._render import _area_len, company_variants, render
from sample_data._world import World, build_world

DEMO_COUNTRIES = {
    "US": 0.5,
    "CA": 0.07,
    "GB": 0.12,
    "DE": 0.12,
    "FR": 0.07,
    "NL": 0.07,
    "AT": 0.03,
    "CH": 0.02,
}
PATHS = {
    "acme": "purchased_lists/acme_b2b_2026q3.csv",
    "eurodata": "purchased_lists/eurodata_contacts.csv",
    "events": "events/summit_2026_attendees.csv",
    "web": "web_forms/contact_form_export.jsonl",
    "directory": "directory/chamber_listings.jsonl",
    "census": "census/ACSDP5Y2023.DP03-zcta_sample.csv",
    "suppressions": "suppressions/global_unsubscribes.csv",
}


def with_repeats(base: np.ndarray, n_rows: int, rng: np.random.Generator) -> np.ndarray:
    """``base`` ids once each plus heavy-tailed repeats up to ``n_rows``, shuffled."""
    weights = (rng.pareto(1.5, len(base)) + 1.0).clip(max=60.0)
    extra = rng.choice(base, n_rows - len(base), p=weights / weights.sum())
    return rng.permutation(np.concatenate([base, extra]))


def _directory(world: World, rng: np.random.Generator) -> list[dict]:
    rnd = random.Random(int(rng.integers(2**62)))
    cos = world.companies
    staffed = np.flatnonzero(cos["headcount"].to_numpy() > 0)
    empty = np.flatnonzero(cos["headcount"].to_numpy() == 0)
    picks = list(staffed[:95]) + list(empty[: 110 - min(95, len(staffed))])
    picks += list(rng.choice(picks, 10, replace=False))  # the same firm listed twice
    fetched = datetime(2026, 10, 5, tzinfo=UTC)
    rows = []
    for i in picks:
        c = cos.iloc[int(i)]
        city = ref.CITIES[int(c["city_idx"])]
        name = rnd.choice(company_variants(c["base"], c["legal"])[:5])
        slug = c["domain"].split(".")[0]
        cc = ref.COUNTRY_CODES[c["country"]]
        phone = format_phone(
            cc, c["switchboard"], _area_len(c["country"], c["switchboard"]), rnd.randrange(8)
        )
        rows.append(
            {
                "url": f"https://chamber.example.org/members/{slug}-{rnd.randrange(1000, 9999)}",
                "name": name,
                "street": c["street"],
                "city": city.name,
                "region": city.region or None,
                "postal_code": c["postcode"],
                "country": rnd.choice((c["country"], ref.COUNTRY_SPELLINGS[c["country"]][0])),
                "phone": phone if rnd.random() < 0.9 else None,
                "website": rnd.choice(
                    (f"https://www.{c['domain']}/", f"http://{c['domain']}", None)
                ),
                "category": c["industry"],
                "fetched_at": (fetched + timedelta(seconds=rnd.randrange(86_400))).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
            }
        )
    return rows


def _suppressions(
    frames: list[pd.Series], mobiles: list[str], rng: np.random.Generator
) -> list[tuple[str, str, str]]:
    rnd = random.Random(int(rng.integers(2**62)))
    emails = sorted({e for f in frames for e in f if "@" in e and "." in e.partition("@")[2]})
    real = [
        (e.lower(), "email", rnd.choice(("unsubscribe", "unsubscribe", "bounce")))
        for e in rnd.sample(emails, 8)
    ]
    real += [(m, "phone", "do_not_call") for m in rnd.sample(sorted(set(mobiles) - {""}), 3)]
    fake = [
        ("former.customer@example.com", "email", "unsubscribe"),
        ("bounced@example.net", "email", "bounce"),
        ("+442079460999", "phone", "do_not_call"),
    ]
    rows = real + fake
    rnd.shuffle(rows)
    return rows


def write_demo(out: Path, *, seed: int) -> list[Path]:
    """Generate all demo files under ``out``; return the paths written."""
    rng = np.random.default_rng(seed)
    world = build_world(
        560, rng, DEMO_COUNTRIES, drama=True, big=((70, "US"), (55, "DE"), (30, "GB")), cap=25
    )
    home = world.people["country"].to_numpy()
    na = np.flatnonzero(np.isin(home, ["US", "CA"]))
    eu = np.flatnonzero(~np.isin(home, ["US", "CA"]))
    cross = rng.choice(eu, 40, replace=False)
    acme_ids = with_repeats(
        np.concatenate([rng.choice(na, min(260, len(na) - 20), replace=False), cross]), 400, rng
    )
    euro_base = np.concatenate(
        [cross, rng.choice(np.setdiff1d(eu, cross), min(150, len(eu) - 60), replace=False)]
    )
    euro_ids = with_repeats(euro_base, 250, rng)
    event_base = np.sort(rng.choice(len(home), 270, replace=False))  # sorted: colleagues together
    event_ids = np.concatenate([event_base, rng.choice(event_base, 30)])
    web_ids = with_repeats(rng.choice(len(home), 125, replace=False), 150, rng)

    acme_rec = render(world, acme_ids, rng, bad_rate=0.02)
    euro_rec = render(world, euro_ids, rng, bad_rate=0.02)
    event_rec = render(world, event_ids, rng, bad_rate=0.005, mess=0.7)
    web_rec = render(world, web_ids, rng, bad_rate=0.04, mess=0.8)
    sizes = rng.choice([1, 1, 1, 2, 2, 3, 4, 5], len(event_ids))

    paths = {k: out / v for k, v in PATHS.items()}
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    acme = acme_frame(acme_rec, rng)
    acme.to_csv(paths["acme"], index=False, encoding="utf-8", lineterminator="\n")
    euro = eurodata_frame(euro_rec, rng)
    euro.to_csv(
        paths["eurodata"],
        index=False,
        sep=";",
        encoding="cp1252",
        errors="replace",
        lineterminator="\r\n",
    )
    events = events_frame(event_rec, sizes, rng)
    events.to_csv(paths["events"], index=False, encoding="utf-8-sig", lineterminator="\r\n")
    web = web_form_rows(web_rec, rng)
    _write_jsonl(paths["web"], web)
    _write_jsonl(paths["directory"], _directory(world, rng))
    write_census(paths["census"], rng)
    frames = [
        acme["E-mail Address"],
        euro["E-Mail"],
        events["Email"],
        pd.Series([w["fields"]["email"] for w in web]),
    ]
    mobiles = list(acme_rec["mobile_e164"])  # only acme has a mobile column
    with paths["suppressions"].open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["value", "kind", "reason"])
        writer.writerows(_suppressions(frames, mobiles, rng))
    return list(paths.values())


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
