"""The screenshots in ``docs/screenshots/``, taken in headless Chromium over a served demo store.

    .venv/bin/python -m tests.flows.web.screenshots docs/screenshots

Builds the demo store in a temporary folder, serves it with ``leadflow serve``, signs in as a
steward and shoots the queue, a pair with a surviving value chosen, the audit log after that
merge (its input rows open) and the source report. ``test_screenshots.py`` runs the same steps.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.flows.web.browser import (
    Server,
    build_demo_store,
    chromium,
    login,
    pair_with_a_choice,
    serve,
)

SHOTS = ("queue", "pair", "audit", "report")


def take(browser: Any, server: Server, out: Path) -> dict[str, Path]:
    """Shoot the four pages into ``out``; returns name -> PNG file."""
    out.mkdir(parents=True, exist_ok=True)
    files = {name: out / f"{name}.png" for name in SHOTS}
    page = login(browser, server, "stew")
    page.screenshot(path=str(files["queue"]))
    candidate_id, view = pair_with_a_choice(server)
    newer = max(view.left.person["id"], view.right.person["id"])  # not the default
    page.goto(f"{server.url}/review/pair/{candidate_id}")
    page.locator(f"#survivors tr[data-field=job_title] input[value='{newer}']").check()
    page.screenshot(path=str(files["pair"]), full_page=True)
    page.locator("button[data-action=accept]").click()
    page.wait_for_selector(f"#pair-card:not([data-candidate-id='{candidate_id}'])")
    page.goto(f"{server.url}/review/audit")
    entry = page.locator("#audit tr", has=page.locator("td", has_text="accept")).first
    entry.locator("details.person-rows").first.locator(":scope > summary").click()
    entry.locator("details.raw").first.locator("summary").click()
    page.set_viewport_size({"width": 1360, "height": 1000})
    page.screenshot(path=str(files["audit"]))
    page.goto(f"{server.url}/reports/sources")
    page.screenshot(path=str(files["report"]), full_page=True)
    page.close()
    return files


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        store = build_demo_store(Path(work) / "demo.db")
        with serve(store, Path(work)) as server, chromium() as browser:
            for name, path in take(browser, server, out).items():
                print(f"{name}: {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
