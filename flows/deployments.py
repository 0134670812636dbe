"""Deployments of the leadflow flows with their cron schedules.

Locally, ``python -m flows.deployments`` (or ``leadflow schedule``) serves them from one
long-lived process with ``prefect.serve``: the deployments are registered with the Prefect API
when serving starts, and each scheduled run executes in that process. Start a Prefect server
first (``prefect server start``) and point ``PREFECT_API_URL`` at it so the schedules survive
restarts and the runs appear in the UI.

For production, deploy the same flows to a work pool instead (see ``docs/flows.md``)::

    prefect work-pool create leadflow --type process
    python -c "from flows.deployments import deploy_to_pool; deploy_to_pool('leadflow')"
    prefect worker start --pool leadflow

The store's URL and secrets come from the environment of the process that runs the flows
(``LEADFLOW_DATABASE_URL``, ``LEADFLOW_HASH_SALT``); no deployment parameter holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect.schedules import Cron

from flows.enrichment import enrichment_flow
from flows.forms_drain import forms_drain_flow
from flows.inbox import inbox_flow
from flows.review_apply import review_apply_flow


@dataclass(frozen=True, slots=True)
class Schedules:
    """Cron schedules (in ``timezone``) of the served flows."""

    enrich: str = "0 2 * * *"  # nightly, after the day's imports
    inbox: str = "*/5 * * * *"  # every five minutes
    review_apply: str = "30 * * * *"  # hourly
    forms: str = "*/5 * * * *"  # every five minutes
    timezone: str = "UTC"


def build_deployments(
    *, inbox: Path | str = "inbox", schedules: Schedules | None = None, check_mx: bool = False
) -> list[Any]:
    """The flows as deployments with cron schedules; nothing is registered until served."""
    chosen = schedules or Schedules()
    tags = ["leadflow"]
    return [
        enrichment_flow.to_deployment(
            name="leadflow-enrich",
            schedules=[Cron(chosen.enrich, timezone=chosen.timezone)],
            parameters={"check_mx": check_mx},
            tags=tags,
            description="Census figures, company from email domain, phone facts.",
        ),
        inbox_flow.to_deployment(
            name="leadflow-inbox",
            schedules=[Cron(chosen.inbox, timezone=chosen.timezone)],
            parameters={"inbox": str(Path(inbox).resolve())},
            tags=tags,
            description="Import files dropped into the watched folders once.",
        ),
        review_apply_flow.to_deployment(
            name="leadflow-review-apply",
            schedules=[Cron(chosen.review_apply, timezone=chosen.timezone)],
            parameters={"refit": True},
            tags=tags,
            description="Apply steward decisions and refit the match model.",
        ),
        forms_drain_flow.to_deployment(
            name="leadflow-forms",
            schedules=[Cron(chosen.forms, timezone=chosen.timezone)],
            parameters={"settle_seconds": 60.0},
            tags=tags,
            description="Import the staged web-form submissions once.",
        ),
    ]


def serve_deployments(**options: Any) -> None:
    """Serve every deployment from this process until interrupted (Ctrl-C)."""
    from prefect import serve

    serve(*build_deployments(**options), pause_on_shutdown=False)


def deploy_to_pool(work_pool: str, **options: Any) -> None:
    """Register the deployments with a work pool; a worker of that pool runs them.

    The worker's machine needs leadflow installed (the flows are loaded from this checkout).
    """
    from prefect import deploy

    deploy(*build_deployments(**options), work_pool_name=work_pool, build=False, push=False)


if __name__ == "__main__":
    serve_deployments()
