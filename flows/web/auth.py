"""Sign-in sessions for the review pages: an HMAC-signed cookie, CSRF tokens, role checks.

The cookie holds only the user id, the session token, a CSRF token and when it was issued; the
session itself lives in the store (``user_sessions``), so logout and a password change end it
at once, whatever copies of the cookie exist. The cookie is HttpOnly,
SameSite=Lax and Secure when the page is served over https. Every state-changing request must
carry the session's CSRF token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import Request, Response

from flows.web.deps import get_engine
from ingest.config import Settings
from ingest.errors import LeadflowError
from ingest.store.users import UserInfo, session_user

COOKIE = "leadflow_session"
MAX_AGE = 12 * 3600
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
log = logging.getLogger(__name__)


class LoginRequired(LeadflowError):
    """No valid session: pages redirect to the login form, other requests get 401."""


class Forbidden(LeadflowError):
    """Signed in, but the role or the CSRF token does not allow this request (403)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def secret_key(settings: Settings) -> bytes:
    """``settings.secret_key`` (``LEADFLOW_SECRET_KEY``), else a random key for this process
    (sessions end on restart)."""
    configured = settings.secret_key
    if configured:
        return configured.encode()
    log.warning(
        "LEADFLOW_SECRET_KEY is not set: using a random key, so sign-ins end when the server "
        "restarts and several workers cannot share sessions"
    )
    return secrets.token_bytes(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_session(key: bytes, data: dict[str, Any]) -> str:
    body = _b64(json.dumps({**data, "iat": int(time.time())}, separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def decode_session(key: bytes, cookie: str | None) -> dict[str, Any] | None:
    """The session data when the signature is good and the session is not too old."""
    if not cookie or "." not in cookie:
        return None
    body, signature = cookie.rsplit(".", 1)
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        data = json.loads(_unb64(body))
    except ValueError:
        return None
    if not isinstance(data, dict) or time.time() - data.get("iat", 0) > MAX_AGE:
        return None
    return data


def session_of(request: Request) -> dict[str, Any]:
    """This request's session data (empty when none); cached on the request."""
    if not hasattr(request.state, "session"):
        cookie = request.cookies.get(COOKIE)
        request.state.session = decode_session(request.app.state.secret_key, cookie) or {}
    return request.state.session


def set_session(request: Request, response: Response, data: dict[str, Any]) -> None:
    response.set_cookie(
        COOKIE,
        encode_session(request.app.state.secret_key, data),
        max_age=MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def csrf_token(request: Request) -> tuple[str, bool]:
    """The session's CSRF token, and whether an anonymous session was just started for it (the
    caller then sets the cookie with :func:`set_session`)."""
    data = session_of(request)
    if "csrf" in data:
        return data["csrf"], False
    request.state.session = {"csrf": secrets.token_urlsafe(32)}
    return request.state.session["csrf"], True


async def form_of(request: Request) -> dict[str, str]:
    """The url-encoded form body of a POST (empty for other bodies); cached on the request."""
    if not hasattr(request.state, "form"):
        form: dict[str, str] = {}
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        request.state.form = form
    return request.state.form


async def check_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request whose token is missing or not the session's."""
    expected = session_of(request).get("csrf")
    given = request.headers.get(CSRF_HEADER) or (await form_of(request)).get(CSRF_FIELD)
    if not expected or not given or not hmac.compare_digest(str(expected), str(given)):
        raise Forbidden("missing or wrong CSRF token")


def current_user(request: Request) -> UserInfo | None:
    """The user of this request's live server-side session, else None."""
    data = session_of(request)
    uid, sid = data.get("uid"), data.get("sid")
    if not isinstance(uid, int) or not isinstance(sid, str):
        return None
    user = session_user(get_engine(request), sid)
    return user if user is not None and user.id == uid else None


def require_user(request: Request) -> UserInfo:
    """Dependency: the signed-in user, else :class:`LoginRequired`."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


async def require_decider(request: Request) -> UserInfo:
    """Dependency for decisions: a signed-in steward or admin and a valid CSRF token."""
    user = require_user(request)
    await check_csrf(request)
    if not user.can_decide:
        raise Forbidden(f"the {user.role} role cannot decide")
    return user


def login_redirect(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target, safe='')}"


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/review"
