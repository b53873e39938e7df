"""How roles and dates read, wherever the app shows them: pages, history, previews and spreadsheets.

Pure Python, so the Excel writers use it without Django. Dates and times in
templates use the locale's formats (`|date`, `|date:"DATETIME_FORMAT"`), which
for zh-hans are 2026年11月29日 and 2026年11月29日 20:45.
"""

from __future__ import annotations

from datetime import date

ROLES = {"lead": "牵头", "cooperating": "配合", "joint": "共同负责"}
# One character per role, as 分工表 and matrices write them.
MARKS = {"lead": "牵", "cooperating": "配", "joint": "共"}
# After a lead (or the units around it) that the plan's first-listed rule inferred.
INFERRED = "（推定）"


def role_label(role: str, inferred: bool = False) -> str:
    """牵头, 配合, 共同负责, or 牵头（推定） for a role the plan's rule inferred."""
    return ROLES[role] + (INFERRED if inferred else "")


def chinese_date(day: date) -> str:
    """2026年11月29日"""
    return f"{day.year}年{day.month}月{day.day}日"
