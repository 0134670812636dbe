"""Matching: which rows and stored people are the same person."""

from matchers.dedupe import Dedupe, dedupe_frame
from matchers.explain import explain_pair
from matchers.incremental import ProbabilisticMatcher, default_model
from matchers.loading import load_matcher
from matchers.model import MatchModel
from matchers.rules import RuleMatcher
from matchers.training import refit_from_store

__all__ = [
    "Dedupe",
    "MatchModel",
    "ProbabilisticMatcher",
    "RuleMatcher",
    "dedupe_frame",
    "default_model",
    "explain_pair",
    "load_matcher",
    "refit_from_store",
]
