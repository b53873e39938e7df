"""Duties written as sentences whose subject is the unit: a 职责分工 list.

    房管所、规建生态办负责牵头组织城镇房屋安全隐患排查整治工作；
    房管所负责规模租赁场所的房屋安全隐患排查整治工作；
    经发办：负责园区、企业、商业体的房屋安全隐患排查整治工作。

No bracket closes these paragraphs: each opens with the units it assigns, then (after a colon or not) what they are
to do, with a duty verb (负责, 牵头, 协同 …) in its first sentence. One such paragraph in a section's text is
prose about who coordinates; three or more in a row, none with a clause of its own, are the section's list of
duties, each a task of those units. The units lead where the verb says 牵头, help where it says 配合 or 协同, and
otherwise answer jointly, as the same words do in a clause.
"""

from __future__ import annotations

import re

from lib import vocabulary as words
from lib.naming import looks_like_unit

from .structures import Clause, Role, UnitRef
from .units import read_units

MIN_RUN = 3
LONGEST_SUBJECT = 40
_VERBS = "|".join(sorted({*words.LEAD_VERBS, *words.RESPONSIBLE_VERBS, *words.COOPERATING_VERBS, "承担"}, key=len))
_VERB = re.compile(rf"(?:{_VERBS})")
_SENTENCE = re.compile(r"[^。；;！？]*")
_LEAD = re.compile(rf"^[：:]?\s*(?:{words.RESPONSIBLE})?{words.LEAD}")
_COOPERATING = re.compile(rf"^[：:]?\s*{words.COOPERATING}")


def subject_clause(text: str, line: int) -> Clause | None:
    """The clause a paragraph's opening units and duty verb make, or None when it does not open so."""
    text = text.strip()
    verb = _VERB.search(text[: LONGEST_SUBJECT + 30])
    if not text or text[0] in "（(〔【" or verb is None:
        return None
    end = _subject_end(text, verb.start())
    if end is None:
        return None
    rest = text[end:]
    if not _VERB.search(_SENTENCE.match(rest.lstrip("：: ")).group()):
        return None
    role = Role.LEAD if _LEAD.match(rest) else Role.COOPERATING if _COOPERATING.match(rest) else Role.JOINT
    units = [UnitRef(name, written, role) for name, written in read_units(text[:end])]
    return Clause(text=text[:end], line=line, units=units)


def _subject_end(text: str, verb: int) -> int | None:
    """Where the longest run of units that opens the text ends (房管所、规建生态办|负责…), if it opens with units; it
    ends before the first duty verb at the latest (房管所负责规模租赁场所… is 房管所)."""
    best = None
    for end in range(2, min(verb, LONGEST_SUBJECT) + 1):
        if text[end - 1] in "、和及与" or (end < len(text) and text[end] in "、"):
            continue
        names = read_units(text[:end])
        if names and all(looks_like_unit(name) for name, _ in names):
            best = end
        elif text[end - 1] in "，,。；;：:":
            break
    return best


def subject_duties(paragraphs: list[tuple[int, str]], clauses: list[bool]) -> dict[int, Clause]:
    """The paragraphs (by line) of runs of three or more that each assign a duty to their opening units; `clauses`
    says which paragraphs carry a bracketed clause already (they break a run and keep their own)."""
    found: dict[int, Clause] = {}
    run: list[tuple[int, Clause]] = []
    for (line, text), has_clause in zip([*paragraphs, (0, "")], [*clauses, True], strict=True):
        clause = None if has_clause else subject_clause(text, line)
        if clause is not None:
            run.append((line, clause))
            continue
        if len(run) >= MIN_RUN:
            found.update(run)
        run = []
    return found
