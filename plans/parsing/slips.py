"""Typing slips that would silently drop duties, found by structure and read as meant, each with a warning.

A bracket left open (or a closing bracket whose opening was lost) hides the clause after it: no group closes,
so no duty clause is found and the task loses its units. A bracket never spans paragraphs, so its scope ends
with its line: a clause opened and never closed is read as closed at the paragraph's end, a stray opening
bracket in the text before a clause as closed at its sentence's end, a closing bracket with no opening one as
opened where its clause's first sentence starts, and a unit's bracket that lost its partner (马栏山长沙）视频…)
is left out of its clause. A repair is made only when the clauses it gives name more units than the paragraph
as written; other unpaired brackets stay as written, since nothing is lost. Full- and half-width brackets pair
with each other (`(`…`）`) without a warning, as brackets.py reads them everywhere: plans mix them freely.

A task number written with a slip (`1.1.` or `1.1、` where the list expects `1.`, a doubled `2..`, a `（二` or
`二）` that lost a bracket) is read as the number the list expects; otherwise its line would fall into the text
before it, clause and all. A plan that numbers points 1.1. 1.2. keeps them; a full-width dot among half-width
ones (`3．`) is read as written, like the brackets.

A duty clause that still lands on no task is reported with its line (`unplaced_clauses`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lib import vocabulary as words

from .brackets import CLOSE, NEST_CLOSE, NEST_OPEN, OPEN, SENTENCE_END, groups
from .clauses import is_duty_clause, parse_clause
from .measures import pieces
from .structures import Clause, ParsedPlan, WarningCode

# The closing bracket of each bracket, width kept: （ → ）, ( → ), 〔 → 〕, 《 → 》.
_CLOSING = dict(zip(NEST_OPEN, NEST_CLOSE, strict=True))
_OPENING = dict(zip(CLOSE, OPEN, strict=True))
_BRACKET = re.compile("[" + re.escape(NEST_OPEN + NEST_CLOSE) + "]")
# Punctuation that ends a paragraph after its clause, or a clause cut short by a line break.
_TRAILING = " 　。；;，,、"
# Words that make a parenthetical or a labelled list read as someone's duty, for reporting one left unplaced; a
# bare list of units (（省交通运输厅、省发展改革委）) is a clause too, but in running text it names rather than assigns.
_DUTY_WORDS = words.DUTY_WORD
# A labelled list of units in running text: …推进。责任单位：市发改委、市工信局.
_LABELLED = words.LABELLED_IN_TEXT


@dataclass
class Repair:
    text: str  # the paragraph as read
    notes: list[str]  # what was repaired, for the warning


def repair_brackets(text: str) -> Repair | None:
    """The paragraph with its unpaired brackets repaired where their scope ends, or None.

    None when every bracket pairs, or when no repair would recover duties: the repair kept is the one whose
    duty clauses name the most units, and only when they name more than the paragraph as written.
    """
    if not _BRACKET.search(text):
        return None
    # A broken number (（2推进…) is the outline's to read (Numbering.slip); its bracket is not a clause's.
    head = broken_paren_head(text)
    body = text[len(head) :]
    unopened, unclosed = _unpaired(body)
    if not unopened and not unclosed:
        return None
    best, most = None, _units_in_clauses(body)
    for repair in (_scoped(body, unopened, unclosed), _dropped_stray(body)):
        if repair and (units := _units_in_clauses(repair.text)) > most:
            best, most = repair, units
    return Repair(head + best.text, best.notes) if best else None


def _scoped(text: str, unopened: list[int], unclosed: list[int]) -> Repair | None:
    """Each unpaired bracket closed at the end of its paragraph or sentence, or opened at its sentence's start."""
    repaired, notes = text, []
    # Right to left, so that positions to the left stay valid after each insertion.
    for kind, at in sorted([*(("close", i) for i in unclosed), *(("open", i) for i in unopened)], key=lambda e: -e[1]):
        if kind == "close":
            found = _closed_at_end(repaired, at) or _closed_in_sentence(repaired, at)
        else:
            found = _opened_at_sentence(repaired, at)
        if found:
            repaired, note = found
            notes.append(note)
    return Repair(repaired, list(reversed(notes))) if notes else None


def _dropped_stray(text: str) -> Repair | None:
    """A clause that closes its paragraph with one stray bracket inside it (马栏山长沙）视频…负责）: the stray dropped.

    A bracket of a unit's name lost its partner, so the other one pairs with the clause's own bracket and the
    clause closes early or never; read without it, the clause runs from its bracket to the paragraph's end.
    """
    last = len(text.rstrip(_TRAILING)) - 1
    if last < 0 or text[last] not in CLOSE:
        return None
    for at in range(last - 1, -1, -1):
        if text[at] not in OPEN or (text[:at].rstrip(" 　") and text[:at].rstrip(" 　")[-1] not in SENTENCE_END):
            continue
        inner = text[at + 1 : last]
        unopened, unclosed = _unpaired(inner)
        if len(unopened) + len(unclosed) != 1:
            continue
        stray = (unopened or unclosed)[0]
        kept = inner[:stray] + inner[stray + 1 :]
        if is_duty_clause(kept):
            where = re.split(r"[、，,；;]", inner[: stray + 1])[-1]
            note = f"括号“{inner[stray]}”不配对，已略去，条款按段末闭合处理：{where}"
            return Repair(text[: at + 1] + kept + text[last:], [note])
    return None


def repair_paragraphs(plan: ParsedPlan, lines: list[str], start: int, end: int) -> None:
    """Repair the body's paragraphs in place (see repair_brackets), each repair warned with its line."""
    for index in range(start, end):
        if lines[index].startswith("\t"):
            continue  # a table cell: appendix.py reads its brackets
        repair = repair_brackets(lines[index])
        if repair:
            lines[index] = repair.text
            for note in repair.notes:
                plan.warn(WarningCode.TYPING_SLIP, note, index + 1)


def _unpaired(text: str) -> tuple[list[int], list[int]]:
    """Closing brackets with no opening one, and opening brackets never closed, by position."""
    unopened, stack = [], []
    for m in _BRACKET.finditer(text):
        if m.group() in NEST_OPEN:
            stack.append(m.start())
        elif stack:
            stack.pop()  # any closing bracket closes the last one opened, as brackets.groups reads them
        else:
            unopened.append(m.start())
    return unopened, stack


def _closed_at_end(text: str, at: int) -> tuple[str, str] | None:
    """A clause opened at `at` and never closed, read as closed at the end of the paragraph."""
    opening = text[at]
    if opening not in OPEN:
        return None
    inner = text[at + 1 :].rstrip(_TRAILING)
    if not inner:
        return None
    if _holds_clause(inner):
        return None  # a clause of its own stands inside: this bracket is a stray one, not the clause's
    before = text[:at].rstrip(" 　")
    # A clause in mid-sentence ends its text; one after a full stop may carry a note of its own.
    if before and before[-1] not in SENTENCE_END and "。" in inner:
        return None
    if not is_duty_clause(inner):
        return None
    # A list cut short by a line break (（A牵头，) keeps its last mark inside the bracket, where it was written.
    end = len(text.rstrip(" 　。；;"))
    closed = text[:end] + _CLOSING[opening] + text[end:]
    return closed, f"括号“{opening}”未闭合，已按段末闭合处理：{_excerpt(opening + inner)}"


def _closed_in_sentence(text: str, at: int) -> tuple[str, str] | None:
    """A stray bracket opened at `at` that holds the clause after it, read as closed where its sentence ends.

    积极利用（太阳能等新能源，…比例。…（区发改委牵头）: closed before the full stop, or before the clause's own
    bracket when the sentence runs on into it.
    """
    depth = 0
    for m in re.finditer("[" + re.escape(NEST_OPEN + NEST_CLOSE + SENTENCE_END) + "]", text[at + 1 :]):
        i, ch = at + 1 + m.start(), m.group()
        if ch in NEST_OPEN:
            if depth == 0 and _starts_clause(text, i):
                break
            depth += 1
        elif ch in NEST_CLOSE:
            depth -= 1
        elif depth == 0:
            break
    else:
        return None
    end = len(text[:i].rstrip(" 　"))
    if end <= at + 1:
        return None
    closed = text[:end] + _CLOSING[text[at]] + text[end:]
    return closed, f"括号“{text[at]}”未闭合，已在句末闭合处理：{_excerpt(text[at:end])}"


def _holds_clause(text: str) -> bool:
    """Whether a bracketed duty clause stands in the text where measures.py would take it."""
    return any(_starts_clause(text, start) for start, _ in groups(text))


def _starts_clause(text: str, at: int) -> bool:
    """Whether the bracket at `at` opens a duty clause where measures.py looks for one: after a sentence or at
    the paragraph's end, not inside a name (社区（村）)."""
    found = groups(text[at:])
    if not found or found[0][0] != 0:
        return False
    end = at + found[0][1]
    before = text[:at].rstrip(" 　")
    placed = not before or before[-1] in SENTENCE_END or not text[end:].strip(" 　。；;")
    return placed and is_duty_clause(text[at + 1 : end - 1])


# How many sentences back a clause whose opening bracket was lost may start: its own and its notes.
_CLAUSE_SENTENCES = 4


def _opened_at_sentence(text: str, at: int) -> tuple[str, str] | None:
    """A clause closed at `at` whose opening bracket was lost, read as opened where its first sentence starts.

    A clause may end in notes of its own (A负责。本项及以下…不再逐项列出）): of the last few sentence starts, the
    one that reads as the clause naming the most units, the nearest of equals.
    """
    closing = text[at]
    if closing not in CLOSE:
        return None
    starts, depth = [], 0
    for i in range(at - 1, -1, -1):
        ch = text[i]
        if ch in NEST_CLOSE:
            depth += 1
        elif ch in NEST_OPEN:
            depth -= 1
        elif depth == 0 and ch in SENTENCE_END:
            starts.append(i + 1)
    found, most = None, 0
    for start in [*starts, 0][:_CLAUSE_SENTENCES]:
        start += len(text[start:at]) - len(text[start:at].lstrip(" 　"))
        inner = text[start:at].rstrip(_TRAILING)
        if not inner or _holds_clause(inner):
            break  # a clause of its own stands before: this one starts after it
        # The start whose first sentence names the most units; a note (本项及以下…不再逐项列出) names none.
        if is_duty_clause(inner) and (units := len(parse_clause(inner, 0).units)) > most:
            found, most = start, units
    if found is None:
        return None
    inner = text[found:at]
    opened = text[:found] + _OPENING[closing] + text[found:]
    return opened, f"括号“{closing}”前缺少“{_OPENING[closing]}”，已按句首开启处理：{_excerpt(inner + closing)}"


def _units_in_clauses(text: str) -> int:
    """The units the paragraph's duty clauses name as measures.py reads them, to compare readings of it."""
    return sum(len(piece.clause.units) for piece in pieces(text, 0) if piece.clause)


def _excerpt(text: str) -> str:
    return text if len(text) <= 30 else text[:30] + "…"


# A number with a slip: 1.1. / 1.1、 / 1．1． where one number is meant.
_DECIMAL = re.compile(r"^(?P<a>\d{1,3})[.．](?P<b>\d{1,3})(?P<sep>[.．、])\s*(?P<rest>\S.*)$")
# A bracketed number that lost one of its brackets: （2推进… / 2）推进… / （二推进….
_CN = "一二三四五六七八九十"
_BROKEN_PAREN = re.compile(
    rf"^(?:(?P<open>[（(])(?P<a>\d{{1,3}}|[{_CN}]{{1,3}})(?![\d{_CN}）)])|(?P<b>\d{{1,3}}|[{_CN}]{{1,3}})(?P<close>[）)]))"
    r"\s*(?P<rest>\S.*)$"
)
_DOUBLED = re.compile(r"^[.．、]+\s*")


@dataclass
class NumberSlip:
    style: str  # the outline's numbering style the line is read in (outline.MARKERS)
    number: str  # as the outline writes a number of that style: 1, （2）
    rest: str  # the line after the number
    message: str


class Numbering:
    """The body's numbers, to tell a slip (1.1. among 1. 2. 3.) from a numbering of its own (1.1. 1.2. 1.3.)."""

    def __init__(self, lines: list[str], start: int, end: int, styles: set[str]):
        self.styles = styles  # the numbering styles the body writes without a slip
        decimals: dict[int, int] = {}
        broken = 0
        for index in range(start, end):
            line = lines[index]
            if m := _DECIMAL.match(line):
                decimals[int(m["a"])] = decimals.get(int(m["a"]), 0) + 1
            elif broken_paren_head(line):
                broken += 1
        # 1.1. 1.2.: points numbered under 1; 1）2）3）: a style of its own, not brackets lost.
        self.series = {a for a, count in decimals.items() if count > 1}
        self.broken_is_style = broken > 2

    def first(self, line: str) -> tuple[str, str, str] | None:
        """The line as a marker, when it reads as the first number of a list (1.1. for 1.), for ranking styles."""
        if (m := _DECIMAL.match(line)) and int(m["a"]) != 1:
            return None  # 2.1. is the second, not the first
        slip = self.slip(line, lambda style: {1})
        return (slip.style, slip.number, slip.rest) if slip else None

    def slip(self, line: str, expected: Callable[[str], set[int]]) -> NumberSlip | None:
        """The line read with its number repaired, when `expected(style)` (the numbers the list in that style
        expects next) holds the number meant."""
        if m := _DECIMAL.match(line):
            if int(m["a"]) in self.series:
                return None
            # The style the line's own last mark suggests first: 1.1、 is more likely 1、 than 1.
            styles = ("ar_dun", "ar_dot") if m["sep"] == "、" else ("ar_dot", "ar_dun")
            styles = tuple(s for s in styles if s in self.styles)
            written = line[: m.start("rest")].strip()
            for style in styles:
                for n in (int(m["a"]), int(m["b"])):
                    if n in expected(style):
                        return NumberSlip(style, str(n), m["rest"], f"编号“{written}”不合顺序，已按第{n}项读取")
            return None
        head = broken_paren_head(line)
        if not head or self.broken_is_style:
            return None
        m = _BROKEN_PAREN.match(line)
        digits = m["a"] or m["b"]
        style = "ar_paren" if digits.isdigit() else "cn_paren"
        n = number_value(digits)
        if n not in expected(style):
            return None
        opening = m["open"] or ("(" if m["close"] == ")" else "（")
        meant = f"{opening}{digits}{_CLOSING[opening]}"
        return NumberSlip(style, meant, m["rest"], f"编号“{head}”缺少括号，已按“{meant}”读取")


def broken_paren_head(line: str) -> str:
    """The number at the start of a line that lost one bracket (（2, 2）), when that bracket pairs with nothing."""
    m = _BROKEN_PAREN.match(line)
    if not m:
        return ""
    unopened, unclosed = _unpaired(line)
    bracket = 0 if m["open"] else m.start("close")
    return line[: m.start("rest")].rstrip() if bracket in unopened or bracket in unclosed else ""


def number_value(number: str) -> int | None:
    """The value of a list number as written: 12, 十二, （3）, 第十二条."""
    number = number.strip("（()）.．、 第条")
    if number.isdigit():
        return int(number)
    if not number or any(ch not in _CN for ch in number):
        return None
    tens, _, ones = number.rpartition("十")
    if "十" not in number:
        return _CN.index(number) + 1 if len(number) == 1 else None
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)


def doubled_separator(rest: str) -> tuple[str, str] | None:
    """The rest of a numbered line whose separator was typed twice (2..控制), and the extra marks."""
    m = _DOUBLED.match(rest)
    if not m or not rest[m.end() :]:
        return None
    return rest[m.end() :], m.group().strip()


def unplaced_clauses(lines: list[str], start: int, end: int, placed: list[Clause]) -> list[tuple[int, str]]:
    """(line, clause as written) of every duty clause in the body that no task took.

    In a section's own text before its first item, in mid-sentence, a 责任单位： list in running text: places
    where measures.py looks for none. A clause merged into the one before it (A负责）（B配合）) was placed.
    """
    by_line: dict[int, list[str]] = {}
    for clause in placed:
        by_line.setdefault(clause.line, []).append(clause.text)
    merged = [c.text for c in placed if "；" in c.text]
    found = []
    for index in range(start, end):
        text = lines[index]
        if text.startswith("\t") or not _DUTY_WORDS.search(text):
            continue
        number = index + 1
        candidates = [(text[s + 1 : e - 1], text[s:e]) for s, e in groups(text)]
        candidates += [(m["list"].strip(), m["list"].strip()) for m in _LABELLED.finditer(_outside_groups(text))]
        for inner, written in candidates:
            if not _DUTY_WORDS.search(inner) or not is_duty_clause(inner):
                continue
            if any(inner in t for t in by_line.get(number, [])) or any(inner in t for t in merged):
                continue
            found.append((number, written))
    return found


def _outside_groups(text: str) -> str:
    for s, e in reversed(groups(text)):
        text = text[:s] + "。" + text[e:]
    return text
