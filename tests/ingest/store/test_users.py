"""Sign-in against the store: a password hash made with older parameters is upgraded on the
next good sign-in, on SQLite (no self-deadlock on the write lock) and PostgreSQL alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy import Engine

from ingest.store import users


def stored_hash(engine: Engine, name: str) -> str:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT password_hash FROM users WHERE name = :n"), {"n": name}
        ).scalar_one()


def test_an_old_hash_is_upgraded_on_a_good_sign_in(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add_user(engine, "vic", "viewer-pass", role="viewer")
    old = stored_hash(engine, "vic")
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(users, "_hasher", stronger)

    assert users.authenticate(engine, "vic", "wrong-pass") is None
    assert stored_hash(engine, "vic") == old  # a failed sign-in changes nothing

    signed_in = users.authenticate(engine, "vic", "viewer-pass")
    assert signed_in is not None and signed_in.name == "vic"
    upgraded = stored_hash(engine, "vic")
    assert upgraded != old and not stronger.check_needs_rehash(upgraded)
    assert users.authenticate(engine, "vic", "viewer-pass") == signed_in


def test_unknown_and_deactivated_users_are_refused(engine: Engine) -> None:
    users.add_user(engine, "ann", "right-pass", role="viewer")
    assert users.authenticate(engine, "nobody", "right-pass") is None
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE users SET is_active = false WHERE name = 'ann'"))
    assert users.authenticate(engine, "ann", "right-pass") is None
