"""The one registry of the file formats a plan comes in: what each is called, by which suffixes, whether it is read,
converted by LibreOffice first, read in the bounded child process, or refused with what to do instead.

The upload form's list, the refusals' "可上传的格式为 …", the labels of messages (Word 文档, PDF 文件), the kinds
the loader reads in a child process and the kinds `ingest_plans` skips in a folder all come from FORMATS below:
a format is one entry here. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    kind: str  # what readers.sniff calls it
    label: str  # what a user calls it, in messages: Word 文档
    suffixes: tuple[str, ...] = ()  # the names a user gives such a file, for the upload form and the refusals
    offered: str = ""  # how the upload form lists it: Word（.docx）; '' when the form does not name it
    converted: bool = False  # LibreOffice turns it into .docx first (seconds: the web upload runs it as a task)
    sandboxed: bool = False  # read in the child process with bounded CPU, memory and time (readers.sandbox)
    refusal: str = ""  # why it is not read and what to do instead; '' for a format that is read


def _refused(kind: str, label: str, why: str) -> Format:
    return Format(kind, label, refusal=why)


READ = (
    Format("docx", "Word 文档", (".docx",), "Word（.docx、.doc）", sandboxed=True),
    Format("doc", "Word 97-2003 / WPS 文档", (".doc", ".wps"), "WPS（.wps）", converted=True, sandboxed=True),
    Format("pdf", "PDF 文件", (".pdf",), "PDF（文字版）", sandboxed=True),
    Format("html", "网页", (".html",), "网页（.html/.htm）", sandboxed=True),
    Format("text", "文本文件", (".txt",), "纯文本（.txt）"),
    Format("xlsx", "Excel 工作簿", (".xlsx",), "Excel 分工表（.xlsx）", sandboxed=True),
    Format("rtf", "RTF 文档", converted=True, sandboxed=True),
    Format("odt", "OpenDocument 文档", converted=True, sandboxed=True),
)
ACCEPTED = "、".join(suffix for f in READ for suffix in f.suffixes)
TRY_INSTEAD = f"可上传的格式为 {ACCEPTED}，请在 Word/WPS 中另存为 .docx、PDF 或纯文本（.txt）后上传"
REFUSED_FORMATS = (
    _refused(
        "xls",
        "旧版 Excel 工作簿",
        f"这是旧版 Excel 工作簿（.xls）；请在 Excel/WPS 中另存为 .xlsx 后上传（{TRY_INSTEAD}）",
    ),
    _refused("pptx", "演示文稿", "这是演示文稿，不是方案全文；" + TRY_INSTEAD),
    _refused("image", "图片", "这是图片，没有可读取的文字；" + TRY_INSTEAD),
    _refused("archive", "压缩包", f"这是压缩包；请解压后上传其中的方案文件（可上传的格式为 {ACCEPTED}）"),
    _refused("zip", "压缩文件", "无法识别的压缩格式文件；" + TRY_INSTEAD),
    # OFD is read by readers/ofd.py, which says what to do instead: no permissively licensed reader exists.
    Format("ofd", "OFD 文件"),
)
FORMATS = {f.kind: f for f in (*READ, *REFUSED_FORMATS)}

# Derived views, for the modules that need one.
OFFERED = "、".join(f.offered for f in READ if f.offered)  # the upload form's list
LABELS = {kind: f.label for kind, f in FORMATS.items()}
CONVERTED = {kind: f.label for kind, f in FORMATS.items() if f.converted}
SANDBOXED = frozenset(kind for kind, f in FORMATS.items() if f.sandboxed)
REFUSED = {kind: f.refusal for kind, f in FORMATS.items() if f.refusal}
