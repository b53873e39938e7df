"""The outline of a plan's body: parts, sections and the numbered items that are its tasks.

The outline is found by structure, not wording. Numbering styles (一、 1、
（一） （1） 1.) are ranked by the order in which the plan first uses them, so
a plan that numbers its parts 1、 and its sections （1） parses like one that
uses 一、 and （一）. A fourth level numbers the sub-measures of an item. Tasks
begin at the first part whose items carry duty clauses; numbered lines before
it (基本原则) are body text. tasks.py turns the items into tasks.
"""

from __future__ import annotations

import re

from .brackets import trailing_parenthetical
from .clauses import is_duty_clause
from .measures import has_clause
from .slips import Numbering, doubled_separator, number_value
from .structures import OutlineNode, ParsedPlan, WarningCode
from .targets import extract_targets
from .tasks import Item, add_item_tasks, add_node_tasks

CN_NUM = "一二三四五六七八九十"
MARKERS = (
    ("cn_dun", re.compile(rf"^(?P<n>[{CN_NUM}]{{1,3}})、\s*(?P<rest>.*)$")),
    ("cn_paren", re.compile(rf"^(?P<n>[（(][{CN_NUM}]{{1,3}}[）)])\s*(?P<rest>.*)$")),
    ("ar_paren", re.compile(r"^(?P<n>[（(]\d{1,3}[）)])\s*(?P<rest>.*)$")),
    ("ar_dun", re.compile(r"^(?P<n>\d{1,3})、\s*(?P<rest>.*)$")),
    ("ar_dot", re.compile(r"^(?P<n>\d{1,3})[.．](?!\d)\s*(?P<rest>.*)$")),
    # Articles, as 若干措施 and 实施细则 number them: 第一条 【强化用地保障】…
    ("cn_article", re.compile(rf"^(?P<n>第[{CN_NUM}百零〇]{{1,4}}条)\s*(?P<rest>.*)$")),
)
DEPTH = 4


def marker(line: str) -> tuple[str, str, str] | None:
    for style, pattern in MARKERS:
        m = pattern.match(line)
        if m:
            return style, m["n"], m["rest"].strip()
    return None


_BRACKETED_TITLE = re.compile(r"^【(?P<title>[^】]{1,60})】\s*(?P<body>.*)$")


def _split_title(rest: str) -> tuple[str, str]:
    """An inline title ends at the first 。, or is set in 【】 before the body; the body runs on after it."""
    bracketed = _BRACKETED_TITLE.match(rest)
    if bracketed:
        return bracketed["title"].strip(), bracketed["body"].strip()
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


def _rank_styles(lines: list[str], start: int, end: int, numbering: Numbering | None = None) -> dict[str, int]:
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
        found = None if lines[index].startswith("\t") else marker(lines[index])
        if found is None and numbering:
            found = numbering.first(lines[index])  # a slipped 1. still opens its list
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
    if root is None:
        # No numbered heading at all: a list of numbered paragraphs that each close with a duty clause (a notice's
        # 一、对…予以支持。（商务部负责）) is a list of tasks, its numbers the top of the outline.
        root = _first_style_with_clause(lines, start, end)
    levels = {root: 1} if root else {}
    changed = True
    while changed:  # longest nesting from the top style; the graph has no cycles
        changed = False
        for parent, kids in children.items():
            for kid in kids:
                depth = levels.get(parent, 9) + 1
                if depth <= DEPTH and levels.get(kid, 0) < depth:
                    levels[kid], changed = depth, True
    return levels


def _first_style_with_clause(lines: list[str], start: int, end: int) -> str | None:
    for index in range(start, end):
        found = None if lines[index].startswith("\t") else marker(lines[index])
        if found and has_clause([(index + 1, found[2])]):
            return found[0]
    return None


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


def read_outline(plan: ParsedPlan, lines: list[str], start: int, end: int, *, headings_as_tasks: bool = False) -> None:
    numbering = Numbering(lines, start, end, {found[0] for i in range(start, end) if (found := marker(lines[i]))})
    levels = _rank_styles(lines, start, end, numbering)
    parts: list[tuple[Item, list[tuple[Item, list[Item]]], list[Item]]] = []
    preamble: list[tuple[int, str]] = []
    current: Item | None = None
    last: dict[int, int] = {}  # level → the last number read at it, for numbers that run across sections
    for index in range(start, end):
        number = index + 1
        line = lines[index]
        if not line.strip():
            continue
        if line.startswith("\t"):
            plan.warn(WarningCode.UNPLACED_TEXT, f"正文中出现表格单元格，未能归入任何任务: {line.strip()[:40]}", number)
            continue
        found = marker(line) or _slipped(plan, numbering, line, number, levels, parts, last)
        if found and found[0] in _ARABIC and (doubled := doubled_separator(found[2])):
            written = line[: len(line) - len(doubled[0])].strip()
            plan.warn(WarningCode.TYPING_SLIP, f"编号“{written}”多写了“{doubled[1]}”，已按第{found[1]}项读取", number)
            found = (found[0], found[1], doubled[0])
        level = None
        if found:
            style, num, rest = found
            if style not in levels:
                # A style standing in for one already ranked (五、 after 4、) takes its level; a new one comes next.
                level = _borrowed_level(style, rest, levels)
                if level is None and len(levels) < DEPTH and (levels or _looks_like_heading(rest)):
                    levels[style] = len(levels) + 1
            level = levels.get(style, level)
        if level is None:
            if current is None:
                preamble.append((number, line))
            else:
                current.lines.append((number, line))
            continue
        heading, body = _split_title(rest)
        item = Item(level, num, heading, number)
        if (value := number_value(num)) is not None:
            last[level] = value
        if body:
            item.lines.append((number, body))
        if level == 1:
            parts.append((item, [], []))
        elif not parts:
            parts.append((Item(1, "", "", number), [], []))
        if level == 4:
            # A sub-measure (（1）) of the item before it; with no item to sit under, it is an item itself.
            items = parts[-1][1][-1][1] if parts[-1][1] else parts[-1][2]
            if items:
                items[-1].children.append(item)
            else:
                level = item.level = 3
        if level == 2:
            parts[-1][1].append((item, []))
        elif level == 3:
            if parts[-1][1]:
                parts[-1][1][-1][1].append(item)
            else:
                parts[-1][2].append(item)
        current = item

    task_start = _first_task_part(parts, headings_as_tasks)
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
            add_item_tasks(plan, item, part_index, f"{p_index}.{i}")
        for s_index, (section, items) in enumerate(sections, start=1):
            node_index = len(plan.outline)
            plan.outline.append(OutlineNode(2, section.number, section.title, section.line, "", part_index))
            if items:
                plan.outline[node_index].body = section.body
                for t_index, item in enumerate(items, start=1):
                    add_item_tasks(plan, item, node_index, f"{p_index}.{s_index}.{t_index}")
            elif section.body or section.title:
                plan.outline[node_index].body = add_node_tasks(plan, section, node_index, f"{p_index}.{s_index}")
        # A part with neither sections nor items is a task only when it carries a duty clause.
        if not sections and not loose and part.has_clause():
            plan.outline[part_index].body = add_node_tasks(plan, part, part_index, f"{p_index}")

    # Dated goals come from the 主要目标 part; a plan without one states them elsewhere before the tasks.
    stated = [text for title, text in goal_texts if "目标" in title] or [text for _, text in goal_texts]
    for text in stated:
        plan.goal_targets += extract_targets(text)


_ARABIC = ("ar_dot", "ar_dun")


def _slipped(plan: ParsedPlan, numbering: Numbering, line: str, number: int, levels, parts, last):
    """A number written with a slip (1.1. where the list is at 1.), read as the number the list expects."""

    def expected(style: str) -> set[int]:
        if style not in levels:
            # The first 1. or （一） of a plan may be the slip: the outline ranks a style as it comes, if it has one.
            return {1} if style in numbering.styles else set()
        level = levels[style]
        siblings = _siblings(parts, level)
        value = number_value(siblings[-1].number) if siblings else None
        numbers = {value + 1} if value is not None else {1}
        if level in last:
            numbers.add(last[level] + 1)  # 1.–21. may run straight through the sections
        return numbers

    slip = numbering.slip(line, expected)
    if slip is None or (slip.style not in levels and not _looks_like_heading(slip.rest)):
        return None
    plan.warn(WarningCode.TYPING_SLIP, slip.message, number)
    return slip.style, slip.number, slip.rest.strip()


def _siblings(parts, level: int) -> list[Item]:
    """The items already read at `level` in the list a new one would join."""
    if level == 1:
        return [part for part, _, _ in parts]
    if not parts:
        return []
    _, sections, loose = parts[-1]
    if level == 2:
        return [section for section, _ in sections]
    items = sections[-1][1] if sections else loose
    if level == 3:
        return items
    return items[-1].children if items else []


def _text_with_items(body: str, items: list[Item]) -> str:
    texts = [body]
    for i in items:
        texts.append(f"{i.number}. {i.title}。{i.body}" if i.title else f"{i.number}. {i.body}")
        texts += [f"{c.number} {c.title}。{c.body}" if c.title else f"{c.number} {c.body}" for c in i.children]
    return "\n".join(t.strip() for t in texts if t.strip())


# Styles that stand in for each other when a plan switches numbering midway
# (000 numbers its parts 1、 … 4、 and then 五、).
_EQUIVALENT = {
    "cn_dun": ("ar_dun",),
    "ar_dun": ("cn_dun", "ar_dot"),
    "cn_paren": ("ar_paren",),
    "ar_paren": ("cn_paren",),
    "ar_dot": ("ar_dun",),
    "cn_article": (),
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


def _first_task_part(parts, headings_as_tasks: bool = False) -> int | None:
    """The first part with a duty clause; failing that, the first with numbered items; and, for a plan that writes
    neither (`headings_as_tasks`: its measures are numbered （一） under 一、 and no one is named for them), the first
    with sections."""
    for index, (part, sections, loose) in enumerate(parts):
        items = [*loose, *(s for s, _ in sections), *(i for _, its in sections for i in its)]
        if any(item.has_clause() for item in items) or (not items and part.has_clause()):
            return index
    for index, (_part, sections, loose) in enumerate(parts):
        if loose or any(items for _, items in sections):
            return index
    if headings_as_tasks:
        return next((index for index, (_part, sections, _loose) in enumerate(parts) if sections), None)
    return None
