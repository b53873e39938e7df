"""Variants of a plan's text, as the same plan reaches users in other wrappings: for tests/corpus/test_variants.py.

Each takes the text and the plan parsed from it and returns the variant's text, or None when the variant does not
apply (a plan without a clause cannot have one split by a page break). Pure Python.
"""

from __future__ import annotations

import re

from plans.parsing.cover import find_title
from plans.parsing.source import split_lines
from plans.parsing.structures import ParsedPlan

WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})


def _lines(text: str) -> list[str]:
    return split_lines(text)


def title_removed(text: str, plan: ParsedPlan) -> str | None:
    """The plan's title lines taken out: a page that lost its heading, a file that starts at its body."""
    lines = _lines(text)
    cover = find_title(lines, plan.source_name)
    if cover.doubt:
        return None  # the file states no title to take away
    kept = lines[: cover.title_line - 1] + [""] * (cover.body_start - cover.title_line + 1) + lines[cover.body_start :]
    return "\n".join(kept)


def under_a_notice_headline(text: str, plan: ParsedPlan) -> str | None:
    """文号 and issuer lines and a headline ending in a spaced 通  知 before the plan, as a notice that issues it."""
    issuer = [plan.issuer] if plan.issuer else []  # the body that issued it, when the text names it
    headline = [
        "某办发〔2024〕12号",
        "",
        *issuer,
        f"关于印发{plan.title}的",
        "通    知",
        "",
        "各有关单位：",
        f"现将《{plan.title}》印发给你们，请认真贯彻落实。",
        "",
        *issuer,
        "2024年3月1日",
        "",
    ]
    return "\n".join(headline) + "\n" + text


def half_width(text: str, plan: ParsedPlan) -> str | None:
    """Half-width brackets, colons, commas and semicolons throughout, as an English keyboard types them."""
    return text.translate(WIDTH)


_NUMBER_MARK = re.compile(r"^([（(][一二三四五六七八九十\d]{1,3})([）)])|^([一二三四五六七八九十]{1,3})(、)", re.M)


def spaced_numbers(text: str, plan: ParsedPlan) -> str | None:
    """A space inside every number marker (（十三 ）, 三 、), as a web page's bold runs or a PDF's text layer leave."""
    spaced = _NUMBER_MARK.sub(lambda m: f"{m[1]} {m[2]}" if m[1] else f"{m[3]} {m[4]}", text)
    return spaced if spaced != text else None


def clause_split_by_a_page_break(text: str, plan: ParsedPlan) -> str | None:
    """The first clause that names two or more units broken across a page, a page number between its halves."""
    for task in plan.tasks:
        clause = task.clause
        if clause is None or len(clause.units) < 2 or not clause.line:
            continue
        lines = _lines(text)
        line = lines[clause.line - 1]
        at = line.find(clause.units[1].as_written, line.find(clause.text[:4]) if clause.text[:4] in line else 0)
        if at <= 0:
            continue
        lines[clause.line - 1 : clause.line] = [line[:at], "", "— 12 —", "", line[at:]]
        return "\n".join(lines)
    return None


def list_in_an_appendix_table(text: str, plan: ParsedPlan) -> str | None:
    """The clauses taken out of the body and given, row by row, in a 分工表 appended as pipe rows (a scraped page's
    table): the plan whose units stand only in its appendix."""
    if any(task.parent_ref for task in plan.tasks) or plan.appendix_rows:
        # Its clauses also mark where one measure ends and the next begins, or a table of its own already gives
        # units: moved out, the clauses would not make the same plan.
        return None
    lines = _lines(text)
    rows = []
    for task in plan.tasks:
        clause = task.clause
        if clause is None or not clause.line or task.is_goal:
            continue
        line = lines[clause.line - 1]
        written = _bracketed(line, clause.text)
        if written is None:
            return None  # a clause on a line of its own or cut by a slip: the variant would not be the same plan
        lines[clause.line - 1] = line.replace(written, "", 1)
        cells = [
            "、".join(u.as_written for u in clause.units if u.role == role) for role in ("lead", "joint", "cooperating")
        ]
        rows.append(f"| {len(rows) + 1} | {task.title} | {' | '.join(cells)} |")
    if len(rows) < 2 or any(r.role == "lead" and r.inferred for t in plan.tasks if t.clause for r in t.clause.units):
        return None
    header = "| 序号 | 重点任务 | 牵头单位 | 责任单位 | 配合单位 |"
    table = ["", "附件：重点任务分工表", "", header, "| --- | --- | --- | --- | --- |", *rows]
    return "\n".join(lines + table)


def _bracketed(line: str, inner: str) -> str | None:
    for opening, closing in (("（", "）"), ("(", ")"), ("〔", "〕")):
        written = f"{opening}{inner}{closing}"
        if written in line:
            return written
    return None


VARIANTS = {
    "title_removed": title_removed,
    "notice_headline": under_a_notice_headline,
    "half_width": half_width,
    "spaced_numbers": spaced_numbers,
    "page_break": clause_split_by_a_page_break,
    "appendix_table": list_in_an_appendix_table,
}


def duties(plan: ParsedPlan) -> list[tuple[str, str]]:
    """Every unit a plan's tasks name with its role, as a sorted list: what a variant must keep."""
    found = []
    for task in plan.tasks:
        for unit in task.clause.units if task.clause else []:
            # 各 distributed over a list (各市、县级政府及…部门) is the same unit however the list is written.
            found.append((re.sub(r"\s+", "", unit.name.translate(WIDTH)).removeprefix("各"), str(unit.role)))
    return sorted(found)
