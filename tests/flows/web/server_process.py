"""The web app served by uvicorn in a process of its own, for tests that need real servers.

``python -m tests.flows.web.server_process --db URL --port N [--forms-limit N] [--login-limit N]
[--slow-reports S]``: ``--slow-reports`` makes every statement on ``import_runs`` (only the
report pages read it) take S seconds longer, as the report did on a 200k-person store.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import uvicorn
from sqlalchemy import event

from flows.processes import free_port, stop_process
from flows.web.app import create_app
from flows.web.ratelimit import RateLimits
from ingest.config import Settings
from ingest.store.engine import make_engine
from tests.conftest import REPO


@contextlib.contextmanager
def served(db_url: str, *options: str, timeout_s: float = 60) -> Iterator[str]:
    """Start a server process on ``db_url``; yield its base URL once it answers; stop it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.flows.web.server_process", "--db", db_url,
         "--port", str(port), *options],
        cwd=REPO,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            assert process.poll() is None, "the server process exited"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.2)
        yield base
    finally:
        stop_process(process, timeout_s=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--forms-limit", type=int, default=RateLimits().forms)
    parser.add_argument("--login-limit", type=int, default=RateLimits().login)
    parser.add_argument("--slow-reports", type=float, default=0.0)
    args = parser.parse_args()
    engine = make_engine(args.db)
    if args.slow_reports:

        @event.listens_for(engine, "before_cursor_execute")
        def _slow(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if "import_runs" in statement:
                time.sleep(args.slow_reports)

    app = create_app(
        engine,
        settings=Settings.from_env(),
        secret=b"k" * 32,
        rate_limits=RateLimits(login=args.login_limit, forms=args.forms_limit),
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
