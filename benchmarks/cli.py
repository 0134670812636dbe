"""Benchmark the command line as a user meets it, against a bare Python start in the same run.

    .venv/bin/python benchmarks/cli.py                  # SQLite and PostgreSQL, 10k-row import
    .venv/bin/python benchmarks/cli.py --big 100000     # also the 100k-row import vs its floor
    .venv/bin/python benchmarks/cli.py --no-postgres --repeat 3

Every timing is a fresh process (``.venv/bin/leadflow ...``), wall clock, median of
``--repeat`` runs; ``python -c pass`` is timed the same way in the same run and each row shows
the difference. Cases: ``--help``, ``import --help``, a 10-row import into an existing store
(a new 10-row file per repetition), a 10k-row import into a fresh store and ``show person 1``,
on SQLite and on PostgreSQL (a throwaway schema on ``LEADFLOW_TEST_PG_URL``). ``--big N``
also imports an N-row purchased list and times its floor: a plain ``pandas.read_csv`` of the
same file plus ``DataFrame.to_sql`` into a new SQLite file. Lead files come from
``sample_data.generate`` (not timed). Run on demand only; never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.config import postgres_test_url, sqlite_url  # noqa: E402
from sample_data.generate import generate_b2b_leads  # noqa: E402

PYTHON = sys.executable
LEADFLOW = str(Path(PYTHON).with_name("leadflow"))


def write_leads(path: Path, rows: int, seed: int) -> Path:
    frame = generate_b2b_leads(rows, seed=seed).drop(columns=["true_person_id"], errors="ignore")
    frame.to_csv(path, index=False)
    return path


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed: {result.stderr[-2000:]}")
    return elapsed


def median(commands: list[list[str]], env: dict[str, str]) -> float:
    return statistics.median(timed(command, env) for command in commands)


@contextmanager
def postgres_url() -> Iterator[str]:
    """A throwaway schema on the PostgreSQL server, selected through ``search_path``."""
    import sqlalchemy as sa

    admin_url = postgres_test_url()
    schema = f"lf_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def store_cases(
    name: str, url_for: Iterator[str], work: Path, repeat: int, rows: int, env: dict[str, str]
) -> list[tuple[str, float]]:
    """Import, re-import and show on one kind of store."""
    results = []
    base = write_leads(work / f"{name}-seed.csv", 10, seed=1)
    small = [write_leads(work / f"{name}-small-{i}.csv", 10, seed=100 + i) for i in range(repeat)]
    large = write_leads(work / f"{name}-large.csv", rows, seed=7)
    url = next(url_for)
    timed([LEADFLOW, "import", "purchased-list", str(base), "--db", url], env)  # existing store
    imports = [[LEADFLOW, "import", "purchased-list", str(p), "--db", url] for p in small]
    results.append((f"{name}: 10-row import into an existing store", median(imports, env)))
    show = [[LEADFLOW, "show", "person", "1", "--db", url]] * repeat
    results.append((f"{name}: show person", median(show, env)))
    big_url = next(url_for)
    started = time.perf_counter()
    timed([LEADFLOW, "import", "purchased-list", str(large), "--db", big_url], env)
    results.append((f"{name}: {rows:,}-row import into a new store", time.perf_counter() - started))
    return results


def floor_seconds(path: Path, work: Path) -> float:
    """A plain pandas read of the file and a SQLite insert of its rows (the import's floor)."""
    import pandas as pd

    target = work / "floor.db"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    with sqlite3.connect(target) as conn:
        frame.to_sql("rows", conn, index=False, chunksize=20_000)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=0, help="also an N-row import vs its floor")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("LEADFLOW_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="leadflow-bench-") as folder:
        work = Path(folder)
        bare = median([[PYTHON, "-c", "pass"]] * args.repeat, env)
        rows: list[tuple[str, float]] = [
            ("`leadflow --help`", median([[LEADFLOW, "--help"]] * args.repeat, env)),
            ("`leadflow import --help`",
             median([[LEADFLOW, "import", "--help"]] * args.repeat, env)),
        ]  # fmt: skip

        def sqlite_urls() -> Iterator[str]:
            for i in range(10):
                yield sqlite_url(work / f"store-{i}.db")

        rows += store_cases("SQLite", sqlite_urls(), work, args.repeat, args.rows, env)
        if not args.no_postgres:
            with postgres_url() as first, postgres_url() as second:
                rows += store_cases("PostgreSQL", iter([first, second]), work, args.repeat,
                                    args.rows, env)  # fmt: skip
        big = None
        if args.big:
            path = write_leads(work / "big.csv", args.big, seed=11)
            url = sqlite_url(work / "big.db")
            started = time.perf_counter()
            timed([LEADFLOW, "import", "purchased-list", str(path), "--db", url], env)
            big = (time.perf_counter() - started, floor_seconds(path, work))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"Python {platform.python_version()}; median of {args.repeat}")  # fmt: skip
    print()
    print("| case | seconds | above `python -c pass` |")
    print("|---|---:|---:|")
    print(f"| `python -c pass` | {bare:.3f} | – |")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} | {seconds - bare:+.2f} |")
    if big is not None:
        seconds, floor = big
        print()
        print(f"{args.big:,}-row purchased list into SQLite: {seconds:.1f} s; floor (pandas read "
              f"+ SQLite insert) {floor:.2f} s; ratio {seconds / floor:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
