"""Ingest thousands of plans through the project's own loader and report the throughput.

    .venv/bin/python scripts/bench_ingest_scale.py [--plans 3000] [--database-url postgres://…/plans_ingest]

The plans are the seed plans of district level (石峰区, 开福区, 鹤城区) rewritten for each county-level region
of the national region list in turn (its name, its city's or province's name and short name in place of the
seed's), so every plan is new to its region: its bureaus are created with their history rows, as on a real
first load. Past the 2,849 counties the regions come round again, each with a second plan (a 行动方案).
Each plan goes through `plans.ingestion.ingest_bytes`, exactly as `manage.py ingest_plans` and an upload
confirmation store it. Prints plans per second, SQL statements per plan and the time for all of them;
the database (default `plans_ingest` on 127.0.0.1, PostgreSQL) is dropped and made again each run, unless it
holds plans this script did not load.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# The seed, and how it names its county and city (full, then short forms).
SEEDS = (
    ("000_8843b40b29777ba3.txt", "石峰区", "株洲市"),
    ("003_db2c31937613876f.txt", "开福区", "长沙市"),
    ("004_6e029b6565af9070.txt", "鹤城区", "怀化市"),
)


def rewrite(text: str, seed_county: str, seed_city: str, county: str, city: str) -> str:
    text = text.replace(seed_city + seed_county, city + county)
    text = text.replace(seed_county, county).replace(seed_city, city)
    return text.replace(seed_city.removesuffix("市"), city.removesuffix("市"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=3000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_INGEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plans_ingest"),
    )
    parser.add_argument("--profile", type=Path, help="write a cProfile of the ingest loop here")
    parser.add_argument("--jobs", type=int, default=1, help="processes, as `ingest_plans --jobs` runs them (default 1)")
    parser.add_argument(
        "--statistics-every",
        type=int,
        help="ANALYZE the tables after every N plans stored (default: as ingest_plans does; 0: never)",
    )
    args = parser.parse_args()

    from bench_scale import recreate

    # Refuses a database holding plans this script did not load (their file names start ingest_).
    recreate(args.database_url, made_here="ingest\\_%")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from agencies.models import Region
    from plans.ingestion import ingest_bytes
    from plans.ingestion.statistics import StatisticsKeeper
    from plans.models import Duty, Plan, Task

    call_command("migrate", verbosity=0)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).select_related("parent").order_by("code"))
    seeds = [
        ((ROOT / "fixtures" / "plans" / name).read_text(encoding="utf-8"), county, city) for name, county, city in SEEDS
    ]
    texts = []
    for index in range(args.plans):
        # Every county-level region once (2,849), then each again with a second plan of its own.
        region = counties[index % len(counties)]
        text, county, city = seeds[index % len(seeds)]
        text = rewrite(text, county, city, region.name, region.parent.name)
        if index >= len(counties):
            place = region.parent.name + region.name
            text = text.replace(f"{place}碳达峰实施方案", f"{place}碳达峰行动方案")
        texts.append((region, text.encode()))
    print(f"{len(texts)} plans, {sum(len(t) for _, t in texts) / 1e6:.1f} MB of text")

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    statements = 0
    refused = 0
    # As `manage.py ingest_plans` keeps the planner's statistics fresh while it loads (plans/ingestion/statistics.py)
    every = args.statistics_every
    statistics = StatisticsKeeper() if every is None else StatisticsKeeper(every or len(texts) + 1)
    started, cpu = time.perf_counter(), time.process_time()
    if args.jobs > 1:
        refused = load_in_parallel(texts, args.jobs, statistics, started)
    for index, (region, data) in enumerate(texts if args.jobs == 1 else []):
        with CaptureQueriesContext(connection) as queries:
            if profiler:
                profiler.enable()
            try:
                statistics.plan_stored(ingest_bytes(data, f"ingest_{index:04d}.txt", region=region).status)
            except Exception as error:  # noqa: BLE001 — counted and named, the run goes on
                refused += 1
                print(f"  {region.full_name}: {error}")
            if profiler:
                profiler.disable()
        statements += len(queries)
        reset_queries()
        if (index + 1) % 500 == 0:
            print(f"  {index + 1} plans in {time.perf_counter() - started:.0f} s")
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(args.profile)
    plans = Plan.objects.count()
    how = f"{statements / max(len(texts), 1):.0f} SQL statements per plan" if args.jobs == 1 else f"{args.jobs} jobs"
    print(
        f"ingested {plans} plans ({Task.objects.count()} tasks, {Duty.objects.count()} duties, {refused} refused) "
        f"in {wall:.1f} s wall, {cpu:.1f} s CPU of this process: {plans / wall:.1f} plans/s, {how}; "
        f"statistics refreshed {statistics.refreshed} times (every {statistics.every} plans)"
    )


def load_in_parallel(texts, jobs: int, statistics, started: float) -> int:
    """The plans written to files and loaded by `jobs` processes, as `ingest_plans --jobs` loads a folder
    (plans.ingestion.parallel); returns how many were refused."""
    import tempfile

    from plans.ingestion.parallel import ingest_files

    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    regions = {}
    for index, (region, data) in enumerate(texts):
        path = folder / f"ingest_{index:04d}.txt"
        path.write_bytes(data)
        regions[path.name] = region
    refused = 0
    # Inherited by the forked workers, not sent with each file: thousands of regions would be pickled per plan.
    _REGIONS.update(regions)
    for done, (path, status) in enumerate(ingest_files(sorted(folder.iterdir()), jobs, _load), 1):
        if status.startswith("refused"):
            refused += 1
            print(f"  {path.name}: {status}")
        else:
            statistics.plan_stored(status)
        if done % 500 == 0:
            print(f"  {done} plans in {time.perf_counter() - started:.0f} s")
    return refused


_REGIONS: dict = {}


def _load(path: Path) -> str:
    from plans.ingestion import ingest_bytes
    from plans.parsing import PlanFormatError

    try:
        return ingest_bytes(path.read_bytes(), path.name, region=_REGIONS[path.name]).status
    except PlanFormatError as error:
        return f"refused: {error}"


if __name__ == "__main__":
    main()
