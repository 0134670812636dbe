"""Benchmark the normalize + validate stages on a large generated lead list.

    .venv/bin/python benchmarks/normalize.py --rows 1000000 --workers 2

Leads come from ``sample_data.generate`` (purchased-list headers, realistic repeats), mapped to
canonical fields here, and are written to chunk files first: generation is not timed. Timed:
each worker reads its chunk file and runs ``normalize_batch`` then ``validate_batch``, the way
an import task would (file path in, counts out). Per-stage seconds are CPU time summed over
workers ("read" = unpickling the chunk); the process CPU total also counts worker start-up.
Run on demand only; never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.normalize import normalize_batch
from ingest.validate import QUARANTINED_COLUMN, validate_batch

HEADERS = {
    "Lead ID": "source_record_id",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Title": "job_title",
    "Company": "company_name",
    "E-mail Address": "email",
    "Phone #": "phone",
    "Mobile": "mobile",
    "Address": "street",
    "City": "city",
    "State": "region",
    "Zip": "postal_code",
    "Country": "country",
    "Website": "website",
    "Industry": "industry",
    "Employees": "company_size",
    "Opt-In Email": "email_opt_in",
}
STAGES = (
    "read", "names", "emails", "phones", "places", "companies", "other", "frame", "validate"
)  # fmt: skip


def write_chunks(rows: int, chunk_rows: int, seed: int, out: Path) -> list[Path]:
    """Generate the leads and pickle them in chunks of ``chunk_rows`` canonical-field rows."""
    from sample_data.generate import iter_b2b_chunks

    paths: list[Path] = []
    for i, raw in enumerate(iter_b2b_chunks(rows, seed=seed, chunk_rows=chunk_rows)):
        frame = raw.rename(columns=HEADERS)[[c for c in HEADERS.values()]]
        frame["_row"] = range(i * chunk_rows + 2, i * chunk_rows + 2 + len(frame))
        frame["custom"] = pd.Series(
            [{} for _ in range(len(frame))], index=frame.index, dtype=object
        )
        path = out / f"chunk_{i:04d}.pkl"
        path.write_bytes(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
        paths.append(path)
    return paths


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_chunk(path: Path, default_region: str | None) -> tuple[int, int, dict[str, float]]:
    """Normalize and validate one chunk; return (rows, quarantined, CPU seconds per stage)."""
    started = time.process_time()
    frame: pd.DataFrame = pickle.loads(path.read_bytes())
    timings: dict[str, float] = {"read": time.process_time() - started}
    validated = validate_batch(
        normalize_batch(frame, default_region=default_region, timings=timings), timings=timings
    )
    return len(validated), int(validated[QUARANTINED_COLUMN].sum()), timings


@dataclass(frozen=True)
class Run:
    """One timed pass: rows, wall seconds, whole-process and per-stage CPU seconds."""

    rows: int
    quarantined: int
    wall: float
    process_cpu: float
    stages: Counter[str]
    load: float

    @property
    def cpu(self) -> float:
        return sum(self.stages.values())


def timed_run(paths: list[Path], workers: int, default_region: str | None) -> Run:
    """One timed pass over the chunk files: wall, whole-process CPU and per-stage CPU seconds."""
    who = resource.RUSAGE_SELF if workers == 1 else resource.RUSAGE_CHILDREN
    before = _cpu_seconds(who)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    if workers == 1:
        results = [run_chunk(p, default_region) for p in paths]
    else:  # a fresh pool per run: cold caches, like a new import
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_chunk, paths, [default_region] * len(paths)))
    wall = time.perf_counter() - started
    stages: Counter[str] = Counter()
    for _, _, timings in results:
        stages.update(timings)
    return Run(
        rows=sum(r[0] for r in results),
        quarantined=sum(r[1] for r in results),
        wall=wall,
        process_cpu=_cpu_seconds(who) - before,
        stages=stages,
        load=load,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2, help="1 = run in this process")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--default-region", default="US")
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed runs on the same chunks; medians reported"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="leadflow-bench-") as tmp:
        started = time.perf_counter()
        paths = write_chunks(args.rows, args.chunk_rows, args.seed, Path(tmp))
        print(
            f"generated {args.rows:,} rows in {len(paths)} chunks "
            f"({time.perf_counter() - started:.1f} s, not timed)"
        )
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, pandas {pd.__version__}"
        )
        print(f"workers={args.workers} chunk_rows={args.chunk_rows:,}")
        runs = []
        for number in range(1, args.repeat + 1):
            run = timed_run(paths, args.workers, args.default_region)
            runs.append(run)
            print(
                f"run {number}: rows={run.rows:,} quarantined={run.quarantined:,} "
                f"load={run.load:.1f} wall={run.wall:.1f} s "
                f"rate={run.rows / run.wall:,.0f} records/s; "
                f"stage CPU {run.cpu:.1f} s = {run.rows / run.cpu:,.0f} records/CPU-s; "
                f"process CPU {run.process_cpu:.1f} s = "
                f"{run.rows / run.process_cpu:,.0f} records/CPU-s"
            )

    rows = runs[0].rows
    wall = statistics.median(r.wall for r in runs)
    process_cpu = statistics.median(r.process_cpu for r in runs)
    stages: Counter[str] = Counter()
    for run in runs:
        stages.update(run.stages)
    cpu = sum(stages.values()) / len(runs)
    print(f"median of {len(runs)}: wall={wall:.1f} s rate={rows / wall:,.0f} records/s")
    print(f"stage CPU (mean) {cpu:.1f} s = {rows / cpu:,.0f} records per CPU-second")
    print(
        f"process CPU (median) {process_cpu:.1f} s (incl. worker start-up) = "
        f"{rows / process_cpu:,.0f} records per CPU-second"
    )
    for stage in STAGES:
        seconds = stages.get(stage, 0.0) / len(runs)
        print(f"  {stage:<10} {seconds:7.1f} s  {100 * seconds / cpu:5.1f} %")


if __name__ == "__main__":
    main()
