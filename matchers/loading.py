"""Choosing the import's matcher: the store's active model, else the shipped default."""

from __future__ import annotations

from sqlalchemy import Engine

from ingest.store.match_models import active_model
from matchers.incremental import ProbabilisticMatcher, default_model
from matchers.model import MatchModel


def load_matcher(engine: Engine) -> ProbabilisticMatcher:
    """A matcher with the active stored model (``decided_by`` names its version)."""
    stored = active_model(engine)
    if stored is None:
        return ProbabilisticMatcher(default_model(), name="model:default")
    return ProbabilisticMatcher(
        MatchModel.from_dict(stored.settings), name=f"model:v{stored.version}"
    )
