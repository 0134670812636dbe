"""A loopback HTTP server for the fixture site (stdlib only), in a thread of the test process.

It binds 127.0.0.1 on a free port, records every path requested, and answers
``/members/flaky.html`` with 500 the first time and the page afterwards (a transient failure).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SITE = Path(__file__).resolve().parent / "site"
FLAKY_PATH = "/members/flaky.html"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requested: list[str] = []
        self.failures_left = {FLAKY_PATH: 1}
        self.lock = threading.Lock()


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requested.append(self.path)
            fail = self.server.failures_left.get(self.path, 0) > 0
            if fail:
                self.server.failures_left[self.path] -= 1
        if fail:
            self.send_error(500, "transient failure")
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output quiet
        pass


class FixtureSite:
    """The running server: ``url(path)`` builds addresses; ``requested`` lists paths served."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        host, port = server.server_address[:2]
        assert isinstance(host, str)  # (an AF_INET server's address)
        self.base = f"http://{host}:{port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    @property
    def requested(self) -> list[str]:
        with self._server.lock:
            return list(self._server.requested)


@contextmanager
def serve(root: Path = SITE) -> Iterator[FixtureSite]:
    """Serve ``root`` on 127.0.0.1 (free port) until the block ends."""
    server = _Server(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FixtureSite(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
