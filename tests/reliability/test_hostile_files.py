"""Hostile plan files of every format: each is refused, naming the file and the bound, or read as the plan it
holds, within 10 s and 600 MB, and nothing is stored; reading that runs past the child process's CPU time, memory
or wall time is stopped and refused naming the limit, and leaves no process behind.

The files are made by tests/reliability/hostile_files.py; each is read in a fresh process by
scripts/hostile_files.py, so that its peak memory is its own (the README's table is that script's output)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Plan, PlanUpload
from plans.parsing import PlanFormatError
from plans.parsing.readers import sandbox
from plans.parsing.readers.office import soffice_path
from tests.documents import make_pdf, seed_text
from tests.factories import model_counts

from .hostile_files import CONVERTED, HOSTILE, MB, PLAN_TITLE, WORKBOOKS, _document, plan_docx, zip_with

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10
PEAK_MB = 600


def measured(name: str) -> dict:
    """The file made and read in a fresh process: its outcome, seconds and peak memory."""
    import json

    done = subprocess.run(
        [sys.executable, "scripts/hostile_files.py", "--json", name], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _needs_soffice(name: str) -> None:
    if name in CONVERTED and soffice_path() is None:
        if os.environ.get("LIBREOFFICE_TESTS") == "required":
            pytest.fail("LibreOffice (soffice) is required but not installed: apt-get install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


@pytest.mark.parametrize("name", [*HOSTILE, *CONVERTED, *WORKBOOKS])
def test_a_hostile_file_is_refused_naming_it_or_read_within_10_s_and_600_mb(name):
    _needs_soffice(name)
    row = measured(name)
    if row["expected"] is None:
        assert row["outcome"] == f"读取：{PLAN_TITLE}，2 项任务"
    elif name in WORKBOOKS:
        assert row["outcome"].startswith("拒绝：") and row["expected"] in row["outcome"]
    else:
        assert re.match(rf"拒绝：{re.escape(row['file'])}( 第\d+行)?: ", row["outcome"])
        assert row["expected"] in row["outcome"]
    assert row["seconds"] < SECONDS, row
    assert row["peak_mb"] < PEAK_MB, row


REFUSED = sorted(name for name, (_, _, refusal) in HOSTILE.items() if refusal)


@pytest.mark.django_db
@pytest.mark.parametrize("name", REFUSED)
def test_the_upload_page_refuses_it_naming_the_file_and_stores_nothing(name, administrator_client):
    file_name, make, refusal = HOSTILE[name]
    before = model_counts()
    response = administrator_client.post(
        "/plans/upload/", {"file": SimpleUploadedFile(file_name, make()), "lead_convention": "stated"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf"{re.escape(file_name)}( 第\d+行)?: ", page) and refusal in page
    assert not PlanUpload.objects.exists()
    assert model_counts() == before


@pytest.mark.django_db
def test_ingest_plans_refuses_the_hostile_files_of_a_folder_and_loads_the_others(tmp_path):
    for name in ("docx_zip_bomb", "pdf_many_pages", "html_deep_nesting", "text_many_lines"):
        file_name, make, _ = HOSTILE[name]
        (tmp_path / f"{name}{Path(file_name).suffix}").write_bytes(make())
    file_name, make, _ = HOSTILE["docx_named_pdf"]
    (tmp_path / "z-plan.pdf").write_bytes(make())
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with pytest.raises(CommandError, match="4 个文件未导入"):
        call_command("ingest_plans", str(tmp_path), stdout=out, stderr=err)
    assert time.perf_counter() - started < 4 * SECONDS
    for words in ("docx_zip_bomb.docx: 文件中的“word/styles.xml”解压后超过", "pdf_many_pages.pdf: PDF 页数超过",
                  "html_deep_nesting.html: 网页的标签嵌套超过", "text_many_lines.txt: 段落超过"):  # fmt: skip
        assert words in err.getvalue()
    assert Plan.objects.filter(title=PLAN_TITLE).count() == 1


# --- The child process's own limits: what no counter of the readers catches --------------------------------------


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    """A real plan of 48 pages: some seconds of CPU to lay out."""
    head, body = seed_text("003").split("\n", 1)
    return make_pdf(head + "\n" + body * 3)


def readers_running() -> list[int]:
    """This process's sandbox children still running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if b"plans.parsing.readers.sandbox" in command and int(stat[1]) == os.getpid() and stat[0] != "Z":
            found.append(int(entry.name))
    return found


def test_a_file_read_past_the_cpu_limit_is_stopped_and_refused_naming_it(long_pdf):
    started = time.perf_counter()
    with pytest.raises(PlanFormatError, match=r"^长方案\.pdf: 读取时超过 1 秒 CPU 时间的上限，已停止"):
        sandbox.run("长方案.pdf", long_pdf, False, False, limits=sandbox.Limits(cpu_seconds=1))
    assert time.perf_counter() - started < 5
    assert readers_running() == []


def test_a_file_read_past_the_wall_clock_limit_is_stopped_and_refused_naming_it(long_pdf):
    started = time.perf_counter()
    with pytest.raises(PlanFormatError, match=r"^长方案\.pdf: 读取时超过 0\.5 秒的上限，已停止"):
        sandbox.run("长方案.pdf", long_pdf, False, False, limits=sandbox.Limits(wall_seconds=0.5))
    assert time.perf_counter() - started < 2
    assert readers_running() == []


def test_a_file_read_past_the_memory_limit_is_stopped_and_refused_naming_it():
    # One run of 24 MB: within the bound on a part unpacked, and some 100 MB to parse.
    document = zip_with(plan_docx(), {"word/document.xml": _document(b"<w:p><w:r><w:t>", (b"x" * MB, 24),
                                                                     b"</w:t></w:r></w:p>")})  # fmt: skip
    with pytest.raises(PlanFormatError, match=r"^长方案\.docx: 读取时超过 100 MB 内存的上限，已停止"):
        sandbox.run("长方案.docx", document, False, False, limits=sandbox.Limits(memory_mb=100))
    assert readers_running() == []
