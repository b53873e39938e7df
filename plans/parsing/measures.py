"""The measures of a task's text: each duty clause closes the measure written before it.

An item's text may hold one clause at its end, or several: a clause in mid-paragraph closes the sentences
since the clause before it (…目标。（A负责）推动…。（B负责，C配合）), a later paragraph may carry a clause of
its own, and a line such as 推进举措： announces the measures that follow. The first measure is the item's own;
every further one is a measure of its own under the item. A clause is a duty parenthetical that ends the
text, follows the end of a sentence or stands just before it (…补助（A、B）。), or a line of its own that names
units (主责单位：A，B，C).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lib import vocabulary as words
from lib.naming import prefix_of

from .brackets import SENTENCE_END, groups
from .clauses import blanket_units, is_duty_clause, lead_rule, parse_clause
from .structures import Clause

# 推进举措： / 主要措施： on a line of its own: what follows are the item's measures.
MEASURES_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]$")
# A line of its own that names units: 主责单位：A，B，C / 牵头单位：A；配合单位：B.
UNIT_LINE = words.UNIT_LINE
# Text long enough to be cut short when it serves as a title.
TITLE_LIMIT = 250


@dataclass
class Piece:
    """Text of one paragraph up to a clause (or its end), and the clause that closes it."""

    text: str  # as written, without the clause
    clause_text: str = ""  # the clause as written, brackets included
    clause: Clause | None = None


@dataclass
class Measure:
    line: int
    written: list[str] = field(default_factory=list)  # paragraphs as written, clauses included
    plain: list[str] = field(default_factory=list)  # the same without the clauses
    clause: Clause | None = None

    def add(self, text: str, clause_text: str, new_paragraph: bool) -> None:
        if new_paragraph or not self.written:
            self.written.append(text + clause_text)
            self.plain.append(text)
        else:
            self.written[-1] += text + clause_text
            self.plain[-1] += text

    @property
    def body(self) -> str:
        return "\n".join(p for p in self.written if p.strip())

    @property
    def text(self) -> str:
        """The measure's text without its clause, for titles and targets."""
        return "\n".join(p for p in self.plain if p.strip())

    def has_text(self) -> bool:
        return any(p.strip(" 。；;") for p in self.plain)


def pieces(text: str, line: int) -> list[Piece]:
    """A paragraph cut at its clauses; the last piece may have none."""
    found: list[Piece] = []
    cursor = 0
    for kind, start, end in _layout(text):
        if kind == "line":
            return [Piece("", text, parse_clause(_unbracketed(text), line))]
        if kind == "note":
            # 〔A、B〕〔以下分工均涉及…，不再列出〕: a second bracket right after a clause is its note.
            _add_note(found[-1], text[start:end], text[start + 1 : end - 1])
        else:
            found.append(Piece(text[cursor:start], text[start:end], parse_clause(text[start + 1 : end - 1], line)))
            if text[end : end + 1] in ("。", "；", ";") and text[end + 1 :].strip(" 　。；;"):
                found[-1].clause_text += text[end]  # 补助（A、B）。对…: the full stop stays with its sentence
                end += 1
        cursor = end
    rest = text[cursor:]
    if rest.strip(" 　"):
        if found and not rest.strip(" 　。；;"):
            found[-1].clause_text += rest  # the full stop after a closing clause
        else:
            found.append(Piece(rest))
    return found


@lru_cache(maxsize=8192)
def _layout(text: str) -> tuple[tuple[str, int, int], ...]:
    """Where a paragraph's clauses stand: ("clause" | "note" | "line", start, end)."""
    if UNIT_LINE.match(text) and is_duty_clause(_unbracketed(text)):
        return (("line", 0, len(text)),)
    found: list[tuple[str, int, int]] = []
    cursor = 0
    for start, end in groups(text):
        inner = text[start + 1 : end - 1]
        before = text[cursor:start].rstrip(" 　")
        if found and not before and not is_duty_clause(inner):
            found.append(("note", start, end))
            cursor = end
            continue
        sentence_ended = not before or before[-1] in SENTENCE_END
        at_end = not text[end:].strip(" 　。；;")
        # …给予资金补助（市经济和信息化局、市市场监管局）。对新发布的…: a clause set before its sentence's full stop.
        # A word or two in brackets there (乡镇（社区）。, 公交车场站建设（智慧公交场站）。) glosses the words before
        # it: a clause there names two bodies, or one its region prefix marks as a body (市人才工作局), or a duty.
        ends_sentence = text[end : end + 1] in ("。", "；", ";") and _plainly_units(inner)
        if (sentence_ended or at_end or ends_sentence) and is_duty_clause(inner):
            found.append(("clause", start, end))
            cursor = end
    return tuple(found)


def _plainly_units(inner: str) -> bool:
    if any(sep in inner for sep in "、，,") or words.LABEL.match(inner) or words.DUTY_WORD.search(inner):
        return True
    return bool(prefix_of(inner) or inner.startswith("各"))


def _unbracketed(text: str) -> str:
    text = text.strip(" 　。；;")
    if text[:1] in "（(" and text[-1:] in "）)":
        return text[1:-1]
    return text


def _add_note(piece: Piece, written: str, inner: str) -> None:
    clause = piece.clause
    piece.clause_text += written
    clause.note = f"{clause.note}。{inner}" if clause.note else inner
    clause.blanket_units = clause.blanket_units or blanket_units(inner)
    clause.stated_rule = clause.stated_rule or lead_rule(inner, clause.line)


def has_clause(lines: list[tuple[int, str]]) -> bool:
    return any(_layout(text) for _, text in lines)


def split_measures(first_line: int, paragraphs: list[tuple[int, str]]) -> list[Measure]:
    """The measures of an item whose text starts at `first_line`; the first is the item's own."""
    own = Measure(first_line)
    found = [own]
    current: Measure | None = own
    for line, text in paragraphs:
        if MEASURES_LABEL.match(text) and line != first_line:  # on a line of its own, not the item's
            own.add(text, "", new_paragraph=True)
            current = None  # the measures that follow are the item's, each a task of its own
            continue
        new_paragraph = True
        for piece in pieces(text, line):
            has_text = bool(piece.text.strip(" 　"))
            if current is None and (has_text or piece.clause is None):
                current = Measure(line)
                found.append(current)
            if piece.clause is None:
                current.add(piece.text, "", new_paragraph)
            elif current is not None and (has_text or current is own or current.has_text()):
                current.add(piece.text, piece.clause_text, new_paragraph)
                _merge(current, piece.clause)
                current = None
            else:
                # A clause with no text of its own adds its units to the measure before it.
                found[-1].add("", piece.clause_text, new_paragraph=False)
                _merge(found[-1], piece.clause)
                current = None
            new_paragraph = False
    if len(found) > 1 and found[-1].clause is None:
        # Text after the last clause closes nothing: it stays with the measure before it.
        last = found.pop()
        found[-1].written += last.written
        found[-1].plain += last.plain
    return found


def _merge(measure: Measure, clause: Clause) -> None:
    if measure.clause is None:
        measure.clause = clause
        return
    known = {u.name for u in measure.clause.units}
    measure.clause.units += [u for u in clause.units if u.name not in known]
    measure.clause.text = f"{measure.clause.text}；{clause.text}"


def first_sentence(text: str) -> str:
    """A title for text that has no short one: its first sentence, cut at a comma when very long."""
    text = text.strip().split("\n")[0].strip()
    depth = 0
    end = len(text)
    for i, ch in enumerate(text):
        if ch in "（(“《〈〔":
            depth += 1
        elif ch in "）)”》〉〕":
            depth = max(0, depth - 1)
        elif ch in "。！？" and depth == 0:
            end = i
            break
    sentence = text[:end].strip(" ，,；;：:")
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    cut = max(sentence.rfind(ch, 0, TITLE_LIMIT) for ch in "，；,;")
    return sentence[: cut if cut > 20 else TITLE_LIMIT] + "…"
