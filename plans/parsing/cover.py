"""The cover of a plan: its title, draft mark, and the notice around it (issuer, 文号, date).

Plans arrive wrapped in the notice that issued them (…关于印发…的通知, 文号,
成文日期); the title is the first line that reads like one.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

from .structures import ParsedPlan, PlanFormatError

TITLE = re.compile(r"^[^《》〈〉]{2,60}?(方案|规划|意见|计划)$")
DRAFT = re.compile(r"征求意见稿|送审稿|草案")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
ISSUER_BEFORE = re.compile(r"^(?P<issuer>.+?)关于印发")
REGION_PREFIX = re.compile(r"^(?P<region>.+?)(碳达峰|碳中和|关于|实施方案|行动方案|方案)")


def find_title(lines: list[str], source_name: str) -> int:
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


def read_cover(plan: ParsedPlan, cover: list[str]) -> None:
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
