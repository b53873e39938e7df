"""Scores the plan reader on the project's corpus of real plans (tests/corpus): every plan file is read and stored
into a fresh SQLite database exactly as `manage.py ingest_plans` stores it, then each gold clause is compared with
what the JSON API gives (tests/corpus/evaluate.py), plan by plan, the development part and the held-out part apart.

    make corpus                                   # both parts, one line per plan
    .venv/bin/python scripts/corpus_score.py -v   # and every clause that is missing or wrong
    .venv/bin/python scripts/corpus_score.py --part dev

It also times the parser alone on the corpus's text files (plans per second). Prints numbers; exits 0 unless a
plan could not be scored at all.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
PARTS = ("dev", "holdout")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS, action="append", help="dev, holdout (default both)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every clause that is missing or wrong")
    args = parser.parse_args()
    parts = args.part or list(PARTS)

    scratch = tempfile.mkdtemp(prefix="corpus-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{scratch}/corpus.sqlite3",
        SECRET_KEY="corpus-score",
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        FRAGMENTS_KEPT="0",
        LOG_LEVEL="ERROR",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from tests.corpus.scoring import score_part

    call_command("migrate", verbosity=0)
    exit_code = 0
    for part in parts:
        report = score_part(CORPUS / part)
        print(f"== {part} ({len(report.plans)} plans) ==")
        for line in report.lines(verbose=args.verbose):
            print(line)
        print(report.total_line())
        exit_code |= 0 if report.plans else 1
    print(_parse_speed())
    return exit_code


def _parse_speed() -> str:
    from plans.parsing import PlanFormatError, parse_plan

    texts = [(p.name, p.read_bytes()) for part in PARTS for p in sorted((CORPUS / part / "plans").glob("*.txt"))]
    rounds, started = 0, time.perf_counter()
    while time.perf_counter() - started < 3:
        for name, data in texts:
            with contextlib.suppress(PlanFormatError):  # a refusal is timed like a plan read
                parse_plan(data, name)
        rounds += 1
    seconds = time.perf_counter() - started
    return f"parse speed: {rounds * len(texts) / seconds:.0f} plans/s ({len(texts)} text plans, {rounds} rounds)"


if __name__ == "__main__":
    sys.exit(main())
