"""Word 97-2003 (.doc), WPS (.wps), RTF and OpenDocument files: converted to .docx by LibreOffice, then read.

LibreOffice runs headless in a throw-away profile, so conversions never share or lock the user's
profile and two can run at once, and a stuck one cannot block the next. It runs in a process group of its
own: `soffice` is a launcher that starts `soffice.bin`, and killing the launcher alone on a timeout left
soffice.bin running (3 GB and a busy core each time), so the whole group is killed when the conversion ends,
however it ends. Converting takes seconds; the web upload runs it as a task.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..structures import PlanFormatError

INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
TIMEOUT = 120  # seconds: a plan converts in a few; a hung conversion must not hold a worker forever


def soffice_path(configured: str | None = None) -> str | None:
    """The LibreOffice program to run, or None when it is not installed."""
    candidate = configured or os.environ.get("SOFFICE") or "soffice"
    if os.sep in candidate:
        return candidate if os.access(candidate, os.X_OK) else None
    return shutil.which(candidate)


def missing_message(kind_label: str) -> str:
    return (
        f"这是{kind_label}，需要 LibreOffice 转换后才能读取，但服务器上没有安装 LibreOffice"
        f"（管理员可执行 `{INSTALL_HINT}` 安装）；也可以在 Word/WPS 中另存为 .docx 或 PDF 后上传"
    )


def convert_to_docx(
    data: bytes, name: str, kind_label: str, soffice: str | None = None, timeout: float = TIMEOUT
) -> bytes:
    """The file as .docx bytes. Raises PlanFormatError naming the file when LibreOffice is missing or fails, or
    takes more than `timeout` seconds. No LibreOffice process outlives the call."""
    program = soffice_path(soffice)
    if program is None:
        raise PlanFormatError(name, missing_message(kind_label))
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in {".doc", ".wps", ".rtf", ".odt"} else ".doc"
    with tempfile.TemporaryDirectory(prefix="plan-convert-") as work:
        source = Path(work) / f"source{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            work,
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        except OSError as exc:
            raise PlanFormatError(name, missing_message(kind_label)) from exc
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise PlanFormatError(name, f"LibreOffice 转换超时（超过 {timeout:g} 秒）；请另存为 .docx 后上传") from exc
        finally:
            _kill_group(process)
        converted = Path(work) / "source.docx"
        if returncode != 0 or not converted.exists():
            # LibreOffice says why in English on stderr; the user is told what to do instead, in Chinese.
            raise PlanFormatError(
                name, "无法转换这个文件（可能已损坏或加密）；请在 Word/WPS 中打开后另存为 .docx 再上传"
            )
        return converted.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    """Kill what the conversion started (the launcher's soffice.bin among it) and reap the launcher."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # every process of the group has ended
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
