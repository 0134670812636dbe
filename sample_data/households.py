"""Seeded person-address leads: private people known by name and home address only (a mailing
list, a B2C sign-up sheet), with ground truth in ``true_person_id``.

Unlike the B2B generator there is no company, email or phone. Duplicates carry the mistakes
person-address data has (typos in any field, a missing field, swapped name fields, a nickname
or an initial, a mistyped postcode, the street type spelt out or not), and ``household_share``
of the people live with another person of the same surname at the same address, who is a
different person (the pair that names and address alone cannot tell from a duplicate).
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from sample_data._corrupt import initial, recase, typo
from sample_data._reference import COMMON_NICKNAMES, GIVEN, SURNAMES

COLUMNS = ("Lead ID", "First Name", "Last Name", "Address", "City", "Zip", "Country")
_TOWNS = (
    "Springfield Riverton Fairview Kingsport Ashford Milton Clayton Greenville Salem Franklin "
    "Georgetown Oakdale Bristol Lakewood Dover Hudson Marion Oxford Burlington Clinton"
)
_STREETS = (
    "Maple Oak Cedar Pine Elm Walnut Chestnut Willow Birch Hickory Lincoln Washington Jefferson "
    "Madison Franklin Highland Ridge Meadow Park Lake Hill Church Mill River Spring Sunset"
)
TOWNS, STREETS = _TOWNS.split(), _STREETS.split()
STREET_TYPES = {"Street": "St", "Avenue": "Ave", "Road": "Rd", "Drive": "Dr", "Lane": "Ln"}


def _first_names() -> list[str]:
    names = []
    for spec in GIVEN["US"]:
        names += spec.partition(":")[2].split()
    return names


def _home(rnd: random.Random) -> dict[str, str]:
    town = rnd.randrange(len(TOWNS))
    kind = rnd.choice(list(STREET_TYPES))
    return {
        "Address": f"{rnd.randint(1, 400)} {rnd.choice(STREETS)} {kind}",
        "City": TOWNS[town],
        "Zip": f"{10000 + town * 40 + rnd.randrange(40):05d}",
    }


def _corrupt(record: dict[str, str], rnd: random.Random) -> dict[str, str]:
    """One to three of the mistakes person-address duplicates carry."""
    out = dict(record)
    for _ in range(rnd.choice((1, 1, 2, 3))):
        kind = rnd.randrange(9)
        if kind == 0:
            out["First Name"] = typo(out["First Name"], rnd)
        elif kind == 1:
            out["Last Name"] = typo(out["Last Name"], rnd)
        elif kind == 2:
            out["Address"] = typo(out["Address"], rnd)
        elif kind == 3:
            out["Zip"] = typo(out["Zip"], rnd) if rnd.random() < 0.5 else out["Zip"][::-1]
        elif kind == 4:
            out[rnd.choice(("First Name", "City", "Zip"))] = ""
        elif kind == 5:
            out["First Name"], out["Last Name"] = out["Last Name"], out["First Name"]
        elif kind == 6:
            first = out["First Name"]
            nick = [n for n in COMMON_NICKNAMES if n[:1] == first[:1] and n != first]
            out["First Name"] = rnd.choice(nick) if nick and rnd.random() < 0.5 else initial(first)
        elif kind == 7:
            for long, short in STREET_TYPES.items():
                out["Address"] = out["Address"].replace(long, short)
        else:
            out["City"] = typo(out["City"], rnd)
    out["First Name"] = recase(out["First Name"], rnd)
    return out


def generate_home_addresses(
    n_rows: int, *, seed: int = 20261123, household_share: float = 0.1
) -> pd.DataFrame:
    """``n_rows`` lead rows (about 1.4 per person) with ``true_person_id``."""
    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    firsts, lasts = _first_names(), SURNAMES["US"].split()
    people: list[dict[str, str]] = []
    n_people = max(1, int(n_rows / 1.4))
    while len(people) < n_people:
        home = _home(rnd)
        last = rnd.choice(lasts)
        people.append({"First Name": rnd.choice(firsts), "Last Name": last, **home})
        if rnd.random() < household_share and len(people) < n_people:
            other = rnd.choice([f for f in firsts if f != people[-1]["First Name"]])
            people.append({"First Name": other, "Last Name": last, **home})
    extra = rng.choice(len(people), n_rows - len(people), replace=True)
    order = rng.permutation(np.concatenate([np.arange(len(people)), extra]))
    seen: set[int] = set()
    rows = []
    for i, person in enumerate(order.tolist()):
        record = people[person]
        if person in seen:
            record = _corrupt(record, rnd)
        seen.add(person)
        rows.append(
            {"Lead ID": f"H{i:07d}", **record, "Country": "US", "true_person_id": f"P{person}"}
        )
    return pd.DataFrame(rows, columns=[*COLUMNS, "true_person_id"])
