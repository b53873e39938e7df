"""National scale on PostgreSQL: build about 3,000 plans, serve them with gunicorn, load every page, compare exports.

    .venv/bin/python scripts/bench_scale.py [--reuse] [--seconds 5] [--clients 8] [--port 8116]

(`make bench-scale` runs it on a fresh database.) Uses the database named by BENCH_SCALE_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/plans_scale), never DATABASE_URL, and refuses one that holds plans
unless --reuse is given, in which case it measures what is there.

1. Builds the data set straight into the database (scripts/bench_scale_data.py; not through the loader) in two
   stages, 60 plans and then 3,000 (about 150,000 tasks, 900,000 duties, 77,000 agencies), and counts the SQL
   queries of one request to every page after each stage, in-process with DEBUG off.
2. Starts gunicorn with the production settings (config.production, config/gunicorn.py) on 127.0.0.1:--port
   and drives --clients concurrent clients (scripts/load_driver.py) at every page and API call for --seconds
   each; the exports get two clients.
3. Compares the 50,000-row 任务清单 export three ways, each in a fresh process: the project's view,
   django-import-export's xlsx export of the same rows, and a plain openpyxl write-only loop; time, peak RSS.

Pages that keep fragments (fragments.kept) are measured twice: kept, as every visit but the first after a change
reads them, and built in full on every request (FRAGMENTS_KEPT=0), as the first visit after a change builds them.

Prints a table (page, queries, p50 and p95 ms, requests/s, response KiB) and the export comparison. Exits 1
when a page's query count differs between the two stages (it grows with the data) or a page does not answer 200.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/plans_scale"
SECRET_KEY = "bench-scale-secret-key-not-for-production-0123456789abcdef"
EXPORT_CLIENTS = 2
EXPORT_TIMEOUT = 600
EXPORT_MEMORY_LIMIT_MIB = int(os.environ.get("BENCH_EXPORT_MEMORY_LIMIT_MIB", "4096"))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "0"  # no query log, cached templates: as production renders
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", action="store_true", help="measure the data already in the database")
    parser.add_argument(
        "--fresh", action="store_true", help="drop and create the database first (only one this script built)"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per page (default 5)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients per page (default 8)")
    parser.add_argument("--port", type=int, default=8116)
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this text")
    parser.add_argument("--no-export", action="store_true", help="skip the export comparison")
    parser.add_argument("--export-variant", help=argparse.SUPPRESS)  # one export, in a child process
    parser.add_argument("--agency", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_DATABASE)
    if args.export_variant:
        # A runaway export fails with MemoryError instead of pushing the machine into swap.
        limit = EXPORT_MEMORY_LIMIT_MIB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        setup_django(database_url)
        from bench_scale_exports import run_variant

        print(json.dumps(run_variant(args.export_variant, args.agency)))
        return

    if args.fresh:
        recreate(database_url)
    setup_django(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import bench_scale_pages as pages

    from plans.models import Plan

    counts = {}
    if Plan.objects.exists() and not args.reuse:
        sys.exit(f"{database_url} already holds plans: drop and create it, or pass --reuse to measure them")
    if not args.reuse:
        import bench_scale_data

        for stage in (1, 2):
            start = time.perf_counter()
            print(f"building stage {stage}", flush=True)
            bench_scale_data.build(stage)
            pages.grow_history(stage)
            print(f"stage {stage} built in {time.perf_counter() - start:.0f} s", flush=True)
            pages.analyse()
            counts[stage] = pages.count_queries(pages.urls())
    else:
        pages.analyse()
    urls = pages.urls()
    if args.only:
        urls = [u for u in urls if args.only in u.label]
    full = counts.get(2) or pages.count_queries(urls)
    print(pages.describe_data(), flush=True)

    results = serve_and_load(urls, args, database_url)
    results.update(serve_and_load([url for url in urls if url.kept], args, database_url, kept=False))
    failed = pages.print_table(urls, full, results)
    changed = pages.report_query_counts(counts) if counts else False
    if not args.no_export:
        print_export_comparison(database_url)
    sys.exit(1 if changed or failed else 0)


def recreate(database_url: str, made_here: str = "scale\\_%") -> None:
    """Drop and create a benchmark database, refusing one that holds plans the benchmark did not make (plans whose
    source name is not LIKE `made_here`)."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(database_url) as connection:
            foreign = connection.execute(
                "SELECT count(*) FROM plans_plan WHERE source_name NOT LIKE %s", [made_here]
            ).fetchone()[0]
    except psycopg.errors.UndefinedTable:
        foreign = 0
    except psycopg.OperationalError:
        foreign = 0  # no such database yet
    if foreign:
        sys.exit(f"{database_url} holds {foreign} plans this benchmark did not make: not dropping it")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def serve_and_load(urls, args, database_url: str, kept: bool = True) -> dict:
    """Each page's load run against a fresh gunicorn; with kept=False the pages are built in full on every request
    (FRAGMENTS_KEPT=0), as a first visit after a change builds them, and the results are labelled so."""
    import bench_scale_pages as pages
    import load_driver

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ANONYMOUS_READ": "1",  # the pages as the public demo shows them; signed-in pages send a session
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, as behind a TLS-terminating proxy
        "SECURE_HSTS_SECONDS": "0",
        "FRAGMENTS_KEPT": "1" if kept else "0",
    }
    env.pop("DEBUG", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    log = tempfile.NamedTemporaryFile(prefix="bench-scale-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{args.port}"]
    if (ROOT / "config" / "gunicorn.py").exists():
        command += ["--config", "config/gunicorn.py"]
    else:  # before config/gunicorn.py: what it sets, for a like-for-like comparison
        command += ["--workers", str(2 * os.cpu_count() + 1)]
    server = subprocess.Popen([*command, "config.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    cookie = pages.session_cookie()
    results = {}
    try:
        wait_for(args.port, server)
        cpu = CpuMeter(server.pid, database_url)
        print(f"gunicorn pid {server.pid} on 127.0.0.1:{args.port}, log {log.name}", flush=True)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        for url in urls:
            clients = EXPORT_CLIENTS if url.kind == "export" else args.clients
            before = cpu.snapshot()
            label = url.label if kept else pages.built_label(url.label)
            results[label] = r = load_driver.run(
                "127.0.0.1",
                args.port,
                url.path,
                clients=clients,
                seconds=args.seconds,
                cookie=cookie if url.signed_in else "",
            )
            r.app_cpu_s, r.db_cpu_s = cpu.since(before)
            print(f"  {label:<48} p95 {r.percentile(95):8.1f} ms  {r.per_second:7.1f}/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


class CpuMeter:
    """CPU seconds spent by gunicorn's workers and by the PostgreSQL backends of the benchmark database, read
    from /proc (Linux): what a request costs whatever else the machine is doing, which the latencies do not say
    on a shared machine."""

    def __init__(self, master: int, database_url: str):
        import psycopg

        self.master = master
        self.database = psycopg.connect(database_url, autocommit=True)
        self.tick = os.sysconf("SC_CLK_TCK")

    def _stat(self, pid: int) -> list[str] | None:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                return stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None

    def _seconds(self, pids) -> dict[int, float]:
        out = {}
        for pid in pids:
            fields = self._stat(pid)
            if fields:
                out[pid] = (int(fields[11]) + int(fields[12])) / self.tick  # utime, stime
        return out

    def _workers(self) -> list[int]:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        return [pid for pid in pids if (fields := self._stat(pid)) and int(fields[1]) == self.master]

    def _backends(self) -> list[int]:
        rows = self.database.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        return [pid for (pid,) in rows]

    def snapshot(self) -> tuple[dict, dict]:
        return self._seconds(self._workers()), self._seconds(self._backends())

    def since(self, before: tuple[dict, dict]) -> tuple[float, float]:
        now = self.snapshot()
        return tuple(
            sum(v - then.get(pid, 0.0) for pid, v in current.items()) for current, then in zip(now, before, strict=True)
        )


def wait_for(port: int, server: subprocess.Popen) -> None:
    import http.client

    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/static/css/app.css", headers={"Host": "127.0.0.1"})
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer within a minute")


def print_export_comparison(database_url: str) -> None:
    from bench_scale_exports import VARIANTS, export_agency

    agency, rows = export_agency()
    print()
    print(f"任务清单 export of {rows} rows ({agency}), each in a fresh process")
    print(f"{'variant':<28} {'seconds':>8} {'peak RSS MiB':>13} {'of which Django MiB':>20} {'file KiB':>9}")
    for variant in VARIANTS:
        start = time.perf_counter()
        try:
            child = subprocess.run(
                [sys.executable, __file__, "--export-variant", variant, "--agency", str(agency.pk)],
                cwd=ROOT,
                env={**os.environ, "BENCH_SCALE_DATABASE_URL": database_url},
                capture_output=True,
                text=True,
                timeout=EXPORT_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            print(f"{variant:<28} did not finish within {EXPORT_TIMEOUT} s")
            continue
        if child.returncode != 0:
            print(f"{variant:<28} failed after {time.perf_counter() - start:.0f} s: {child.stderr.strip()[-300:]}")
            continue
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{variant:<28} {figures['seconds']:>8.2f} {figures['peak_rss_mib']:>13.0f} "
            f"{figures['baseline_rss_mib']:>20.0f} {figures['bytes'] / 1024:>9.0f}"
        )


if __name__ == "__main__":
    main()
