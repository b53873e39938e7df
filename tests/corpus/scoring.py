"""The corpus read and stored as a user's files are, then scored against its gold: for scripts/corpus_score.py and
tests/corpus/test_corpus.py. Needs a migrated database; stores every plan of the part in it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.test import Client

from plans.ingestion.files import ingest_file
from plans.parsing import PlanFormatError

from . import evaluate


@dataclass
class PlanScore:
    name: str
    clauses: int
    exact: int = 0
    found: int = 0
    refused: str = ""  # the refusal, when the file was turned away
    title: str = ""  # the title read, when it differs from the gold's
    rows: list = field(default_factory=list)  # what evaluate.score reports missing or wrong

    @property
    def ratio(self) -> float:
        return self.exact / self.clauses if self.clauses else 1.0


@dataclass
class PartScore:
    plans: list[PlanScore] = field(default_factory=list)

    def lines(self, verbose: bool = False) -> list[str]:
        out = []
        for p in self.plans:
            if p.refused:
                out.append(f"{p.name}: REFUSED {p.refused}")
                continue
            differs = f", title differs: {p.title}" if p.title else ""
            out.append(f"{p.name}: tasks found {p.found}/{p.clauses}, clauses exact {p.exact}/{p.clauses}{differs}")
            if verbose:
                out += ["    " + " ".join(str(x) for x in row) for row in p.rows]
        return out

    def total_line(self) -> str:
        exact, total = sum(p.exact for p in self.plans), sum(p.clauses for p in self.plans)
        refused = sum(1 for p in self.plans if p.refused)
        worst = min((p.ratio for p in self.plans), default=1.0)
        return (
            f"clauses exact {exact}/{total} ({100.0 * exact / max(total, 1):.1f}%), "
            f"plans refused {refused}/{len(self.plans)}, lowest plan {100.0 * worst:.1f}%"
        )


def gold_files(part: Path) -> list[Path]:
    return sorted((part / "gold").glob("*.json"))


def score_part(part: Path) -> PartScore:
    """Store every plan file of the part (plans/), then score each gold file (gold/) against the API's answers."""
    refusals: dict[str, str] = {}
    for gold_path in gold_files(part):
        name = json.loads(gold_path.read_text(encoding="utf-8"))["file"]
        try:
            ingest_file(part / "plans" / name)
        except PlanFormatError as error:
            refusals[name] = str(error)
    answers = _api_answers()
    report = PartScore()
    for gold_path in gold_files(part):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        score = PlanScore(gold_path.stem, len(gold["duties"]))
        if gold["file"] in refusals:
            score.refused = refusals[gold["file"]]
        elif (plan := evaluate.match_plan(gold, answers)) is None:
            score.refused = f"plan not found ({gold['title']})"
        else:
            score.exact, score.found, _, score.rows = evaluate.score(gold, with_appendix_rows(plan))
            if evaluate.norm(plan.get("title")) != evaluate.norm(gold["title"]):
                score.title = plan.get("title")
        report.plans.append(score)
    return report


def with_appendix_rows(plan: dict) -> dict:
    """The plan's tasks and, as tasks for scoring, the rows of a table that repeats them (a 重点任务分解表 beside
    body clauses): the product keeps such a row with its units beside the task it repeats, not as a task of its
    own, and the gold counts the row's units as a duty."""
    rows = [
        {
            "title": row["title"],
            "duties": [
                {"agency": u["agency"], "as_written": u["as_written"], "role": u["role"], "source": "text"}
                for u in row["units"]
            ],
        }
        for row in plan.get("appendix", [])
        if row["units"]
    ]
    return {**plan, "tasks": plan["tasks"] + rows}


def _api_answers() -> list[dict]:
    """Every stored plan as /api/plans/<id>/ gives it, all its pages of tasks joined."""
    client = Client()
    answers, summaries, url = [], [], "/api/plans/"
    while url:
        listing = client.get(url).json()
        summaries += listing["plans"]
        url = listing.get("next")
    for summary in summaries:
        url, plan = f"/api/plans/{summary['id']}/", None
        while url:
            page = client.get(url).json()
            if plan is None:
                plan = page
            else:
                plan["tasks"] += page["tasks"]
            url = page.get("next")
        answers.append(plan)
    return answers
