"""Reading a whole plan: cover, title, outline, tasks, clauses and appendices.

The outline is found by structure, not wording. Numbering styles (一、 1、
（一） （1） 1.) are ranked by the order in which the plan first uses them, so
a plan that numbers its parts 1、 and its sections （1） parses like one that
uses 一、 and （一）. Tasks begin at the first part whose items carry duty
clauses; numbered lines before it (基本原则) are body text.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date

from lib.naming import looks_like_unit, name_key, normalise

from . import tables
from .duties import (
    apply_lead_convention,
    carry_prefix,
    distribute_each,
    is_duty_clause,
    parse_clause,
    split_units,
    trailing_parenthetical,
)
from .source import decode, has_quote_glitch, repair_glyphs, split_lines, strip_debris
from .structures import (
    AppendixRow,
    KeyProject,
    OutlineNode,
    ParsedPlan,
    ParsedTask,
    PlanFormatError,
    Role,
    UnitRef,
    WarningCode,
)
from .targets import extract_targets

CN_NUM = "一二三四五六七八九十"
MARKERS = (
    ("cn_dun", re.compile(rf"^(?P<n>[{CN_NUM}]{{1,3}})、\s*(?P<rest>.*)$")),
    ("cn_paren", re.compile(rf"^(?P<n>[（(][{CN_NUM}]{{1,3}}[）)])\s*(?P<rest>.*)$")),
    ("ar_paren", re.compile(r"^(?P<n>[（(]\d{1,2}[）)])\s*(?P<rest>.*)$")),
    ("ar_dun", re.compile(r"^(?P<n>\d{1,2})、\s*(?P<rest>.*)$")),
    ("ar_dot", re.compile(r"^(?P<n>\d{1,2})[.．](?!\d)\s*(?P<rest>.*)$")),
)

TITLE = re.compile(r"^[^《》〈〉]{2,60}?(方案|规划|意见|计划)$")
DRAFT = re.compile(r"征求意见稿|送审稿|草案")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
ISSUER_BEFORE = re.compile(r"^(?P<issuer>.+?)关于印发")
CLOSING = re.compile(r"^本(实施)?(方案|意见|规划|计划)自.{0,12}(施行|实施|执行|起)")
REGION_PREFIX = re.compile(r"^(?P<region>.+?)(碳达峰|碳中和|关于|实施方案|行动方案|方案)")


@dataclass
class _Item:
    """A numbered line and what follows it, before we know if it is a task."""

    level: int
    number: str
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)  # body lines

    @property
    def body(self) -> str:
        return "\n".join(text for _, text in self.lines)


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

    title_index = _find_title(lines, source_name)
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
    _read_cover(plan, lines[:title_index])

    body_end, appendix_starts = _find_end(lines, body_start)
    _read_outline(plan, lines, body_start, body_end, first_listed_leads)
    for start, end in appendix_starts:
        _read_appendix(plan, lines, start, end)
    _split_fused_units(plan)
    if not plan.tasks:
        raise PlanFormatError(source_name, "未找到任何任务（no numbered tasks or duty clauses found）")
    return plan


def _find_title(lines: list[str], source_name: str) -> int:
    for i, line in enumerate(lines[:80]):
        candidate = re.sub(r"[（(](征求意见稿|送审稿|草案)[）)]$", "", line.strip())
        if candidate and not candidate.startswith("\t") and TITLE.match(candidate) and "关于" not in candidate:
            return i
    for i, line in enumerate(lines):
        if line.strip():
            raise PlanFormatError(
                source_name, f"找不到方案标题（no plan title such as “…实施方案”）: {line[:30]}", i + 1
            )
    raise PlanFormatError(source_name, "文件为空（the file is empty）")


def _read_cover(plan: ParsedPlan, cover: list[str]) -> None:
    """Document number, date and issuer from the notice that wraps the plan."""
    previous = ""
    for line in cover:
        line = line.strip()
        if not line:
            continue
        if DOC_NUMBER.match(line):
            plan.doc_number = re.sub(r"\s+", "", line)
        elif m := DATE_LINE.match(line):
            with contextlib.suppress(ValueError):  # 2023年2月30日 is no date; keep the rest of the cover
                plan.issued_on = date(int(m["y"]), int(m["m"]), int(m["d"]))
            if previous and not plan.issuer and re.search(r"(政府|办公室|委员会|办公厅|局)$", previous):
                plan.issuer = previous
        elif m := ISSUER_BEFORE.match(line):
            plan.issuer = plan.issuer or m["issuer"]
        previous = line


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


def _marker(line: str) -> tuple[str, str, str] | None:
    for style, pattern in MARKERS:
        m = pattern.match(line)
        if m:
            return style, m["n"], m["rest"].strip()
    return None


def _split_title(rest: str) -> tuple[str, str]:
    """An inline title ends at the first 。; the body runs on after it."""
    if "。" in rest:
        head, tail = rest.split("。", 1)
        if len(head) <= 60:
            return head.strip(), tail.strip()
    if len(rest) > 60 or _ends_in_clause(rest):
        return "", rest
    return rest.strip(), ""


def _ends_in_clause(text: str) -> bool:
    # Only a duty clause makes a numbered line body text; a heading may end in
    # brackets of its own: 推进碳普惠（试点）, 整县（市、区）.
    found = trailing_parenthetical(text)
    return bool(found) and is_duty_clause(found[1])


def _rank_styles(lines: list[str], start: int, end: int) -> dict[str, int]:
    """Levels of the numbering styles, from which style's items each style numbers.

    A line numbered 一 or 1 opens a list inside the numbered line before it, so
    its style sits one level below that line's style. Ranking by this nesting
    rather than by first use keeps a plan whose 主要目标 lists 1. 2. straight
    under its part, before any （一）, from reading （一） as a task level. The
    first heading-like numbered line gives the top style. Styles this does not
    place are ranked as they come (see _read_outline).
    """
    root = previous = None
    children: dict[str, set[str]] = {}
    for index in range(start, end):
        found = None if lines[index].startswith("\t") else _marker(lines[index])
        if not found:
            continue
        style, number, rest = found
        if root is None:
            if not _looks_like_heading(rest):
                continue
            root = style
        elif style not in (previous, root) and _is_first(number) and not _nests_in(children, style, previous):
            children.setdefault(previous, set()).add(style)
        previous = style
    levels = {root: 1} if root else {}
    changed = True
    while changed:  # longest nesting from the top style; the graph has no cycles
        changed = False
        for parent, kids in children.items():
            for kid in kids:
                depth = levels.get(parent, 9) + 1
                if depth <= 3 and levels.get(kid, 0) < depth:
                    levels[kid], changed = depth, True
    return levels


def _is_first(number: str) -> bool:
    return number.strip("（()）") in {"一", "1"}


def _nests_in(children: dict[str, set[str]], style: str, other: str) -> bool:
    """Whether `other` already sits somewhere below `style` (an edge back would make a cycle)."""
    stack, seen = [style], set()
    while stack:
        node = stack.pop()
        if node == other:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(children.get(node, ()))
    return False


def _read_outline(plan: ParsedPlan, lines: list[str], start: int, end: int, first_listed: bool) -> None:
    levels = _rank_styles(lines, start, end)
    parts: list[tuple[_Item, list[tuple[_Item, list[_Item]]], list[_Item]]] = []
    preamble: list[tuple[int, str]] = []
    current: _Item | None = None
    for index in range(start, end):
        number = index + 1
        line = lines[index]
        if not line.strip():
            continue
        if line.startswith("\t"):
            plan.warn(WarningCode.UNPLACED_TEXT, f"正文中出现表格单元格，未能归入任何任务: {line.strip()[:40]}", number)
            continue
        found = _marker(line)
        level = None
        if found:
            style, num, rest = found
            if style not in levels:
                if len(levels) < 3 and (levels or _looks_like_heading(rest)):
                    levels[style] = len(levels) + 1
                else:
                    level = _borrowed_level(style, rest, levels)
            level = levels.get(style, level)
        if level is None:
            if current is None:
                preamble.append((number, line))
            else:
                current.lines.append((number, line))
            continue
        heading, body = _split_title(rest)
        item = _Item(level, num, heading, number)
        if body:
            item.lines.append((number, body))
        if level == 1:
            parts.append((item, [], []))
        elif not parts:
            parts.append((_Item(1, "", "", number), [], []))
        if level == 2:
            parts[-1][1].append((item, []))
        elif level == 3:
            if parts[-1][1]:
                parts[-1][1][-1][1].append(item)
            else:
                parts[-1][2].append(item)
        current = item

    task_start = _first_task_part(parts)
    goal_texts: list[tuple[str, str]] = []
    for p_index, (part, sections, loose) in enumerate(parts, start=1):
        part_index = len(plan.outline)
        plan.outline.append(OutlineNode(1, part.number, part.title, part.line, part.body))
        in_tasks = task_start is not None and p_index - 1 >= task_start
        if not in_tasks:
            # Numbered lines before the tasks (基本原则, numbered goals) belong to
            # the text of their section, or of the part when they sit right under it.
            plan.outline[part_index].body = _text_with_items(part.body, loose)
            for section, items in sections:
                text = _text_with_items(section.body, items)
                plan.outline.append(OutlineNode(2, section.number, section.title, section.line, text, part_index))
            goal_text = "\n".join(n.body for n in plan.outline[part_index:])
            goal_texts.append((part.title, goal_text))
            continue
        for i, item in enumerate(loose, start=1):
            _add_task(plan, item, part_index, f"{p_index}.{i}")
        for s_index, (section, items) in enumerate(sections, start=1):
            node_index = len(plan.outline)
            plan.outline.append(OutlineNode(2, section.number, section.title, section.line, "", part_index))
            if items:
                plan.outline[node_index].body = section.body
                for t_index, item in enumerate(items, start=1):
                    _add_task(plan, item, node_index, f"{p_index}.{s_index}.{t_index}")
            elif section.body or section.title:
                _add_task(plan, section, node_index, f"{p_index}.{s_index}", is_section=True)
        # A part with neither sections nor items is a task only when it carries a duty clause.
        if not sections and not loose and _clause_of(part):
            _add_task(plan, part, part_index, f"{p_index}", is_section=True)

    # Dated goals come from the 主要目标 part; a plan without one states them elsewhere before the tasks.
    stated = [text for title, text in goal_texts if "目标" in title] or [text for _, text in goal_texts]
    for text in stated:
        plan.goal_targets += extract_targets(text)
    _apply_clauses(plan, first_listed)


def _text_with_items(body: str, items: list[_Item]) -> str:
    texts = [body, *(f"{i.number}. {i.title}。{i.body}" if i.title else f"{i.number}. {i.body}" for i in items)]
    return "\n".join(t.strip() for t in texts if t.strip())


# Styles that stand in for each other when a plan switches numbering midway
# (000 numbers its parts 1、 … 4、 and then 五、).
_EQUIVALENT = {
    "cn_dun": ("ar_dun",),
    "ar_dun": ("cn_dun", "ar_dot"),
    "cn_paren": ("ar_paren",),
    "ar_paren": ("cn_paren",),
    "ar_dot": ("ar_dun",),
}


def _borrowed_level(style: str, rest: str, levels: dict[str, int]) -> int | None:
    """The level of an equivalent style; a bare short heading prefers the higher one."""
    candidates = sorted(levels[s] for s in _EQUIVALENT[style] if s in levels)
    if not candidates:
        return None
    _, body = _split_title(rest)
    if _looks_like_heading(rest) and not body:
        return candidates[0]
    return candidates[-1]


def _looks_like_heading(rest: str) -> bool:
    title, _ = _split_title(rest)
    return bool(title) and len(title) <= 30


def _first_task_part(parts) -> int | None:
    """The first part with a duty clause; failing that, the first with numbered items."""
    for index, (_part, sections, loose) in enumerate(parts):
        items = [*loose, *(s for s, _ in sections), *(i for _, its in sections for i in its)]
        if any(_clause_of(item) for item in items):
            return index
    for index, (_part, sections, loose) in enumerate(parts):
        if loose or any(items for _, items in sections):
            return index
    return None


def _clause_of(item: _Item) -> tuple[int, str, int] | None:
    """(line, inner text, offset in line) of the duty clause closing an item."""
    if not item.lines:
        return None
    number, last = item.lines[-1]
    found = trailing_parenthetical(last)
    if found and is_duty_clause(found[1]):
        return number, found[1], found[0]
    return None


def _add_task(plan: ParsedPlan, item: _Item, node_index: int, ref: str, is_section: bool = False) -> None:
    task = ParsedTask(
        number=item.number,
        title=item.title,
        body=item.body,
        line=item.line,
        outline_index=node_index,
        ref=ref,
        is_section=is_section,
    )
    found = _clause_of(item)
    text_for_targets = item.body
    if found:
        number, inner, offset = found
        task.clause = parse_clause(inner, number)
        last_line = item.lines[-1][1]
        text_for_targets = "\n".join([*(t for _, t in item.lines[:-1]), last_line[:offset]])
    task.targets = extract_targets(text_for_targets)
    plan.tasks.append(task)


def _apply_clauses(plan: ParsedPlan, first_listed: bool) -> None:
    """Plan-wide clause rules: carried prefixes, blanket notes, the lead convention."""
    blanket: list[UnitRef] = []
    blanket_line: int | None = None
    for task in plan.tasks:
        clause = task.clause
        if clause:
            for unit, old in carry_prefix(clause.units):
                plan.warn(WarningCode.PREFIX_CARRIED, f"“{old}”按同一条款首个单位补全为“{unit.name}”", clause.line)
            if clause.blanket_units:
                blanket, blanket_line = clause.blanket_units, clause.line
                names = "、".join(u.as_written for u in blanket)
                plan.warn(WarningCode.BLANKET_NOTE, f"条款附注将“{names}”列为本项及以后各项的责任单位", clause.line)
            if first_listed and not clause.has_stated_lead:
                apply_lead_convention(clause.units, first_listed_leads=True)
                lead = next((u for u in clause.units if u.role is Role.LEAD), None)
                if lead:
                    plan.warn(WarningCode.INFERRED_LEAD, f"未写明牵头单位，按首列推定“{lead.name}”牵头", clause.line)
        if blanket:
            written = {normalise(u.name) for u in (clause.units if clause else [])}
            has_lead = bool(clause) and any(u.role is Role.LEAD for u in clause.units)
            # Cooperating only because of a lead the convention inferred is inferred too.
            inferred = has_lead and not clause.has_stated_lead
            task.note_units = [
                UnitRef(u.name, u.as_written, Role.COOPERATING if has_lead else Role.JOINT, inferred)
                for u in blanket
                if normalise(u.name) not in written
            ]
            task.note_source_line = blanket_line


def _split_fused_units(plan: ParsedPlan) -> None:
    """Split a unit string that runs two known units together (missing 、)."""
    counts: dict[str, int] = {}
    for units, _ in _all_unit_lists_with_lines(plan):
        for unit in units:
            counts[name_key(unit.name)] = counts.get(name_key(unit.name), 0) + 1
    for units, line in _all_unit_lists_with_lines(plan):
        for unit in list(units):
            key = name_key(unit.name)
            if counts.get(key, 0) > 1:
                continue
            split = _best_split(unit.name, counts)
            if not split:
                continue
            left, right = split
            index = units.index(unit)
            units[index : index + 1] = [
                UnitRef(left, unit.as_written, unit.role, unit.inferred, split_from=unit.as_written),
                UnitRef(right, unit.as_written, unit.role, unit.inferred, split_from=unit.as_written),
            ]
            plan.warn(
                WarningCode.FUSED_SPLIT, f"“{unit.as_written}”疑为两个单位连写，已拆分为“{left}”和“{right}”", line
            )


def _best_split(name: str, counts: dict[str, int]) -> tuple[str, str] | None:
    for i in range(3, len(name) - 2):
        left, right = name[:i], name[i:]
        if not (looks_like_unit(left) and looks_like_unit(right)):
            continue
        left_known = counts.get(name_key(left), 0) > 0
        right_known = counts.get(name_key(right), 0) > 0
        if left_known and right_known:
            return left, right
    return None


def _all_unit_lists_with_lines(plan: ParsedPlan):
    for task in plan.tasks:
        if task.clause:
            yield task.clause.units, task.clause.line
    for row in plan.appendix_rows:
        yield row.units, row.line


def _read_appendix(plan: ParsedPlan, lines: list[str], start: int, end: int) -> None:
    heading = tables.APPENDIX_HEADING.match(lines[start].strip())
    name = f"附件{heading.group(1)}"
    body = [(i + 1, lines[i]) for i in range(start + 1, end)]
    # Trailing matter after the last appendix (抄送, 印发) is not table text.
    rows, notes = tables.read_rows(body)
    if not rows:
        return
    header = rows[0].cells
    if tables.header_index(header, "项目名称") is not None:
        _read_projects(plan, rows, name)
    elif tables.header_index(header, "牵头单位", "责任单位") is not None:
        _read_duty_rows(plan, rows, name)
    else:
        for row in rows:
            plan.warn(WarningCode.UNPLACED_TEXT, f"{name} 表格无法识别表头: {' | '.join(row.cells)[:40]}", row.line)


def _read_projects(plan: ParsedPlan, rows: list[tables.Row], appendix: str) -> None:
    header = rows[0].cells
    col = {
        key: tables.header_index(header, *names)
        for key, names in {
            "number": ("序号",),
            "category": ("类别", "类型"),
            "unit": ("项目单位", "责任单位", "实施单位"),
            "name": ("项目名称",),
            "content": ("建设内容", "主要内容"),
            "years": ("起止年限", "建设年限", "年限"),
            "investment": ("总投资", "投资"),
        }.items()
    }
    width = len(header)
    category = ""
    for row in rows[1:]:
        cells = row.cells + [""] * (width - len(row.cells))

        def cell(key: str, cells: list[str] = cells) -> str:
            i = col[key]
            return cells[i].strip() if i is not None and i < len(cells) else ""

        if not cell("name"):
            plan.warn(WarningCode.UNPLACED_TEXT, f"{appendix} 行缺少项目名称: {' | '.join(row.cells)[:40]}", row.line)
            continue
        category = cell("category") or category  # written only on the first row of its group
        start, end = tables.parse_years(cell("years"))
        plan.projects.append(
            KeyProject(
                number=tables.parse_int(cell("number")),
                category=category,
                unit=cell("unit"),
                name=cell("name"),
                content=cell("content"),
                start_year=start,
                end_year=end,
                investment=tables.parse_amount(cell("investment")),
                line=row.line,
            )
        )


def _read_duty_rows(plan: ParsedPlan, rows: list[tables.Row], appendix: str) -> None:
    """Rows of a 重点事项清单: goals with their own units, and tasks that repeat the body."""
    header = rows[0].cells
    lead_col = tables.header_index(header, "牵头单位")
    units_col = tables.header_index(header, "责任单位", "配合单位")
    # Merged header cells vanish, so the data rows can be wider than the header:
    # align the unit columns on the right.
    group = section = ""
    goal_count = 0
    task_titles = {_title_key(t.title): t for t in plan.tasks}
    for row in rows[1:]:
        cells = row.cells
        if len(cells) == 1:
            group = cells[0]
            continue
        shift = len(cells) - len(header)
        lead_text = cells[lead_col + shift] if lead_col is not None and 0 <= lead_col + shift < len(cells) else ""
        units_text = cells[units_col + shift] if units_col is not None and 0 <= units_col + shift < len(cells) else ""
        leading = [c for c in cells[: min(i for i in (lead_col, units_col) if i is not None) + shift]]
        task_cell = next((c for c in leading if _marker(c) and _marker(c)[0] in {"ar_dot", "ar_dun"}), None)
        units = _table_units(lead_text, units_text)
        if task_cell:
            heading = next((c for c in leading if c and c != task_cell), "")
            section = heading or section
            _, number, rest = _marker(task_cell)
            title = rest.rstrip("。")
            task = task_titles.get(_title_key(title))
            if task is None:
                task = _task_by_position(plan, section, number)
                if task is None:
                    plan.warn(
                        WarningCode.TABLE_DISAGREEMENT, f"{appendix} 的任务“{title}”在正文中找不到对应任务", row.line
                    )
                else:
                    plan.warn(
                        WarningCode.TABLE_DISAGREEMENT,
                        f"{appendix} 写作“{title}”，正文第{task.line}行写作“{task.title}”",
                        row.line,
                    )
            plan.appendix_rows.append(
                AppendixRow(
                    appendix,
                    group,
                    section,
                    number,
                    title,
                    "",
                    lead_text,
                    units_text,
                    units,
                    row.line,
                    task.ref if task else None,
                )
            )
        else:
            goal_count += 1
            title_cell = leading[0] if leading else ""
            text_cell = leading[1] if len(leading) > 1 else ""
            found = _marker(title_cell)
            number, title = (found[1], found[2]) if found else ("", title_cell)
            ref = f"{appendix}.目标.{goal_count}"
            plan.appendix_rows.append(
                AppendixRow(appendix, group, "", number, title, text_cell, lead_text, units_text, units, row.line, ref)
            )
            goal_node = next((i for i, n in enumerate(plan.outline) if n.level == 1 and "目标" in n.title), 0)
            goal = ParsedTask(number, title, text_cell, row.line, goal_node, ref, is_goal=True)
            goal.targets = extract_targets(f"{title}。{text_cell}")
            plan.tasks.append(goal)


def _task_by_position(plan: ParsedPlan, section: str, number: str) -> ParsedTask | None:
    """The body task with this number under the section of the same title."""
    found = _marker(section)
    section_title = _title_key(found[2] if found else section)
    for task in plan.tasks:
        node = plan.outline[task.outline_index]
        if not task.is_section and task.number == number and _title_key(node.title) == section_title:
            return task
    return None


def _table_units(lead_text: str, units_text: str) -> list[UnitRef]:
    leads = [] if lead_text.strip() in {"", "/", "／", "—", "-", "无"} else split_units(lead_text)
    others = split_units(units_text)
    role = Role.COOPERATING if leads else Role.JOINT
    units = [UnitRef(n, n, Role.LEAD) for n in leads] + [UnitRef(n, n, role) for n in others]
    distribute_each(units)
    return units


def _title_key(title: str) -> str:
    return re.sub(r"[。．.，,\s“”\"]", "", title)
