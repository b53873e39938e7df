"""Real use at national scale (issue 23): clients asking pages drawn at random from a pool of over 1,000.

    BENCH_SCALE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/plans_scale \\
        .venv/bin/python scripts/bench_random_pool.py [--seconds 30] [--clients 8] [--warmup 10] \\
        [--only TEXT] [--no-search] [--port 8117] [--seed 23]

`make bench-pool` runs it on the database `make bench-scale` built (which runs it too, after bench_scale.py).
About ten minutes with the defaults.

The database is the one BENCH_SCALE_DATABASE_URL names (default postgres://postgres@127.0.0.1:5432/plans_scale),
never DATABASE_URL. It measures what is there, as bench_scale.py --reuse does: it applies pending migrations but
never builds or drops data, and refuses a database without plans. The writers below do write (notes, and duty
edits each undone by the next); nothing else is changed.

The pool, drawn with --seed from the database: 500 task pages /tasks/<id>/, 200 plans as /plans/<id>/ and
/plans/<id>/matrix/, 200 agencies' 任务清单 /agencies/<id>/ (agencies that have duties), the home page and a few
list pages (/, /agencies/, and both narrowed to the regions of three plans). Each client asks a page drawn at
random from the whole pool for every request, anonymously (ANONYMOUS_READ=1), as readers spread over the site
would, instead of one page at a time as bench_scale.py does.

Each run starts its own gunicorn as bench_scale.py does (config.production, config/gunicorn.py, its worker count;
only the access log line gains the worker's pid), lets the clients read the pool for --warmup seconds untimed (so
that a run does not measure a server's first minute only), then measures --seconds with --clients clients; every
run thus starts alike, whatever ran before it. Runs (name, writer):

    cache on   kept fragments in each worker's memory (FRAGMENTS_KEPT=1, the default deployment)
    cache off  every page built in full (FRAGMENTS_KEPT=0)
    redis      kept fragments in one Redis shared by the workers (FRAGMENTS_REDIS_URL=BENCH_POOL_REDIS_URL,
               default redis://127.0.0.1:6379/14, its keys of this site deleted before each run); skipped when
               Redis does not answer

each with writer (once a second; --write-every sets another interval)
    none       readers only
    note       once a second, an agency's 工作备注 on a task of the pool saved through plans.notes.save_note (the
               one writer of notes, so the same SQL as the form), from a thread of this process: moves no version
    duty edit  once a second, the first two units of a task of the pool swapped through plans.editing.apply_task_edit,
               the next edit swapping them back: moves that plan's version and the agencies' one

Columns: requests and req/s of the timed part (req/s over the time to the last answer); p50, p95, p99 latency
(nearest rank) in ms; errors: answers other than 200 and failed requests (no writer deletes a page, so a 404 is
an error too); hit %: reads of kept fragments found in the cache during the timed part, over all reads, summed
over the workers (see below); app ms and db ms: CPU milliseconds per request of gunicorn's workers and of the
database's PostgreSQL backends (/proc), which say what a request costs when the machine is shared; load: the
1-minute load average before → after the row; writes: the writer's saves, and the versions they moved (data:
the global data version, plans: plan scopes moved, agencies: the agencies scope).

Hit rate: /healthz answers the counters of the worker that serves it (fragments.hits, .misses, since the worker
started). Before and after the timed part the script asks /healthz?probe=<n> from several threads at once until
every worker (the master's child processes, from /proc) has answered, and learns which worker answered each probe
from its "pid" in the JSON, or else from the access log line of that probe (the pid added to the log format). The
hit rate is the sum over workers of hits after minus before, over the same sum of hits and misses. A worker
replaced during the run (max_requests) takes its counts with it: the row says so.

Then the search block: for each of 20 common words and short forms, /search/?q=<word> asked by --clients clients
for 5 s against one gunicorn (cache on), with p50, p95 and req/s.

Prints the machine (date, cores, load averages), one row a run, latency by kind of page, and a one-line summary.
Exits 1 when any request fails or answers other than 200, or a writer fails.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_scale import DEFAULT_DATABASE, SECRET_KEY, CpuMeter, setup_django, wait_for  # noqa: E402
from load_driver import LoadResult, _get, run_clients  # noqa: E402

HOST = "127.0.0.1"
POOL_TASKS, POOL_PLANS, POOL_AGENCIES, LIST_REGIONS = 500, 200, 200, 3
SEARCH_WORDS = [
    "发改",
    "住建",
    "财政",
    "环保",
    "光伏",
    "碳",
    "改革",
    "发展",
    "交通",
    "教育",
    "医疗",
    "能源",
    "农业",
    "安全",
    "水利",
    "应急",
    "科技",
    "工信",
    "生态环境",
    "城市更新",
]
SEARCH_SECONDS = 5.0
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
REDIS_KEY_PREFIX = "plans:"  # config/settings.py's KEY_PREFIX for the fragments cache, as Django joins it
# /healthz is answered by whichever worker accepts first; concurrent probes keep the others from idling out of it.
PROBE_THREADS = 8
PROBE_ROUNDS = 60
KINDS = ("task", "plan", "matrix", "agency", "list")
EDIT_REASON = "基准测试：对调前两个单位的顺序"


@dataclass
class Run:
    name: str
    writer: str
    result: LoadResult | None = None
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # a few of the failed requests, to show
    hit_rate: float | None = None
    notes: list[str] = field(default_factory=list)
    load: tuple[float, float] = (math.nan, math.nan)

    @property
    def errors(self) -> int:
        r = self.result
        return 0 if r is None else len(r.errors) + sum(n for status, n in r.statuses.items() if status != 200)

    @property
    def label(self) -> str:
        return f"{self.name} / {self.writer}"


# --- The pool ------------------------------------------------------------------------------------------------------


def build_pool(seed: int) -> tuple[list[tuple[str, str]], dict]:
    """(kind, path) for every page of the pool, and the ids the writers pick from. Ids are sorted before sampling,
    so one seed draws the same pool from the same data."""
    from plans.models import Duty, Plan, Task

    rng = random.Random(seed)
    task_ids = sample(rng, Task.objects.values_list("pk", flat=True), POOL_TASKS)
    plans = sample(rng, Plan.objects.values_list("pk", flat=True), POOL_PLANS)
    agencies = sample(rng, Duty.objects.values_list("agency_id", flat=True).distinct(), POOL_AGENCIES)
    regions = sorted(
        set(Plan.objects.filter(pk__in=rng.sample(plans, min(LIST_REGIONS, len(plans)))).values_list("region__code"))
    )
    lists = ["/", "/agencies/"] + [f"{index}?region={code}" for index in ("/", "/agencies/") for (code,) in regions]
    pool = [("list", landing(path)) for path in dict.fromkeys(lists)]
    pool += [("task", f"/tasks/{pk}/") for pk in task_ids]
    pool += [(kind, f"/plans/{pk}/{tail}") for pk in plans for kind, tail in (("plan", ""), ("matrix", "matrix/"))]
    pool += [("agency", f"/agencies/{pk}/") for pk in agencies]

    # The writers' targets: a duty's agency on each task for the notes, and the tasks with two units or more for
    # the edits, which swap the first two.
    firsts = {}
    for task_id, agency_id in (
        Duty.objects.filter(task_id__in=task_ids)
        .order_by("task_id", "position", "pk")
        .values_list("task_id", "agency_id")
    ):
        firsts.setdefault(task_id, agency_id)
    from django.db.models import Count

    multi = sorted(
        Duty.objects.filter(task_id__in=task_ids)
        .values("task_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values_list("task_id", flat=True)
    )
    return pool, {"notes": sorted(firsts.items()), "edits": multi}


def landing(path: str) -> str:
    """Where a reader lands: /agencies/ opens at the only province when one holds every agency (a redirect)."""
    from django.test import Client

    response = Client().get(path)
    return response["Location"] if response.status_code == 302 else path


def sample(rng: random.Random, ids, n: int) -> list[int]:
    ids = sorted(ids)
    return rng.sample(ids, min(n, len(ids)))


# --- gunicorn ------------------------------------------------------------------------------------------------------


class Server:
    """gunicorn as bench_scale.py starts it, with the worker's pid at the head of each access log line, so that a
    /healthz answer can be put down to the worker that gave it."""

    PROBE = re.compile(r'^<(\d+)> .*"GET /healthz\?probe=(\S+) HTTP')

    def __init__(self, port: int, database_url: str, *, kept: bool, redis_url: str = ""):
        self.port = port
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ANONYMOUS_READ": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "FRAGMENTS_KEPT": "1" if kept else "0",
            "FRAGMENTS_REDIS_URL": redis_url,
        }
        env.pop("DEBUG", None)
        self.log = tempfile.NamedTemporaryFile(prefix="bench-pool-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"{HOST}:{port}",
            "--config",
            "config/gunicorn.py",
            # The command line wins over the file: the file's format, led by the pid.
            "--access-logformat",
            '%(p)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"',
            "config.wsgi",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.cpu = None
        self.probes = itertools.count(1)  # next() is atomic: the probing threads share it
        self.log_offset = 0
        self.probe_pids: dict[str, int] = {}
        try:
            wait_for(port, self.process)
            self.cpu = CpuMeter(self.process.pid, database_url)
        except BaseException:
            print(f"gunicorn did not start: log {self.log.name}", file=sys.stderr)
            self.stop(keep_log=True)
            raise

    def workers(self) -> set[int]:
        return set(self.cpu._workers())

    def stop(self, keep_log: bool = False) -> None:
        """Stop gunicorn; its log goes unless asked to keep it (a run that failed)."""
        if self.cpu is not None:
            self.cpu.database.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        if not keep_log:
            os.unlink(self.log.name)

    def _read_log(self) -> None:
        with open(self.log.name, "rb") as log:
            log.seek(self.log_offset)
            data = log.read()
        # Only whole lines: the rest is read again next time.
        data = data[: data.rfind(b"\n") + 1]
        self.log_offset += len(data)
        for line in data.decode("utf-8", errors="replace").splitlines():
            if match := self.PROBE.match(line):
                self.probe_pids[match[2]] = int(match[1])

    def _probe(self) -> tuple[str, dict]:
        name = f"{os.getpid()}-{next(self.probes)}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request("GET", f"/healthz?probe={name}", headers={"Host": HOST})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"/healthz answered {response.status}")
        return name, json.loads(body)

    def counters(self) -> tuple[dict[int, tuple[int, int]], set[int]]:
        """Each worker's (hits, misses) now, and the workers that did not answer within PROBE_ROUNDS rounds."""
        expected = self.workers()
        seen: dict[int, tuple[int, int]] = {}
        with ThreadPoolExecutor(PROBE_THREADS) as pool:
            for _ in range(PROBE_ROUNDS):
                answers = list(pool.map(lambda _: self._probe(), range(PROBE_THREADS)))
                if any("pid" not in body for _, body in answers):
                    # gunicorn writes the access log line after the answer: wait for the round's lines.
                    for _ in range(100):
                        self._read_log()
                        if all(name in self.probe_pids for name, _ in answers):
                            break
                        time.sleep(0.02)
                for name, body in answers:
                    pid = body.get("pid", self.probe_pids.get(name))
                    if pid is not None:
                        fragments = body["fragments"]
                        seen[int(pid)] = (fragments["hits"], fragments["misses"])
                if expected <= seen.keys():
                    break
        return {pid: seen[pid] for pid in expected & seen.keys()}, expected - seen.keys()


def hit_rate(before: dict, after: dict, run: Run) -> float | None:
    hits = sum(h - before.get(pid, (0, 0))[0] for pid, (h, _) in after.items())
    misses = sum(m - before.get(pid, (0, 0))[1] for pid, (_, m) in after.items())
    replaced = before.keys() - after.keys()
    if replaced:
        run.notes.append(f"{len(replaced)} worker(s) replaced during the run: their counts are lost")
    return 100 * hits / (hits + misses) if hits + misses else None


# --- The clients ---------------------------------------------------------------------------------------------------


def drive(port: int, pool: list, clients: int, seconds: float, seed: int, run: Run) -> LoadResult:
    """Each client asks a page drawn from the pool for every request until `seconds` have passed; a request started
    before the deadline is waited for. Requests per second: the timed requests over the time to the last answer."""
    headers = {"Host": HOST, "Accept-Encoding": "identity"}
    result = LoadResult("pool", clients, 0.0)
    lock = threading.Lock()

    def client(number: int, ready, in_time) -> None:
        rng = random.Random(seed * 1000 + number)
        connection = http.client.HTTPConnection(HOST, port, timeout=300)
        ready()
        latencies, statuses, errors, failures = [], {}, [], []
        by_kind: dict[str, list[float]] = {}
        while in_time():
            kind, path = rng.choice(pool)
            start = time.perf_counter()
            try:
                status, _ = _get(connection, path, headers)
            except Exception as error:
                connection.close()
                errors.append(f"{path}: {error!r}")
                time.sleep(0.1)  # a server that refuses connections would otherwise be asked in a tight loop
                continue
            elapsed = (time.perf_counter() - start) * 1000
            latencies.append(elapsed)
            by_kind.setdefault(kind, []).append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200 and len(failures) < 5:
                failures.append(f"{path} {status}")
        connection.close()
        with lock:
            result.latencies_ms += latencies
            result.errors += errors
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n
            for kind, values in by_kind.items():
                run.by_kind.setdefault(kind, []).extend(values)
            run.failures += errors[:5] + failures

    result.seconds = run_clients(clients, seconds, client)
    return result


# --- The writers ---------------------------------------------------------------------------------------------------


class Writer(threading.Thread):
    """Writes every `every` seconds (once a second by default), on time, until stopped, through the project's own
    writer."""

    def __init__(self, targets: list, seed: int, every: float = 1.0):
        super().__init__(daemon=True)
        self.every = every
        self.targets = targets
        self.rng = random.Random(seed)
        self.stopping = threading.Event()
        self.writes = 0
        self.errors: list[str] = []
        import bench_scale_pages

        self.user = bench_scale_pages.editor()

    def run(self) -> None:
        from django.db import connection

        due = time.monotonic()
        try:
            while not self.stopping.is_set():
                try:
                    self.write()
                    self.writes += 1
                except Exception as error:
                    self.errors.append(repr(error))
                due += self.every
                self.stopping.wait(max(0.0, due - time.monotonic()))
            self.finish()
        except Exception as error:
            self.errors.append(repr(error))
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join()

    def finish(self) -> None:
        pass


class NoteWriter(Writer):
    name = "note"

    def write(self) -> None:
        from agencies.models import Agency
        from plans.models import Task, TaskNote
        from plans.notes import save_note

        task_id, agency_id = self.rng.choice(self.targets)
        task, agency = Task.objects.get(pk=task_id), Agency.objects.get(pk=agency_id)
        current = TaskNote.objects.filter(task=task, agency=agency).first()
        values = {
            "contact_person": "基准测试",
            "contact_phone": "010-00000000",
            "note": f"基准测试写入 {datetime.datetime.now().isoformat(timespec='seconds')}",
        }
        save_note(task, agency, self.user, values, version=TaskNote.version_of(current))


class DutyWriter(Writer):
    name = "duty edit"

    def __init__(self, targets: list, seed: int, every: float = 1.0):
        super().__init__(targets, seed, every)
        self.swapped: int | None = None  # the task whose units the last edit swapped, to swap back next

    def write(self) -> None:
        if self.swapped is None:
            task_id = self.swapped = self.rng.choice(self.targets)
        else:
            task_id, self.swapped = self.swapped, None
        self.swap(task_id)

    def finish(self) -> None:
        if self.swapped is not None:
            self.swap(self.swapped)  # the data as the run found it, but for the history rows
            self.swapped = None

    def swap(self, task_id: int) -> None:
        from plans import history
        from plans.editing import UnitEdit, apply_task_edit
        from plans.models import Task

        task = Task.objects.get(pk=task_id)
        duties = history.current_duties(task)
        # The form numbers the units 1..n; typing 2 and 1 in the first two swaps them.
        units = [UnitEdit(d.pk, d.role, d.inferred, order=n) for n, d in enumerate(duties, 1)]
        units[0], units[1] = replace(units[0], order=2), replace(units[1], order=1)
        if not apply_task_edit(task, self.user, units, [], EDIT_REASON, history.version_of(duties)):
            raise RuntimeError(f"task {task_id}: the edit changed nothing")


WRITERS = {"none": None, "note": NoteWriter, "duty edit": DutyWriter}


def versions_now() -> tuple[int, dict[str, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM fragments_dataversion WHERE id = 1")
        row = cursor.fetchone()
        cursor.execute("SELECT scope, value FROM fragments_scopeversion")
        scopes = dict(cursor.fetchall())
    return (row[0] if row else 0), scopes


def versions_moved(before, after) -> str:
    moved = {scope for scope, value in after[1].items() if before[1].get(scope) != value}
    plans = sum(1 for scope in moved if scope.startswith("plan:"))
    agencies = after[1].get("agencies", 0) - before[1].get("agencies", 0) if "agencies" in before[1] else None
    agencies = "new" if agencies is None and "agencies" in moved else (agencies or 0)
    return f"data +{after[0] - before[0]}, plans {plans}, agencies +{agencies}"


# --- Runs ----------------------------------------------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def clear_redis(url: str) -> None:
    """Every run starts cold, as a fresh gunicorn's memory does: this site's keys go, no one else's."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        batch = []
        for key in client.scan_iter(match=f"{REDIS_KEY_PREFIX}*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
    finally:
        client.close()


def measure(run: Run, args, database_url: str, pool: list, targets: dict, redis_url: str) -> None:
    if run.name == "redis":
        clear_redis(redis_url)
    server = Server(
        args.port, database_url, kept=run.name != "cache off", redis_url=redis_url if run.name == "redis" else ""
    )
    try:
        if args.warmup > 0:
            warm = Run(run.name, "warm-up")
            warm.result = drive(args.port, pool, args.clients, args.warmup, args.seed + 7, warm)
            if warm.errors:
                run.notes.append(f"warm-up: {warm.errors} errors, e.g. {warm.failures[:2]}")
                run.failures += warm.failures
        before, unseen = server.counters()
        writer_class = WRITERS[run.writer]
        writer = None
        if writer_class is not None:
            writer = writer_class(
                targets["notes" if writer_class is NoteWriter else "edits"], args.seed, args.write_every
            )
        versions_before = versions_now()
        load_before = os.getloadavg()[0]
        cpu_before = server.cpu.snapshot()
        if writer is not None:
            writer.start()
        try:
            run.result = drive(args.port, pool, args.clients, args.seconds, args.seed, run)
        finally:
            if writer is not None:
                writer.stop()
        run.result.app_cpu_s, run.result.db_cpu_s = server.cpu.since(cpu_before)
        run.load = (load_before, os.getloadavg()[0])
        after, unseen_after = server.counters()
        if not args.no_hits:
            run.hit_rate = hit_rate(before, after, run)
        if unseen or unseen_after:
            run.notes.append(f"workers that never answered /healthz: {sorted(unseen | unseen_after)}")
        versions_after = versions_now()
        if writer is not None:
            run.notes.append(f"{writer.writes} writes ({versions_moved(versions_before, versions_after)})")
        elif versions_after != versions_before:
            # Someone else wrote to the database during the run (a migration, another benchmark): say so.
            run.notes.append(f"versions moved with no writer: {versions_moved(versions_before, versions_after)}")
            if writer.errors:
                run.notes.append(f"WRITER FAILED {len(writer.errors)}×: {writer.errors[0]}")
                run.failures += writer.errors[:1]
        if run.failures:
            run.notes.append(f"failed e.g. {run.failures[:3]}; gunicorn log {server.log.name}")
    finally:
        server.stop(keep_log=bool(run.failures) or run.result is None)
        if run.name == "redis":
            clear_redis(redis_url)  # expiry would take an hour
    print_row(run)


# --- Printing ------------------------------------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, n: int, right: bool = False) -> str:
    space = " " * max(0, n - width(text))
    return space + text if right else text + space


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}" if value >= 1000 else f"{value:.{digits}f}"


HEADER = (
    f"{'run':<10} {'writer':<10} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
    f"{'errors':>6} {'hit %':>6} {'app ms':>7} {'db ms':>6} {'load':>11}  writes / notes"
)


def print_row(run: Run) -> None:
    r = run.result
    print(
        f"{run.name:<10} {run.writer:<10} {r.requests:>8} {fmt(r.per_second):>7} {fmt(r.percentile(50)):>7} "
        f"{fmt(r.percentile(95)):>7} {fmt(r.percentile(99)):>7} {run.errors:>6} {fmt(run.hit_rate):>6} "
        f"{fmt(r.cpu_ms(r.app_cpu_s)):>7} {fmt(r.cpu_ms(r.db_cpu_s)):>6} "
        f"{run.load[0]:>5.2f}→{run.load[1]:<5.2f}  {'; '.join(run.notes)}".rstrip(),
        flush=True,
    )


def print_by_kind(runs: list[Run]) -> None:
    print()
    print("p50 / p95 ms by kind of page")
    print(f"{'run':<22}" + "".join(f"{kind:>16}" for kind in KINDS))
    for run in runs:
        cells = []
        for kind in KINDS:
            values = LoadResult(kind, 0, 0.0, latencies_ms=run.by_kind.get(kind, []))
            cells.append(f"{fmt(values.percentile(50))} / {fmt(values.percentile(95))}")
        print(f"{run.label:<22}" + "".join(f"{cell:>16}" for cell in cells))


def search_block(args, database_url: str) -> tuple[list[tuple[str, LoadResult]], bool]:
    import load_driver

    print()
    print(f"search: /search/?q=<word>, {args.clients} clients for {SEARCH_SECONDS:.0f} s each, cache on")
    print(
        f"{'word':<10} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'KiB':>6} {'errors':>6} {'load':>11}"
    )
    results, failed = [], False
    server = Server(args.port, database_url, kept=True)
    try:
        for word in SEARCH_WORDS:
            load_before = os.getloadavg()[0]
            r = load_driver.run(
                HOST, args.port, f"/search/?q={quote(word)}", clients=args.clients, seconds=SEARCH_SECONDS
            )
            errors = len(r.errors) + sum(n for status, n in r.statuses.items() if status != 200)
            failed |= bool(errors)
            note = "" if not errors else f"  statuses {r.statuses} {r.errors[:1]}"
            print(
                f"{pad(word, 10)} {r.requests:>8} {fmt(r.per_second):>7} {fmt(r.percentile(50)):>7} "
                f"{fmt(r.percentile(95)):>7} {r.size / 1024:>6.0f} {errors:>6} "
                f"{load_before:>5.2f}→{os.getloadavg()[0]:<5.2f}{note}",
                flush=True,
            )
            results.append((word, r))
    finally:
        server.stop(keep_log=failed)
    if failed:
        print(f"gunicorn log: {server.log.name}")
    return results, failed


def describe_data() -> str:
    from agencies.models import Agency
    from plans.models import Duty, Plan, Task

    return (
        f"data: {Plan.objects.count():,} plans, {Task.objects.count():,} tasks, {Duty.objects.count():,} duties, "
        f"{Agency.objects.count():,} agencies"
    )


def summary(runs: list[Run], searches: list, errors: int, started: float) -> str:
    parts = [
        f"{run.label} {fmt(run.result.per_second, 0)}/s p95 {fmt(run.result.percentile(95), 0)} ms"
        + (f" hit {fmt(run.hit_rate, 0)}%" if run.hit_rate is not None else "")
        for run in runs
        if run.result is not None
    ]
    if searches:
        p95s = sorted(r.percentile(95) for _, r in searches)
        slowest = max(searches, key=lambda item: item[1].percentile(95))
        worst = f"{slowest[0]} {fmt(slowest[1].percentile(95), 0)} ms"
        parts.append(f"search p95 median {fmt(p95s[len(p95s) // 2], 0)} ms, worst {worst}")
    return f"summary: {'; '.join(parts)}; {errors} errors; {time.perf_counter() - started:.0f} s in all"


# --- Main ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="timed seconds per run (default 30)")
    parser.add_argument("--warmup", type=float, default=10.0, help="untimed seconds of reading first (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--only", default="", help='only the runs whose "name / writer" contains this ("search" too)')
    parser.add_argument("--no-search", action="store_true", help="skip the search block")
    parser.add_argument("--no-hits", action="store_true", help=argparse.SUPPRESS)  # skip the /healthz polling
    parser.add_argument("--seed", type=int, default=23, help="draws the pool and the clients' choices (default 23)")
    parser.add_argument("--port", type=int, default=8117)
    parser.add_argument("--write-every", type=float, default=1.0, help="seconds between a writer's writes (default 1)")
    args = parser.parse_args()
    started = time.perf_counter()
    database_url = os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("BENCH_POOL_REDIS_URL", DEFAULT_REDIS)

    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from plans.models import Plan

    pending = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    if pending:
        print("applying migrations: " + ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending), flush=True)
        call_command("migrate", verbosity=0)
    if not Plan.objects.exists():
        sys.exit(f"{database_url} holds no plans: build them first (scripts/bench_scale.py --fresh)")

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.production", "SECRET_KEY": SECRET_KEY}
    env.pop("DEBUG", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    pool, targets = build_pool(args.seed)
    counts = {kind: sum(1 for k, _ in pool if k == kind) for kind in KINDS}
    print(f"date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(
        f"machine: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python {sys.version.split()[0]}"
    )
    where = urlsplit(database_url)
    print(f"database: {where.hostname}:{where.port}{where.path}; {describe_data()}")
    print(
        f"pool: {len(pool):,} pages ({', '.join(f'{n} {kind}' for kind, n in counts.items())}), seed {args.seed}; "
        f"{args.clients} clients, {args.warmup:g} s warm-up, {args.seconds:g} s timed per run",
        flush=True,
    )

    names = ["cache on", "cache off"]
    if redis_answers(redis_url):
        names.append("redis")
    else:
        print(f"redis: {redis_url} does not answer, no shared-cache runs")
    runs = [Run(name, writer) for name in names for writer in WRITERS]
    runs = [run for run in runs if args.only in run.label]
    workers = os.environ.get("WEB_CONCURRENCY") or f"{os.cpu_count() * 2 + 1} (config/gunicorn.py)"
    print(f"gunicorn workers: {workers}; redis runs: {redis_url if 'redis' in names else 'none'}")
    if runs:
        print()
        print(HEADER, flush=True)
    for run in runs:
        measure(run, args, database_url, pool, targets, redis_url)

    searches, search_failed = [], False
    if not args.no_search and (not args.only or args.only in "search"):
        searches, search_failed = search_block(args, database_url)
    if runs:
        print_by_kind(runs)
    errors = sum(run.errors for run in runs) + sum(
        len(r.errors) + sum(n for status, n in r.statuses.items() if status != 200) for _, r in searches
    )
    writer_failed = any("WRITER FAILED" in note for run in runs for note in run.notes)
    warm_failed = any(note.startswith("warm-up") for run in runs for note in run.notes)
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(summary(runs, searches, errors, started), flush=True)
    sys.exit(1 if errors or search_failed or writer_failed or warm_failed else 0)


if __name__ == "__main__":
    main()
