"""Write pseudopeople's simulated W-2 and 1099 tax forms as a labelled lead file.

    python benchmarks/pseudopeople_w2.py OUT.csv     # with pseudopeople installed, see below

pseudopeople (IHME, BSD-3-Clause) simulates a population and the records that administrative
sources keep of it, with configurable noise: typos, phonetic and OCR errors, nicknames, swapped
fields, missing values. Its bundled sample population is used, with the default noise, seed
``SEED``. The tax forms give each earner's name and mailing address (their home) beside the
employer's name: one person with two jobs files two forms at one address, and the members of a
household share an address and usually a surname: people at organisations, home addresses,
relatives as hard negatives, and a generator nobody on the team wrote.

Kept: the name fields, the employer's name and the mailing address under pseudopeople's own
headers, plus ``record_id`` and the truth ``simulant_id``. Left out: the social security number
(no lead list has one), ``household_id`` and ``employer_id`` (the simulation's own keys),
wages, the form's kind and year, and the employer's address (the sample gives most employers
none). At most ``ROWS`` forms, a seeded sample.

pseudopeople pulls in the vivarium framework, so it runs in a venv of its own, not the
project's: ``python3 -m venv /tmp/pp && /tmp/pp/bin/pip install pseudopeople==1.3.1 &&
/tmp/pp/bin/python benchmarks/pseudopeople_w2.py ../shared/pseudopeople-w2.csv``; the
benchmarks read the file from ``$LEADFLOW_PSEUDOPEOPLE_W2`` (default
``../shared/pseudopeople-w2.csv``).
"""

from __future__ import annotations

import sys

SEED = 20261207
ROWS = 10_000
KEPT = (
    "first_name",
    "middle_initial",
    "last_name",
    "employer_name",
    "mailing_address_street_number",
    "mailing_address_street_name",
    "mailing_address_unit_number",
    "mailing_address_po_box",
    "mailing_address_city",
    "mailing_address_state",
    "mailing_address_zipcode",
)


def main(out: str) -> None:
    import pseudopeople

    forms = pseudopeople.generate_taxes_w2_and_1099(seed=SEED)
    if len(forms) > ROWS:
        forms = forms.sample(n=ROWS, random_state=SEED)
    forms = forms.reset_index(drop=True)
    frame = forms[list(KEPT)].astype("string").fillna("")
    frame.insert(0, "record_id", [f"W{i:05d}" for i in range(len(frame))])
    frame["simulant_id"] = forms["simulant_id"].astype(str)
    frame.to_csv(out, index=False)
    print(f"{len(frame)} forms of {frame['simulant_id'].nunique()} people written to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
