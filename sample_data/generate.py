"""Seeded generator of fictional, realistically messy lead files (small demo set or large CSVs).

Run ``python -m sample_data.generate small`` or ``python -m sample_data.generate large --rows N``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from sample_data._acme import acme_frame
from sample_data._render import render
from sample_data._world import build_world

DEFAULT_SEED = 20261123
B2B_COUNTRIES = {
    "US": 0.62,
    "CA": 0.08,
    "GB": 0.1,
    "DE": 0.08,
    "FR": 0.05,
    "NL": 0.04,
    "AT": 0.015,
    "CH": 0.015,
}
ROWS_PER_PERSON = 1.3
CHUNK_ROWS = 200_000


def duplicate_ids(n_rows: int, n_people: int, rng: np.random.Generator) -> np.ndarray:
    """Every person once, the remaining rows as heavy-tailed repeats, in shuffled order."""
    weights = (rng.pareto(1.5, n_people) + 1.0).clip(max=60.0)
    extra = rng.choice(n_people, n_rows - n_people, p=weights / weights.sum())
    return rng.permutation(np.concatenate([np.arange(n_people), extra]))


def iter_b2b_chunks(
    n_rows: int, *, seed: int = DEFAULT_SEED, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Yield the large purchased list in row chunks (one world, truth shared across chunks)."""
    rng = np.random.default_rng(seed)
    world = build_world(max(1, int(n_rows / ROWS_PER_PERSON)), rng, B2B_COUNTRIES)
    pids = duplicate_ids(n_rows, len(world.people), rng)
    dup = pd.Series(pids).duplicated().to_numpy()
    lead_ids = rng.permutation(n_rows) + 100_000
    for start in range(0, n_rows, chunk_rows):
        part = slice(start, start + chunk_rows)
        records = render(world, pids[part], rng, dup=dup[part])
        frame = acme_frame(records, rng, prefix="BL", ids=lead_ids[part])
        frame["true_person_id"] = [f"P{p:08d}" for p in records["person_id"]]
        yield frame


def generate_b2b_leads(n_rows: int, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """A purchased-list-shaped frame (acme headers + ``true_person_id``) with known duplicates."""
    return pd.concat(iter_b2b_chunks(n_rows, seed=seed), ignore_index=True)


def write_large(n_rows: int, out_dir: Path, *, seed: int = DEFAULT_SEED) -> Path:
    """Write ``b2b_leads_<rows>.csv`` into ``out_dir`` chunk by chunk (same rows as the API)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"b2b_leads_{n_rows}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i, chunk in enumerate(iter_b2b_chunks(n_rows, seed=seed)):
            chunk.to_csv(fh, header=i == 0, index=False, lineterminator="\n")
    return path


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m sample_data.generate", description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    small = sub.add_parser("small", help="write the demo files")
    small.add_argument("--out", type=Path, default=Path(__file__).parent)
    small.add_argument("--seed", type=int, default=DEFAULT_SEED)
    large = sub.add_parser("large", help="write one large purchased-list CSV with ground truth")
    large.add_argument("--rows", type=int, required=True)
    large.add_argument("--out", type=Path, required=True)
    large.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.mode == "large":
        written = [write_large(args.rows, args.out, seed=args.seed)]
    else:
        from sample_data._demo import write_demo

        written = write_demo(args.out, seed=args.seed)
    for path in written:
        print(path)
    print(f"done in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
