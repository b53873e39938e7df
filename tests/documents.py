"""Plan files in the formats users have, made from a plan text: .docx (Word's own numbering, real tables), a text
PDF (reportlab, a CJK font, running header and page numbers, ruled tables) and a saved web page with site chrome.

Each maker reads the text as the text reader does (lines and tab-cell tables) and writes it in its format, so a
test can check that the file loads with exactly the plan of the text. The tests build these once per session.
"""

from __future__ import annotations

import functools
import html
import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from plans.parsing.readers import read_text
from plans.parsing.readers.numbering import chinese
from plans.parsing.source import strip_debris

# The numbering styles plans use, as (pattern, Word number format, value) readers; the pattern's %1 is the number.
CN = "一二三四五六七八九十"
MARKERS = [
    (re.compile(rf"^（([{CN}]+)）"), "（%1）", "chineseCounting", 2),
    (re.compile(rf"^\(([{CN}]+)\)"), "(%1)", "chineseCounting", 2),
    (re.compile(rf"^([{CN}]+)、"), "%1、", "chineseCounting", 1),
    (re.compile(r"^（(\d+)）"), "（%1）", "decimal", 3),
    (re.compile(r"^\((\d+)\)"), "(%1)", "decimal", 3),
    (re.compile(r"^(\d+)\.(?!\d)"), "%1.", "decimal", 3),
    (re.compile(r"^(\d+)．"), "%1．", "decimal", 3),
    (re.compile(r"^(\d+)、"), "%1、", "decimal", 3),
]


def _value(text: str, fmt: str) -> int | None:
    if fmt == "decimal":
        return int(text)
    for n in range(1, 100):
        if chinese(n) == text:
            return n
    return None


@dataclass
class Block:
    """A paragraph (text) or a table (rows of cells) of the plan, in order."""

    text: str | None = None
    rows: list[list[str]] | None = None


def blocks(text: str) -> list[Block]:
    source = read_text(text, "plan.txt")
    starts = {t.first_line: t for t in source.tables}
    inside = {n for t in source.tables for n in range(t.first_line, t.last_line + 1)}
    out: list[Block] = []
    for number, line in enumerate(source.lines, start=1):
        if number in starts:
            out.append(Block(rows=[row.cells for row in starts[number].rows]))
        elif number not in inside and strip_debris(line).strip():
            # Without the converter's [bookmark: …] debris: the original document never showed it.
            out.append(Block(text=strip_debris(line).strip()))
    return out


def numbered(line: str) -> tuple[str, str, int, int, str] | None:
    """(pattern, format, value, outline level, rest) when the line starts with a numbering marker."""
    for regex, pattern, fmt, level in MARKERS:
        found = regex.match(line)
        if found and line[found.end() :].strip():
            value = _value(found.group(1), fmt)
            if value:
                return pattern, fmt, value, level, line[found.end() :]
    return None


# --- Word -----------------------------------------------------------------------------------------------------------


class _WordNumbering:
    """One abstractNum per marker style; a new w:num (startOverride) wherever the text's count restarts."""

    def __init__(self, document) -> None:
        self.root = document.part.numbering_part.element
        self.abstract: dict[str, int] = {}  # format:pattern → abstractNumId
        self.current: dict[str, tuple[int, int]] = {}  # format:pattern → (numId, last value)
        self.next_abstract = 9000
        self.next_num = 9000

    def num_id(self, pattern: str, fmt: str, value: int) -> int:
        key = f"{fmt}:{pattern}"
        if key not in self.abstract:
            self.abstract[key] = self._add_abstract(pattern, fmt)
        current = self.current.get(key)
        if current and current[1] + 1 == value:
            self.current[key] = (current[0], value)
            return current[0]
        self.next_num += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_num))
        _child(num, "w:abstractNumId", str(self.abstract[key]))
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        _child(override, "w:startOverride", str(value))
        num.append(override)
        self.root.append(num)
        self.current[key] = (self.next_num, value)
        return self.next_num

    def _add_abstract(self, pattern: str, fmt: str) -> int:
        self.next_abstract += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(self.next_abstract))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        _child(lvl, "w:start", "1")
        _child(lvl, "w:numFmt", fmt)
        _child(lvl, "w:suff", "nothing")
        _child(lvl, "w:lvlText", pattern)
        abstract.append(lvl)
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        return self.next_abstract


def _child(parent, tag: str, value: str):
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    parent.append(element)
    return element


def make_docx(text: str) -> bytes:
    document = Document()
    numbering = _WordNumbering(document)
    first = True
    for block in blocks(text):
        if block.rows is not None:
            _word_table(document, block.rows)
            continue
        found = numbered(block.text)
        if found and not first:
            pattern, fmt, value, level, rest = found
            style = {1: "Heading 1", 2: "Heading 2"}.get(level)
            paragraph = document.add_paragraph(rest, style=style)
            num_pr = OxmlElement("w:numPr")
            _child(num_pr, "w:ilvl", "0")
            _child(num_pr, "w:numId", str(numbering.num_id(pattern, fmt, value)))
            paragraph._p.get_or_add_pPr().append(num_pr)
        else:
            paragraph = document.add_paragraph(block.text)
            if first:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.runs[0].font.size = Pt(18)
        first = False
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _word_table(document, rows: list[list[str]]) -> None:
    """A real Word table whose merged cells read back as the text's rows: a short row's first cell spans
    columns, or continues the first cell of the row above (vertically merged) when that row was full."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        row = table.add_row()
        span = width - len(cells) + 1
        if span > 1:
            row.cells[0].merge(row.cells[span - 1])
        tcs = row._tr.tc_lst
        if _continues_above(rows, r):
            _set_v_merge(table.rows[r - 1]._tr.tc_lst[0], restart=True)
            _set_v_merge(tcs[0], restart=False)
        for tc, value in zip(tcs, cells, strict=True):
            if value:
                tc.p_lst[0].append(_run(value))


def _continues_above(rows: list[list[str]], r: int) -> bool:
    """A full row whose first cell is empty under a full row's first cell: in Word, one cell merged down."""
    width = max(len(row) for row in rows)
    return r > 0 and len(rows[r]) == width == len(rows[r - 1]) and rows[r][0] == "" and len(rows[r]) > 1


def _set_v_merge(tc, restart: bool) -> None:
    tc_pr = tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:vMerge")) is not None:
        return  # already continuing a merge from further up
    merge = OxmlElement("w:vMerge")
    if restart:
        merge.set(qn("w:val"), "restart")
    tc_pr.append(merge)


def _run(value: str):
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = value
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(text)
    return run


# --- PDF ------------------------------------------------------------------------------------------------------------


def make_pdf(text: str, *, encrypt: str | None = None) -> bytes:
    """A text PDF as a Word export looks: A4, first lines indented two characters, the title centred, a
    running header and `— N —` page numbers, tables ruled with merged cells spanning."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24)
    body.wordWrap = "CJK"
    title_style = ParagraphStyle("title", parent=body, fontSize=18, leading=28, alignment=TA_CENTER, firstLineIndent=0)
    cell_style = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, firstLineIndent=0)
    parts = blocks(text)
    title = parts[0].text

    def chrome(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 1.5 * cm, title)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"— {doc.page} —")
        canvas.restoreState()

    story = []
    frame_width = A4[0] - 5 * cm
    for i, block in enumerate(parts):
        if block.rows is None:
            story.append(Paragraph(html.escape(block.text), title_style if i == 0 else body))
            continue
        width = max(len(r) for r in block.rows)
        data, spans, run_start = [], [], None
        for r, cells in enumerate(block.rows):
            row = [Paragraph(html.escape(c), cell_style) for c in cells]
            if _continues_above(block.rows, r):
                run_start = r - 1 if run_start is None else run_start
                spans.append(("SPAN", (0, run_start), (0, r)))
            else:
                run_start = None
                span = width - len(cells) + 1
                if span > 1:
                    spans.append(("SPAN", (0, r), (span - 1, r)))
                    row = [row[0], *([""] * (span - 1)), *row[1:]]
            data.append(row)
        style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans])
        story.append(Table(data, colWidths=[frame_width / width] * width, style=style, splitByRow=1))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2.5 * cm, bottomMargin=2.5 * cm,
        encrypt=encrypt, title=title,
    )  # fmt: skip
    doc.build(story, onFirstPage=chrome, onLaterPages=chrome)
    return out.getvalue()


def make_scanned_pdf() -> bytes:
    """A PDF as a scanner makes it: each page one picture, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (600, 840), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(80, 800, 24):
        draw.rectangle([60, y, 540, y + 10], fill="black")  # lines of "text" as pixels
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(2):
        pdf.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return out.getvalue()


# --- A saved web page -----------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}_政府信息公开_某市人民政府</title>
<script>var site = "gov";</script><style>.nav {{ color: red }}</style></head>
<body>
<header class="site-header"><div class="logo">某市人民政府门户网站</div>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></nav></header>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<table class="xxgk-meta"><tr><td>索引号：</td><td>000014349/2023-00012</td><td>主题分类：</td><td>综合政务</td></tr>
<tr><td>发文机关：</td><td>{issuer}</td><td>成文日期：</td><td>{date}</td></tr>
<tr><td>标题：</td><td colspan="3">{title}</td></tr>
<tr><td>发文字号：</td><td>{number}</td><td>发布日期：</td><td>2023年06月01日</td></tr></table>
<div class="article"><h1 class="article-title">{title}</h1>
<div class="article-info">来源：某市人民政府办公室 浏览次数：1024 <span class="share">分享到：微信 微博</span></div>
<div class="TRS_Editor" id="zoom">
{body}
</div></div>
<div class="related-articles"><h3>相关文章</h3><ul>
<li><a href="/a/1.html">关于印发某市节能减排综合工作方案的通知，这是一条相关文章链接</a></li>
<li><a href="/a/2.html">某市“十四五”生态环境保护规划解读，这也是一条相关文章链接</a></li></ul></div>
<footer class="site-footer"><p>主办：某市人民政府办公室 网站标识码：4302000001 备案号：湘ICP备00000000号</p>
<p>地址：某市某区某路1号 联系电话：0731-00000000</p></footer>
</body></html>
"""


def make_html(text: str, *, issuer: str = "", number: str = "", date: str = "", charset: str = "utf-8") -> bytes:
    parts = blocks(text)
    body = []
    for block in parts:
        if block.rows is None:
            body.append(f'<p style="text-indent: 2em">{html.escape(block.text)}</p>')
            continue
        width = max(len(r) for r in block.rows)
        rows = []
        for r, cells in enumerate(block.rows):
            tds = [f"<td>{html.escape(c)}</td>" for c in cells]
            if _continues_above(block.rows, r):
                tds = tds[1:]  # under the rowspan of the cell above
            span = width - len(cells) + 1
            if span > 1:
                tds[0] = f'<td colspan="{span}">{html.escape(cells[0])}</td>'
            rows.append("<tr>" + "".join(tds) + "</tr>")
        # The first cell of a run of continued rows spans down over them.
        for r in range(len(block.rows)):
            if not _continues_above(block.rows, r) and r + 1 < len(block.rows) and _continues_above(block.rows, r + 1):
                down = 1
                while r + down < len(block.rows) and _continues_above(block.rows, r + down):
                    down += 1
                rows[r] = rows[r].replace("<tr><td>", f'<tr><td rowspan="{down}">', 1)
        body.append('<table border="1" cellspacing="0">' + "".join(rows) + "</table>")
    page = PAGE.format(
        charset=charset, title=html.escape(parts[0].text), issuer=issuer, number=number, date=date, body="\n".join(body)
    )
    return page.encode(charset, errors="xmlcharrefreplace")


# --- The seeds in every format, made once per test session -----------------------------------------------------------

SEED_DIR = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "plans"
MAKERS = {"docx": make_docx, "pdf": make_pdf, "html": make_html}


@functools.cache
def seed_text(key: str) -> str:
    return next(SEED_DIR.glob(f"{key}_*.txt")).read_text(encoding="utf-8-sig")


@functools.cache
def seed_document(key: str, fmt: str) -> bytes:
    """Seed `key` (000…004) as a .docx, .pdf or .html file; built once per session."""
    return MAKERS[fmt](seed_text(key))


def seed_name(key: str, fmt: str) -> str:
    return next(SEED_DIR.glob(f"{key}_*.txt")).with_suffix(f".{fmt}").name


def plan_summary(plan) -> tuple:
    """What must be the same whichever format a plan was read from: tasks with their units, appendix rows,
    projects, and the cover facts."""
    tasks = [
        (
            t.ref,
            t.number,
            t.title,
            t.is_section,
            t.is_goal,
            [(u.name, u.role, u.inferred) for u in t.clause.units] if t.clause else None,
            [(u.name, u.role) for u in t.note_units],
        )
        for t in plan.tasks
    ]
    rows = [(r.appendix, r.group, r.section, r.number, r.title, r.lead_text, r.units_text) for r in plan.appendix_rows]
    projects = [(p.number, p.category, p.unit, p.name, p.investment) for p in plan.projects]
    cover = (plan.title, plan.is_draft, plan.region_name, plan.issuer, plan.doc_number, plan.issued_on)
    return tasks, rows, projects, cover
