"""Benchmark the command line as a user meets it, against a bare Python start in the same run.

    .venv/bin/python benchmarks/cli.py                  # SQLite and PostgreSQL, 10k-row import
    .venv/bin/python benchmarks/cli.py --big 100000     # also the 100k-row import vs its floor
    .venv/bin/python benchmarks/cli.py --no-postgres --repeat 3
    .venv/bin/python benchmarks/cli.py --no-postgres --rows 0 --checkout /tmp/old  # before

Every timing is a fresh process (``.venv/bin/leadflow ...``): wall clock and CPU seconds (user
+ system, steadier on a busy machine), medians of ``--repeat`` runs; ``python -c pass`` is timed
the same way in the same run and each row shows the difference. ``PYTHONDONTWRITEBYTECODE`` is
dropped from the environment, so leadflow's modules run from cached bytecode as installed. Cases:
``--help``, ``import --help``, a 10-row import into an existing store (a new 10-row file per
repetition), a 10k-row import into a fresh store and ``show person 1``, on SQLite and on
PostgreSQL (a throwaway schema on ``LEADFLOW_TEST_PG_URL``). ``--big N`` also imports an N-row
purchased list and times its floor: a plain ``pandas.read_csv`` of the same file plus
``DataFrame.to_sql`` into a new SQLite file, then ``report sources`` on the store it made.
``--rows 0`` leaves out the large import; ``--checkout DIR`` times another checkout's leadflow
(``python -m flows`` with DIR first on the path, e.g. ``git archive OLD | tar -x -C DIR``) for
a before/after comparison. Lead files come from ``sample_data.generate`` (not timed). Run on
demand only; never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
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
from typing import NamedTuple

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


def leadflow_command(checkout: Path | None) -> list[str]:
    """How to start leadflow: this checkout's entry point, or another checkout's package."""
    return [LEADFLOW] if checkout is None else [PYTHON, "-m", "flows"]


class Timing(NamedTuple):
    """One process: wall-clock seconds, and the CPU seconds (user + system) it used, which a
    busy machine disturbs far less than the wall clock."""

    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> Timing:
    started, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    timing = Timing(time.perf_counter() - started, _children_cpu() - cpu)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed: {result.stderr[-2000:]}")
    return timing


def median(commands: list[list[str]], env: dict[str, str]) -> Timing:
    timings = [timed(command, env) for command in commands]
    return Timing(
        statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings)
    )


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
    name: str,
    url_for: Iterator[str],
    work: Path,
    repeat: int,
    rows: int,
    env: dict[str, str],
    leadflow: list[str],
) -> list[tuple[str, Timing]]:
    """Import, re-import and show on one kind of store."""
    results = []
    base = write_leads(work / f"{name}-seed.csv", 10, seed=1)
    small = [write_leads(work / f"{name}-small-{i}.csv", 10, seed=100 + i) for i in range(repeat)]
    large = write_leads(work / f"{name}-large.csv", rows, seed=7) if rows else None
    url = next(url_for)
    timed([*leadflow, "import", "purchased-list", str(base), "--db", url], env)  # existing store
    imports = [[*leadflow, "import", "purchased-list", str(p), "--db", url] for p in small]
    results.append((f"{name}: 10-row import into an existing store", median(imports, env)))
    show = [[*leadflow, "show", "person", "1", "--db", url]] * repeat
    results.append((f"{name}: show person", median(show, env)))
    if rows:
        big_url = next(url_for)
        results.append((f"{name}: {rows:,}-row import into a new store",
                        timed([*leadflow, "import", "purchased-list", str(large), "--db", big_url],
                              env)))  # fmt: skip
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
    parser.add_argument("--checkout", type=Path, help="time this checkout's leadflow instead")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("LEADFLOW_DATABASE_URL", None)
    # as installed: bytecode cached (else every run compiles leadflow's ~120 modules again)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    leadflow = leadflow_command(args.checkout)
    if args.checkout is not None:
        env["PYTHONPATH"] = str(args.checkout.resolve())
    with tempfile.TemporaryDirectory(prefix="leadflow-bench-") as folder:
        work = Path(folder)
        os.chdir(work)  # `python -m flows` puts the working folder first on the path
        bare = median([[PYTHON, "-c", "pass"]] * args.repeat, env)
        rows: list[tuple[str, Timing]] = [
            ("`leadflow --help`", median([[*leadflow, "--help"]] * args.repeat, env)),
            ("`leadflow import --help`",
             median([[*leadflow, "import", "--help"]] * args.repeat, env)),
        ]  # fmt: skip

        def sqlite_urls() -> Iterator[str]:
            for i in range(10):
                yield sqlite_url(work / f"store-{i}.db")

        rows += store_cases("SQLite", sqlite_urls(), work, args.repeat, args.rows, env, leadflow)
        if not args.no_postgres:
            with postgres_url() as first, postgres_url() as second:
                rows += store_cases("PostgreSQL", iter([first, second]), work, args.repeat,
                                    args.rows, env, leadflow)  # fmt: skip
        big = None
        if args.big:
            path = write_leads(work / "big.csv", args.big, seed=11)
            url = sqlite_url(work / "big.db")
            imported = timed([*leadflow, "import", "purchased-list", str(path), "--db", url], env)
            report = median([[*leadflow, "report", "sources", "--db", url]] * args.repeat, env)
            big = (imported, floor_seconds(path, work), report.wall)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"Python {platform.python_version()}; median of {args.repeat}")  # fmt: skip
    print()
    print("| case | seconds | above `python -c pass` | CPU seconds | CPU above `python -c pass` |")
    print("|---|---:|---:|---:|---:|")
    print(f"| `python -c pass` | {bare.wall:.3f} | – | {bare.cpu:.3f} | – |")
    for label, t in rows:
        print(f"| {label} | {t.wall:.2f} | {t.wall - bare.wall:+.2f} | {t.cpu:.2f} "
              f"| {t.cpu - bare.cpu:+.2f} |")  # fmt: skip
    if big is not None:
        imported, floor, report_seconds = big
        print()
        print(f"{args.big:,}-row purchased list into SQLite: {imported.wall:.1f} s "
              f"({imported.cpu:.1f} CPU s); floor (pandas read + SQLite insert) {floor:.2f} s; "
              f"ratio {imported.wall / floor:.1f}x")  # fmt: skip
        print(f"`leadflow report sources` on that store: {report_seconds:.2f} s")


if __name__ == "__main__":
    main()
