"""Concurrent users against a real server, on SQLite or PostgreSQL: errors, latency and no acknowledged write lost.

    .venv/bin/python scripts/load_test.py                      # SQLite, 32 clients, 60 s
    .venv/bin/python scripts/load_test.py --database postgres  # a fresh PostgreSQL database (DATABASE_URL's server)
    .venv/bin/python scripts/load_test.py --clients 8 --seconds 20

It builds a fresh database with the five seed plans, starts the app (gunicorn when installed, else runserver) on
loopback, and runs the clients for the time given: each signs in and mixes reads (home, plan, task, duty list,
matrix, search), edits of a task's units through the edit form, notes through the note form, while another
process re-ingests seed 000 every few seconds, alternating two texts that differ in a clause. Afterwards it
checks against the database and the history that every write the server acknowledged (a redirect after a save)
is there, or was changed afterwards by a write that is on record. It prints requests, requests/s, p50/p95 by
kind, conflicts (409), errors (5xx and failed connections) and lost writes, and exits 1 on any error or loss.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = sorted((ROOT / "fixtures" / "plans").glob("000_*.txt"))[0]
PASSWORD = "Load-test-2026-密码"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Setup:
    """A fresh database with the seeds and one administrator account, and the server on it."""

    def __init__(self, database: str, workdir: Path):
        self.workdir = workdir
        self.env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "load-test", "ALLOWED_HOSTS": HOST}
        self.pg_name = None
        if database == "sqlite":
            self.env["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
        else:
            server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
            base = server.rsplit("/", 1)[0]
            self.pg_name = f"load_{uuid.uuid4().hex[:8]}"
            self.manage_sql(base + "/postgres", f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = f"{base}/{self.pg_name}"
            self.pg_base = base
        self.run("migrate", "-v0")
        self.run("ingest_plans", str(ROOT / "fixtures" / "plans"), "-v0")
        self.run(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_superuser('load-admin', 'a@example.com', {PASSWORD!r})",
        )
        # Two texts of seed 000 for the re-ingest: the original and one whose first clause lists a unit less.
        text = SEED_000.read_text(encoding="utf-8")
        self.variants = [workdir / "000_a.txt", workdir / "000_b.txt"]
        self.variants[0].write_text(text, encoding="utf-8")
        self.variants[1].write_text(_drop_a_unit(text), encoding="utf-8")

    def manage_sql(self, url: str, sql: str) -> None:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as connection:
            connection.execute(sql)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start_server(self, port: int) -> subprocess.Popen:
        try:
            import gunicorn  # noqa: F401

            command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"{HOST}:{port}", "-w", "4"]
            command += ["--threads", "4", "--log-level", "warning", "--timeout", "120"]
        except ImportError:
            command = [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"]
        # To a file, not a pipe nobody reads: a full pipe would stall the server once its log passes 64 KiB.
        self.server_log = open(self.workdir / "server.log", "wb")  # noqa: SIM115 — open while the server runs
        server = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.server_log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2)
                return server
            except OSError:
                time.sleep(0.2)
        server.kill()
        raise SystemExit(f"the server did not start: {' '.join(command)}")

    def drop(self) -> None:
        if self.pg_name:
            self.manage_sql(self.pg_base + "/postgres", f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def _drop_a_unit(text: str) -> str:
    """The text with the second unit of the first clause that names three or more taken out."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if "牵头，" in line and line.rstrip().endswith("）") and line.count("、") >= 2:
            head, _, tail = line.rpartition("牵头，")
            units = tail.split("、")
            lines[i] = head + "牵头，" + "、".join([units[0], *units[2:]])
            return "".join(lines)
    raise SystemExit("no clause with three units in seed 000")


class Client:
    """One user in a browser: a session, a cookie jar, the CSRF token, timings by kind."""

    def __init__(self, base: str, stats: Stats):
        self.base, self.stats = base, stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, kind: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        if body is not None:
            request.add_header("X-CSRFToken", self.csrf())
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, content, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, content, location = (
                error.code,
                error.read().decode(errors="replace"),
                error.headers.get("Location", ""),
            )
        except OSError as error:
            status, content, location = 0, str(error), ""
        self.stats.record(kind, status, time.perf_counter() - started)
        return status, content, location

    def sign_in(self) -> None:
        self.request("read", "/accounts/login/")
        data = {"username": "load-admin", "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()}
        status, _, _ = self.request("sign-in", "/accounts/login/", data)
        if status != 302:
            raise SystemExit(f"sign-in failed: {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect after a save is the acknowledgement: keep it, do not follow it


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.acknowledged_edits: list[str] = []  # reasons of edits the server acknowledged
        self.acknowledged_notes: list[tuple[int, int, str]] = []  # (task, agency, text)

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[(kind, status)] += 1


def edit_once(client: Client, task_id: int, token: str) -> None:
    status, page, _ = client.request("edit-form", f"/tasks/{task_id}/edit/")
    if status != 200:
        return
    form = BeautifulSoup(page, "html.parser").select_one("#task-edit-form")
    data = {}
    roles = []
    for field in form.select("input[name], select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen["value"]
            if name.startswith("duty-") and name.endswith("-role"):
                roles.append(name)
        elif field.get("type") == "checkbox":
            continue
        else:
            data[name] = field.get("value", "")
    if not roles:
        return
    field = random.choice(roles)
    data[field] = "joint" if data[field] == "cooperating" else "cooperating"
    data["reason"] = token
    status, _, _ = client.request("edit-save", f"/tasks/{task_id}/edit/", data)
    if status == 302:
        with client.stats.lock:
            client.stats.acknowledged_edits.append(token)


def note_once(client: Client, task_id: int, token: str) -> None:
    status, page, _ = client.request("read", f"/tasks/{task_id}/")
    if status != 200:
        return
    forms = BeautifulSoup(page, "html.parser").select("#notes form")
    if not forms:
        return
    form = random.choice(forms)
    data = {f["name"]: f.get("value", "") for f in form.select("input[name]")}
    prefix = next(name for name in data if name.endswith("-version")).removesuffix("-version")
    data[f"{prefix}-note"] = token
    status, _, _ = client.request("note-save", form["action"], data)
    if status == 302:
        agency = int(form["action"].rstrip("/").rsplit("/", 1)[1])
        with client.stats.lock:
            client.stats.acknowledged_notes.append((task_id, agency, token))


def user(base: str, stats: Stats, ids: dict, deadline: float, number: int) -> None:
    client = Client(base, stats)
    client.sign_in()
    n = 0
    while time.monotonic() < deadline:
        n += 1
        roll = random.random()
        if roll < 0.6:
            path = random.choice(
                [
                    "/",
                    f"/plans/{random.choice(ids['plans'])}/",
                    f"/tasks/{random.choice(ids['tasks'])}/",
                    f"/agencies/{random.choice(ids['agencies'])}/",
                    f"/plans/{random.choice(ids['plans'])}/matrix/",
                    "/search/?q=fgj",
                ]
            )
            client.request("read", path)
        elif roll < 0.85:
            edit_once(client, random.choice(ids["edit_tasks"]), f"load-edit-{number}-{n}")
        else:
            note_once(client, random.choice(ids["edit_tasks"]), f"load-note-{number}-{n}")


def reingest(setup: Setup, deadline: float, stats: Stats) -> None:
    turn = 1
    while time.monotonic() < deadline:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "manage.py", "ingest_plans", str(setup.variants[turn % 2])],
            cwd=ROOT,
            env=setup.env,
            capture_output=True,
            text=True,
        )
        stats.record("re-ingest", 200 if result.returncode == 0 else 500, time.perf_counter() - started)
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
        turn += 1
        time.sleep(3)


def discover(setup: Setup) -> dict:
    code = (
        "import json; from plans.models import Plan, Task; from agencies.models import Agency; "
        "p = Plan.objects.get(source_name__startswith='000'); "
        "print(json.dumps({'plans': list(Plan.objects.values_list('pk', flat=True)), "
        "'tasks': list(Task.objects.values_list('pk', flat=True)[:300]), "
        "'agencies': list(Agency.objects.filter(duties__isnull=False).distinct().values_list('pk', flat=True)[:200]), "
        "'edit_tasks': list(p.tasks.order_by('position').values_list('pk', flat=True)[:12])}))"
    )
    import json

    return json.loads(setup.run("shell", "-c", code).strip().splitlines()[-1])


def lost_writes(setup: Setup, stats: Stats) -> list[str]:
    """Acknowledged writes missing from the database with no later write on record to explain it."""
    import json

    payload = json.dumps({"edits": stats.acknowledged_edits, "notes": stats.acknowledged_notes})
    (setup.workdir / "acknowledged.json").write_text(payload, encoding="utf-8")
    code = f"""
import json
from plans.models import Duty, TaskNote
data = json.loads(open({str(setup.workdir / "acknowledged.json")!r}, encoding='utf-8').read())
lost = []
History = Duty.history.model
for reason in data['edits']:
    rows = list(History.objects.filter(history_change_reason=reason).order_by('history_id'))
    if not rows:
        lost.append('edit ' + reason + ': no history row')
        continue
    for row in rows:
        later = History.objects.filter(id=row.id, history_id__gt=row.history_id).exists()
        if later:
            continue
        duty = Duty.objects.filter(pk=row.id).first()
        if duty is None or (duty.role, duty.source) != (row.role, row.source):
            lost.append(f'edit {{reason}}: duty {{row.id}} is not as saved and nothing on record changed it')
last = {{}}
for task, agency, text in data['notes']:
    last[(task, agency)] = text
for (task, agency), text in last.items():
    note = TaskNote.objects.filter(task_id=task, agency_id=agency).first()
    saved = TaskNote.history.filter(task_id=task, agency_id=agency).order_by('history_id').last()
    if note is None or saved is None or note.note != saved.note:
        lost.append(f'note {{task}}/{{agency}}: not as last saved')
    elif not TaskNote.history.filter(task_id=task, agency_id=agency, note=text).exists():
        lost.append(f'note {{task}}/{{agency}}: {{text}} never saved')
print(json.dumps(lost))
"""
    return json.loads(setup.run("shell", "-c", code).strip().splitlines()[-1])


def report(stats: Stats, seconds: float, lost: list[str]) -> int:
    total = sum(stats.statuses.values())
    errors = sum(n for (kind, status), n in stats.statuses.items() if status == 0 or status >= 500)
    conflicts = sum(n for (kind, status), n in stats.statuses.items() if status == 409)
    print(f"{'kind':<12}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}  statuses")
    for kind, times in sorted(stats.times.items()):
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        statuses = ", ".join(f"{s}×{n}" for (k, s), n in sorted(stats.statuses.items()) if k == kind)
        print(f"{kind:<12}{len(times):>10}{statistics.median(times) * 1000:>10.0f}{p95 * 1000:>10.0f}  {statuses}")
    print(f"requests {total}, {total / seconds:.1f}/s; 409 {conflicts}; errors {errors}")
    print(
        f"acknowledged: {len(stats.acknowledged_edits)} edits, {len(stats.acknowledged_notes)} notes; lost {len(lost)}"
    )
    for line in lost[:20]:
        print("  LOST", line)
    return 1 if errors or lost else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="load-"))
    setup = Setup(args.database, workdir)
    server = None
    try:
        port = free_port()
        server = setup.start_server(port)
        ids = discover(setup)
        stats = Stats()
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=reingest, args=(setup, deadline, stats), daemon=True)]
        base = f"http://{HOST}:{port}"
        threads += [
            threading.Thread(target=user, args=(base, stats, ids, deadline, n), daemon=True)
            for n in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 180)
        elapsed = time.monotonic() - started
        server.terminate()
        server.wait(30)
        print(f"database {args.database}, {args.clients} clients, {args.seconds} s")
        status = report(stats, elapsed, lost_writes(setup, stats))
        if status:
            # What the server said about its errors: the tracebacks of the 5xx answers.
            log = (workdir / "server.log").read_text(encoding="utf-8", errors="replace")
            print("server log (last 6,000 characters):", log[-6000:], sep="\n", file=sys.stderr)
        return status
    finally:
        if server and server.poll() is None:
            server.kill()
        setup.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
