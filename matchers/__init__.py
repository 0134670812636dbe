"""Matching: which rows and stored people (or companies) are the same entity."""

from matchers.dedupe import Dedupe, dedupe_frame
from matchers.explain import explain_pair
from matchers.incremental import ProbabilisticMatcher
from matchers.loading import load_matcher
from matchers.priors import default_model
from matchers.settings import MatchModel, ModelError
from matchers.training import refit_from_store

__all__ = [
    "Dedupe",
    "MatchModel",
    "ModelError",
    "ProbabilisticMatcher",
    "dedupe_frame",
    "default_model",
    "explain_pair",
    "load_matcher",
    "refit_from_store",
]
