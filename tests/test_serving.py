"""Serving in production: the health check, one log line per event, and the production settings."""

import io
import logging
import logging.config
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client

from tests.accounts.test_access import production_env
from tests.processes import free_port, project_env, wait_until_answering

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_the_health_check_answers_without_sign_in_even_when_the_site_is_closed(settings, django_assert_num_queries):
    settings.ANONYMOUS_READ = False
    with django_assert_num_queries(1):  # SELECT 1; no session, no user
        response = Client().get("/healthz")
    assert response.status_code == 200
    answer = response.json()
    assert {key: value for key, value in answer.items() if key not in ("fragments", "pid")} == {
        "status": "ok",
        "database": "ok",
    }
    assert answer["pid"] == os.getpid()  # the worker that answered: a benchmark adds up each worker's hits
    assert "no-cache" in response["Cache-Control"]
    assert Client().get("/").status_code == 302  # the rest of the site still asks to sign in


def test_the_health_check_says_503_when_the_database_does_not_answer(monkeypatch):
    from django.db import connection

    def refuse():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error"}


@pytest.fixture
def log_output(settings, monkeypatch):
    """What the LOGGING setting writes to standard output while the test runs."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    logging.config.dictConfig(settings.LOGGING)  # binds the handler to this stdout
    yield stream
    monkeypatch.undo()
    logging.config.dictConfig(settings.LOGGING)


def test_a_404_and_a_403_are_one_line_each_without_a_traceback_even_with_debug_on(settings, log_output, cast):
    settings.DEBUG = True  # Django's own console handler printed every such line a second time
    client = Client()
    client.force_login(cast.outsider)
    assert client.get("/plans/999999/").status_code == 404
    assert client.get("/agencies/duplicates/").status_code == 403
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert "WARNING django.request: Not Found: /plans/999999/" in lines[0]
    assert "WARNING django.request: Forbidden (Permission denied): /agencies/duplicates/" in lines[1]
    assert "Traceback" not in log_output.getvalue()


def test_a_server_error_keeps_its_traceback_on_its_one_line(log_output):
    try:
        raise ValueError("坏了")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error: /x", exc_info=True)
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1
    assert "ERROR django.request: Internal Server Error: /x\\nTraceback" in lines[0]
    assert "ValueError: 坏了" in lines[0]


def test_a_client_error_is_logged_once_under_the_development_server_and_still_under_gunicorn(settings, log_output):
    """runserver logs each request itself (django.server), so django.request's 404 line would be its double."""
    Client(SERVER_SOFTWARE="WSGIServer/0.2").get("/no-such-page/")
    Client(SERVER_SOFTWARE="gunicorn/23.0.0").get("/no-such-page/")
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "WARNING django.request: Not Found: /no-such-page/" in lines[0]


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")


def test_the_development_server_logs_one_line_per_request_and_no_traceback_for_a_404_or_403(tmp_path):
    """`make run` as a newcomer sees it: runserver with DEBUG on, and its output for a 200, a 404 and a 403."""
    port = free_port()
    env = project_env(
        "LOG_LEVEL", DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}", PYTHONUNBUFFERED="1"
    )
    output = tmp_path / "server.log"
    with output.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/healthz", server, output)
        deadline = time.monotonic() + 60
        # Each request is logged by its own thread once answered: wait for this one's line, so the order is known.
        while "/healthz" not in output.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)
        statuses = []
        for path in ("/static/css/app.css", "/no-such-page/", "/plans/upload/"):
            try:
                # Read to the end and closed: the server logs a request once its answer is sent, and an unread
                # stylesheet would stay half-sent until the response object happened to be collected.
                with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                    response.read()
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        assert statuses == [200, 404, 403]
        # The server logs a request after answering it: wait for the last line before stopping it.
        while "/plans/upload/" not in output.read_text(encoding="utf-8") and time.monotonic() < deadline + 10:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = output.read_text(encoding="utf-8")
    requests = [LOG_LINE.sub("", line).rsplit(" ", 1)[0] for line in text.splitlines() if LOG_LINE.match(line)]
    assert requests == [
        'django.server: "GET /healthz HTTP/1.1" 200',
        'django.server: "GET /static/css/app.css HTTP/1.1" 200',
        'django.server: "GET /no-such-page/ HTTP/1.1" 404',
        'django.server: "GET /plans/upload/ HTTP/1.1" 403',
    ], text
    assert "Traceback" not in text


def test_production_serves_hashed_compressed_static_files_and_keeps_connections():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); print(s.MIDDLEWARE[1]); "
        "print(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']); "
        "print(s.SECURE_REDIRECT_EXEMPT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "600 True",
        "['^healthz$']",
    ]


def test_the_gunicorn_settings_log_to_standard_output_and_scale_with_the_cores(monkeypatch):
    import runpy

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert config["accesslog"] == config["errorlog"] == "-"
    assert config["workers"] >= 3
    monkeypatch.setenv("WEB_CONCURRENCY", "9")
    assert runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["workers"] == 9
