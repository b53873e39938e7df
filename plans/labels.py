"""How roles and dates read, wherever the app shows them: pages, history, previews and spreadsheets.

Pure Python, so the Excel writers use it without Django. Dates and times in
templates use the locale's formats (`|date`, `|date:"DATETIME_FORMAT"`), which
for zh-hans are 2026年11月29日 and 2026年11月29日 20:45.
"""

from __future__ import annotations

import re
from datetime import date

ROLES = {"lead": "牵头", "cooperating": "配合", "joint": "共同负责"}
# One character per role, as 分工表 and matrices write them.
MARKS = {"lead": "牵", "cooperating": "配", "joint": "共"}
# After a lead (or the units around it) that the plan's first-listed rule inferred.
INFERRED = "（推定）"


def role_label(role: str, inferred: bool = False) -> str:
    """牵头, 配合, 共同负责, or 牵头（推定） for a role the plan's rule inferred."""
    return ROLES[role] + (INFERRED if inferred else "")


class ShowsRole:
    """`mark` and `role_label` for anything with a `role` and `inferred`: a duty, a duty read as a row, a duty a
    dry run would store."""

    __slots__ = ()  # so that slotted dataclasses stay slotted

    @property
    def mark(self) -> str:
        return MARKS[self.role]

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.inferred)


def chinese_date(day: date) -> str:
    """2026年11月29日"""
    return f"{day.year}年{day.month}月{day.day}日"


def number_label(number: str) -> str:
    """A task's number as the outline prints it before the title: 1 → 1., while （一） and (1) close themselves."""
    return f"{number}." if number[-1:].isdigit() else number


# What may follow a target's time label at the start of its sentence: 到2025年，… / “十四五”期间：…
_AFTER_LABEL = "，,：:；; \u3000"


def target_statement(label: str, text: str) -> str:
    """A dated target's text without the time label it starts with, since the label is shown before it.

    到2025年 + 到2025年，全区… → 全区…; a text that does not open with its label is given whole.
    """
    if label and text.startswith(label):
        rest = text[len(label) :].lstrip(_AFTER_LABEL)
        if rest:
            return rest
    return text


def target_line(label: str, text: str) -> str:
    """到2025年：全区…, the label once."""
    return f"{label}：{target_statement(label, text)}"


# A name a machine gave the file (000_8843b40b29777ba3.txt: a number and a hash), which tells a reader nothing.
_HASHED_NAME = re.compile(r"^(?:\d+[_-])?(?=\d*[a-f])[0-9a-f]{12,64}(?:[_-](?P<rest>.*))?$", re.IGNORECASE)


def source_label(source_name: str, title: str) -> str:
    """The plan's file as a reader knows it: its own name; a hash-named file by what follows the hash, or else by
    the plan's title with the file's extension (000_8843b40b29777ba3.txt → 株洲市石峰区碳达峰实施方案.txt)."""
    stem, dot, extension = source_name.rpartition(".")
    if not dot:
        stem, extension = source_name, ""
    match = _HASHED_NAME.match(stem)
    if match is None:
        return source_name
    stem = (match.group("rest") or "").strip("_- ") or title
    return f"{stem}.{extension}" if extension else stem
