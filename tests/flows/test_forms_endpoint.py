"""The web-form endpoint against real stores, and the real server (uvicorn) in a subprocess."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from flows.processes import free_port
from flows.web.app import create_app
from ingest.config import Settings
from ingest.store.models import FormSubmission
from sources.web_forms import MAX_SUBMISSION_BYTES

REPO = Path(__file__).resolve().parents[2]
OPT_IN = {
    "submission_id": "sub-0001",
    "fields": {"name": "Ada Lovelace", "email": "ada@example.com", "message": "Demo please"},
    "consent": {"email_marketing": True, "wording": "Send me news.", "version": "v3"},
}


class Mailer:
    """Collects the tokens the app hands to its on_staged callback."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def __call__(self, submission_id: str, token: str) -> None:
        self.sent.append((submission_id, token))


@pytest.fixture
def mailer() -> Mailer:
    return Mailer()


@pytest.fixture
def client(engine: Engine, mailer: Mailer, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(engine, settings=settings, on_staged=mailer)) as test_client:
        yield test_client


def _rows(engine: Engine) -> list[FormSubmission]:
    with sa.orm.Session(engine) as session:
        return list(session.scalars(sa.select(FormSubmission).order_by(FormSubmission.id)))


def test_json_submission_is_durable_when_202_arrives(
    client: TestClient, engine: Engine, mailer: Mailer
) -> None:
    answer = client.post("/forms/contact-us", json=OPT_IN, headers={"User-Agent": "Browser/1"})
    assert answer.status_code == 202
    assert answer.json() == {"submission_id": "sub-0001", "status": "staged"}
    (row,) = _rows(engine)
    assert row.form_id == "contact-us"
    assert row.payload["email"] == "ada@example.com"
    assert row.payload["consent_email_marketing"] == "yes"
    assert row.evidence["user_agent"] == "Browser/1"
    assert row.evidence["consent_wording"] == "Send me news."
    assert row.evidence["received_at"]
    # the token goes to the mailer only, never to the browser
    assert [sid for sid, _ in mailer.sent] == ["sub-0001"]
    token = mailer.sent[0][1]
    assert token not in answer.text


def test_form_encoded_submission(client: TestClient, engine: Engine, mailer: Mailer) -> None:
    answer = client.post(
        "/forms/newsletter",
        data={"email": "grace@example.org", "name": "Grace", "consent_wording": "Send me news."},
    )
    assert answer.status_code == 202
    generated = answer.json()["submission_id"]
    assert generated
    (row,) = _rows(engine)
    assert row.payload["submission_id"] == generated
    assert row.payload["consent_email_marketing"] == "no"  # an unticked box is not sent
    assert row.confirm_token_hash is None
    assert mailer.sent == []


def test_resubmission_is_idempotent(client: TestClient, engine: Engine, mailer: Mailer) -> None:
    first = client.post("/forms/contact-us", json=OPT_IN)
    again = client.post("/forms/contact-us", json=OPT_IN)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert len(_rows(engine)) == 1
    assert len(mailer.sent) == 1


def test_confirm_flow(client: TestClient, engine: Engine, mailer: Mailer) -> None:
    client.post("/forms/contact-us", json=OPT_IN)
    token = mailer.sent[0][1]
    assert client.get("/forms/confirm/" + "x" * 43).status_code == 404
    assert client.get("/forms/confirm/short").status_code == 404
    assert _rows(engine)[0].confirmed_at is None
    answer = client.get(f"/forms/confirm/{token}")
    assert answer.status_code == 200
    assert answer.json() == {"status": "confirmed"}
    assert _rows(engine)[0].confirmed_at is not None


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/json", b"{not json", 422),
        ("application/json", b"[1, 2]", 422),
        ("application/json", b'{"fields": {"email": 42}}', 422),
        ("application/json", b'{"fields": {}, "ip": "10.0.0.1"}', 422),
        ("application/json", b'{"fields": {}, "consent": {"email_marketing": true}}', 422),
        ("application/x-www-form-urlencoded", b"email=a%40b.c&email=x", 422),
        ("application/x-www-form-urlencoded", b"email=%ff%fe", 422),
        ("text/plain", b"email=a@b.c", 415),
        ("", b"{}", 415),
        ("multipart/form-data; boundary=x", b"--x--", 415),
    ],
)
def test_bad_requests_write_nothing(
    client: TestClient, engine: Engine, content_type: str, body: bytes, status: int
) -> None:
    answer = client.post("/forms/contact-us", content=body, headers={"Content-Type": content_type})
    assert answer.status_code == status
    assert answer.json()["message"]
    assert "a@b.c" not in answer.text
    assert _rows(engine) == []


def test_oversized_bodies_are_refused(client: TestClient, engine: Engine) -> None:
    big = b'{"fields": {"message": "' + b"x" * MAX_SUBMISSION_BYTES + b'"}}'
    answer = client.post(
        "/forms/contact-us", content=big, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit is counted while reading
        yield b'{"fields": {"message": "'
        for _ in range(MAX_SUBMISSION_BYTES // 1024 + 1):
            yield b"x" * 1024
        yield b'"}}'

    answer = client.post(
        "/forms/contact-us", content=chunked(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert _rows(engine) == []


def test_form_id_must_be_a_slug(client: TestClient, engine: Engine) -> None:
    for form_id in ("Contact%20Us", "contact_us-", "x" * 65, "-lead"):
        assert client.post(f"/forms/{form_id}", json=OPT_IN).status_code in (404, 422)
    assert _rows(engine) == []


def test_a_failing_mailer_does_not_lose_the_submission(engine: Engine, settings: Settings) -> None:
    def broken_mailer(submission_id: str, token: str) -> None:
        raise RuntimeError("smtp down")

    with TestClient(create_app(engine, settings=settings, on_staged=broken_mailer)) as client:
        assert client.post("/forms/contact-us", json=OPT_IN).status_code == 202
    assert len(_rows(engine)) == 1


@pytest.mark.slow
def test_served_by_uvicorn(db_url: str, engine: Engine) -> None:
    port = free_port()
    code = (
        "from flows.web.serve import serve; from ingest.config import Settings; "
        f"serve({db_url!r}, port={port}, log_level='warning', settings=Settings())"
    )
    server = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        answer: httpx.Response | None = None
        while answer is None:
            try:
                answer = httpx.post(f"{base}/forms/contact-us", json=OPT_IN, timeout=5)
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert answer.status_code == 202
        (row,) = _rows(engine)
        assert row.evidence["ip"] == "127.0.0.1"
        assert row.evidence["user_agent"].startswith("python-httpx")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_bursts_of_form_posts_and_logins_get_429_with_retry_after(
    engine: Engine, settings: Settings
) -> None:
    from flows.web.ratelimit import RateLimits

    app = create_app(
        engine, settings=settings, rate_limits=RateLimits(login=3, forms=5, window_seconds=60)
    )
    with TestClient(app) as client:
        codes = [
            client.post("/forms/contact-us", json={**OPT_IN, "submission_id": f"b{n}"}).status_code
            for n in range(8)
        ]
        assert codes == [202] * 5 + [429] * 3
        limited = client.post("/forms/contact-us", json=OPT_IN)
        # the sliding window's longest wait: the rest of this window and a fifth of the next
        assert 1 <= int(limited.headers["Retry-After"]) <= 72
        logins = [
            client.post("/login", data={"name": "x", "password": "y"}).status_code for _ in range(5)
        ]
        assert logins[:3] != [429] * 3 and logins[3:] == [429, 429]
    assert len(_rows(engine)) == 5  # nothing over the limit was stored


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_form_post_does_not_wait_for_an_imports_load_step(
    engine: Engine, settings: Settings
) -> None:
    """The rate limit and the staging take no part in the imports' load lock (PostgreSQL's
    advisory lock around match + load), so intake goes on while a chunk loads."""
    from ingest.store.engine import LOAD_LOCK_KEY

    answers: list[int] = []
    with engine.connect() as importer, TestClient(create_app(engine, settings=settings)) as client:
        importer.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOAD_LOCK_KEY})
        post = threading.Thread(
            target=lambda: answers.append(client.post("/forms/contact-us", json=OPT_IN).status_code)
        )
        post.start()
        post.join(timeout=10)
        answered_while_loading = not post.is_alive()
        importer.rollback()  # the load step ends
        post.join(timeout=60)
    assert answered_while_loading and answers == [202]
    assert len(_rows(engine)) == 1
