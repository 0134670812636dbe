"""Quick quality check of leadflow's dedupe on every labelled set (no Splink), in one process.

    .venv/bin/python benchmarks/quality.py
    .venv/bin/python benchmarks/quality.py --dataset chicago rldata10000 --mapping

The dev loop for matcher changes: each set (``labelled.py``'s sets from outside the project,
chicago to pseudopeople-census, and b2b at 10,000 rows) is written as a CSV file with its original
headers and without the truth column, then clustered the way ``leadflow dedupe FILE --id-column
ID --out OUT`` does it (``flows.dedupe.dedupe_file`` with the defaults, ``ID,cluster_id``
written and read back) and scored with pairwise precision / recall / F1 over the true
clusters. Seconds = wall time of that dedupe only; the first run of a set also generates and
caches it under ``benchmarks/.cache/`` (not timed). A set whose file or package is missing is
skipped with the reason; a set on which leadflow raises prints the error and the run goes on.
Exit status 1 if any set failed. For Splink side by side, timing and memory: ``dedupe.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labelled

DEFAULT = (*labelled.OUTSIDE, "b2b")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", nargs="+", choices=labelled.ALL, default=list(DEFAULT), metavar="NAME",
        help=f"sets to run (default: {' '.join(DEFAULT)}; also: households companies)",
    )  # fmt: skip
    parser.add_argument("--b2b-rows", type=int, default=10_000)
    parser.add_argument(
        "--mapping", action="store_true", help="print the header mapping leadflow picks per set"
    )
    parser.add_argument("--traceback", action="store_true", help="full traceback on errors")
    args = parser.parse_args(argv)

    header = f"{'dataset':<20} {'rows':>7} {'P':>7} {'R':>7} {'F1':>7} {'seconds':>8}"
    print(header)
    print("-" * len(header), flush=True)
    failed = 0
    total = 0.0
    with tempfile.TemporaryDirectory(prefix="leadflow-quality-") as tmp:
        for name in args.dataset:
            try:
                data = labelled.load(name, b2b_rows=args.b2b_rows)
            except labelled.Unavailable as reason:
                print(f"{name:<20} skipped: {reason}", flush=True)
                continue
            path = data.write_input(Path(tmp) / f"{name}.csv")
            out = Path(tmp) / f"{name}.clusters.csv"
            started = time.perf_counter()
            try:
                clusters = labelled.run_leadflow(path, data.id_column, out)
                if len(clusters) != data.rows:
                    raise RuntimeError(f"{len(clusters)} cluster rows for {data.rows} input rows")
            except Exception as error:  # report it and go on to the next set
                failed += 1
                print(f"{name:<20} {data.rows:>7,} ERROR {type(error).__name__}: {error}")
                if args.traceback:
                    traceback.print_exc()
                continue
            seconds = time.perf_counter() - started
            total += seconds
            precision, recall, f1 = labelled.pairwise_scores(
                clusters, data.frame[data.truth].to_numpy()
            )
            print(
                f"{name:<20} {data.rows:>7,} {precision:>7.4f} {recall:>7.4f} {f1:>7.4f} "
                f"{seconds:>8.1f}",
                flush=True,
            )
            if args.mapping:
                print(f"  mapping: {labelled.mapping_summary(list(data.raw().columns))}")
    print(f"{'total':<20} {'':>7} {'':>7} {'':>7} {'':>7} {total:>8.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
