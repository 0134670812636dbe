"""Choosing the import's matcher: the store's active model, else the shipped default."""

from __future__ import annotations

from sqlalchemy import Engine

from ingest.store.match_models import UnknownModelVersionError, active_model, model_version
from matchers.incremental import ProbabilisticMatcher
from matchers.priors import default_model
from matchers.settings import MatchModel

DEFAULT = "default"


def active_version(engine: Engine) -> int | str:
    """The active stored version, or ``"default"`` when the shipped model is in use."""
    stored = active_model(engine)
    return DEFAULT if stored is None else stored.version


def load_matcher(engine: Engine, version: int | str | None = None) -> ProbabilisticMatcher:
    """A matcher with the active stored model, or with ``version`` (a stored version number,
    or ``"default"``) when a run pinned it, so that a model activated mid-import does not
    change the decisions between its chunks; ``decided_by`` names the model."""
    if version == DEFAULT:
        stored = None
    elif version is None:
        stored = active_model(engine)
    else:
        stored = model_version(engine, int(version))
        if stored is None:
            raise UnknownModelVersionError(version)
    if stored is None:
        return ProbabilisticMatcher(default_model(), name="model:default")
    model = MatchModel.from_dict(stored.settings, source=f"stored model v{stored.version}")
    return ProbabilisticMatcher(model, name=f"model:v{stored.version}")
