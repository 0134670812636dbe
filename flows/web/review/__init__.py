"""The data steward's review pages: login, queue, pair view, decisions, merges, audit."""

from flows.web.review.actions import router as actions_router
from flows.web.review.login import router as login_router
from flows.web.review.pages import router as pages_router

__all__ = ["actions_router", "login_router", "pages_router"]
