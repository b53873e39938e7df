"""Reading a whole plan: decode, clean, then cover, outline, plan-wide clause rules and appendices.

Each step is a module of its own: source (bytes → clean lines), cover (title, notice), outline (parts, sections,
tasks), clauses (one duty clause), rules (rules across a plan's clauses), appendix and tables (appendix tables),
targets (dated targets). Nothing here imports Django.
"""

from __future__ import annotations

import re

from . import tables
from .appendix import read_appendix
from .cover import DRAFT, REGION_PREFIX, find_title, read_cover
from .outline import read_outline
from .rules import apply_clauses, split_fused_units
from .source import decode, has_quote_glitch, repair_glyphs, split_lines, strip_debris
from .structures import ParsedPlan, PlanFormatError, WarningCode

CLOSING = re.compile(r"^本(实施)?(方案|意见|规划|计划)自.{0,12}(施行|实施|执行|起)")


def parse_plan(data: bytes | str, source_name: str, *, first_listed_leads: bool = False) -> ParsedPlan:
    """Parse one plan file. Raises PlanFormatError when it is not a usable plan."""
    text = decode(data, source_name) if isinstance(data, bytes) else data.lstrip("\ufeff")
    raw_lines = split_lines(text)
    lines = [strip_debris(line) for line in raw_lines]
    repaired: list[int] = []
    if has_quote_glitch(lines):
        for i, line in enumerate(lines):
            lines[i], changed = repair_glyphs(line)
            if changed:
                repaired.append(i + 1)

    title_index = find_title(lines, source_name)
    title = lines[title_index]
    body_start = title_index + 1
    is_draft = bool(DRAFT.search(title))
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    if body_start < len(lines) and DRAFT.search(lines[body_start]) and len(lines[body_start]) <= 12:
        is_draft = True
        body_start += 1
    clean_title = re.sub(r"[（(]?(征求意见稿|送审稿|草案)[）)]?", "", title).strip()
    region = REGION_PREFIX.match(clean_title)
    plan = ParsedPlan(
        source_name=source_name,
        title=clean_title,
        is_draft=is_draft,
        region_name=region.group("region") if region else "",
        text=text,
    )
    for number in repaired:
        plan.warn(WarningCode.GLYPH_REPAIRED, f"已修复 PDF 字形错误（尧/野/冶）: {lines[number - 1][:40]}", number)
    read_cover(plan, lines[:title_index])

    body_end, appendix_starts = _find_end(lines, body_start)
    read_outline(plan, lines, body_start, body_end)
    apply_clauses(plan, first_listed_leads)
    for start, end in appendix_starts:
        read_appendix(plan, lines, start, end)
    split_fused_units(plan)
    if not plan.tasks:
        raise PlanFormatError(source_name, "未找到任何任务（no numbered tasks or duty clauses found）")
    return plan


def _find_end(lines: list[str], start: int) -> tuple[int, list[tuple[int, int]]]:
    """Where the plan's body ends, and the (start, end) of each appendix."""
    body_end = len(lines)
    heads = []
    for i in range(start, len(lines)):
        text = lines[i].strip()
        if body_end == len(lines) and CLOSING.match(text):
            body_end = i
        if tables.APPENDIX_HEADING.match(text) and not lines[i].startswith("\t"):
            heads.append(i)
            body_end = min(body_end, i)
    appendices = [(h, heads[k + 1] if k + 1 < len(heads) else len(lines)) for k, h in enumerate(heads)]
    return body_end, appendices
