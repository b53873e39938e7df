"""Word documents (.docx): paragraphs and tables in document order, numbering as Word shows it.

Paragraph text is read from the XML so that tracked insertions count and deletions do not; Word's
automatic numbering (numbering.xml) is put in front of the text; heading styles (标题 1, Heading 2,
an outline level) are kept as outline hints; merged table cells are read once, as the Word text
export writes them: a horizontally merged cell is one cell, and the rows a vertically merged cell
continues into have an empty cell in its place.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..structures import PlanFormatError
from .base import Builder, Source
from .bounds import MAX_DEPTH, check_zip, refuse
from .numbering import Numbering

HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.IGNORECASE)
SKIPPED = {qn("w:del"), qn("w:moveFrom"), qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:fldChar")}
SKIPPED_TAGS = {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}


DAMAGED = "Word 文档已损坏或不完整，无法打开；请在 Word/WPS 中打开后另存为 .docx"


def read_docx(data: bytes, name: str, kind: str = "docx") -> Source:
    # python-docx unpacks every part it needs whole: what the parts unpack to is bounded before it starts.
    check_zip(data, name, DAMAGED)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanFormatError(name, DAMAGED) from exc
    except MemoryError:
        raise
    except Exception as exc:  # lxml's XMLSyntaxError and others: a damaged part inside the zip
        if "depth" in str(exc).lower():
            # libxml2 stops at 256 levels of elements: a real document nests a few (a table in a table).
            raise refuse(name, f"Word 文档的内容嵌套超过 {MAX_DEPTH} 层") from exc
        raise PlanFormatError(name, "Word 文档内容损坏，无法读取；请在 Word/WPS 中打开后另存为 .docx 再上传") from exc
    numbering = Numbering(_numbering_part(document))
    styles = _Styles(document)
    out = Builder(name)
    paragraph_count = table_count = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraph_count += 1
            num_id, ilvl = styles.numbering_of(block)
            label = numbering.label(num_id, ilvl)
            text = label + _paragraph_text(block._p)
            out.paragraph(text, f"第{paragraph_count}段", styles.heading_level(block))
        elif isinstance(block, Table):
            table_count += 1
            rows = [["" if _continues_merge(tc) else _cell_text(tc) for tc in tr.tc_lst] for tr in block._tbl.tr_lst]
            n = table_count
            out.table(rows, lambda r, c, n=n: f"表{n}第{r + 1}行第{c + 1}格")
    metadata = {}
    title = (document.core_properties.title or "").strip()
    if title:
        metadata["标题"] = title
    return out.source(name, kind, metadata)


def _numbering_part(document):
    try:
        return document.part.numbering_part
    except (KeyError, NotImplementedError):
        return None


def _paragraph_text(p) -> str:
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def _collect(element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in SKIPPED or tag in SKIPPED_TAGS:
            continue
        if tag == qn("w:t"):
            parts.append(child.text or "")
        elif tag == qn("w:tab"):
            parts.append(" ")
        elif tag in (qn("w:br"), qn("w:cr")):
            if child.get(qn("w:type")) not in ("page", "column"):
                parts.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
        elif tag == qn("w:instrText"):
            continue
        else:
            _collect(child, parts)


def _cell_text(tc) -> str:
    # A cell's paragraphs are lines of it: a clerk puts one unit to a line (Builder.table keeps them apart).
    return "\n".join(_paragraph_text(p) for p in tc.iter(qn("w:p")))


def _continues_merge(tc) -> bool:
    tc_pr = tc.tcPr
    if tc_pr is None:
        return False
    v_merge = tc_pr.find(qn("w:vMerge"))
    return v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"


class _Styles:
    """Paragraph styles: the numbering and the outline level a style gives its paragraphs."""

    def __init__(self, document) -> None:
        self.by_id = {}
        try:
            for style in document.styles:
                self.by_id[style.style_id] = style
        except (KeyError, NotImplementedError):
            pass

    def _chain(self, paragraph: Paragraph):
        style_id = paragraph._p.style
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            base = style.element.find(qn("w:basedOn"))
            style_id = base.get(qn("w:val")) if base is not None else None

    def numbering_of(self, paragraph: Paragraph) -> tuple[str | None, int]:
        num_pr = _num_pr(paragraph._p.pPr)
        if num_pr is not None:
            return num_pr
        for style in self._chain(paragraph):
            num_pr = _num_pr(style.element.pPr)
            if num_pr is not None:
                return num_pr
        return None, 0

    def heading_level(self, paragraph: Paragraph) -> int | None:
        level = _outline_level(paragraph._p.pPr)
        if level is not None:
            return level
        for style in self._chain(paragraph):
            found = HEADING_STYLE.match(style.name or "")
            if found:
                return int(found.group(2))
            level = _outline_level(style.element.pPr)
            if level is not None:
                return level
        return None


def _num_pr(p_pr) -> tuple[str | None, int] | None:
    if p_pr is None:
        return None
    num_pr = p_pr.find(qn("w:numPr"))
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        int(ilvl.get(qn("w:val"))) if ilvl is not None else 0,
    )


def _outline_level(p_pr) -> int | None:
    if p_pr is None:
        return None
    level = p_pr.find(qn("w:outlineLvl"))
    if level is None:
        return None
    value = int(level.get(qn("w:val")))
    return value + 1 if value < 9 else None
