"""Reading a whole plan: decode, clean, then cover, outline, plan-wide clause rules and appendices.

Each step is a module of its own: source (bytes → clean lines), cover (title, notice), outline (parts, sections,
tasks), clauses (one duty clause), rules (rules across a plan's clauses), appendix and tables (appendix tables),
targets (dated targets). Nothing here imports Django.
"""

from __future__ import annotations

import re

from . import tables
from .appendix import read_appendix
from .clues import region_clues
from .cover import DATE_LINE, ISSUER_LINE, REGION_PREFIX, find_title, read_cover
from .outline import read_outline
from .rules import apply_clauses, split_fused_units, stated_rules
from .source import decode, has_quote_glitch, repair_glyphs, split_lines, strip_debris
from .structures import ParsedPlan, PlanFormatError, WarningCode

CLOSING = re.compile(
    r"^本(实施)?(方案|意见|规划|计划|文件|措施|政策措施|政策|办法|通知)自.{0,12}(施行|实施|执行|起)|^特此(通知|函告|公告)"
)


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

    cover = find_title(lines, source_name)
    body_start = cover.body_start
    region = REGION_PREFIX.match(cover.title)
    plan = ParsedPlan(
        source_name=source_name,
        title=cover.title,
        is_draft=cover.is_draft,
        region_name=region.group("region") if region else "",
        text=text,
        title_line=cover.title_line,
    )
    for number in repaired:
        plan.warn(WarningCode.GLYPH_REPAIRED, f"已修复 PDF 字形错误（尧/野/冶）: {lines[number - 1][:40]}", number)
    read_cover(plan, lines, cover)

    body_end, appendix_starts = _find_end(lines, body_start)
    read_outline(plan, lines, body_start, body_end)
    for start, end in appendix_starts:
        read_appendix(plan, lines, start, end)
    apply_clauses(plan, first_listed_leads, stated_rules(lines, body_start, body_end))
    split_fused_units(plan)
    plan.region_clues = region_clues(plan, cover, lines)
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
    return min(body_end, _signature_start(lines, start)), appendices


def _signature_start(lines: list[str], start: int) -> int:
    """Where the issuer's signature above a closing date starts (海关总署 国家移民局 民航局 / 2025年2月6日)."""
    filled = [i for i in range(max(start, len(lines) - 12), len(lines)) if lines[i].strip()]
    for k, i in enumerate(filled):
        signer = lines[filled[k - 1]].strip() if k else ""
        if DATE_LINE.match(lines[i].strip()) and ISSUER_LINE.search(signer) and len(signer) <= 30:
            return filled[k - 1]
    return len(lines)
