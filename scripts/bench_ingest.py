"""Measure how long parsing and ingesting the seed plans take.

Runs against a throw-away SQLite database (or DATABASE_URL if you set
BENCH_DATABASE_URL), so it never touches your data:

    .venv/bin/python scripts/bench_ingest.py [--repeat 5] [files...]

Prints, per plan: parse time (median CPU time of --repeat runs, pure Python,
each from cold caches), first ingest into an empty database, and re-ingest of the
unchanged file; then how many plans per second the parser reads; then the
read-and-parse time of each seed made into a .docx, a text PDF and a saved web
page (tests/documents.py, needs requirements-dev.txt), per format. A file whose
text does not settle its region is stored under --region (default: the region
its text implies, else 全国 so that it can be timed).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "fixtures" / "plans").glob("*.txt"))

    workdir = tempfile.mkdtemp(prefix="plans-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")

    import django

    django.setup()
    from django.core.management import call_command

    from agencies.models import Region
    from plans.ingestion import ingest_bytes
    from plans.ingestion.regions import RegionQuestion
    from plans.parsing import parse_plan, reset_caches

    call_command("migrate", verbosity=0)

    print(f"{'plan':<28} {'KiB':>6} {'tasks':>6} {'duties':>7} {'parse ms':>9} {'ingest ms':>10} {'re-ingest ms':>13}")
    totals = [0.0, 0.0, 0.0]
    for path in files:
        data = path.read_bytes()
        parse_times = []
        for _ in range(args.repeat):
            reset_caches()  # what one parse learned about strings would flatter the next
            gc.collect()
            gc.disable()  # as timeit does: a collection of the ingests' garbage is not the parser's time
            # CPU time: on a shared machine, waiting for a core is not the parser's time either.
            start = time.process_time()
            parse_plan(data, path.name)
            parse_times.append(time.process_time() - start)
            gc.enable()
        parse_ms = statistics.median(parse_times) * 1000

        region = None
        start = time.perf_counter()
        try:
            result = ingest_bytes(data, path.name)
        except RegionQuestion:
            region = Region.objects.national()
            start = time.perf_counter()
            result = ingest_bytes(data, path.name, region=region)
        ingest_ms = (time.perf_counter() - start) * 1000

        start = time.perf_counter()
        again = ingest_bytes(data, path.name, region=region)
        reingest_ms = (time.perf_counter() - start) * 1000
        assert again.status == "unchanged", again.status

        totals = [totals[0] + parse_ms, totals[1] + ingest_ms, totals[2] + reingest_ms]
        print(
            f"{path.name:<28} {len(data) / 1024:>6.1f} {result.tasks:>6} {result.duties:>7} "
            f"{parse_ms:>9.1f} {ingest_ms:>10.1f} {reingest_ms:>13.1f}"
        )
    print(f"{'total':<28} {'':>6} {'':>6} {'':>7} {totals[0]:>9.1f} {totals[1]:>10.1f} {totals[2]:>13.1f}")
    print(f"parsing: {len(files) / (totals[0] / 1000):.0f} plans per second ({len(files)} plans, median parse each)")
    if not args.files:
        formats(args.repeat)


def formats(repeat: int) -> None:
    """Read-and-parse time per format: the seeds as .txt, .docx, text PDF and web page."""
    from plans.parsing import parse_plan
    from plans.parsing.readers import read_source
    from tests.documents import MAKERS, seed_text

    print()
    print(f"{'format':<8} {'seed':>5} {'KiB':>7} {'read+parse ms':>14}")
    for fmt in ["txt", *MAKERS]:
        times = []
        for key in ["000", "001", "002", "003", "004"]:
            data = seed_text(key).encode() if fmt == "txt" else MAKERS[fmt](seed_text(key))
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                parse_plan(read_source(data, f"{key}.{fmt}"), f"{key}.{fmt}")
                runs.append(time.perf_counter() - start)
            times.append(statistics.median(runs) * 1000)
            print(f"{fmt:<8} {key:>5} {len(data) / 1024:>7.1f} {times[-1]:>14.1f}")
        print(f"{fmt:<8} {'max':>5} {'':>7} {max(times):>14.1f}")


if __name__ == "__main__":
    main()
