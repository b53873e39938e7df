"""Browser-test harness: a real server in a subprocess, Debian's Chromium driven by Playwright.

The server runs `manage.py runserver` against its own fresh SQLite file (migrated and loaded with
fixtures/plans/), never the pytest-django test database: the suite seeds that database once per
session, and live_server/transactional_db would flush it. The tests therefore never touch the
Django ORM either (Playwright's sync API keeps an asyncio loop running in this thread, so Django
would raise SynchronousOnlyOperation); they learn ids from the pages or from the JSON API.

Playwright and the browser are module-scoped so that they are stopped before any later test
module uses the database in this thread. Nothing is downloaded: the browser is /usr/bin/chromium
(Debian's `chromium` package). Without it the tests are skipped, or fail when BROWSER_TESTS=required.

Every test's page fails the test on a console error, an uncaught page error or a same-origin
response with status >= 400. Full-page screenshots go to artifacts/screenshots/<test>-<step>.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling Google's hosts, which this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
SERVER_START_TIMEOUT = 60  # seconds until runserver must answer
ADMIN_USERNAME = "browser-admin"
ADMIN_PASSWORD = "浏览器测试-Admin-2026"
# The server's environment, so a test can run manage.py against the same database (e.g. re-ingest the seeds).
SERVER_ENV: dict[str, str] = {}
EXPECT_TIMEOUT_MS = 10_000
ACTION_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, so `-m "not browser"` leaves them all out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --- Browser executable ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """/usr/bin/chromium, or skip (fail with BROWSER_TESTS=required) when it is not installed."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    message = (
        f"{CHROMIUM} not found: install Debian's browser with `apt-get install chromium fonts-noto-cjk` "
        "(never `playwright install`)"
    )
    if os.environ.get("BROWSER_TESTS", "").strip().lower() == "required":
        pytest.fail(f"BROWSER_TESTS=required but {message}", pytrace=False)
    pytest.skip(message)


# --- The server --------------------------------------------------------------------------------------------------


def _tail(path: Path, limit: int = 6000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no output)"
    return text[-limit:] or "(empty)"


def _manage(args: list[str], env: dict[str, str], timeout: int = 300) -> None:
    """Run manage.py with args; fail the session with its output if it does not succeed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`manage.py {' '.join(args)}` exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-4000:]}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def site_url(chromium_executable: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (no trailing slash) of a runserver on a free port, with its own SQLite holding the seed plans."""
    workdir = tmp_path_factory.mktemp("browser-server")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'browser.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "browser-test",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py sets its own
    _manage(["migrate", "--no-input", "-v", "0"], env)
    _manage(["ingest_plans", "fixtures/plans/"], env)
    # The first administrator, made the way the README says.
    _manage(
        ["createsuperuser", "--no-input", "--username", ADMIN_USERNAME, "--email", "admin@example.gov.cn"],
        {**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD},
    )
    SERVER_ENV.clear()
    SERVER_ENV.update(env)

    port = free_port()
    # Output goes to files, not pipes: runserver logs every request and a full pipe would stall it.
    out_path, err_path = workdir / "server.out", workdir / "server.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"runserver exited with {server.returncode} before answering on port {port}\n"
                    f"--- stderr ---\n{_tail(err_path)}\n--- stdout ---\n{_tail(out_path)}",
                    pytrace=False,
                )
            try:
                # An HTTP answer from the API, not just an open port: this also proves the database is loaded.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/plans/", timeout=5) as response:
                    if response.status == 200 and server.poll() is None:
                        break
            except OSError:  # refused while starting; urllib's errors are OSErrors
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"runserver did not answer on 127.0.0.1:{port} within {SERVER_START_TIMEOUT}s\n"
                    f"--- stderr ---\n{_tail(err_path)}\n--- stdout ---\n{_tail(out_path)}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def manage(site_url: str) -> Callable[..., None]:
    """manage("ingest_plans", "fixtures/plans/"): run a command against the browser server's database."""

    def run(*args: str) -> None:
        _manage(list(args), SERVER_ENV)

    return run


@pytest.fixture(scope="session")
def api(site_url: str) -> Callable[[str], dict]:
    """api("/api/plans/") -> the decoded JSON, fetched with urllib (no browser, no ORM)."""

    def get(path: str) -> dict:
        with urllib.request.urlopen(site_url + path, timeout=30) as response:
            return json.load(response)

    return get


# --- Playwright --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(chromium_executable: str) -> Iterator:
    """Headless Debian Chromium, one per test module; Playwright is stopped when the module is done."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """artifacts/screenshots/, emptied once per session so it shows only this run's pages."""
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


class PageProblems:
    """What went wrong in the page while a test ran; the page fixture asserts it is empty."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.items: list[str] = []
        self.expected: set[tuple[int, str]] = set()

    def expect(self, status: int, path: str) -> None:
        """A response the test asks for (a 400 for a wrong value, a 409 for a conflict): not a problem."""
        self.expected.add((status, self.origin + path))

    def on_console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            # The browser logs every 4xx answer it loads as an error; one the test asked for is none.
            asked = (location.get("url") == url and f"status of {code}" in message.text for code, url in self.expected)
            if any(asked):
                return
            # Chromium asks for /favicon.ico by itself when a page names no icon; the admin names none.
            # Not a request any page made, so it is not held against the page.
            if location.get("url") == self.origin + "/favicon.ico":
                return
            where = f" ({location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
            self.items.append(f"console error: {message.text}{where}")

    def on_page_error(self, error) -> None:
        self.items.append(f"uncaught page error: {error}")

    def on_response(self, response) -> None:
        url = response.url
        if (response.status, url) in self.expected:
            return
        if response.status >= 400 and (url == self.origin or url.startswith(self.origin + "/")):
            self.items.append(f"HTTP {response.status} {response.request.method} {url}")


@pytest.fixture
def page(browser, site_url: str) -> Iterator:
    """A fresh context and page (zh-CN, Asia/Shanghai, 1366x900, base_url = the server).

    At teardown the test errors if the page logged a console error, threw an uncaught error or
    got a same-origin response >= 400.
    """
    context = browser.new_context(
        base_url=site_url,
        viewport=VIEWPORT,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    problems = PageProblems(site_url)
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    page.on("response", problems.on_response)
    page.problems = problems  # page.problems.expect(409, path): a status the test provokes on purpose
    try:
        yield page
    finally:
        context.close()
    assert not problems.items, "the browser reported problems:\n" + "\n".join(problems.items)


@pytest.fixture
def shot(page, request: pytest.FixtureRequest, screenshot_dir: Path) -> Callable[[str], Path]:
    """shot("step") saves a full-page screenshot to artifacts/screenshots/<test-name>-<step>.png."""

    def take(step: str) -> Path:
        name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{step}").strip("_")
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
