"""The cover of a plan: its title, draft mark, and the notice around it (issuer, 文号, date, 抄送).

Plans arrive in many wrappings: bare, under the notice that issued them (…关于印发…的通知, 文号, 成文日期), as a
notice that carries the measures itself (海关总署…关于…若干措施的通知), after web-page chrome, or with the page's
title (《…》-某某门户网站) as their only title. The title is found by its shape, not its wording: a short block
of lines before the body, without sentence punctuation, that ends in a kind of document (方案, 意见, 计划, 措施,
通知 …), joined over two or three lines and completed by a period line (（2025—2027年）) or a draft mark under it.
Where a notice 印发 a plan and the plan's own title follows, that title is the plan's.

A plan is never turned away for its cover. The title comes from every clue, strongest first: a run of lines that
spells the name the notice gives the plan in 《》; the plan's own title line before the body; one further down,
after the notice's own numbered paragraphs; the name the notice gives it (印发《…》, 现将《…》); the first
heading-like line; the file's name. The last three are guesses: the cover says so (`Cover.doubt`, the clue it
came from), the parser warns, and the upload preview lets the person correct it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date

from .measures import has_clause
from .source import NUMBERED  # a numbered line is a heading of the body or of the notice, never a title
from .structures import ParsedPlan

DRAFT = re.compile(r"征求意见稿|送审稿|草案")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$")
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
REGION_PREFIX = re.compile(r"^(?P<region>.+?)(碳达峰|碳中和|关于|实施方案|行动方案|方案)")
# The kinds of document a title names, at its end.
_KINDS = r"(?:方案|规划|意见|计划|措施|通知|办法|细则|要点|决定|纲要|清单|行动|政策|指引|指南|规定|举措|安排|分工)"
# （2025—2027年）, and a single year (（2024年）, （2024年度）) as a list for the year writes it.
_PERIOD = r"[（(]\s*\d{4}\s*(?:年?\s*[—－\-–~至]+\s*\d{4}\s*)?年?度?\s*[）)]"
_DRAFT_MARK = r"[（(]?(?:征求意见稿|送审稿|草案)[）)]?"
_STATUS = r"[（(](?:试行|暂行|修订|\d{4}年(?:修订|版|修订版))[）)]"
TITLE = re.compile(rf"{_KINDS}(?:{_STATUS})?(?:{_PERIOD})?(?:{_DRAFT_MARK})?$")
PERIOD_LINE = re.compile(rf"^{_PERIOD}$")
# A notice that issues the plan (关于印发…的通知), or one that asks for comments on its draft (公开征求对《…》的意见):
# either heads the file, and neither is the plan's title.
NOTICE = re.compile(
    r"^(?P<issuer>.*?)(?:关于印发(?P<plan>.+?)的通知"
    r"|(?:关于)?(?:公开)?征求(?:对)?(?P<consulted>《.+?》(?:[（(]征求意见稿[）)])?)(?:的)?意见(?:建议)?(?:的(?:公告|通知|函))?)$"
)


def _issued(m: re.Match[str]) -> str:
    return m["plan"] or m["consulted"]


ABOUT = re.compile(r"^(?P<issuer>[^《》“”]{2,60}?)关于")
ISSUER_LINE = re.compile(r"(政府|办公厅|办公室|委员会|局|厅|部|署|委|办|院)$")
ATTACHMENT = re.compile(r"^附[件表]\s*\d*\s*[:：]?\s*(?P<name>.*)$")
# Web-page chrome before the text: breadcrumbs, source and date lines, share links.
CHROME = re.compile(r"当前位置|首页\s*[>＞\-—]|^来源[:：]|发布时间|浏览次数|字号|打印本页|关闭窗口|分享到")
# 《…》-某某门户网站: the page's title with the site's name after it.
SITE_TITLE = re.compile(r"^《(?P<title>.+)》\s*[-—_|｜]\s*(?P<site>.{2,30}?)$")
SITE_SUFFIX = re.compile(r"\s*[-—_|｜]\s*(?P<site>[^-—_|｜]{2,30}?(?:门户网站|网站|政府网|门户))$")
COPIED_TO = re.compile(r"^抄送\s*[:：]\s*(?P<to>.+)$")
# Where the cover ends at the latest: the first part of the body.
PART = re.compile(r"^([一二三四五六七八九十]{1,3}|1)、")
MAX_TITLE = 100
# How far into a file its title may stand: after a notice's own numbered paragraphs, a plan's title comes late.
SEARCH_LINES = 400
# The name a notice gives the plan it issues: 现将《…》印发给你们, 《…》已经…同意, 制定了《…》.
NAMED_IN_NOTICE = re.compile(
    r"(?:现将|印发|制定了?|修订了?|研究制定了?)《(?P<a>[^《》]{4,100})》|《(?P<b>[^《》]{4,100})》(?:已经|已|经|现|印发给|予以印发)"
)
# A title written with spaces between its characters (通  知, 实 施 方 案).
SPACED = re.compile(r"^[\u4e00-\u9fff](?:[ 　\t]+[\u4e00-\u9fff])+$")
# A notice heading broken so that only its end is a block: …实施方案》的通知.
NOTICE_TAIL = re.compile(r"》\s*的?通知$|^关于印发")
# What a file's name adds to its title: the extension, a hash or number, a copy mark.
_FILE_NOISE = re.compile(r"(?:\.[A-Za-z0-9]{1,5})+$|^[\d_\-\s]+|[_\-\s]*[0-9a-f]{8,}$|[（(]\d+[）)]$|副本")


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


def unspaced(line: str) -> str:
    """A heading written with spaces between its characters (通  知) as it reads (通知); other lines as they are."""
    text = line.strip()
    return re.sub(r"[ 　\t]+", "", text) if SPACED.match(text) else line


def _heading_like(line: str) -> bool:
    text = line.strip()
    if not text or len(text) > MAX_TITLE or text.startswith("\t"):
        return False
    if "。" in text or text.endswith(("：", ":", "，", ",", "；")):
        return False
    if DOC_NUMBER.match(text) or DATE_LINE.match(text) or CHROME.search(text) or ATTACHMENT.match(text):
        return False
    if NUMBERED.match(text):
        return False
    return not re.fullmatch(r"[（(].*[）)]", text) or bool(PERIOD_LINE.match(text))


def _blocks(lines: list[str], limit: int) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for i in range(limit):
        if lines[i].startswith("\t") or lines[i].lstrip().startswith("|"):
            current = None  # a table's cell or row is never part of a title
            continue
        text = unspaced(lines[i]).strip()
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
            # A headline runs to three lines, four under its issuer (某县人民政府办公室 / 关于印发… / …的 / 通知).
            longest = 4 if _is_issuer(current.lines[0]) else 3
            if (TITLE.search(current.text) and _balanced(current.text)) or len(current.lines) == longest:
                current = None  # a complete title closes its block
        elif text or current is not None:
            current = None
    return _joined_over_breaks(blocks)


def _joined_over_breaks(blocks: list[Block]) -> list[Block]:
    """A headline that ends in 的 goes on in the block after it (关于印发…重点工作的 / / 通知), and so does one that
    opened a 《 it has not closed (关于印发《…碳中和 / / 及节能减排重点工作安排》的通知): no title ends so."""
    joined: list[Block] = []
    for block in blocks:
        last = joined[-1] if joined else None
        open_title = last is not None and not _balanced(last.text) and _balanced(last.text + block.text)
        ends_in_de = last is not None and last.text.endswith("的") and bool(TITLE.search(block.text))
        if last and (open_title or ends_in_de) and block.start - last.end <= 2:
            last.lines += block.lines
            last.end, last.period, last.draft = block.end, block.period, last.draft or block.draft
        else:
            joined.append(block)
    return joined


@dataclass
class Cover:
    title: str
    title_line: int  # 1-based
    body_start: int  # index of the first line after the title
    is_draft: bool
    notice_issuer: str = ""
    site: str = ""
    doubt: str = ""  # where a guessed title came from (通知中的书名号…, 文件名); '' when the file states it
    from_notice: bool = False  # the title is the name a notice gives the plan, not a title line of the plan


def find_title(lines: list[str], source_name: str) -> Cover:
    """The plan's title and where its body starts. Never refuses: a title the file does not state is guessed."""
    search = min(len(lines), SEARCH_LINES)
    part = next((i for i, line in enumerate(lines[:120]) if PART.match(line.strip())), min(len(lines), 120))
    named_by_notice = _names_given(lines[:search])
    cover = _spelled_out(lines, named_by_notice, search)
    if cover is None:
        cover = _stated(lines, _blocks(lines, part), named_by_notice)
    if cover is None and part < search and not named_by_notice:
        # A notice's own numbered paragraphs (一、二、) may stand before the title of the list it issues. (Where the
        # notice names the plan, a title line that spells that name was looked for already, wherever it stands.)
        # Only where no duty clause stands before it: after the body of a plan, a title line is an appendix's.
        late = [b for b in _blocks(lines, search) if b.start >= part]
        late = [b for b in late if not has_clause([(i + 1, lines[i]) for i in range(part, b.start)])]
        cover = _stated(lines, late, named_by_notice)
    return cover or _guessed(lines, named_by_notice, source_name, search)


def _names_given(lines: list[str]) -> list[str]:
    """The names a notice gives the plan it issues, in its heading (关于印发…的通知) or its text (现将《…》印发)."""
    names = []
    for block in _blocks(lines, len(lines)):
        if m := NOTICE.match(block.text):
            names.append(_plain(_issued(m)))
    for line in lines:
        if NUMBERED.match(line.strip()):
            break  # the body: a measure's 制定《…》 names a document to come, not this one
        if "《" in line:
            names += [_plain(m["a"] or m["b"]) for m in NAMED_IN_NOTICE.finditer(line)]
    return [n for n in dict.fromkeys(names) if _is_title(n)]


def _spelled_out(lines: list[str], names: list[str], search: int) -> Cover | None:
    """A run of one to four lines that spells a name the notice gives the plan, wherever the lines break."""
    if not names:
        return None
    wanted = set(names)
    longest = max(len(n) for n in names)
    for start in range(search):
        first = unspaced(lines[start]).strip()
        if not first or lines[start].startswith(("\t", "|")) or NOTICE.match(first) or first.startswith("《"):
            continue
        joined, taken = "", []
        for end in range(start, min(start + 6, search)):
            text = unspaced(lines[end]).strip()
            if not text:
                continue  # a title broken over a blank line (…科学城西部 / / 创新中心实施意见)
            if len(taken) == 4:
                break
            taken.append(text)
            joined += _plain(text)
            if joined in wanted or _plain(re.sub(_PERIOD + "$", "", joined)) in wanted:
                block = Block(start, taken, end + 1)
                _complete(lines, block)
                return _cover(block.text + block.period, block, _notice_issuer(lines, start), "")
            if len(joined) >= longest:
                break
    return None


def _complete(lines: list[str], block: Block) -> None:
    """The period or draft mark on the lines under a title completes it."""
    for i in range(block.end, min(block.end + 3, len(lines))):
        text = lines[i].strip()
        if not text:
            continue
        if PERIOD_LINE.match(text) and not block.period and not re.search(_PERIOD + "$", block.text):
            block.period, block.end = text, i + 1
        elif DRAFT.search(text) and len(text) <= 12:
            block.draft, block.end = True, i + 1
        else:
            break


def _notice_issuer(lines: list[str], before: int) -> str:
    for block in _blocks(lines, before):
        if (m := NOTICE.match(block.text)) and m["issuer"]:
            return m["issuer"]
    return ""


def _stated(lines: list[str], blocks: list[Block], named_by_notice: list[str]) -> Cover | None:
    """The title a block of the cover states: the plan's own after the notice that issues it, else the notice's."""
    notice_issuer, named = "", []
    chosen: Block | None = None
    for k, block in enumerate(blocks):
        text = block.text
        if m := NOTICE.match(text):
            named.append(_plain(_issued(m)))
            notice_issuer = m["issuer"] or (blocks[k - 1].text if k and _is_issuer(blocks[k - 1].text) else "")
            chosen = None  # a title before the notice is the page's, not the plan's
            continue
        if NOTICE_TAIL.search(text):
            continue  # the end of a notice heading the lines broke: the notice's, never the plan's title
        if _is_title(text) and (chosen is None or (_plain(text) in named and _plain(chosen.text) not in named)):
            chosen = block
    if chosen is None and named:
        # A notice with no title of the plan after it carries the plan itself.
        notice = next(b for b in reversed(blocks) if NOTICE.match(b.text))
        cover = _cover(named[-1], notice, notice_issuer, "")
        cover.from_notice = True
        return cover
    if chosen is None:
        return None
    title, site = chosen.text, ""
    if m := SITE_TITLE.match(title):
        title, site = m["title"], m["site"]
    elif m := SITE_SUFFIX.search(title):
        title, site = title[: m.start()], m["site"]
    return _cover(title + chosen.period, chosen, notice_issuer, site)


def _guessed(lines: list[str], named_by_notice: list[str], source_name: str, search: int) -> Cover:
    """A title the file does not state, from the weaker clues: the notice's 《》, a heading-like line, the file name."""
    if named_by_notice:
        name = named_by_notice[0]
        line = next((i for i, text in enumerate(lines[:search]) if name in _plain(text)), 0)
        doubt = f"通知中的书名号《{name}》（第{line + 1}行）"
        return Cover(name, line + 1, line + 1, bool(DRAFT.search(name)), doubt=doubt, from_notice=True)
    # A heading-like line of the cover: before the body's first numbered line, near the top.
    cover_end = next((i for i, line in enumerate(lines[:search]) if NUMBERED.match(line.strip())), search)
    for block in _blocks(lines, min(cover_end, 30)):
        text = block.text
        if len(text) >= 6 and not _is_issuer(text) and not NOTICE_TAIL.search(text):
            return _cover(text + block.period, block, "", "", doubt=f"第{block.start + 1}行（首个标题样式的行）")
    stem = source_name.rsplit("/", 1)[-1]
    while (shorter := _FILE_NOISE.sub("", stem).strip(" _-")) != stem:
        stem = shorter
    first = next((i for i, text in enumerate(lines) if text.strip()), 0)
    return Cover(stem[:MAX_TITLE] or "未命名方案", first + 1, first, False, doubt="文件名")


def _cover(title: str, block: Block, notice_issuer: str, site: str, doubt: str = "") -> Cover:
    draft = block.draft or bool(DRAFT.search(title))
    clean = re.sub(r"\s*[（(]?(征求意见稿|送审稿|草案)[）)]?", "", title).strip()
    return Cover(clean, block.start + 1, block.end, draft, notice_issuer, site, doubt)


def _plain(text: str) -> str:
    # 〈〉 stand for 《》 inside a name the notice already puts in 《》: 《关于贯彻〈…条例〉…的实施方案》.
    return re.sub(r"[《》〈〉\s]", "", text)


def _is_title(text: str) -> bool:
    text = SITE_TITLE.sub(r"\g<title>", text)
    text = SITE_SUFFIX.sub("", text)
    return bool(TITLE.search(text)) and len(text) >= 6 and _balanced(text)


def _balanced(text: str) -> bool:
    """A title opens no 《 it does not close: 关于印发《某县… is the start of a notice heading the lines broke."""
    return text.count("《") == text.count("》")


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
