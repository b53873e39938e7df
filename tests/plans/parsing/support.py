"""Shared helpers for the parser tests: the seed plans and small synthetic plans."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from plans.parsing import ParsedPlan, Role, parse_plan
from plans.parsing.structures import Clause, ParsedTask

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "plans"

SEEDS = {
    "000": "000_8843b40b29777ba3.txt",
    "001": "001_7576eaf11317b0b8.txt",
    "002": "002_bd1b06cf530f511e.txt",
    "003": "003_db2c31937613876f.txt",
    "004": "004_6e029b6565af9070.txt",
}

LEAD, COOP, JOINT = Role.LEAD, Role.COOPERATING, Role.JOINT


def seed_bytes(key: str) -> bytes:
    return (FIXTURES / SEEDS[key]).read_bytes()


@cache
def seed(key: str, first_listed_leads: bool = False) -> ParsedPlan:
    """A seed plan parsed once per test session; tests must not mutate it."""
    return parse_plan(seed_bytes(key), SEEDS[key], first_listed_leads=first_listed_leads)


def task(plan: ParsedPlan, ref: str) -> ParsedTask:
    found = [t for t in plan.tasks if t.ref == ref]
    assert len(found) == 1, f"{len(found)} tasks with ref {ref}"
    return found[0]


def units(clause: Clause | None) -> list[tuple[str, Role]]:
    assert clause is not None, "the task has no duty clause"
    return [(u.name, u.role) for u in clause.units]


def plan_text(*lines: str, title: str = "某市碳达峰实施方案") -> str:
    """A small plan: the title line, then the given lines."""
    return "\n".join([title, *lines]) + "\n"


def one_task_plan(task_line: str, *more: str) -> str:
    """A plan whose only task part holds `task_line` (and `more` lines) in one section."""
    return plan_text("一、重点任务", "（一）能源转型", task_line, *more)


def parse_text(text: str, first_listed_leads: bool = False, name: str = "synthetic.txt") -> ParsedPlan:
    return parse_plan(text, name, first_listed_leads=first_listed_leads)


def codes(plan: ParsedPlan) -> list[str]:
    return [w.code for w in plan.warnings]
