"""Plans in every format through the database: ingest, the web upload (with .doc conversion as a task run by the
worker), refusals that store nothing, and the original file on the plan page."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from plans.ingestion import ingest_bytes
from plans.models import IngestWarning, Plan, PlanUpload
from plans.parsing import PlanFormatError
from plans.parsing.readers.office import soffice_path
from tests.documents import make_pdf, make_scanned_pdf, seed_document, seed_name, seed_text
from tests.factories import model_counts, seed_plan
from tests.pages import get_page

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/plans/upload/"


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
@pytest.mark.parametrize("key", ["000", "003"])
def test_a_seed_in_another_format_loads_exactly_the_tasks_and_duties_of_its_text(key, fmt):
    plan = seed_plan(key)
    before = (plan.tasks.count(), model_counts())
    result = ingest_bytes(seed_document(key, fmt), seed_name(key, fmt))
    # The same plan: it updates the stored one and changes no task and no duty.
    assert (result.status, result.plan, bool(result.changes)) == ("updated", plan, False)
    assert (result.plan.tasks.count(), model_counts()) == before
    assert ingest_bytes(seed_document(key, fmt), seed_name(key, fmt)).status == "unchanged"


def test_warnings_of_a_pdf_are_stored_with_their_page_and_line(administrator_client):
    plan = seed_plan("003")
    ingest_bytes(seed_document("003", "pdf"), "003.pdf")
    fused = IngestWarning.objects.get(plan=plan, code="fused_split")
    assert fused.location.startswith("第") and "页" in fused.location
    soup = get_page(administrator_client, f"/plans/{plan.pk}/")  # the warnings are shown to editors
    assert any(fused.location in li.get_text() for li in soup.select("details#warnings li"))


def test_ingest_plans_reads_a_folder_by_content_and_prints_where_warnings_are(tmp_path):
    (tmp_path / "a.docx").write_bytes(seed_document("003", "docx"))
    (tmp_path / "b.bin").write_bytes(seed_document("001", "pdf"))  # a PDF whatever its name
    (tmp_path / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = io.StringIO()
    call_command("ingest_plans", str(tmp_path), stdout=out)
    printed = out.getvalue()
    assert "a.docx: 更新" in printed and "b.bin: 更新" in printed
    assert "跳过 c.png" in printed
    assert "提示[fused_split] 表1第" in printed or "提示[fused_split] 第" in printed


BAD_FILES = {
    "encrypted.pdf": (lambda: make_pdf(seed_text("001"), encrypt="secret"), "PDF 已加密"),
    "scan.pdf": (make_scanned_pdf, "这是扫描件"),
    "broken.docx": (lambda: seed_document("000", "docx")[:5000], "Word 文档已损坏"),
    "list.html": (
        lambda: "<html><body><nav>首页</nav><ul><li>通知</li></ul></body></html>".encode(),
        "网页中找不到正文",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_of_each_format_is_refused_by_name_and_nothing_is_stored(name, administrator_client):
    make, words = BAD_FILES[name]
    before = model_counts()
    response = administrator_client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile(name, make()), "lead_convention": "stated"}
    )
    assert response.status_code == 400
    assert f"{name}: {words}" in response.content.decode()
    assert not PlanUpload.objects.exists()
    assert model_counts() == before


def test_a_doc_when_libreoffice_is_missing_is_refused_saying_how_to_install_it(administrator_client, settings):
    settings.SOFFICE = "/nonexistent/soffice"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(600)
    response = administrator_client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("方案.doc", ole), "lead_convention": "stated"}
    )
    assert response.status_code == 400
    assert "方案.doc: 这是Word 97-2003 / WPS 文档" in response.content.decode()
    assert "apt-get install libreoffice-writer-nogui" in response.content.decode()
    assert not PlanUpload.objects.exists()
    with pytest.raises(PlanFormatError, match="apt-get install libreoffice-writer-nogui"):
        ingest_bytes(ole, "方案.doc")


def test_an_uploaded_docx_is_offered_for_download_from_the_plan_page(administrator_client, client):
    plan = seed_plan("000")
    data = seed_document("000", "docx")
    response = administrator_client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("石峰区方案.docx", data), "lead_convention": "stated"}
    )
    record = PlanUpload.objects.get()
    assert response.url == record.get_absolute_url()
    preview = get_page(administrator_client, record.get_absolute_url())
    assert "将更新已有方案" in preview.get_text()
    administrator_client.post(f"/uploads/{record.pk}/confirm/")
    assert Plan.objects.get(pk=plan.pk).source_name == "石峰区方案.docx"
    link = get_page(client, f"/plans/{plan.pk}/").select_one("#original-file")
    download = client.get(link["href"])  # readers may download it, not only administrators
    assert download.status_code == 200 and download.content == data
    assert (
        download["Content-Disposition"]
        == "attachment; filename*=utf-8''%E7%9F%B3%E5%B3%B0%E5%8C%BA%E6%96%B9%E6%A1%88.docx"
    )


def test_a_plan_loaded_from_disk_has_no_original_to_download(client):
    plan = seed_plan("001")
    assert get_page(client, f"/plans/{plan.pk}/").select_one("#original-file") is None
    assert client.get(f"/plans/{plan.pk}/original/").status_code == 404


# --- .doc through LibreOffice, converted by the task worker --------------------------------------------------------


@pytest.fixture(scope="session")
def seed_doc() -> bytes:
    """Seed 000 as a Word 97-2003 .doc, made by LibreOffice from the .docx."""
    program = soffice_path()
    if program is None:
        if os.environ.get("LIBREOFFICE_TESTS") == "required":
            pytest.fail("LibreOffice (soffice) is required but not installed: apt-get install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "plan.docx"
        source.write_bytes(seed_document("000", "docx"))
        subprocess.run(
            [program, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "doc",
             "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (Path(work) / "plan.doc").read_bytes()


def test_a_doc_upload_converts_in_the_worker_while_the_page_says_so(seed_doc, administrator_client, monkeypatch):
    # The worker drops connections it thinks stale; inside the test's transaction on PostgreSQL that would be
    # the test's own connection, so the library's housekeeping (not our code) is left out here.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    plan = seed_plan("000")
    response = administrator_client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("石峰区方案.doc", seed_doc), "lead_convention": "stated"}
    )
    record = PlanUpload.objects.get()
    assert response.url == record.get_absolute_url()
    waiting = get_page(administrator_client, record.get_absolute_url())
    assert "正在转换…" in waiting.select_one("#upload-converting").get_text()
    assert waiting.select_one('meta[http-equiv="refresh"]') is not None

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    ready = get_page(administrator_client, record.get_absolute_url())
    assert ready.select_one('meta[http-equiv="refresh"]') is None
    assert "将更新已有方案" in ready.get_text()
    administrator_client.post(f"/uploads/{record.pk}/confirm/")
    record.refresh_from_db()
    assert (record.status, record.plan) == ("applied", plan)
    assert bytes(record.data) == seed_doc  # the original is kept, not the converted file


def test_ingest_plans_converts_a_doc_itself(seed_doc, tmp_path):
    (tmp_path / "方案.doc").write_bytes(seed_doc)
    out = io.StringIO()
    call_command("ingest_plans", str(tmp_path), stdout=out)
    assert "方案.doc: 更新" in out.getvalue()
