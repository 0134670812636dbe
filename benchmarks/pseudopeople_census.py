"""Write pseudopeople's simulated census and survey responses as a labelled people file.

    python benchmarks/pseudopeople_census.py OUT.csv     # with pseudopeople installed, see below

pseudopeople (IHME, BSD-3-Clause) simulates a population and the records that administrative
sources keep of it, with configurable noise: typos, phonetic and OCR errors, nicknames, swapped
fields, missing values, copies from a household member. Its bundled sample population (one
small town) is used, with the default noise, seed ``SEED``, every year it covers: the decennial
census (2020, 2030, 2040), the American Community Survey and the Current Population Survey.
One person answers several of them, at the home they had then (people move between censuses);
the members of a household share the address and usually the surname: people at home addresses
with dates of birth, spouses, children and relatives as hard negatives, and a generator nobody
on the team wrote.

Kept, under pseudopeople's own headers: ``first_name``, ``middle_initial``, ``last_name``,
``date_of_birth`` (every source gives it, so ``age``, which changes with the year of the
response, is left out), ``sex``, ``street_number``, ``street_name``, ``unit_number``, ``city``,
``state``, ``zipcode``, plus ``record_id`` and the truth ``simulant_id``. Left out: the
simulation's keys (``household_id``), the response's year or survey date, ``housing_type``,
``relationship_to_reference_person`` and ``race_ethnicity`` (no lead list has them). The sample
town is "Anytown", WA 00000 for nearly everyone: city, state and zip differ only by noise.

At most ``ROWS`` rows, a seeded sample that keeps duplicates and households: each person is
put with the household of their first response, households are drawn in a seeded order and
all responses of their members are taken while the total stays within ``ROWS``; the rows are
then shuffled.

pseudopeople pulls in the vivarium framework, so it runs in a venv of its own, not the
project's: ``python3 -m venv /tmp/pp && /tmp/pp/bin/pip install pseudopeople==1.3.1 &&
/tmp/pp/bin/python benchmarks/pseudopeople_census.py ../shared/pseudopeople-census.csv``; the
benchmarks read the file from ``$LEADFLOW_PSEUDOPEOPLE_CENSUS`` (default
``../shared/pseudopeople-census.csv``).
"""

from __future__ import annotations

import sys

SEED = 20261208
ROWS = 10_000
KEPT = (
    "first_name",
    "middle_initial",
    "last_name",
    "date_of_birth",
    "sex",
    "street_number",
    "street_name",
    "unit_number",
    "city",
    "state",
    "zipcode",
)


def main(out: str) -> None:
    import numpy as np
    import pandas as pd
    import pseudopeople

    sources = [
        pseudopeople.generate_decennial_census(seed=SEED, year=None, verbose=False),
        pseudopeople.generate_american_community_survey(seed=SEED, year=None, verbose=False),
        pseudopeople.generate_current_population_survey(seed=SEED, year=None, verbose=False),
    ]
    when = [s["year"].astype(int) if "year" in s else s["survey_date"].dt.year for s in sources]
    rows = pd.concat(
        [s.assign(_when=w.to_numpy()) for s, w in zip(sources, when, strict=True)],
        ignore_index=True,
    )
    first = rows.sort_values(["_when", "simulant_id"], kind="stable")
    home = first.drop_duplicates("simulant_id").set_index("simulant_id")["household_id"]
    per_home = rows["simulant_id"].map(home).value_counts()
    order = np.random.default_rng(SEED).permutation(np.sort(per_home.index.to_numpy()))
    sizes = per_home.reindex(order)
    taken = set(sizes.index[sizes.cumsum().to_numpy() <= ROWS])
    rows = rows[rows["simulant_id"].map(home).isin(taken)]
    rows = rows.sample(frac=1, random_state=SEED).reset_index(drop=True)
    frame = rows[list(KEPT)].astype("string").fillna("")
    frame.insert(0, "record_id", [f"P{i:05d}" for i in range(len(frame))])
    frame["simulant_id"] = rows["simulant_id"].astype(str)
    frame.to_csv(out, index=False)
    counts = frame["simulant_id"].value_counts()
    pairs = int((counts * (counts - 1) // 2).sum())
    print(
        f"{len(frame)} responses of {len(counts)} people in {len(taken)} households "
        f"({pairs} true pairs) written to {out}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
