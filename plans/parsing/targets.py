"""Dated targets: 到2025年…达到22%左右, 2030年前…达到峰值, “十四五”期间….

A sentence is cut into clauses at commas; each clause that states a number
with a unit becomes one target, dated by the nearest time phrase before it in
the same sentence. A dated sentence with no number is kept as one target
(2030年前碳排放达到峰值 is a target too).
"""

from __future__ import annotations

import re
from decimal import Decimal

from lib import vocabulary as words

from .structures import Target

_TIME = re.compile(
    r"(?P<label>(?:到|至|在|于)?\s*(?P<year>20\d{2})\s*年(?:前|底|末|之前|以前)?"
    r"|“?(?P<period>十[四五六]五)”?(?:期间|时期|末|前期|后期)?)"
)
# A year after 较/比/相比 is a baseline, not a deadline.
_BASELINE = re.compile(r"(较|比|相比|相较|与|自|从)\s*$")
_QUANTITY = re.compile(
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|‰|万千瓦时|万千瓦|千瓦|亿立方米|万立方米|立方米|亿元|万元|万吨|吨标准煤|吨|"
    r"公顷|亩|千米|公里|米|个|家|座|处|条|辆|台|件|名|人|户|所|项|套|蒸吨|MW|kW|GW)"
)
# A document title; an unclosed one runs to the end of the clause it was cut into.
_DOC_TITLE = re.compile(r"《[^》]*》?")
_SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?")
_COMMA = re.compile(r"[，,]")
# Cheap test before the time patterns: a deadline needs a year or a plan period.
_MAY_DATE = re.compile(r"\d{4}|十[四五六]五")


def extract_targets(text: str) -> list[Target]:
    targets: list[Target] = []
    for paragraph in text.splitlines():
        targets += _paragraph_targets(paragraph)
    return targets


def _paragraph_targets(paragraph: str) -> list[Target]:
    targets: list[Target] = []
    if not _MAY_DATE.search(paragraph):
        return targets
    # The last deadline stated in the paragraph. Plans list several figures for
    # one year in consecutive sentences (到2025年，…完成省下达目标。非化石能源消费
    # 比重提高至20%左右…), so a following sentence with figures but no date of
    # its own is read under it; undated prose without figures is not a target.
    previous: tuple[str, int | None] | None = None
    for sentence in _SENTENCE.findall(paragraph):
        sentence = sentence.strip()
        if not sentence:
            continue
        dated = False
        own_date = _first_deadline(sentence) is not None
        current = None if own_date else previous
        for clause in _COMMA.split(sentence):
            time = _first_deadline(clause)
            if time:
                current = previous = time
            if current is None:
                continue
            quantities = [q for q in _QUANTITY.finditer(clause) if not _is_year_number(clause, q)]
            for q in quantities:
                targets.append(
                    Target(
                        label=current[0],
                        year=current[1],
                        text=clause.strip("。；; "),
                        value=Decimal(q.group("value")),
                        unit=q.group("unit"),
                    )
                )
                dated = True
        if own_date and current and not dated:
            targets.append(Target(label=current[0], year=current[1], text=sentence.strip("。；; ")))
        if not own_date and not dated:
            previous = None  # the run of figures for that year has ended
    return targets


def _first_deadline(clause: str) -> tuple[str, int | None] | None:
    if not _MAY_DATE.search(clause):
        return None
    titles = [m.span() for m in _DOC_TITLE.finditer(clause)]
    for m in _TIME.finditer(clause):
        if _BASELINE.search(clause[: m.start()]):
            continue
        if any(start <= m.start() < end for start, end in titles):
            continue  # 《…规划(2023—2027年)》, 《…目录（2019年本）》 name a document, not a deadline
        if m.group("year"):
            return m.group("label").strip(), int(m.group("year"))
        return m.group("label").strip(), words.PLAN_PERIODS.get(m.group("period"))
    return None


def _is_year_number(clause: str, q: re.Match[str]) -> bool:
    # “2025年” is a date, and 1-2年内 is a span; neither is a quantity.
    return clause[q.end() : q.end() + 1] == "年" or q.group("unit") in {"年"}
