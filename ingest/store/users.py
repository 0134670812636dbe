"""People who sign in to the review pages: argon2 password hashes and roles.

Roles: ``viewer`` reads the queue, ``steward`` also decides, ``admin`` also unmerges past merges
of others. Passwords are only ever held as argon2id hashes; error messages name users, never
passwords.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.errors import LeadflowError
from ingest.roles import DECIDING_ROLES, ROLES
from ingest.store.engine import reader
from ingest.store.models import User, UserSession

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the user is unknown, so a wrong name costs as long as a wrong
    password (computed on first use, not at import: hashing is deliberately slow)."""
    return _hasher.hash("timing-equalizer-not-a-password")


class UserError(LeadflowError):
    """A user cannot be created as asked (unknown role, short password, name taken)."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    name: str
    role: str

    @property
    def can_decide(self) -> bool:
        """Stewards and admins accept, reject, skip, undo and unmerge; viewers only read."""
        return self.role in DECIDING_ROLES


def add_user(engine: Engine, name: str, password: str, *, role: str) -> UserInfo:
    """Create an active user with an argon2id hash of ``password``."""
    name = name.strip()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not name:
        raise UserError("a user needs a name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    try:
        with Session(engine) as session, session.begin():
            user = User(name=name, password_hash=_hasher.hash(password), role=role)
            session.add(user)
            session.flush()
            return UserInfo(user.id, user.name, user.role)
    except IntegrityError as exc:
        raise UserError(f"a user named {name!r} already exists") from exc


def authenticate(engine: Engine, name: str, password: str) -> UserInfo | None:
    """The active user with this name and password, else None (same cost either way).

    A hash made with weaker parameters than today's is replaced once the password checks out.
    """
    with Session(reader(engine)) as session:
        user = session.scalar(select(User).where(User.name == name.strip()))
        stored = user.password_hash if user is not None and user.is_active else _dummy_hash()
        found = UserInfo(user.id, user.name, user.role) if user is not None else None
        active = user is not None and user.is_active
    # the read transaction is closed: on SQLite a writer here would otherwise wait on it
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None or not active:
        return None
    if _hasher.check_needs_rehash(stored):
        with Session(engine) as writer, writer.begin():
            writer.get_one(User, found.id).password_hash = _hasher.hash(password)
    return found


def get_user(engine: Engine, user_id: int) -> UserInfo | None:
    """The active user with this id (a session's user), else None."""
    with Session(engine) as session:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            return None
        return UserInfo(user.id, user.name, user.role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, user_id: int, *, max_age_seconds: int) -> str:
    """Start a server-side session for the user; returns its token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        session.add(
            UserSession(
                token_hash=_digest(token),
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(seconds=max_age_seconds),
            )
        )
        session.execute(delete(UserSession).where(UserSession.expires_at < now))
    return token


def session_user(engine: Engine, token: str) -> UserInfo | None:
    """The active user of a live session, else None (ended, expired or unknown)."""
    with Session(engine) as session:
        found = session.get(UserSession, _digest(token))
        if found is None:
            return None
        expires = found.expires_at
        if expires.tzinfo is None:  # SQLite hands back naive UTC
            expires = expires.replace(tzinfo=UTC)
        if expires < datetime.now(UTC):
            return None
        user_id = found.user_id
    return get_user(engine, user_id)


def end_session(engine: Engine, token: str) -> None:
    """Logout: the session's cookie stops working at once."""
    with Session(engine) as session, session.begin():
        session.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))


def set_password(engine: Engine, name: str, password: str) -> None:
    """Change a user's password and end every session of that user."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    with Session(engine) as session, session.begin():
        user = session.scalar(select(User).where(User.name == name.strip()))
        if user is None:
            raise UserError(f"no user named {name!r}")
        user.password_hash = _hasher.hash(password)
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
