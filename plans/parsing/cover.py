"""The cover of a plan: its title, draft mark, and the notice around it (issuer, 文号, date, 抄送).

Plans arrive in many wrappings: bare, under the notice that issued them (…关于印发…的通知, 文号, 成文日期), as a
notice that carries the measures itself (海关总署…关于…若干措施的通知), after web-page chrome, or with the page's
title (《…》-某某门户网站) as their only title. The title is found by its shape, not its wording: a short block
of lines before the body, without sentence punctuation, that ends in a kind of document (方案, 意见, 计划, 措施,
通知 …), joined over two or three lines and completed by a period line (（2025—2027年）) or a draft mark under it.
Where a notice 印发 a plan and the plan's own title follows, that title is the plan's.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date

from .structures import EMPTY, ParsedPlan, PlanFormatError

DRAFT = re.compile(r"征求意见稿|送审稿|草案")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
REGION_PREFIX = re.compile(r"^(?P<region>.+?)(碳达峰|碳中和|关于|实施方案|行动方案|方案)")
# The kinds of document a title names, at its end.
_KINDS = r"(?:方案|规划|意见|计划|措施|通知|办法|细则|要点|决定|纲要|清单|行动|政策|指引|指南|规定|举措)"
_PERIOD = r"[（(]\s*\d{4}\s*[—－\-–~至]+\s*\d{4}\s*年?\s*[）)]"
_DRAFT_MARK = r"[（(]?(?:征求意见稿|送审稿|草案)[）)]?"
_STATUS = r"[（(](?:试行|暂行|修订|\d{4}年(?:修订|版|修订版))[）)]"
TITLE = re.compile(rf"{_KINDS}(?:{_STATUS})?(?:{_PERIOD})?(?:{_DRAFT_MARK})?$")
PERIOD_LINE = re.compile(rf"^{_PERIOD}$")
NOTICE = re.compile(r"^(?P<issuer>.*?)关于印发(?P<plan>.+?)的通知$")
ABOUT = re.compile(r"^(?P<issuer>[^《》“”]{2,60}?)关于")
ISSUER_LINE = re.compile(r"(政府|办公厅|办公室|委员会|局|厅|部|署|委|办|院)$")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*(?P<name>.*)$")
# Web-page chrome before the text: breadcrumbs, source and date lines, share links.
CHROME = re.compile(r"当前位置|首页\s*[>＞\-—]|^来源[:：]|发布时间|浏览次数|字号|打印本页|关闭窗口|分享到")
# 《…》-某某门户网站: the page's title with the site's name after it.
SITE_TITLE = re.compile(r"^《(?P<title>.+)》\s*[-—_|｜]\s*(?P<site>.{2,30}?)$")
SITE_SUFFIX = re.compile(r"\s*[-—_|｜]\s*(?P<site>[^-—_|｜]{2,30}?(?:门户网站|网站|政府网|门户))$")
COPIED_TO = re.compile(r"^抄送\s*[:：]\s*(?P<to>.+)$")
# Where the cover ends at the latest: the first part of the body.
PART = re.compile(r"^([一二三四五六七八九十]{1,3}|1)、")
MAX_TITLE = 100


@dataclass
class Block:
    """Consecutive short lines without sentence punctuation: a title, a notice heading, an issuer."""

    start: int
    lines: list[str] = field(default_factory=list)
    end: int = 0  # one past the last line that belongs to it (period and draft lines included)
    period: str = ""
    draft: bool = False

    @property
    def text(self) -> str:
        return _join(self.lines)


def _join(lines: list[str]) -> str:
    # A title broken over lines joins without a space; a space inside a line (…攻坚战 迈向…) stays.
    return "".join(line.strip() for line in lines)


def _heading_like(line: str) -> bool:
    text = line.strip()
    if not text or len(text) > MAX_TITLE or text.startswith("\t"):
        return False
    if "。" in text or text.endswith(("：", ":", "，", ",", "；")):
        return False
    if DOC_NUMBER.match(text) or DATE_LINE.match(text) or CHROME.search(text) or ATTACHMENT.match(text):
        return False
    return not re.fullmatch(r"[（(].*[）)]", text) or bool(PERIOD_LINE.match(text))


def _blocks(lines: list[str], limit: int) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for i in range(limit):
        text = lines[i].strip()
        if blocks and blocks[-1].end and (PERIOD_LINE.match(text) or (DRAFT.search(text) and len(text) <= 12)):
            last = blocks[-1]
            is_period = bool(PERIOD_LINE.match(text))
            if current is None and TITLE.search(last.text) and not (is_period and last.period):
                # The period or draft mark under a title, even across blank lines, completes it.
                if is_period:
                    last.period = text
                last.draft = last.draft or bool(DRAFT.search(text))
                last.end = i + 1
                continue
        if _heading_like(text) and not PERIOD_LINE.match(text):
            if current is not None and _is_issuer(current.lines[-1]) and not text.startswith("关于"):
                current = None  # 湘潭市人民政府 / 湘潭市碳达峰实施方案: an issuer joins only its 关于… line
            if current is None:
                current = Block(i)
                blocks.append(current)
            current.lines.append(text)
            current.end = i + 1
            if TITLE.search(current.text) or len(current.lines) == 3:
                current = None  # a complete title closes its block
        elif text or current is not None:
            current = None
    return blocks


@dataclass
class Cover:
    title: str
    title_line: int  # 1-based
    body_start: int  # index of the first line after the title
    is_draft: bool
    notice_issuer: str = ""
    site: str = ""


def find_title(lines: list[str], source_name: str) -> Cover:
    limit = next((i for i, line in enumerate(lines[:120]) if PART.match(line.strip())), min(len(lines), 120))
    blocks = _blocks(lines, limit)
    notice_issuer, named = "", []
    chosen: Block | None = None
    for k, block in enumerate(blocks):
        text = block.text
        if m := NOTICE.match(text):
            named.append(_plain(m["plan"]))
            notice_issuer = m["issuer"] or (blocks[k - 1].text if k and _is_issuer(blocks[k - 1].text) else "")
            chosen = None  # a title before the notice is the page's, not the plan's
            continue
        if _is_title(text) and (chosen is None or (_plain(text) in named and _plain(chosen.text) not in named)):
            chosen = block
    if chosen is None and named:
        # A notice with no title of the plan after it carries the plan itself.
        notice = next(b for b in reversed(blocks) if NOTICE.match(b.text))
        return _cover(named[-1], notice, notice_issuer, "")
    if chosen is None:
        for i, line in enumerate(lines):
            if line.strip():
                raise PlanFormatError(
                    source_name,
                    f"找不到方案标题（应有一行以“方案”“意见”“通知”等结尾的标题），文件开头是“{line.strip()[:30]}”",
                    i + 1,
                )
        raise PlanFormatError(source_name, EMPTY)
    title, site = chosen.text, ""
    if m := SITE_TITLE.match(title):
        title, site = m["title"], m["site"]
    elif m := SITE_SUFFIX.search(title):
        title, site = title[: m.start()], m["site"]
    return _cover(title + chosen.period, chosen, notice_issuer, site)


def _cover(title: str, block: Block, notice_issuer: str, site: str) -> Cover:
    draft = block.draft or bool(DRAFT.search(title))
    clean = re.sub(r"\s*[（(]?(征求意见稿|送审稿|草案)[）)]?", "", title).strip()
    return Cover(clean, block.start + 1, block.end, draft, notice_issuer, site)


def _plain(text: str) -> str:
    return re.sub(r"[《》\s]", "", text)


def _is_title(text: str) -> bool:
    text = SITE_TITLE.sub(r"\g<title>", text)
    text = SITE_SUFFIX.sub("", text)
    return bool(TITLE.search(text)) and len(text) >= 6


def _is_issuer(text: str) -> bool:
    return bool(ISSUER_LINE.search(text)) and len(text) <= 30


def read_cover(plan: ParsedPlan, lines: list[str], cover: Cover) -> None:
    """Document number, date, issuer and 抄送 from the notice around the plan, or its signature at the end."""
    signature, issued_on = _signature(lines[: cover.title_line - 1])
    if issued_on is None:
        signature, issued_on = _signature(lines[-12:])
    plan.issued_on = issued_on
    for line in lines[: cover.title_line + 2]:
        text = line.strip()
        if DOC_NUMBER.match(text) and not plan.doc_number:
            plan.doc_number = re.sub(r"\s+", "", text)
    about = ABOUT.match(plan.title)
    plan.issuer = signature or cover.notice_issuer or (about["issuer"].strip() if about else "")
    for line in lines:
        if m := COPIED_TO.match(line.strip()):
            plan.copied_to = m["to"].strip("。 ")


def _signature(lines: list[str]) -> tuple[str, date | None]:
    """The issuer signed above the date line (湘潭市人民政府 / 2023年5月11日), and that date."""
    previous = ""
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if m := DATE_LINE.match(text):
            issued_on = None
            with contextlib.suppress(ValueError):  # 2023年2月30日 is no date; keep the rest of the cover
                issued_on = date(int(m["y"]), int(m["m"]), int(m["d"]))
            return (previous if _is_issuer(previous) else ""), issued_on
        previous = text
    return "", None
