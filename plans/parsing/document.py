"""Reading a whole plan: read the file, clean its lines, then cover, outline, plan-wide clause rules and appendices.

Each step is a module of its own: readers (a file of any format → a Source: canonical text and tables), source
(clean lines), cover (title, notice), outline (parts, sections, tasks), clauses (one duty clause), rules (rules
across a plan's clauses), appendix and tables (appendix tables), targets (dated targets). Nothing here imports
Django.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

from . import tables
from .appendix import read_appendix
from .clues import region_clues
from .cover import DATE_LINE, ISSUER_LINE, NUMBERED, REGION_PREFIX, find_title, read_cover
from .division import find_header, read_division
from .outline import read_outline
from .readers import Source, SourceTable, read_text
from .rules import (
    apply_blanket_sentences,
    apply_clauses,
    blanket_sentences,
    join_double_names,
    split_fused_units,
    stated_rules,
)
from .slips import repair_paragraphs, unplaced_clauses
from .source import has_quote_glitch, join_page_breaks, repair_glyphs, strip_debris
from .structures import EMPTY, ParsedPlan, PlanFormatError, WarningCode

ATTACHMENT_LIST = re.compile(r"^\d{1,2}\s*[.．、]")
CLOSING = re.compile(r"^本(实施)?(方案|意见|规划|计划|文件|措施|政策措施|政策|办法|通知)自.{0,12}(施行|实施|执行|起)")
# 特此通知 closes a notice; the plan it issues may still follow, numbered.
NOTICE_CLOSING = re.compile(r"^特此(通知|函告|公告)")


def parse_plan(data: bytes | str | Source, source_name: str, *, first_listed_leads: bool = False) -> ParsedPlan:
    """Parse one plan: a Source from plans.parsing.readers, or the bytes or str of a text file.

    Raises PlanFormatError when it is not a usable plan; its `where` and each warning's say where the
    line is in the file the user has (page and line of a PDF, paragraph of a Word document).
    """
    source = data if isinstance(data, Source) else read_text(data, source_name)
    try:
        plan = _parse(source, source_name, first_listed_leads)
    except PlanFormatError as error:
        if error.line and not error.where and source.places:
            raise PlanFormatError(error.source_name, error.message, error.line, source.locate(error.line)) from None
        raise
    plan.places = source.places
    for warning in plan.warnings:
        if warning.line and not warning.where and source.places:
            warning.where = source.locate(warning.line)
    return plan


def _parse(source: Source, source_name: str, first_listed_leads: bool) -> ParsedPlan:
    text = source.text
    lines = [strip_debris(line) for line in source.lines]
    repaired: list[int] = []
    repair = has_quote_glitch(lines)
    if repair:
        for i, line in enumerate(lines):
            lines[i], changed = repair_glyphs(line)
            if changed:
                repaired.append(i + 1)
    source_tables = [_cleaned(table, repair) for table in source.tables]
    rejoined = join_page_breaks(lines)

    if not any(line.strip() for line in lines):
        raise PlanFormatError(source_name, EMPTY)
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
        title_doubt=cover.doubt,
    )
    if cover.doubt:
        plan.warn(
            WarningCode.TITLE_GUESSED,
            f"文件中没有写明方案标题，按{cover.doubt}推定为“{cover.title}”，请核对",
            cover.title_line,
        )
    for number in rejoined:
        plan.warn(WarningCode.PAGE_BREAK, f"跨页断开的段落已接续（页码已去掉）：{lines[number - 1][:40]}", number)
    for number in repaired:
        plan.warn(WarningCode.GLYPH_REPAIRED, f"已修复 PDF 字形错误（尧/野/冶）: {lines[number - 1][:40]}", number)
    read_cover(plan, lines, cover)
    # What the file says about itself (a web page's 发文机关 …) fills what the text does not, before the clues.
    _take_metadata(plan, source.metadata)

    body_end, appendix_starts = _find_end(lines, body_start, cover.title)
    # A 分工表 is never an item of the outline: its lines are read as a table, below, or not at all.
    divisions = [t for t in source_tables if find_header(t.rows) is not None]
    body = _without(lines, divisions)
    repair_paragraphs(plan, body, body_start, body_end)
    read_outline(plan, body, body_start, body_end)
    for number, written in unplaced_clauses(body, body_start, body_end, plan.clauses):
        plan.warn(WarningCode.UNPLACED_TEXT, f"责任条款未能归入任何任务：{written[:42]}", number)
    body_assigns = bool(plan.clauses)
    from_tables = []
    for start, end in appendix_starts:
        # The tables standing in the appendix's range (0-based start, exclusive end; tables count from 1).
        found = read_appendix(plan, lines, start, end, [t for t in source_tables if start < t.first_line <= end])
        from_tables += [found] if found else []
    if not plan.clauses:
        # A notice or a file that writes no clause: the 分工表 in its body, or the whole file, holds its duties.
        # Wherever they stand after the cover but in no appendix read above (a notice's table after its signature).
        appendices = [range(start, end + 1) for start, end in appendix_starts]
        in_body = [t for t in divisions if t.first_line > body_start and not any(t.first_line in r for r in appendices)]
        for k, table in enumerate(in_body, start=1):
            if read_division(plan, table.rows, f"表{k}" if len(in_body) > 1 else "表", plan.title, top=True):
                from_tables.append("")
    if cover.from_notice and not body_assigns and len(from_tables) == 1 and from_tables[0]:
        # A notice issues a package and this file holds one of its appendices alone: the plan is that appendix.
        plan.title = from_tables[0]
    apply_clauses(plan, first_listed_leads, stated_rules(body, body_start, body_end))
    apply_blanket_sentences(plan, blanket_sentences(body, body_start, body_end))
    split_fused_units(plan)
    join_double_names(plan)
    plan.region_clues = region_clues(plan, cover, lines)
    if not plan.tasks:
        _measures_without_duties(plan, body, body_start, body_end)
    if not plan.tasks:
        first = next(i for i, line in enumerate(lines) if line.strip())
        raise PlanFormatError(
            source_name,
            "未找到任何任务：正文中没有编号的事项（如“1.”“（一）”）、责任分工（如“（市发改委牵头）”）或分工表；"
            f"请确认上传的是方案全文，而不是通知或附件（文件开头是“{lines[first].strip()[:30]}”）",
        )
    return plan


def _measures_without_duties(plan: ParsedPlan, body: list[str], start: int, end: int) -> None:
    """A plan that names no one for anything, in its text or in a table the reader can read, is still a plan: its
    numbered measures are its tasks, without units, and a warning says so, for the people to assign them."""
    plan.outline, plan.goal_targets = [], []
    read_outline(plan, body, start, end, headings_as_tasks=True)
    if plan.tasks:
        line = plan.tasks[0].line
        plan.warn(
            WarningCode.NO_DUTIES,
            f"文中没有找到责任分工（牵头、配合单位或分工表）：已按编号读出 {len(plan.tasks)} 项任务，均未分配责任单位；"
            "请在各任务中补充，或导入分工表",
            line,
        )


def _without(lines: list[str], found: list[SourceTable]) -> list[str]:
    """The lines with those of the given tables blanked, for reading the outline around them."""
    if not found:
        return lines
    kept = list(lines)
    for table in found:
        for i in range(table.first_line - 1, min(table.last_line, len(kept))):
            kept[i] = ""
    return kept


def _find_end(lines: list[str], start: int, title: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the plan's body ends, and the (start, end) of each appendix."""
    body_end = len(lines)
    heads = []
    numbered = False  # a numbered line of the body seen yet
    listing = False  # inside the notice's list of its appendices (附件：1.… / 2.…)
    for i in range(start, len(lines)):
        text = lines[i].strip()
        listing = listing and (not text or bool(re.match(r"\d{1,2}[.．、]", text)))
        numbered = numbered or (bool(NUMBERED.match(text)) and not listing)
        if body_end == len(lines) and (
            CLOSING.match(text) or (NOTICE_CLOSING.match(text) and not _numbered_after(lines, i))
        ):
            body_end = i
        heading = tables.APPENDIX_HEADING.match(text)
        listing = listing or bool(heading and ATTACHMENT_LIST.match(heading["title"]))
        # 附件：1.…行动计划 / 2.…: the notice lists its appendices; each begins further down under its own heading.
        # 附件：<the plan's title>, or 附件 before a notice's only numbered text, heads the plan the notice issues.
        if (
            heading
            and not lines[i].startswith("\t")
            and not ATTACHMENT_LIST.match(heading["title"])
            and re.sub(r"[《》\s]", "", heading["title"]) != re.sub(r"\s", "", title)
            and (numbered or not _numbered_after(lines, i))
        ):
            heads.append(i)
            body_end = min(body_end, i)
    appendices = [(h, heads[k + 1] if k + 1 < len(heads) else len(lines)) for k, h in enumerate(heads)]
    return min(body_end, _signature_start(lines, start)), appendices


def _numbered_after(lines: list[str], at: int) -> bool:
    """Whether an outline-numbered line follows, before any appendix: the body goes on after a notice's close."""
    for line in lines[at + 1 :]:
        text = line.strip()
        if tables.APPENDIX_HEADING.match(text):
            return False
        if NUMBERED.match(text) and not line.startswith(("\t", "|")):  # a table's 一、 row numbers no outline
            return True
    return False


def _signature_start(lines: list[str], start: int) -> int:
    """Where the issuer's signature above a closing date starts (海关总署 国家移民局 民航局 / 2025年2月6日)."""
    filled = [i for i in range(max(start, len(lines) - 12), len(lines)) if lines[i].strip()]
    for k, i in enumerate(filled):
        signer = lines[filled[k - 1]].strip() if k else ""
        # A notice's own signature before the list it issues ends nothing: numbered items follow it.
        if (
            DATE_LINE.match(lines[i].strip())
            and ISSUER_LINE.search(signer)
            and len(signer) <= 30
            and not _numbered_after(lines, i)
        ):
            return filled[k - 1]
    return len(lines)


def _cleaned(table: SourceTable, repair: bool) -> SourceTable:
    """A table's cells cleaned as the lines are: conversion debris out, broken PDF glyphs repaired."""
    rows = []
    for row in table.rows:
        cells = [strip_debris(cell) for cell in row.cells]
        if repair:
            cells = [repair_glyphs(cell)[0] for cell in cells]
        rows.append(tables.Row(cells, row.line))
    return SourceTable(rows, table.first_line, table.last_line)


def _take_metadata(plan: ParsedPlan, metadata: dict[str, str]) -> None:
    """Fill what the text does not state from what the file says about itself (a web page's 发文字号 …)."""
    plan.issuer = plan.issuer or metadata.get("发文机关", "")[:100]
    plan.doc_number = plan.doc_number or metadata.get("发文字号", "")[:50]
    if plan.issued_on is None and metadata.get("成文日期"):
        found = re.search(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", metadata["成文日期"])
        if found:
            with contextlib.suppress(ValueError):
                plan.issued_on = date(*(int(g) for g in found.groups()))
