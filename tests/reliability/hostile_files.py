"""Generators of hostile plan files, one or more for every reader: small to upload, ruinous to read naively.

Each is built in memory in well under a second: a compressed bomb is made of one deflated block repeated (the
deflate stream of a run of identical bytes is the same block again and again), a deep or long document is
written as a stream of repeated bytes. HOSTILE maps a name to (file name, maker, what the refusal says), where
the file name carries the extension the file claims (which may lie) and a refusal of None means the file must
be read correctly, as the plan it holds.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

from tests.documents import make_docx, make_html, make_pdf

MB = 1024 * 1024

# A plan small enough to read in every format, and whole: a title, a region, two tasks with their units.
PLAN = """长沙市雨花区碳达峰实施方案

一、主要目标
到2025年，非化石能源消费比重达到20%，单位地区生产总值能源消耗和二氧化碳排放确保完成上级下达目标，为实现碳达峰奠定坚实基础。
到2030年，非化石能源消费比重进一步提高，单位地区生产总值二氧化碳排放比2005年下降65%以上，顺利实现2030年前碳达峰目标。

二、重点任务
（一）推进能源绿色低碳转型
1.大力发展新能源。加快分布式光伏建设，推进公共建筑屋顶光伏全覆盖，因地制宜发展地热能和生物质能。（区发展和改革局牵头，区财政局配合）
2.严格控制煤炭消费。推动煤电节能降碳改造、灵活性改造和供热改造，严控新增耗煤项目。（区工业和信息化局负责）
"""
PLAN_TITLE = "长沙市雨花区碳达峰实施方案"


@functools.cache
def plan_docx() -> bytes:
    return make_docx(PLAN)


@functools.cache
def plan_pdf() -> bytes:
    return make_pdf(PLAN)


@functools.cache
def plan_html() -> bytes:
    return make_html(PLAN)


# --- Deflate made cheaply ---------------------------------------------------------------------------------------


def repeated_deflate(chunk: bytes, times: int, wbits: int = -15) -> tuple[bytes, int, int]:
    """`chunk` repeated `times` times, deflated (raw for a zip member, wbits=15 for zlib as PDF streams use),
    with its CRC-32 and length; the compressor runs on three chunks whatever `times` is."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    blocks = [compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) for _ in range(3)]
    # After a full flush the compressor forgets the history: every further chunk deflates to the same block.
    assert blocks[1] == blocks[2]
    body = blocks[0] + blocks[1] * (times - 1)
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    if wbits > 0:
        # zlib's trailer is the Adler-32 of the whole, which the compressor only knows for what it saw.
        adler = 1
        for _ in range(times):
            adler = zlib.adler32(chunk, adler)
        tail = compressor.flush(zlib.Z_FINISH)
        return body + tail[:-4] + struct.pack(">I", adler), crc, len(chunk) * times
    return body + compressor.flush(zlib.Z_FINISH), crc, len(chunk) * times


def zip_with(base: bytes, replace: dict[str, bytes | tuple[bytes, int, int]], declared: dict[str, int] | None = None):
    """The zip `base` with some members replaced: plain bytes, or (raw deflate, crc, size) already compressed.

    `declared` states a member's size in the zip's directory as something other than what it is (the lie a zip
    bomb tells to get past a check of the directory alone). Written by hand: zipfile cannot take a member
    compressed elsewhere.
    """
    members: list[tuple[str, bytes, int, int, int]] = []  # name, compressed, crc, size, method
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        names = [i.filename for i in source.infolist()]
        for name in names:
            content = replace.get(name, source.read(name))
            if isinstance(content, tuple):
                members.append((name, *content, zipfile.ZIP_DEFLATED))
            else:
                compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
                packed = compressor.compress(content) + compressor.flush()
                members.append((name, packed, zlib.crc32(content), len(content), zipfile.ZIP_DEFLATED))
        for name, content in replace.items():
            if name not in names:
                packed, crc, size = content if isinstance(content, tuple) else (*_deflate(content),)
                members.append((name, packed, crc, size, zipfile.ZIP_DEFLATED))
    out = io.BytesIO()
    directory = []
    for name, packed, crc, size, method in members:
        stated = (declared or {}).get(name, size)
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(packed), stated, len(encoded), 0)
        )
        out.write(encoded + packed)
        directory.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(packed), stated,
                        len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )  # fmt: skip
    start = out.tell()
    for entry in directory:
        out.write(entry)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), end - start, start, 0))
    return out.getvalue()


def _deflate(content: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)


# --- Word ---------------------------------------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'.encode()
_TITLE = f"<w:p><w:r><w:t>{PLAN_TITLE}</w:t></w:r></w:p>".encode()
_TAIL = b"</w:body></w:document>"


def _document(*middle: bytes | tuple[bytes, int]) -> tuple[bytes, int, int]:
    """word/document.xml from its parts, each plain or (chunk, times) repeated, as one compressed member."""
    return _document_part(_HEAD, _TITLE, *middle, _TAIL)


def _document_part(*parts: bytes | tuple[bytes, int]) -> tuple[bytes, int, int]:
    """A zip member from its parts, each plain or (chunk, times) repeated: (raw deflate, crc, size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for part in parts:
        if isinstance(part, tuple):
            chunk, times = part
            packed, _, part_size = repeated_deflate(chunk, times)
            out.append(compressor.flush(zlib.Z_FULL_FLUSH))
            # A raw deflate stream ends with a final block; a stored empty non-final block keeps ours going.
            out.append(_not_final(packed))
            crc = _crc_repeated(crc, chunk, times)
            size += part_size
        else:
            out.append(compressor.compress(part))
            crc = zlib.crc32(part, crc)
            size += len(part)
    out.append(compressor.flush())
    return b"".join(out), crc, size


def _not_final(packed: bytes) -> bytes:
    """A raw deflate stream without its final block: cut at the last full flush and re-synced."""
    compressor_end = packed.rfind(b"\x00\x00\xff\xff")
    return packed[: compressor_end + 4]


def _crc_repeated(crc: int, chunk: bytes, times: int) -> int:
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return crc


def _styles_bomb() -> tuple[bytes, int, int]:
    """word/styles.xml, which every reader of the document loads, padded with 2 GB of blanks: 2 MB packed."""
    return _document_part(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {_W}>'.encode(),
        (b" " * MB, 2048),
        b"</w:styles>",
    )


def docx_zip_bomb() -> bytes:
    """A plan whose styles unpack to 2 GB: 2 MB to upload."""
    return zip_with(plan_docx(), {"word/styles.xml": _styles_bomb()})


def docx_lying_sizes() -> bytes:
    """The same, with the zip's directory stating the part's size as 1 KB: only unpacking it tells."""
    return zip_with(plan_docx(), {"word/styles.xml": _styles_bomb()}, declared={"word/styles.xml": 1024})


def docx_huge_run() -> bytes:
    """One run of text that unpacks to 300 MB (the finding: refused only after 753 MB)."""
    return zip_with(plan_docx(), {"word/document.xml": _document(b"<w:p><w:r><w:t>", ("碳".encode() * 4096, 25600),
                                                                 b"</w:t></w:r></w:p>")})  # fmt: skip


def docx_many_paragraphs() -> bytes:
    """100,000 paragraphs (the finding: a preview of 80 s and 1.7 GB)."""
    paragraph = "<w:p><w:r><w:t>推动绿色低碳发展。</w:t></w:r></w:p>".encode()
    return zip_with(plan_docx(), {"word/document.xml": _document((paragraph * 100, 1000))})


def docx_deep_nesting() -> bytes:
    """Content controls nested 100,000 deep around one paragraph."""
    return zip_with(
        plan_docx(),
        {"word/document.xml": _document((b"<w:sdt><w:sdtContent>" * 1000, 100), _TITLE,
                                        (b"</w:sdtContent></w:sdt>" * 1000, 100))},
    )  # fmt: skip


def docx_entities() -> bytes:
    """A billion laughs: entities that would expand to gigabytes if the parser expanded them."""
    laughs = '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    for n in range(1, 10):
        laughs += f'<!ENTITY {chr(97 + n)} "{("&" + chr(96 + n) + ";") * 10}">'
    laughs += "]>"
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{laughs}<w:document {_W}><w:body>'
        f"<w:p><w:r><w:t>{PLAN_TITLE}&j;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return zip_with(plan_docx(), {"word/document.xml": document})


def docx_named_pdf() -> bytes:
    return plan_docx()


def docx_truncated() -> bytes:
    data = plan_docx()
    return data[: len(data) // 2]


# --- PDF ----------------------------------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (1 is the catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s /Resources %s >>"


def _stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def pdf_many_pages(pages: int = 2000) -> bytes:
    """2,000 pages of text sharing one content stream: 300 KB (the finding: not done in 150 s)."""
    text = b"BT /F1 12 Tf 72 720 Td (Promote green and low-carbon development in every sector.) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               _stream(text), _FONT]  # fmt: skip
    page = _PAGE % (b"3 0 R", b"<< /Font << /F1 4 0 R >> >>")
    return _pdf(objects + [page] * pages)


def _one_page(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>") -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", content, _FONT,
               _PAGE % (b"3 0 R", resources)]  # fmt: skip
    return _pdf(objects)


def pdf_stream_bomb() -> bytes:
    """A page whose content stream inflates to 1 GB of spaces: 1 MB to upload."""
    packed, _, _ = repeated_deflate(b" " * MB, 1024, wbits=15)
    return _one_page(_stream(packed, b"/Filter /FlateDecode "))


def pdf_many_characters() -> bytes:
    """One page drawing 2.9 million characters, a text object each: 65 MB of operators in 170 KB."""
    packed, _, _ = repeated_deflate(b"BT /F1 1 Tf (x) Tj ET " * 1024 * 8, 360, wbits=15)
    return _one_page(_stream(packed, b"/Filter /FlateDecode "))


def pdf_deep_nesting() -> bytes:
    """A page's resources an array nested 100,000 deep."""
    nested = b"[" * 100_000 + b"]" * 100_000
    content = _stream(b"BT /F1 12 Tf 72 720 Td (Plan) Tj ET")
    return _one_page(content, b"<< /Font << /F1 4 0 R >> /Deep " + nested + b" >>")


def pdf_named_docx() -> bytes:
    return plan_pdf()


def pdf_truncated() -> bytes:
    data = plan_pdf()
    return data[: len(data) // 2]


# --- Web pages ----------------------------------------------------------------------------------------------------


def html_nested(levels: int = 200) -> bytes:
    """A plan inside 200 nested <div>s, deeper than any real page: read as the plan."""
    return html_deep_nesting(levels)


def html_deep_nesting(levels: int = 200_000) -> bytes:
    """A plan inside 200,000 nested <div>s: 1 MB (the finding: not done in 150 s)."""
    body = plan_html().split(b"<body>", 1)[1]
    return b"<html><head><meta charset=utf-8></head><body>" + b"<div>" * levels + body


def html_nested_many_times() -> bytes:
    """300 paragraphs each 250 <div>s deep, then the plan: 75,000 elements, each nested as deep as the bound
    allows (finding the article looked through every element's subtree: the square of the depth)."""
    block = b"<div>" * 250 + "<p>推动绿色低碳发展。</p>".encode() + b"</div>" * 250
    body = plan_html().split(b"<body>", 1)[1]
    return b"<html><head><meta charset=utf-8></head><body>" + block * 300 + body


def html_many_paragraphs() -> bytes:
    """300,000 paragraphs: 10 MB."""
    paragraph = "<p>推动绿色低碳发展。</p>".encode()
    return b"<html><head><meta charset=utf-8></head><body><h1>" + PLAN_TITLE.encode() + b"</h1>" + paragraph * 300_000


def html_huge_text() -> bytes:
    """One paragraph of 6 million characters: 18 MB, under the upload limit."""
    return (
        b"<html><head><meta charset=utf-8></head><body><h1>" + PLAN_TITLE.encode() + b"</h1><p>"
        + "碳".encode() * 6_000_000 + b"</p></body></html>"
    )  # fmt: skip


def html_named_docx() -> bytes:
    return plan_html()


def html_truncated() -> bytes:
    data = plan_html()
    return data[: len(data) * 2 // 3]


# --- Plain text ---------------------------------------------------------------------------------------------------


def text_many_lines() -> bytes:
    """The plan, then 500,000 short lines: 14 MB."""
    return PLAN.encode() + "推动绿色低碳发展。\n".encode() * 500_000


def text_one_huge_line() -> bytes:
    """The plan, then one line of 6 million characters: 18 MB."""
    return PLAN.encode() + "碳".encode() * 6_000_000 + b"\n"


def text_truncated() -> bytes:
    """The plan cut in the middle of a character."""
    data = PLAN.encode()
    return data[:-2]


def text_named_pdf() -> bytes:
    return PLAN.encode()


# --- .doc / .wps: converted by LibreOffice first ------------------------------------------------------------------


def doc_truncated() -> bytes:
    """The head of a Word 97 file and nothing after: LibreOffice cannot convert it."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(600)


def doc_text() -> bytes:
    """A .doc that is a plain text file, as some sites serve."""
    return PLAN.encode("gb18030")


def wps_web_page() -> bytes:
    """A .wps that is a saved web page."""
    return plan_html()


DEPTH = "嵌套超过"
PAGES = "页数超过"
UNPACKED = "解压后超过"
PARAGRAPHS = "段落超过"
CHARACTERS = "文字超过"

# name → (file name as uploaded, maker, words of the refusal or None when the file must be read as the plan).
HOSTILE = {
    "docx_zip_bomb": ("方案.docx", docx_zip_bomb, UNPACKED),
    "docx_lying_sizes": ("方案.docx", docx_lying_sizes, "Word 文档已损坏"),  # a bad CRC once unpacked
    "docx_huge_run": ("方案.docx", docx_huge_run, UNPACKED),
    "docx_many_paragraphs": ("方案.docx", docx_many_paragraphs, PARAGRAPHS),
    "docx_deep_nesting": ("方案.docx", docx_deep_nesting, DEPTH),
    "docx_entities": ("方案.docx", docx_entities, "Word 文档内容损坏"),
    "docx_named_pdf": ("方案.pdf", docx_named_pdf, None),
    "docx_truncated": ("方案.docx", docx_truncated, "Word 文档已损坏"),
    "pdf_many_pages": ("方案.pdf", pdf_many_pages, PAGES),
    "pdf_stream_bomb": ("方案.pdf", pdf_stream_bomb, UNPACKED),
    "pdf_many_characters": ("方案.pdf", pdf_many_characters, UNPACKED),
    "pdf_deep_nesting": ("方案.pdf", pdf_deep_nesting, "PDF 中没有可读取的文字"),
    "pdf_named_docx": ("方案.docx", pdf_named_docx, None),
    "pdf_truncated": ("方案.pdf", pdf_truncated, "PDF 文件已损坏"),
    "html_deep_nesting": ("方案.html", html_deep_nesting, DEPTH),
    "html_nested_many_times": ("方案.html", html_nested_many_times, None),
    "html_many_paragraphs": ("方案.html", html_many_paragraphs, "元素超过"),
    "html_huge_text": ("方案.html", html_huge_text, CHARACTERS),
    "html_nested": ("方案.html", html_nested, None),
    "html_named_docx": ("方案.docx", html_named_docx, None),
    "html_truncated": ("方案.html", html_truncated, "网页中找不到正文"),
    "text_many_lines": ("方案.txt", text_many_lines, PARAGRAPHS),
    "text_one_huge_line": ("方案.txt", text_one_huge_line, CHARACTERS),
    "text_truncated": ("方案.txt", text_truncated, "无法识别文件编码"),
    "text_named_pdf": ("方案.pdf", text_named_pdf, None),
    "doc_text": ("方案.doc", doc_text, None),
    "wps_web_page": ("方案.wps", wps_web_page, None),
}
# Files LibreOffice must convert: run where it is installed.
CONVERTED = {"doc_truncated": ("方案.doc", doc_truncated, "无法转换")}


# --- The 分工表 import (.xlsx): beyond the workbooks of hostile_workbooks.py ------------------------------------


def xlsx_truncated() -> bytes:
    from tests.reliability.hostile_workbooks import HEADER, _base

    data = _base([*HEADER, ["任务乙", "区财政局"]])
    return data[: len(data) // 2]


def xlsx_deep_nesting() -> bytes:
    """A sheet whose one cell sits inside 100,000 nested elements."""
    from tests.reliability.hostile_workbooks import HEADER, _base

    def sheet() -> tuple[bytes, int, int]:
        return _document_part(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1">',
            (b"<x>" * 1000, 100),
            b'<c r="A1" t="inlineStr"><is><t>1</t></is></c>',
            (b"</x>" * 1000, 100),
            b"</row></sheetData></worksheet>",
        )

    return zip_with(_base(HEADER), {"xl/worksheets/sheet1.xml": sheet()})


def xlsx_named_docx() -> bytes:
    """A Word document uploaded as the 分工表."""
    return plan_docx()


# name → (maker, words of the refusal); read by the 分工表 import, plans.spreadsheets.division_import.
WORKBOOKS = {
    "xlsx_truncated": (xlsx_truncated, "这不是 Excel 工作簿"),
    "xlsx_deep_nesting": (xlsx_deep_nesting, "没有找到分工表"),
    "xlsx_named_docx": (xlsx_named_docx, "无法读取该 Excel 文件"),
}
