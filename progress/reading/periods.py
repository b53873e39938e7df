"""Reporting periods: months, quarters and half-years, and their Chinese names. Pure Python."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

QUARTER_NAMES = {1: "第1季度", 2: "第2季度", 3: "第3季度", 4: "第4季度"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    months: int

    @property
    def name(self) -> str:
        """2026年4月, 2026年第1季度, 2026年上半年."""
        year, month = self.start.year, self.start.month
        if self.months == 1:
            return f"{year}年{month}月"
        if self.months == 3:
            return f"{year}年{QUARTER_NAMES[(month - 1) // 3 + 1]}"
        if self.months == 6:
            return f"{year}年{'上' if month <= 6 else '下'}半年"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"


def containing(day: date, months: int) -> Period:
    """The period of `months` months (1, 3 or 6, aligned on the calendar year) that holds `day`."""
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    last_month = first_month + months - 1
    return Period(start, date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]), months)


def last_complete(today: date, months: int) -> Period:
    """The last whole period that ended before `today`."""
    return containing(containing(today, months).start - timedelta(days=1), months)
