"""PDF files with a text layer (pdfplumber): text lines joined into paragraphs, and ruled tables.

A PDF has no paragraphs, only lines placed on pages. A line starts a paragraph when it is indented
(Chinese documents indent the first line by two characters), when the line before it stopped short
of the right margin, or after a wide gap; otherwise it continues the line before, across page
breaks too. Running headers and footers (a line repeated at the top or bottom of pages, page numbers
such as `— 3 —`) are dropped. Ruled tables are read by their rules; a merged cell is read once, and a
table that runs on to the next page stays one table.
"""

from __future__ import annotations

import io
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import stream_value
from pdfplumber.utils.exceptions import PdfminerException

from ..structures import PlanFormatError
from .base import Builder, Source
from .bounds import MAX_CONTENT_MB, MAX_PAGE_CONTENT_MB, MAX_PAGES, refuse

PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(第\s*)?\d{1,4}\s*页?(\s*[/／,，]?\s*共\s*\d+\s*页)?[-—–－_\s]*$")
ASCII_WORD = re.compile(r"[A-Za-z0-9]")
LEADING_WORD = re.compile(r"[A-Za-z0-9.%+\-/:,]+")
MIN_TEXT_PER_PAGE = 20  # characters; less than this on every page is a scan with, at most, a stamp's text


@dataclass(eq=False)
class _Line:
    page: int
    number: int  # the line's place on its page, counted from the top
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(eq=False)
class _Table:
    page: int
    top: float
    rows: list[list[str]]


def read_pdf(data: bytes, name: str) -> Source:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(name, exc) from exc
    except MemoryError:
        raise
    except Exception as exc:
        raise PlanFormatError(name, "PDF 文件已损坏，无法打开；请重新下载或另存后再试") from exc
    try:
        _check_pages(pdf, name)
        pages, has_images = [], False
        for n, page in enumerate(pdf.pages, start=1):
            pages.append(_read_page(page, n))
            has_images = has_images or bool(page.images)
            # A laid-out page keeps every character's object (some 1.5 KB each) until it is closed.
            page.close()
        metadata = {"标题": str(pdf.metadata.get("Title", "")).strip()} if pdf.metadata.get("Title") else {}
    except PdfminerException as exc:
        raise _open_error(name, exc) from exc
    finally:
        pdf.close()
    characters = sum(len(item.text) for items in pages for item in items if isinstance(item, _Line))
    if characters < MIN_TEXT_PER_PAGE * max(1, len(pages)) and not any(
        isinstance(item, _Table) for items in pages for item in items
    ):
        if has_images:
            raise PlanFormatError(
                name,
                "这是扫描件（PDF 只有图片，没有文字层），无法读取文字；"
                "请使用发文单位发布的 Word 或文字版 PDF，或先用 OCR 软件识别为文字",
            )
        raise PlanFormatError(name, "PDF 中没有可读取的文字")
    _drop_running_lines(pages)
    return _build(pages, name).source(name, "pdf", metadata)


def _check_pages(pdf, name: str) -> None:
    """Refuse a PDF of more than MAX_PAGES pages, or whose pages' drawing instructions unpack to more than the
    bounds, before any page is laid out (laying out costs some 30 ms a page, and all of a page's characters)."""
    total = 0
    for number, page in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        if number > MAX_PAGES:
            raise refuse(name, f"PDF 页数超过 {MAX_PAGES} 页")
        size = sum(_unpacked_size(stream) for stream in _streams(page.contents))
        if size > MAX_PAGE_CONTENT_MB * 1024 * 1024:
            raise refuse(name, f"PDF 第{number}页的内容解压后超过 {MAX_PAGE_CONTENT_MB} MB")
        total += size
        if total > MAX_CONTENT_MB * 1024 * 1024:
            raise refuse(name, f"PDF 各页的内容解压后共超过 {MAX_CONTENT_MB} MB")


def _streams(contents) -> list:
    streams = []
    for item in contents if isinstance(contents, list) else [contents]:
        try:
            streams.append(stream_value(item))
        except Exception:  # not a stream: pdfminer skips it when it lays the page out
            continue
    return streams


def _unpacked_size(stream) -> int:
    """What a content stream unpacks to, at most one byte past the page bound, without unpacking the rest.

    Only the filters that text PDFs use are followed; a stream of another filter counts as its packed size,
    and the process's memory bound (sandbox.py) holds what it unpacks to.
    """
    limit = MAX_PAGE_CONTENT_MB * 1024 * 1024 + 1
    data = stream.rawdata if stream.rawdata is not None else stream.data or b""
    for filter_name, _ in stream.get_filters() if stream.rawdata is not None else []:
        name = getattr(filter_name, "name", str(filter_name))
        try:
            if name in ("FlateDecode", "Fl"):
                data = zlib.decompressobj().decompress(data, limit)
            elif name in ("ASCII85Decode", "A85"):
                data = ascii85decode(data)  # these two only shrink what they decode
            elif name in ("ASCIIHexDecode", "AHx"):
                data = asciihexdecode(data)
            else:
                break
        except Exception:  # damaged: pdfminer decodes what it can when it lays the page out
            break
    return len(data)


def _open_error(name: str, exc: Exception) -> PlanFormatError:
    cause = " ".join(type(a).__name__ for a in getattr(exc, "args", ())) + " " + str(exc)
    if "Password" in cause or "Encrypt" in cause:
        return PlanFormatError(name, "PDF 已加密（需要打开密码），无法读取；请取消加密后另存，或上传 Word 文档")
    return PlanFormatError(name, "PDF 文件已损坏，无法打开；请重新下载或另存后再试")


def _read_page(page, number: int) -> list[_Line | _Table]:
    # A table's first row alone at the foot of a page is still a table: it runs on over the page.
    # Only a page with rules can hold a ruled table; looking for one costs most of the reading time.
    candidates = page.find_tables() if page.lines or page.rects else []
    found = [t for t in candidates if t.rows and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list[_Line | _Table] = []
    for line in text_page.extract_text_lines(strip=True, return_chars=False):
        if line["text"].strip():
            items.append(_Line(number, 0, line["text"], line["x0"], line["x1"], line["top"], line["bottom"]))
    for table in found:
        rows = [
            _row_cells(row.cells, texts, table.bbox) for row, texts in zip(table.rows, table.extract(), strict=True)
        ]
        items.append(_Table(number, table.bbox[1], rows))
    items.sort(key=lambda item: item.top)
    for k, line in enumerate([i for i in items if isinstance(i, _Line)], start=1):
        line.number = k
    return items


def _row_cells(boxes: list, texts: list, table_box: tuple) -> list[str]:
    """A row's cells with merged cells once, as Word's text export writes them: a cell merged across columns is
    one cell; where a cell merged down from the row above covers a column, the row has an empty cell."""
    out = []
    for j, (box, text) in enumerate(zip(boxes, texts, strict=True)):
        if box is not None:
            out.append(_cell(text or ""))
            continue
        left = next((b for b in reversed(boxes[:j]) if b is not None), None)
        right = next((b for b in boxes[j + 1 :] if b is not None), None)
        # Covered from the left, the neighbours meet; covered from above, a column's width lies between them.
        if (right[0] if right else table_box[2]) - (left[2] if left else table_box[0]) > 2:
            out.append("")
    return out


def _cell(text: str) -> str:
    return "".join(part.strip() for part in text.splitlines())


def _drop_running_lines(pages: list[list[_Line | _Table]]) -> None:
    """Remove page numbers and the headers and footers that repeat at the top or bottom of pages."""

    def key(line: _Line) -> str:
        # Same words at the same height: a title that the header repeats is not itself a header.
        return f"{round(line.top / 4)}:" + re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    edges: Counter[str] = Counter()
    for items in pages:
        lines = [i for i in items if isinstance(i, _Line)]
        for line in {*lines[:2], *lines[-2:]} if lines else ():
            edges[key(line)] += 1
    repeated = {k for k, n in edges.items() if n >= 2 and n >= len(pages) * 0.3}

    def running(line: _Line) -> bool:
        return bool(PAGE_NUMBER.match(line.text)) or key(line) in repeated

    for items in pages:
        for end in (0, -1):
            for _ in range(2):
                lines = [i for i in items if isinstance(i, _Line)]
                if not lines or not running(lines[end]):
                    break
                edge = lines[end]
                # Only at the page's edge: nothing else (a table) may stand beyond it.
                if items[end] is not edge:
                    break
                items.remove(edge)


def _build(pages: list[list[_Line | _Table]], name: str) -> Builder:
    lines = [i for items in pages for i in items if isinstance(i, _Line)]
    out = Builder(name)
    if not lines:
        return out
    size = statistics.median(line.bottom - line.top for line in lines) or 10
    left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    widths = sorted(line.x1 for line in lines if abs(line.x0 - left) < size / 2) or [max(x.x1 for x in lines)]
    right = widths[int(len(widths) * 0.9)]
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.page == a.page and b.top > a.top]
    spacing = statistics.median(gaps) if gaps else size * 1.5

    paragraph: list[_Line] = []
    table_rows: list[list[str]] = []
    table_at: tuple[int, int] = (0, 0)  # page and table number on it, for the place of each row
    previous: _Line | _Table | None = None

    def flush_paragraph() -> None:
        if paragraph:
            text = paragraph[0].text
            for before, line in zip(paragraph, paragraph[1:], strict=False):
                glue = " " if ASCII_WORD.match(before.text[-1:]) and ASCII_WORD.match(line.text[:1]) else ""
                text += glue + line.text
            first = paragraph[0]
            out.paragraph(text, f"第{first.page}页第{first.number}行")
            paragraph.clear()

    def flush_table() -> None:
        if table_rows:
            page = table_at[0]
            out.table(list(table_rows), lambda r, c: f"第{page}页起的表格第{r + 1}行")
            table_rows.clear()

    for items in pages:
        for item in items:
            if isinstance(item, _Table):
                flush_paragraph()
                # A table that runs on from the page before, with nothing between, is the same table.
                if not (isinstance(previous, _Table) and item.page == previous.page + 1):
                    flush_table()
                    table_at = (item.page, 0)
                table_rows.extend(item.rows)
            else:
                flush_table()
                if paragraph and _starts_paragraph(item, paragraph[-1], left, right, size, spacing):
                    flush_paragraph()
                paragraph.append(item)
            previous = item
    flush_paragraph()
    flush_table()
    return out


def _starts_paragraph(line: _Line, before: _Line, left: float, right: float, size: float, spacing: float) -> bool:
    if line.x0 > left + size * 0.8:  # indented first line, or a centred title
        return True
    # The line before stopped short of the margin, and not because this line's first word (61.86%) would not fit.
    word = LEADING_WORD.match(line.text)
    room = size * 1.5 + (len(word.group()) * size * 0.55 if word else 0)
    if before.x1 < right - room:
        return True
    if before.x0 > left + size * 0.8 and before.x1 < right - size * 1.5:
        return True
    return line.page == before.page and line.top - before.top > spacing * 1.8
