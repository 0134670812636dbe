"""The review pages over HTTP (no browser): sign-in, roles, CSRF, cookie flags, on both stores."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.web.app import create_app
from ingest.config import Settings
from ingest.store.models import MatchCandidate, Person
from ingest.store.pins import pins_of
from ingest.store.users import add_user


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    add_user(engine, "stew", "steward-pass", role="steward")
    add_user(engine, "vic", "viewer-pass", role="viewer")
    with Session(engine) as s, s.begin():
        a, b = Person(full_name="Ada Lovelace"), Person(full_name="Ada King")
        s.add_all([a, b])
        s.flush()
        s.add(MatchCandidate(person_a_id=a.id, person_b_id=b.id, probability=0.6))
    with TestClient(
        create_app(engine, settings=settings, secret=b"s" * 32), base_url="http://127.0.0.1"
    ) as c:
        yield c


def _login(client: TestClient, name: str, password: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    answer = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/review").text)[1]


def test_no_personal_data_without_a_session(client: TestClient) -> None:
    for path in ("/review", "/review/pair/1", "/review/merges", "/review/audit"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and "Lovelace" not in answer.text
    assert client.get("/review/pair/1", headers={"X-Partial": "1"}).status_code == 401
    assert client.post("/review/pair/1/accept").status_code == 401


def test_wrong_password_and_login_without_token_are_refused(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    wrong = client.post("/login", data={"name": "stew", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401
    assert (
        client.post("/login", data={"name": "stew", "password": "steward-pass"}).status_code == 403
    )


def test_steward_decides_with_token_only(client: TestClient, engine: Engine) -> None:
    token = _login(client, "stew", "steward-pass")
    assert client.post("/review/pair/1/accept", headers={"X-CSRF-Token": "x"}).status_code == 403
    answer = client.post("/review/pair/1/accept", headers={"X-CSRF-Token": token})
    assert answer.status_code == 200 and answer.headers["X-Flash"] == "Merged pair 1"
    with Session(engine) as s:
        assert s.get_one(MatchCandidate, 1).status == "accepted"
    again = client.post("/review/pair/1/reject", headers={"X-CSRF-Token": token})
    assert again.status_code == 409


def test_accept_keeps_the_value_the_steward_chose(client: TestClient, engine: Engine) -> None:
    token = _login(client, "stew", "steward-pass")
    with Session(engine) as s:
        candidate = s.get(MatchCandidate, 1)
        older, newer = sorted((candidate.person_a_id, candidate.person_b_id))
    page = client.get("/review/pair/1").text
    assert 'id="survivors"' in page and f'name="keep.full_name" value="{newer}"' in page
    headers = {"X-CSRF-Token": token}
    for refused in ({"keep.full_name": "1e3"}, {"keep.full_name": "999999"},
                    {"keep.lifecycle_stage": str(newer)}):  # fmt: skip
        answer = client.post("/review/pair/1/accept", data=refused, headers=headers)
        assert answer.status_code == 422, refused
    with Session(engine) as s:
        assert s.get(MatchCandidate, 1).status == "pending"
    answer = client.post("/review/pair/1/accept", data={"keep.full_name": str(newer)},
                         headers=headers)  # fmt: skip
    assert answer.status_code == 200
    assert answer.headers["X-Flash"] == "Merged pair 1, keeping 1 chosen value"
    with Session(engine) as s:
        assert s.get(Person, older).full_name == "Ada King"  # the newer record's name survives
        assert pins_of(s, [older]) == {older: {"full_name": "Ada King"}}


def test_viewer_reads_but_is_refused_decisions(client: TestClient, engine: Engine) -> None:
    token = _login(client, "vic", "viewer-pass")
    assert "Lovelace" in client.get("/review/pair/1").text
    assert client.post("/review/pair/1/accept", headers={"X-CSRF-Token": token}).status_code == 403
    assert client.post("/review/undo", headers={"X-CSRF-Token": token}).status_code == 403
    with Session(engine) as s:
        assert s.get_one(MatchCandidate, 1).status == "pending"


def test_open_redirects_are_not_followed(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    answer = client.post(
        "/login",
        data={"name": "stew", "password": "steward-pass", "csrf_token": token,
              "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.headers["location"] == "/review"


def test_a_cookie_replayed_after_logout_or_a_password_change_is_refused(
    client: TestClient, engine: Engine
) -> None:
    from ingest.store.users import set_password

    csrf = _login(client, "stew", "steward-pass")
    stolen = client.cookies.get("leadflow_session")
    assert client.get("/review", follow_redirects=False).status_code == 200
    out = client.post("/logout", headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.clear()
    client.cookies.set("leadflow_session", stolen)
    assert client.get("/review", follow_redirects=False).status_code == 303  # to the login form

    client.cookies.clear()
    _login(client, "stew", "steward-pass")
    assert client.get("/review", follow_redirects=False).status_code == 200
    set_password(engine, "stew", "a-new-password")
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_garbage_query_values_answer_422_not_500(client: TestClient) -> None:
    _login(client, "stew", "steward-pass")
    for path in (
        "/review?offset=abc",
        "/review?run_id=99999999999999999999",
        "/review?offset=-1",
        "/review/audit?before=1e9",
        "/review/audit?after=-3",
        "/review/pair/99999999999999999999",
    ):
        assert client.get(path, follow_redirects=False).status_code == 422, path
    assert client.get("/review?run_id=12", follow_redirects=False).status_code == 200


def test_routes_that_touch_the_store_never_run_on_the_event_loop() -> None:
    """Async routes may only await; the store is reached from plain ``def`` routes (thread
    pool) or through ``run_in_threadpool``. These are the async ones, each checked by hand."""
    import inspect

    from fastapi.routing import APIRoute

    from flows.web import forms, reports
    from flows.web.review import actions_router, login_router, pages_router

    routers = (forms.router, reports.router, actions_router, login_router, pages_router)
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 12
    asynchronous = {r.endpoint.__name__ for r in routes if inspect.iscoroutinefunction(r.endpoint)}
    assert asynchronous == {"home", "login", "logout", "bulk_accept", "submit", "confirm", "decide"}
