"""Whether work waits for a lock that the test holds in another connection."""

from __future__ import annotations

import threading
from collections.abc import Callable


def waited_for_lock(
    work: Callable[[], None], release: Callable[[], object], *, timeout: float = 30.0
) -> bool:
    """Run ``work`` in a thread while the caller holds a lock; once it is done, or after
    ``timeout`` seconds, ``release`` the lock and let ``work`` finish. Returns whether ``work``
    was still running at the timeout: it waited for the lock."""
    worker = threading.Thread(target=work, daemon=True)
    try:
        worker.start()
        worker.join(timeout=timeout)
        return worker.is_alive()
    finally:
        release()
        worker.join()
