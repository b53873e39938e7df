"""A plan file that fails, for whatever reason, never stops the others of a batch and never answers 500.

p22_deep_numbering.txt (files/) numbers its items 1. 1.1. 1.1.1. … fourteen levels deep and more, each with a duty
clause: its last measure and first sub-measure once got one ref, and the database refused the plan. For failures
nobody foresaw, the database itself is made to refuse a task (a trigger), as a disk, a constraint or a bug would.
"""

import io
import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from plans.ingestion import ingest_file
from plans.models import Plan, PlanUpload, Task
from tests.factories import HETANG_JOINT_PLAN, TIANXIN_PLAN, model_counts
from tests.pages import get_page_from, text

pytestmark = [pytest.mark.django_db, pytest.mark.reliability]

DEEP = Path(__file__).resolve().parent / "files" / "p22_deep_numbering.txt"
REFUSED_TITLE = "数据库拒收的任务"
REFUSED_PLAN = TIANXIN_PLAN.replace("大力发展新能源", REFUSED_TITLE)


def upload(client, data: bytes, name: str) -> PlanUpload:
    response = client.post("/plans/upload/", {"file": SimpleUploadedFile(name, data), "lead_convention": "stated"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlanUpload.objects.get(file_name=name)


@pytest.fixture
def database_refuses_a_task():
    """A trigger that refuses any task titled REFUSED_TITLE; made inside the test's transaction, so it goes with it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_task BEFORE INSERT ON plans_task "
                f"WHEN NEW.title LIKE '%{REFUSED_TITLE}%' BEGIN SELECT RAISE(ABORT, '测试：数据库拒收此任务'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_task() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title LIKE '%{REFUSED_TITLE}%' THEN RAISE EXCEPTION '测试：数据库拒收此任务'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_task BEFORE INSERT ON plans_task FOR EACH ROW EXECUTE FUNCTION refuse_task()"
            )


# --- The deep numbering ------------------------------------------------------------------------------------------


def test_a_plan_numbered_many_levels_deep_is_stored_with_one_ref_per_task():
    result = ingest_file(DEEP)
    refs = list(Task.objects.filter(plan=result.plan).values_list("ref", flat=True))
    assert len(refs) == result.tasks == 64
    assert len(set(refs)) == len(refs)
    assert Task.objects.filter(plan=result.plan, title__startswith="①圈号任务").exists()


def test_the_upload_preview_of_the_deep_plan_shows_what_it_would_store(administrator_client):
    record = upload(administrator_client, DEEP.read_bytes(), DEEP.name)
    before = model_counts()
    response = administrator_client.get(record.get_absolute_url())
    assert response.status_code == 200
    assert "任务 64 项" in text(get_page_from(response), "#upload-counts")
    assert model_counts() == before


def test_a_folder_batch_loads_the_deep_plan_and_the_files_after_it(tmp_path):
    (tmp_path / "a_deep.txt").write_bytes(DEEP.read_bytes())
    (tmp_path / "b_tianxin.txt").write_text(TIANXIN_PLAN, encoding="utf-8")
    call_command("ingest_plans", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    titles = set(Plan.objects.values_list("title", flat=True))
    assert {"湘潭市湘乡市碳达峰实施方案", "长沙市天心区碳达峰实施方案"} <= titles


# --- Any failure: the batch goes on, the preview refuses with a page -------------------------------------------------


def test_a_file_that_fails_unexpectedly_is_reported_and_the_batch_goes_on(tmp_path, database_refuses_a_task, caplog):
    (tmp_path / "a_refused.txt").write_text(REFUSED_PLAN, encoding="utf-8")
    (tmp_path / "b_hetang.txt").write_text(HETANG_JOINT_PLAN, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with caplog.at_level(logging.ERROR), pytest.raises(CommandError) as error:
        call_command("ingest_plans", str(tmp_path), stdout=stdout, stderr=stderr)
    assert "1 个文件未导入" in str(error.value) and "a_refused.txt：导入时出错" in str(error.value)
    assert "导入失败 a_refused.txt" in stderr.getvalue()
    assert "b_hetang.txt: 新建" in stdout.getvalue()
    titles = set(Plan.objects.values_list("title", flat=True))
    assert "株洲市荷塘区碳达峰实施方案" in titles and "长沙市天心区碳达峰实施方案" not in titles
    assert any("a_refused.txt" in r.getMessage() and r.exc_info for r in caplog.records)


def test_an_upload_whose_preview_fails_unexpectedly_is_refused_with_a_page_naming_the_file(
    administrator_client, database_refuses_a_task, caplog
):
    record = upload(administrator_client, REFUSED_PLAN.encode(), "天心区方案.txt")
    before = model_counts()
    client = administrator_client
    client.raise_request_exception = False  # a 500 is answered, not raised, as a browser would meet it
    with caplog.at_level(logging.ERROR):
        response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    message = text(get_page_from(response), "#upload-error")
    assert message.startswith("“天心区方案.txt”无法预览：") and "没有存入任何内容" in message
    assert any("天心区方案.txt" in r.getMessage() and r.exc_info for r in caplog.records)
    # Confirming fails the same way: said on the upload's page, nothing stored.
    response = client.post(f"{record.get_absolute_url()}confirm/", {})
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert model_counts() == before
    record.refresh_from_db()
    assert record.status == PlanUpload.Status.PENDING
