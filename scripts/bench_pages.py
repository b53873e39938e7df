"""Measure how fast the browse pages render as the data grows, and check their query counts stay fixed.

Runs against a throw-away SQLite database, or the empty database named by
BENCH_DATABASE_URL (e.g. a scratch PostgreSQL database), never DATABASE_URL,
so it never touches your data:

    .venv/bin/python scripts/bench_pages.py [--repeat 10] [--scale 0,20,100] [--quick]

Loads the five seed plans, then grows the data in cumulative steps. At each
step `--scale` gives the number of extra synthetic plans: a district seed plan
rewritten to name another real district (市辖区, 湖南省 first), so every one
brings its own agencies, tasks and duties. One more synthetic plan, for
长沙市天心区, has max(60, 5 × extra plans) tasks, nearly all led by its
区发展和改革局: the largest plan, and an agency whose duty list pages.

For each step and page it prints the SQL queries of one request and the
median and p95 (nearest rank) of --repeat timed requests in milliseconds,
through django.test.Client with DEBUG off and every page built in full (no
kept fragments). A page whose query count differs
between steps is flagged, and the script exits 1.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED_DIR = ROOT / "fixtures" / "plans"
# District seeds to rewrite for synthetic plans: file, its city, its district.
DISTRICT_SEEDS = (
    ("000_8843b40b29777ba3.txt", "株洲市", "石峰区"),
    ("003_db2c31937613876f.txt", "长沙市", "开福区"),
    ("004_6e029b6565af9070.txt", "怀化市", "鹤城区"),
)
BIG_REGION = "长沙市天心区"
BIG_AGENCY = "区发展和改革局"
# Bureaus of the big plan besides the big agency, rotated through its clauses.
OTHER_BUREAUS = (
    "区工业和信息化局",
    "区住房和城乡建设局",
    "区自然资源局",
    "区财政局",
    "区交通运输局",
    "区农业农村局",
    "区商务局",
    "区科学技术局",
    "区市场监督管理局",
    "区城市管理局",
    "区机关事务服务中心",
    "区统计局",
)
TASKS_PER_SECTION = 10


@dataclass
class Step:
    extra_plans: int
    big_tasks: int
    rows: dict[str, int]
    build_s: float
    ids: dict[str, int]
    results: dict[str, tuple[int, float, float, float]]  # page -> (queries, median ms, p95 ms, KiB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page and step (default 10)")
    parser.add_argument(
        "--scale",
        default="0,20,100",
        help="extra synthetic plans at each step, cumulative, comma-separated (default 0,20,100)",
    )
    parser.add_argument("--quick", action="store_true", help="a smaller run: --scale 0,5,20 --repeat 3")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.repeat = "0,5,20", 3
    try:
        scale = [int(n) for n in args.scale.split(",")]
    except ValueError:
        parser.error(f"--scale must be comma-separated integers, not {args.scale!r}")
    if scale != sorted(scale) or scale[0] < 0 or args.repeat < 1:
        parser.error("--scale must be non-negative and increasing, --repeat at least 1")

    workdir = tempfile.mkdtemp(prefix="plans-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Pages are timed as production serves them: DEBUG off (no query log, cached templates).
    os.environ["DEBUG"] = "0"
    # Built in full on every request, as the first visit after a change builds them: what rendering costs as the
    # data grows. Later visits read kept fragments (fragments.kept); scripts/bench_scale.py measures both.
    os.environ["FRAGMENTS_KEPT"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key")
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    try:
        steps = run(scale, args.repeat)
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)  # the last step's database is tens of MB
    print_tables(steps)
    sys.exit(1 if report_query_counts(steps) else 0)


def run(scale: list[int], repeat: int) -> list[Step]:
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, Region
    from plans.ingestion import ingest_bytes, ingest_file

    editor = get_user_model().objects.create_superuser("bench-admin", "bench@example.com", password=None)
    start = time.perf_counter()
    for path in sorted(SEED_DIR.glob("*.txt")):
        ingest_file(path)
    big_region = Region.objects.get(full_name=BIG_REGION)
    seeds_s = time.perf_counter() - start

    regions = candidate_regions(exclude={big_region.id})
    added = skipped = 0
    steps = []
    for extra in scale:
        start = time.perf_counter()
        while added < extra:
            if not regions:
                sys.exit(f"ran out of districts after {added} synthetic plans")
            region = regions.pop(0)
            seed, city, district = DISTRICT_SEEDS[(added + skipped) % len(DISTRICT_SEEDS)]
            text = rewrite_plan((SEED_DIR / seed).read_text(encoding="utf-8"), city, district, region)
            try:
                ingest_bytes(text.encode("utf-8"), f"synthetic_{region.code}.txt")
            except Exception as exc:  # an ambiguous or unreadable title: take the next district
                print(f"skipped {region.full_name}: {exc}", file=sys.stderr)
                skipped += 1
                continue
            added += 1
        big_tasks = max(60, 5 * extra)
        result = ingest_bytes(big_plan(big_region, big_tasks).encode("utf-8"), "synthetic_big.txt")
        assert result.tasks == big_tasks, (result.tasks, big_tasks)
        build_s = time.perf_counter() - start + (seeds_s if not steps else 0)

        agency = Agency.objects.get(region=big_region, name=BIG_AGENCY)
        plan = result.plan
        task = plan.tasks.order_by("position").first()
        # The 变更记录 grows with the data, so its pages are shown not to grow in queries with it.
        grow_history(task, editor, edits=max(5, extra))
        ids = {"plan": plan.id, "task": task.id, "agency": agency.id}
        pages = page_urls(ids)
        results = {label: time_page(url, repeat) for label, url in pages.items()}
        results |= {label: time_page(url, repeat, user=editor) for label, url in signed_in_urls(ids).items()}
        steps.append(Step(extra, big_tasks, row_counts(), build_s, ids, results))
    return steps


def candidate_regions(exclude: set[int]):
    """County-level districts (市辖区) under a city, those of 湖南省 first, minus the seed plans' own."""
    from agencies.models import Region
    from plans.models import Plan

    taken = set(Plan.objects.values_list("region_id", flat=True)) | exclude
    districts = (
        Region.objects.filter(level=Region.Level.COUNTY, kind="市辖区", parent__level=Region.Level.CITY)
        .exclude(id__in=taken)
        .select_related("parent__parent")
        .order_by("code")
    )
    usable = [r for r in districts if r.full_name == r.parent.name + r.name]
    return sorted(usable, key=lambda r: r.parent.parent.name != "湖南省")


def rewrite_plan(text: str, city: str, district: str, region) -> str:
    """The seed plan's text with its city and district replaced by `region`'s, longest names first."""
    from agencies.models import Region

    old_city, old_district = Region(name=city), Region(name=district)
    new_city = region.parent
    replacements = [
        (city + district, region.full_name),
        (district, region.name),
        (city, new_city.name),
        (old_district.short_name, region.short_name),
        (old_city.short_name, new_city.short_name),
    ]
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def big_plan(
    region,
    tasks: int,
    agency: str = BIG_AGENCY,
    preamble: tuple[str, ...] = ("一、总体要求", "坚持系统观念，统筹发展和减排。", "", "二、主要目标"),
    measure=None,
    per_section: int = TASKS_PER_SECTION,
) -> str:
    """A district plan (the format of tests/factories.py TIANXIN_PLAN) with `tasks` tasks, `per_section` to a
    section (sections are numbered up to （九十九）).

    `agency` leads most tasks, cooperates on every fifth and shares every seventh; `measure(n)` is task n's text
    after its title (bench_progress.py gives each a dated target).
    """
    measure = measure or (lambda n: "推动重点领域绿色低碳转型，完善配套措施。")
    lines = [
        f"{region.full_name}碳达峰实施方案",
        "",
        *preamble,
        "到2025年，非化石能源消费比重达到22%左右。",
        "",
        f"{chinese_number(len([p for p in preamble if re.match(r'^[一二三四五六七八九十]、', p)]) + 1)}、重点任务",
    ]
    for n in range(1, tasks + 1):
        section, item = divmod(n - 1, per_section)
        if item == 0:
            lines.append(f"（{chinese_number(section + 1)}）推进第{section + 1}组低碳行动")
        first = OTHER_BUREAUS[n % len(OTHER_BUREAUS)]
        second = OTHER_BUREAUS[(n + 5) % len(OTHER_BUREAUS)]
        if n % 7 == 0:
            clause = f"{agency}、{first}按职责分工负责"
        elif n % 5 == 0:
            clause = f"{first}牵头，{agency}、{second}按职责分工负责"
        else:
            clause = f"{agency}牵头，{first}、{second}按职责分工负责"
        # Numbered within the section: the parser reads item numbers of one or two digits.
        lines.append(f"{item + 1}.实施第{n}项节能降碳行动。{measure(n)}（{clause}）")
    return "\n".join(lines) + "\n"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 42 → 四十二 (1–99)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def page_urls(ids: dict[str, int]) -> dict[str, str]:
    """Label (stable across steps) → URL."""
    return {
        "/": "/",
        "/search/?q=fgj": "/search/?q=fgj",
        "/agencies/?region=430000": "/agencies/?region=430000",  # 湖南省, where every plan here is
        "/agencies/?q=fgj": "/agencies/?q=fgj",
        "/agencies/<big>/": f"/agencies/{ids['agency']}/",
        "/agencies/<big>/?role=lead&sort=-task": f"/agencies/{ids['agency']}/?role=lead&sort=-task",
        "/plans/<largest>/": f"/plans/{ids['plan']}/",
        "/plans/<largest>/matrix/": f"/plans/{ids['plan']}/matrix/",
        "/tasks/<first>/": f"/tasks/{ids['task']}/",
    }


def signed_in_urls(ids: dict[str, int]) -> dict[str, str]:
    """Pages an administrator sees: the task with its notes and 变更记录, the edit form, the agency's history."""
    return {
        "/tasks/<first>/ (signed in)": f"/tasks/{ids['task']}/",
        "/tasks/<first>/edit/": f"/tasks/{ids['task']}/edit/",
        "/agencies/<big>/history/": f"/agencies/{ids['agency']}/history/",
    }


def grow_history(task, user, edits: int) -> None:
    """Flip the role of the task's last unit `edits` times through the edit service, each a history row."""
    from plans.editing import UnitEdit, apply_task_edit
    from plans.history import current_duties, version_of

    for n in range(edits):
        duties = current_duties(task)
        units = [
            UnitEdit(d.pk, ("joint" if d.role != "joint" else "cooperating") if d is duties[-1] else d.role, False, i)
            for i, d in enumerate(duties)
        ]
        apply_task_edit(task, user, units, [], f"基准测试 {n}", version_of(duties))


def time_page(url: str, repeat: int, user=None) -> tuple[int, float, float, float]:
    """(queries in one request, median ms, p95 ms, response KiB); a first, untimed request warms caches."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Count now: the captured list is read from the connection's query log, which each later request clears.
    queries = len(captured)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[math.ceil(0.95 * len(times)) - 1]
    return queries, statistics.median(times), p95, len(response.content) / 1024


def row_counts() -> dict[str, int]:
    from agencies.models import Agency
    from plans.models import Duty, Plan, Task

    return {
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
        "duties": Duty.objects.count(),
        "agencies": Agency.objects.count(),
    }


def print_tables(steps: list[Step]) -> None:
    print(
        f"{'step':<5} {'extra plans':>11} {'big tasks':>9} {'plans':>6} {'tasks':>6} {'duties':>7} {'agencies':>8} "
        f"{'build s':>8}"
    )
    for i, step in enumerate(steps, 1):
        r = step.rows
        print(
            f"{i:<5} {step.extra_plans:>11} {step.big_tasks:>9} {r['plans']:>6} {r['tasks']:>6} "
            f"{r['duties']:>7} {r['agencies']:>8} {step.build_s:>8.1f}"
        )
    last = steps[-1]
    print(
        f"<big> = {BIG_REGION}{BIG_AGENCY[1:]} (agency {last.ids['agency']}), "
        f"<largest> = its plan (plan {last.ids['plan']}, {last.big_tasks} tasks at the last step), "
        f"<first> = that plan's first task (task {last.ids['task']})"
    )
    print()
    print(f"{'page':<40} {'step':>4} {'queries':>7} {'median ms':>9} {'p95 ms':>8} {'KiB':>7}")
    for label in steps[0].results:
        for i, step in enumerate(steps, 1):
            queries, median, p95, kib = step.results[label]
            print(f"{label if i == 1 else '':<40} {i:>4} {queries:>7} {median:>9.1f} {p95:>8.1f} {kib:>7.1f}")


def report_query_counts(steps: list[Step]) -> bool:
    """Print the pages whose query count changed between steps; True if any did."""
    changed = False
    for label in steps[0].results:
        counts = [step.results[label][0] for step in steps]
        if len(set(counts)) > 1:
            changed = True
            print(f"QUERY COUNT CHANGED with data size: {label}: {' → '.join(map(str, counts))}")
    if not changed:
        print(f"query counts unchanged across {len(steps)} steps for all {len(steps[0].results)} pages")
    return changed


if __name__ == "__main__":
    main()
