"""OFD (the Chinese fixed-layout format, GB/T 33190): refused with what to do instead.

The one maintained OFD reader on PyPI (easyofd) depends on PyMuPDF, which is AGPL and not allowed
here; no permissively licensed library reads OFD text. Sites that publish an OFD attach the same
plan as .docx or PDF beside it.
"""

from __future__ import annotations

from ..structures import PlanFormatError


def read_ofd(data: bytes, name: str):
    raise PlanFormatError(
        name,
        "暂不支持 OFD 版式文件；请下载同一页面附带的 Word（.docx）或 PDF 版本，"
        "或用数科/福昕 OFD 阅读器另存为 PDF 后上传",
    )
