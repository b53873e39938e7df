"""Measure the 督办 pages and reminders at scale, and check the pages' query counts stay fixed.

Runs against a throw-away SQLite database, or the empty database named by BENCH_DATABASE_URL (e.g. a
scratch PostgreSQL database), never DATABASE_URL:

    .venv/bin/python scripts/bench_progress.py [--tasks 3000] [--rounds 10,50] [--agencies 1000] [--quick]

Builds one synthetic district plan of --tasks tasks (长沙市天心区, fifty to a section, most led by its
区发展和改革局), then opens quarterly reporting rounds, cumulatively up to each step of --rounds. Every round
covers every task: a report for each lead and joint unit, seven in ten submitted (one in five of those after
the due date, one in eight 滞后), one in ten a draft, the rest not filled in; the newest round is still open.
At each step it prints each page's SQL queries and the median and p95 of --repeat requests in milliseconds
(django.test.Client, DEBUG off), and exits 1 if a page's query count changed between steps.

Then --agencies agencies, each with one staff member with an e-mail address, one report due in three days,
one overdue and one task past its deadline, and times send_reminders' work (collect, drop what was sent,
render and send through Django's in-memory e-mail backend, log), then a second run in the same period, which
must send nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

REGION = "长沙市天心区"
AGENCY = "区发展和改革局"
TASKS_PER_SECTION = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--rounds", default="10,50", help="rounds at each step, cumulative (default 10,50)")
    parser.add_argument("--agencies", type=int, default=1000, help="agencies to remind (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page and step (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smaller run: 500 tasks, rounds 3,8, 200 agencies")
    args = parser.parse_args()
    if args.quick:
        args.tasks, args.rounds, args.agencies, args.repeat = 500, "3,8", 200, 3
    steps = [int(n) for n in args.rounds.split(",")]
    if steps != sorted(steps) or steps[0] < 2 or args.tasks > TASKS_PER_SECTION * 99:
        parser.error(f"--rounds must increase from at least 2; --tasks at most {TASKS_PER_SECTION * 99}")

    workdir = tempfile.mkdtemp(prefix="progress-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        results, counts = run(args.tasks, steps, args.repeat)
        reminders = remind(args.agencies)
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print_results(steps, results, counts, reminders)
    changed = [label for label in results if len({r[0] for r in results[label]}) > 1]
    for label in changed:
        print(f"QUERY COUNT CHANGED with data size: {label}: {' → '.join(str(r[0]) for r in results[label])}")
    if not changed:
        print(f"query counts unchanged across {len(steps)} steps for all {len(results)} pages")
    sys.exit(1 if changed or reminders["second"] else 0)


def plan_text(region, tasks: int) -> str:
    from bench_pages import big_plan

    # Some deadlines past, some to come.
    return big_plan(
        region, tasks, AGENCY, ("一、主要目标",), lambda n: f"到{2025 + n % 8}年完成第{n}项改造。", TASKS_PER_SECTION
    )


def fill_round(round, latest: bool) -> None:
    """Reports of a round in bulk: submitted (some late, some 滞后), drafts, and some not filled in."""
    from django.utils import timezone

    from progress.models import Report

    due = timezone.make_aware(timezone.datetime.combine(round.due_on, timezone.datetime.min.time()))
    ids = list(Report.objects.filter(round=round).values_list("pk", flat=True))
    submitted = [pk for pk in ids if pk % 10 < 7]
    drafts = [pk for pk in ids if pk % 10 == 7]
    late = {pk for pk in submitted if pk % 5 == 0}
    statuses = ["in_progress"] * 4 + ["completed", "not_started", "in_progress", "lagging"]
    for index, status in enumerate(statuses):
        group = [pk for pk in submitted if pk % len(statuses) == index]
        for when, pks in (
            (due + timedelta(days=3), [p for p in group if p in late]),
            (due - timedelta(days=2), [p for p in group if p not in late]),
        ):
            if not pks or (latest and when > timezone.now()):
                continue  # the open round has no reports from the future
            Report.objects.filter(pk__in=pks).update(
                state="submitted",
                status=status,
                percent=50,
                progress="按计划推进，完成年度目标的一半",
                submitted_at=when,
                first_submitted_at=when,
                version=1,
            )
    Report.objects.filter(pk__in=drafts).update(state="draft", status="in_progress", progress="草稿", version=1)


def run(tasks: int, steps: list[int], repeat: int):
    from django.contrib.auth import get_user_model
    from django.utils.timezone import localdate

    from agencies.models import Agency, Region
    from plans.ingestion import ingest_bytes
    from progress.models import Report, ReportingRound
    from progress.writing import rounds

    region = Region.objects.get(full_name=REGION)
    start = time.perf_counter()
    plan = ingest_bytes(plan_text(region, tasks).encode(), "progress_bench.txt").plan
    print(f"ingested {plan.tasks.count()} tasks in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    agency = Agency.objects.get(region=region, name=AGENCY)
    users = get_user_model().objects
    admin = users.create_superuser("bench-admin", "admin@example.com", password=None)
    staff = users.create_user("bench-staff", "staff@example.com", password=None)
    agency.members.add(staff)
    task = plan.tasks.order_by("position").first()

    today = localdate()
    results: dict[str, list] = {}
    counts = []
    opened = 0
    for target in steps:
        start = time.perf_counter()
        while opened < target:
            # Quarterly, oldest first, the newest due in ten days.
            due = today + timedelta(days=10) - timedelta(days=91 * (target - 1 - opened))
            spec = rounds.RoundSpec(f"第{opened + 1}轮", due - timedelta(days=100), due - timedelta(days=10), due)
            round = rounds.open_round(plan, admin, spec)
            fill_round(round, latest=opened == target - 1)
            opened += 1
        built = time.perf_counter() - start
        latest, previous = ReportingRound.objects.filter(plan=plan).newest_first()[:2]
        counts.append((opened, Report.objects.count(), built))
        pages = {
            "/progress/plans/<plan>/ (dashboard)": (f"/progress/plans/{plan.pk}/", admin),
            "/progress/agencies/<big>/": (f"/progress/agencies/{agency.pk}/", admin),
            "/progress/agencies/<big>/due/": (f"/progress/agencies/{agency.pk}/due/", staff),
            "/progress/rounds/<latest>/": (f"/progress/rounds/{latest.pk}/", admin),
            "/progress/plans/<plan>/compare/": (
                f"/progress/plans/{plan.pk}/compare/?a={previous.pk}&b={latest.pk}",
                admin,
            ),
            "/progress/tasks/<first>/": (f"/progress/tasks/{task.pk}/", admin),
            "/progress/overview/": ("/progress/overview/", admin),
            "/progress/rates/ (this year, agencies)": ("/progress/rates/", admin),
            "/progress/rates/?by=region": ("/progress/rates/?by=region", admin),
            "/progress/rates.xlsx": ("/progress/rates.xlsx", admin),
            "/progress/rounds/<latest>/ledger.xlsx": (f"/progress/rounds/{latest.pk}/ledger.xlsx", admin),
        }
        for label, (url, user) in pages.items():
            results.setdefault(label, []).append(time_page(url, repeat, user))
    return results, counts


def time_page(url: str, repeat: int, user) -> tuple[int, float, float]:
    """(queries, median ms, p95 ms) of a signed-in page: bench_pages.py's measure without the size."""
    from bench_pages import time_page as timed

    return timed(url, repeat, user)[:3]


def remind(count: int) -> dict:
    """`count` agencies owing a report due soon, an overdue one and a late task; send_reminders' work, twice."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.timezone import localdate

    from agencies.models import Agency, Region
    from plans.models import Duty, Plan
    from progress.models import Deadline, Report, ReportingRound
    from progress.reminding import digests as reminders

    today = localdate()
    region = Region.objects.get(full_name=REGION)
    plan = Plan.objects.get(region=region)
    tasks = list(plan.tasks.order_by("position").values_list("pk", flat=True))
    agencies = [Agency(region=region, name=f"区督办测试单位{n:04d}") for n in range(count)]
    for agency in agencies:
        agency.fill_derived_names()
    agencies = Agency.objects.bulk_create(agencies)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"remind-{n:04d}", email=f"remind-{n:04d}@example.gov.cn") for n in range(count)
    )
    Agency.members.through.objects.bulk_create(
        Agency.members.through(agency_id=a.pk, user_id=u.pk) for a, u in zip(agencies, users, strict=True)
    )
    soon = ReportingRound.objects.create(
        plan=plan,
        name="提醒测试（将到期）",
        period_start=today - timedelta(days=30),
        period_end=today,
        due_on=today + timedelta(days=3),
    )
    late = ReportingRound.objects.create(
        plan=plan,
        name="提醒测试（逾期）",
        period_start=today - timedelta(days=60),
        period_end=today - timedelta(days=30),
        due_on=today - timedelta(days=5),
    )
    # Another task for the overdue report: a later round's report on the same task would supersede it.
    picked = [tasks[n % len(tasks)] for n in range(count)]
    overdue = [tasks[(n + count) % len(tasks)] for n in range(count)]
    Report.objects.bulk_create(
        [Report(round=soon, due_on=soon.due_on, task_id=t, agency=a) for a, t in zip(agencies, picked, strict=True)]
        + [Report(round=late, due_on=late.due_on, task_id=t, agency=a) for a, t in zip(agencies, overdue, strict=True)]
    )
    Duty.objects.bulk_create(Duty(task_id=t, agency=a, role="joint") for a, t in zip(agencies, picked, strict=True))
    Deadline.objects.filter(task_id__in=picked).update(due_on=today - timedelta(days=20), ongoing=False)

    days = settings.PROGRESS_DUE_SOON_DAYS
    period = reminders.period_key(today, settings.PROGRESS_REMINDER_PERIOD)
    timings = {}
    for run_name in ("first", "second"):
        mail.outbox = []
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            collected = reminders.collect(today, days)
            digests = reminders.unsent(collected.digests, period)
            sent = reminders.send(digests, period)
        timings[run_name] = sent
        timings[f"{run_name} s"] = time.perf_counter() - start
        timings[f"{run_name} queries"] = len(captured)
        timings[f"{run_name} digests"] = len(collected.digests)
    return timings


def print_results(steps, results, counts, reminders) -> None:
    print(f"{'step':<5} {'rounds':>6} {'reports':>8} {'build s':>8}")
    for i, (rounds, reports, built) in enumerate(counts, 1):
        print(f"{i:<5} {rounds:>6} {reports:>8} {built:>8.1f}")
    print()
    print(f"{'page':<42} {'step':>4} {'queries':>7} {'median ms':>9} {'p95 ms':>8}")
    for label, rows in results.items():
        for i, (queries, median, p95) in enumerate(rows, 1):
            print(f"{label if i == 1 else '':<42} {i:>4} {queries:>7} {median:>9.1f} {p95:>8.1f}")
    print()
    print(
        f"reminders: {reminders['first digests']} digests collected, {reminders['first']} e-mails sent in "
        f"{reminders['first s']:.2f} s ({reminders['first queries']} queries); the same period again: "
        f"{reminders['second']} sent in {reminders['second s']:.2f} s ({reminders['second queries']} queries)"
    )


if __name__ == "__main__":
    main()
