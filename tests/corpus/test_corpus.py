"""The reader on real plans it is held to: every plan of the corpus (tests/corpus) is stored as `ingest_plans` stores
it and read back through the JSON API, then scored against its hand-made gold (tests/corpus/evaluate.py). No plan
may be turned away, and each must read nearly every clause exactly; `make corpus` prints the same figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from .known import SHORT_OF_THE_GOAL, STILL_TURNED_AWAY
from .scoring import score_part

ROOT = Path(__file__).resolve().parent
# The share of a plan's clauses that must come out exact: the goal for every development plan. The held-out plans
# are the check that the reader fits structure, not wording; each is held to the floor measured when it was
# first scored (tests/corpus/README.md), so that what it reads is never lost again.
DEV_FLOOR = 0.95
HOLDOUT_FLOORS = {
    # Set Q, scored once after the reader's work on set P (26/27 clauses; SOURCES-Q.md), then read in full.
    "jiangsu_shichangjianguan_renwufengong_2022": 1.0,
}

pytestmark = pytest.mark.django_db


def test_every_development_plan_loads_and_reads_95_percent_of_its_clauses_or_its_stated_floor():
    report = score_part(ROOT / "dev")
    assert len(report.plans) >= 73
    assert [p.name for p in report.plans if p.refused and p.name not in STILL_TURNED_AWAY] == []
    low = [
        (p.name, f"{p.exact}/{p.clauses}")
        for p in report.plans
        if p.name not in STILL_TURNED_AWAY and p.ratio < SHORT_OF_THE_GOAL.get(p.name, DEV_FLOOR) - 1e-9
    ]
    assert low == [], "\n".join(report.lines(verbose=True))


def test_no_held_out_plan_is_turned_away_nor_reads_less_than_when_first_scored():
    report = score_part(ROOT / "holdout")
    assert report.plans, "the held-out part holds no plan"
    assert [p.name for p in report.plans if p.refused and p.name not in STILL_TURNED_AWAY] == []
    low = [(p.name, f"{p.exact}/{p.clauses}") for p in report.plans if p.ratio < HOLDOUT_FLOORS.get(p.name, 0.0)]
    assert low == []
