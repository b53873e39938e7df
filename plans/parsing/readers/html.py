"""Saved web pages (.html/.htm): the article body without the site around it, and the page's metadata table.

Government sites wrap a plan in navigation, breadcrumbs, share buttons and 相关文章 lists, and many
put the document's facts in a table above it (发文机关 / 发文字号 / 成文日期). The article is the
block that holds the most paragraph text; the metadata table is read by its labels wherever it is.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from lxml import etree

from ..structures import PlanFormatError
from .base import Builder, Source
from .bounds import MAX_DEPTH, MAX_ELEMENTS, refuse

CHROME = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select"]
BLOCKS = {
    "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table",
    "blockquote", "pre", "center", "dl", "dt", "dd", "tr", "td", "th", "tbody", "thead", "form",
}  # fmt: skip
# Labels of the metadata table gov.cn and provincial sites put above a document.
META_LABELS = ["标题", "名称", "发文机关", "发布机构", "发文字号", "文号", "成文日期", "发布日期", "索引号", "主题分类"]
MIN_ARTICLE = 200  # characters of paragraph text: less than this is a list or a landing page, not a plan
CHROME_CLASS = re.compile(r"(^|[-_\s])(nav|menu|breadcrumb|crumb|footer|header|share|related|sidebar|position)", re.I)


def read_html(data: bytes, name: str) -> Source:
    _check_shape(data, name)
    soup = BeautifulSoup(data, "lxml")
    metadata, meta_tables = _metadata(soup)
    for tag in soup.find_all(CHROME):
        tag.decompose()
    for tag in meta_tables:
        tag.decompose()
    for tag in soup.find_all(class_=CHROME_CLASS):
        if tag.name not in ("body", "html"):
            tag.decompose()
    article = _article(soup)
    if article is None:
        raise PlanFormatError(
            name,
            "网页中找不到正文（只有导航、列表或很少的文字）；请打开方案全文所在的页面另存，"
            "或把正文复制到文本文件（.txt）后上传",
        )
    out = _Walker(name)
    title = metadata.get("标题") or metadata.get("名称") or _page_title(soup)
    out.walk(article)
    if title and not any(title in line for line in out.builder.lines[:8]):
        # The article often starts below the page's own heading: keep the title the plan is known by.
        out.builder.lines.insert(0, title)
        out.builder.places.insert(0, "网页标题")
    return out.builder.source(name, "html", metadata)


def _check_shape(data: bytes, name: str) -> None:
    """Refuse a page nested deeper than MAX_DEPTH or of more than MAX_ELEMENTS elements before building its tree.

    The same parser BeautifulSoup builds with (libxml2's) reports the elements as a stream, each forgotten once
    closed, so this costs little memory, and it stops at the first element past a bound. Building the tree of a
    page nested 20,000 deep took 49 s (each element's text is looked up through all its ancestors).
    """
    parser = etree.HTMLPullParser(events=("start", "end"))
    depth = elements = 0
    for at in range(0, len(data), 1 << 16):
        parser.feed(data[at : at + (1 << 16)])
        for event, element in parser.read_events():
            if event == "end":
                depth -= 1
                element.clear()
                continue
            depth += 1
            elements += 1
            if depth > MAX_DEPTH:
                raise refuse(name, f"网页的标签嵌套超过 {MAX_DEPTH} 层")
            if elements > MAX_ELEMENTS:
                raise refuse(name, f"网页的元素超过 {MAX_ELEMENTS} 个")


def _metadata(soup: BeautifulSoup) -> tuple[dict[str, str], list[Tag]]:
    found: dict[str, str] = {}
    tables: list[Tag] = []
    for table in soup.find_all("table"):
        cells = table.find_all(["td", "th"])
        texts = [_label(c.get_text(" ", strip=True)) for c in cells]
        labelled = 0
        for i, text in enumerate(texts):
            label = next((k for k in META_LABELS if text == k), None)
            if label and i + 1 < len(cells):
                value = cells[i + 1].get_text(" ", strip=True)
                if value and _label(value) not in META_LABELS:
                    found.setdefault(label, value)
                    labelled += 1
        if labelled >= 2:
            tables.append(table)
    return found, tables


def _label(text: str) -> str:
    return re.sub(r"[\s:：\u3000]", "", text)


def _page_title(soup: BeautifulSoup) -> str:
    heading = soup.find("h1")
    if heading and heading.get_text(strip=True):
        return heading.get_text(" ", strip=True)
    return soup.title.get_text(strip=True).split("_")[0].split("-")[0].strip() if soup.title else ""


def _article(soup: BeautifulSoup) -> Tag | None:
    """The element whose own paragraphs hold the most text."""
    scores: dict[int, tuple[int, Tag]] = {}
    holding = _holding_blocks(soup)
    for block in soup.find_all(["p", "div", "td", "li", "h1", "h2", "h3", "h4"]):
        if id(block) in holding:
            continue  # only leaf blocks count as paragraphs
        length = len(block.get_text(strip=True))
        parent = block.parent
        if parent is None or length == 0:
            continue
        # A table's paragraphs belong to the block that holds the table.
        while parent.name in ("td", "th", "tr", "tbody", "thead", "table") and parent.parent is not None:
            parent = parent.parent
        score = scores.get(id(parent), (0, parent))[0] + length
        scores[id(parent)] = (score, parent)
    if not scores:
        return None
    score, best = max(scores.values(), key=lambda item: item[0])
    return best if score >= MIN_ARTICLE else None


def _holding_blocks(soup: BeautifulSoup) -> set[int]:
    """The ids of the elements that hold a block element, in one pass: asking each element whether it holds one
    walks its whole subtree, which for nested blocks costs the square of their number."""
    holding: set[int] = set()
    for block in soup.find_all(BLOCKS):
        parent = block.parent
        # Once an ancestor is marked, so are all of its own: the walk up stops there.
        while parent is not None and id(parent) not in holding:
            holding.add(id(parent))
            parent = parent.parent
    return holding


class _Walker:
    def __init__(self, name: str) -> None:
        self.builder = Builder(name)
        self.paragraphs = 0
        self.tables = 0
        self.inline: list[str] = []

    def walk(self, element: Tag) -> None:
        for child in element.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment or CDATA
                    self.inline.append(str(child))
            elif child.name == "br":
                self.inline.append("\n")
            elif child.name == "table":
                self.flush()
                self.table(child)
            elif child.name in BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        for line in text.split("\n"):
            line = re.sub(r"[ \t\r\u00a0]+", " ", line).strip()
            if line:
                self.paragraphs += 1
                self.builder.paragraph(line, f"正文第{self.paragraphs}段")

    def table(self, table: Tag) -> None:
        self.tables += 1
        rows = []
        spans: dict[int, int] = {}  # column → rows a rowspan still covers
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue  # a nested table's rows
            # Merged cells once, as Word's text export writes them: a colspan is one cell, and a rowspan
            # leaves an empty cell in the rows below it.
            row, column = [], 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while spans.get(column, 0) > 0:
                    row.append("")
                    spans[column] -= 1
                    column += 1
                for br in cell.find_all("br"):
                    br.replace_with("\n")  # a line of its own in the cell: one unit to a line
                row.append(cell.get_text(""))
                rowspan = int(cell.get("rowspan", 1) or 1) if str(cell.get("rowspan", 1)).isdigit() else 1
                colspan = int(cell.get("colspan", 1)) if str(cell.get("colspan", 1)).isdigit() else 1
                if rowspan > 1:
                    spans[column] = rowspan - 1
                column += max(colspan, 1)
            while spans.get(column, 0) > 0:
                row.append("")
                spans[column] -= 1
                column += 1
            rows.append(row)
        n = self.tables
        self.builder.table(rows, lambda r, c: f"正文表{n}第{r + 1}行第{c + 1}格")
