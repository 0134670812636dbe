"""leadflow flows: Prefect flows and deployments, the CLI and the web app."""

import os

# Prefect's ephemeral API server (used when no PREFECT_API_URL is set) gets 20 s to start by
# default; a busy two-core laptop or CI runner can need more. A user's own setting wins.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# Offline, the temporary server's usage telemetry logs an ERROR line on every run; leadflow
# never needs it. A user's own setting wins.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
