"""An ACS 5-year DP03 extract for ZCTAs, shaped like a data.census.gov download."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from sample_data import _reference as ref

_INCOME = "Estimate!!INCOME AND BENEFITS (IN 2023 INFLATION-ADJUSTED DOLLARS)"
_EMP = "EMPLOYMENT STATUS!!Population 16 years and over"
COLUMNS = {
    "GEO_ID": "Geography",
    "NAME": "Geographic Area Name",
    "DP03_0001E": f"Estimate!!{_EMP}",
    "DP03_0001M": f"Margin of Error!!{_EMP}",
    "DP03_0002E": f"Estimate!!{_EMP}!!In labor force",
    "DP03_0002M": f"Margin of Error!!{_EMP}!!In labor force",
    "DP03_0009PE": "Percent!!EMPLOYMENT STATUS!!Civilian labor force!!Unemployment Rate",
    "DP03_0009PM": "Percent Margin of Error!!EMPLOYMENT STATUS!!Civilian labor force!!"
    "Unemployment Rate",
    "DP03_0062E": f"{_INCOME}!!Total households!!Median household income (dollars)",
    "DP03_0062M": f"{_INCOME.replace('Estimate', 'Margin of Error')}!!Total households!!"
    "Median household income (dollars)",
    "DP03_0088E": f"{_INCOME}!!Per capita income (dollars)",
    "DP03_0088M": f"{_INCOME.replace('Estimate', 'Margin of Error')}!!Per capita income (dollars)",
}


def us_zips() -> list[str]:
    """Every US ZIP code the generated people's employers use."""
    return sorted({z for c in ref.CITIES if c.country == "US" for z in c.postcodes})


def _row(zcta: str, rng: np.random.Generator) -> list[str]:
    pop = int(rng.integers(4_000, 60_000))
    labor = int(pop * rng.uniform(0.55, 0.78))
    unemp = round(float(rng.uniform(1.5, 9.0)), 1)
    income = int(rng.integers(38_000, 190_000))
    per_cap = int(income * rng.uniform(0.4, 0.7))
    moe = lambda v: str(int(v * rng.uniform(0.04, 0.15)) + 1)  # noqa: E731
    return [
        f"860Z200US{zcta}",
        f"ZCTA5 {zcta}",
        str(pop),
        moe(pop),
        str(labor),
        moe(labor),
        str(unemp),
        str(round(unemp * rng.uniform(0.2, 0.5), 1)),
        str(income),
        moe(income),
        str(per_cap),
        moe(per_cap),
    ]


def write_census(path: Path, rng: np.random.Generator) -> int:
    """Write the two-header-row CSV with annotation values sprinkled in; return data rows."""
    rows = [_row(z, rng) for z in us_zips()]
    rows[0][8:10] = ["250,000+", "***"]  # top-coded median income
    rows[1][8:10] = ["-666666666", "-222222222"]  # too few sample observations
    rows[2][6:8] = ["-", "**"]
    rows[3][10:12] = ["N", "N"]
    rows[4][7] = "(X)"
    rows[5][2:4] = ["0", "13"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(COLUMNS)
        writer.writerow(COLUMNS.values())
        writer.writerows(rows)
    return len(rows)
