"""LibreOffice conversions end with their processes: a conversion that times out, and one that succeeds, leave no
soffice process behind (each timed-out conversion used to leave soffice.bin running with some 3 GB and a busy
core)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from plans.parsing import PlanFormatError
from plans.parsing.readers.office import convert_to_docx, soffice_path
from tests.reliability.hostile_files import docx_many_paragraphs, plan_docx


@pytest.fixture
def soffice():
    program = soffice_path()
    if program is None:
        if os.environ.get("LIBREOFFICE_TESTS") == "required":
            pytest.fail("LibreOffice (soffice) is required but not installed: apt-get install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return program


@pytest.fixture
def work_dir(tmp_path, monkeypatch) -> Path:
    """The directory conversions make their work and profile directories in: this test's own, so that only its
    LibreOffice processes are counted, whatever else runs on the machine."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def soffice_processes(under: Path) -> list[str]:
    """The command lines of the LibreOffice processes working in `under` (the launcher, soffice.bin)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # ended while we looked
        if "soffice" in command and str(under) in command and state != "Z":
            found.append(command)
    return found


def left_after(under: Path, seconds: float = 5) -> list[str]:
    """The processes still there after a moment (a killed process takes a little while to go)."""
    deadline = time.monotonic() + seconds
    while (found := soffice_processes(under)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_conversion_that_times_out_leaves_no_soffice_running(soffice, work_dir):
    # LibreOffice starts in about 3 s and takes some 35 s over these 100,000 paragraphs: the timeout falls in the
    # middle of the conversion, when killing the launcher alone left soffice.bin converting on.
    started = time.monotonic()
    with pytest.raises(PlanFormatError, match=r"方案\.doc: LibreOffice 转换超时（超过 8 秒）"):
        convert_to_docx(docx_many_paragraphs(), "方案.doc", "Word 97-2003 / WPS 文档", soffice, timeout=8)
    assert time.monotonic() - started < 12
    assert left_after(work_dir) == []


def test_a_conversion_that_succeeds_leaves_no_soffice_running(soffice, work_dir):
    converted = convert_to_docx(plan_docx(), "方案.doc", "Word 97-2003 / WPS 文档", soffice)
    assert converted.startswith(b"PK")
    assert left_after(work_dir, seconds=0) == []
