"""A temporary Prefect API for one command that asked for Prefect, and that dies with it.

When no Prefect API is configured, Prefect starts its own temporary server as a child process
and stops it only from an ``atexit`` hook: a command killed by a signal (SIGTERM, SIGKILL)
never runs that hook and leaves the server running. :func:`prefect_api` starts the server
itself instead, with the kernel told to terminate it when this process dies (Linux
``PR_SET_PDEATHSIG``), stops it on the way out, and turns SIGTERM into an ordinary exit so every
``finally`` runs (the import run ends ``failed``, not ``running``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from types import FrameType

from flows.processes import free_port, stop_process
from ingest.errors import LeadflowError

STARTUP_TIMEOUT_S = 120.0
_PR_SET_PDEATHSIG = 1


class PrefectServerError(LeadflowError):
    """The temporary Prefect server did not start."""


def _die_with_parent(parent: int) -> None:
    """In the child before exec: ask for SIGTERM when the parent dies (Linux only)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def exit_on_sigterm() -> None:
    """From now on SIGTERM raises ``SystemExit`` in the main thread, so ``finally`` blocks and
    context managers run (a killed import ends its run ``failed`` and stops its children)."""
    if sys.platform != "win32" and _main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def configured_api() -> str | None:
    """The Prefect API this process already reports to (settings, profile or test harness)."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


@contextlib.contextmanager
def prefect_api(timeout_s: float = STARTUP_TIMEOUT_S) -> Iterator[str]:
    """Yield the URL of a Prefect API: the configured one, or a temporary server started for
    the block as a child process that is stopped on exit and killed with this process."""
    configured = configured_api()
    if configured:
        yield configured
        return
    import prefect
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    port = free_port()
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
        "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "error", "--lifespan", "on",
    ]  # fmt: skip
    parent = os.getpid()
    exit_on_sigterm()
    server = subprocess.Popen(
        command,
        env=env,
        preexec_fn=(lambda: _die_with_parent(parent)) if sys.platform == "linux" else None,
    )
    try:
        url = f"http://127.0.0.1:{port}/api"
        _wait_healthy(server, url, timeout_s)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield url
            finally:
                _drain_workers()
    finally:
        stop_process(server)


def _wait_healthy(server: subprocess.Popen[bytes], url: str, timeout_s: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise PrefectServerError(
                    f"the temporary Prefect server exited with status {server.returncode}; "
                    "set PREFECT_API_URL to a running server, or run without --prefect"
                )
            try:
                if client.get(f"{url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise PrefectServerError(
        f"the temporary Prefect server did not answer within {timeout_s:.0f} s; "
        "set PREFECT_API_URL to a running server, or run without --prefect"
    )


def _drain_workers() -> None:
    """Send Prefect's queued logs and events while the server still answers."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    with contextlib.suppress(Exception):
        APILogWorker.drain_all(timeout=10)
    with contextlib.suppress(Exception):
        EventsWorker.drain_all(timeout=10)
