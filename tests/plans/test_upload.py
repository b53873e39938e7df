"""Plans through the web: upload → preview (changes nothing) → confirm, with conflicts settled by the administrator."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plans.models import Duty, Plan, PlanUpload, RemovedDuty, Task, TaskNote
from plans.parsing.readers import ACCEPTED
from tests.factories import SEED_FILES, TIANXIN_PLAN, duty_rows, model_counts, seed_plan
from tests.pages import get_page, text, texts
from tests.plans.test_reingest import (
    SEED,
    SEED_TEXT,
    TASK_3_2_3_LINE,
    TECH,
    WITHOUT_TECH,
    change_by_hand,
    duty,
    roles,
    task,
)

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/plans/upload/"


def post_file(client, content: bytes | str, name: str = "tianxin.txt", convention: str = "stated"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data), "lead_convention": convention})


def upload(client, content, name="tianxin.txt", convention="stated") -> PlanUpload:
    response = post_file(client, content, name, convention)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = PlanUpload.objects.get()
    assert response.url == record.get_absolute_url()
    return record


def snapshot() -> dict:
    """Row counts of every table an ingest or a choice could touch, and the uploads' states."""
    return model_counts() | {
        "RemovedDuty": RemovedDuty.objects.count(),
        "TaskNote": TaskNote.objects.count(),
        "DutyHistory": Duty.history.count(),
        "uploads": list(PlanUpload.objects.values_list("pk", "status")),
        "plans": list(Plan.objects.order_by("pk").values_list("pk", "checksum", "updated_at")),
    }


def confirm(client, record, choices: dict | None = None):
    return client.post(f"{record.get_absolute_url()}confirm/", choices or {})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The form -----------------------------------------------------------------------------------------------------


def test_the_upload_form_offers_a_file_and_the_lead_conventions(administrator_client, django_assert_num_queries):
    with django_assert_num_queries(3):  # session, user, recent uploads
        page = get_page(administrator_client, UPLOAD_URL)
    form = page.select_one("#upload-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.select_one("input[type=file][name=file]")
    conventions = texts(page, ".convention-choice label")
    assert conventions[0].startswith("仅认定写明的牵头单位：条款未写“牵头”时，所列单位都记为“共同负责”")
    assert conventions[1].startswith("未写明时推定首列单位牵头：")
    assert page.select_one("input[name=lead_convention][value=stated]").has_attr("checked")


def test_the_upload_form_lists_recent_uploads_in_a_constant_number_of_queries(
    administrator_client, administrator, django_assert_num_queries
):
    for i in range(3):
        PlanUpload.objects.create(file_name=f"{i}.txt", checksum="0" * 64, data=b"x", uploaded_by=administrator)
    with django_assert_num_queries(3):
        page = get_page(administrator_client, UPLOAD_URL)
    assert texts(page, "#recent-uploads tbody td:first-child") == ["2.txt", "1.txt", "0.txt"]


def test_a_file_the_parser_refuses_is_answered_400_with_its_name_and_nothing_is_stored(
    administrator_client,
):
    before = snapshot()
    response = post_file(administrator_client, "会议纪要\n\n大家讨论了很多事情。\n", "minutes.txt")
    assert response.status_code == 400
    error = response.content.decode()
    assert "minutes.txt: " in error
    assert "未找到任何任务" in error
    assert snapshot() == before


def test_a_file_without_tasks_is_refused_with_its_name(administrator_client):
    response = post_file(
        administrator_client, "长沙市天心区碳达峰实施方案\n\n一、总体要求\n坚持系统观念。\n", "empty.txt"
    )
    assert response.status_code == 400
    assert "empty.txt: 未找到任何任务" in response.content.decode()
    assert not PlanUpload.objects.exists()


def test_an_oversized_file_is_refused_with_400(administrator_client):
    response = post_file(administrator_client, TIANXIN_PLAN.encode() + b" " * (20 * 1024 * 1024), "big.txt")
    assert response.status_code == 400
    assert "big.txt: 文件太大" in response.content.decode()
    assert not PlanUpload.objects.exists()


def test_a_picture_is_refused_with_400_and_told_what_to_save_the_plan_as(administrator_client):
    response = post_file(administrator_client, b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "scan.png")
    assert response.status_code == 400
    assert f"scan.png: 这是图片，没有可读取的文字；可上传的格式为 {ACCEPTED}" in (response.content.decode())
    assert not PlanUpload.objects.exists()


def test_a_file_is_read_by_its_content_not_its_name(administrator_client):
    # A text file named .docx is text: it is read as one, not refused as a broken Word document.
    record = upload(administrator_client, TIANXIN_PLAN.encode(), name="tianxin.docx")
    assert (record.file_name, record.needs_conversion) == ("tianxin.docx", False)


def test_a_gb18030_file_is_accepted_and_stored_as_uploaded(administrator_client, administrator):
    record = upload(administrator_client, TIANXIN_PLAN.encode("gb18030"), convention="first_listed")
    assert (record.status, record.lead_convention, record.uploaded_by) == ("pending", "first_listed", administrator)
    assert bytes(record.data) == TIANXIN_PLAN.encode("gb18030")
    assert Plan.objects.count() == 5


# --- A new plan ---------------------------------------------------------------------------------------------------


def test_the_preview_of_a_new_plan_shows_its_tasks_duties_new_agencies_and_warnings_and_changes_nothing(
    administrator_client,
):
    record = upload(administrator_client, TIANXIN_PLAN)
    before = snapshot()

    page = get_page(administrator_client, record.get_absolute_url())

    assert snapshot() == before
    assert text(page, "#upload-target") == "将新建方案《长沙市天心区碳达峰实施方案》（长沙市天心区）。"
    assert texts(page, "#upload-counts li") == ["任务 3 项", "职责 8 条", "新建单位 5 个", "提示 1 条"]
    assert "新建 长沙市天心区财政局" in texts(page, "#new-agencies .outcome")
    assert texts(page, "#upload-warnings li") == ["第14行 “区发改局”按别名归入“区发展和改革局”"]
    rows = page.select("#preview-tasks tr.preview-task")
    assert [r.select_one("td").get_text(strip=True) for r in rows] == ["3.1.1", "3.1.2", "3.2.1"]
    assert texts(rows[0], ".chip") == ["牵 区发展和改革局", "配 区住房和城乡建设局", "配 区自然资源局"]
    assert rows[0].select_one(".chip-lead")
    assert not page.select("#conflicts") and not page.select("#kept-tasks")
    assert page.select_one("form#upload-confirm input[name=csrfmiddlewaretoken]")


def test_confirming_a_new_plan_stores_it_and_records_who_and_when(administrator_client, administrator):
    record = upload(administrator_client, TIANXIN_PLAN)

    response = confirm(administrator_client, record)

    plan = Plan.objects.get(title="长沙市天心区碳达峰实施方案")
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    record.refresh_from_db()
    assert (record.status, record.plan, record.applied_by) == ("applied", plan, administrator)
    assert record.applied_at is not None
    assert plan.tasks.count() == 3
    assert Duty.objects.filter(task__plan=plan).count() == 8
    page = administrator_client.get(response.url)
    assert "已导入《长沙市天心区碳达峰实施方案》：任务 3 项，职责 8 条，新建单位 5 个。" in messages_of(page)


def test_confirming_an_applied_upload_again_changes_nothing(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    confirm(administrator_client, record)
    before = snapshot()

    response = confirm(administrator_client, record)

    assert response.status_code == 302
    assert snapshot() == before
    page = administrator_client.get(response.url)
    assert any("没有再次导入" in m for m in messages_of(page))


def test_the_page_of_an_applied_upload_says_so_without_running_a_preview(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    confirm(administrator_client, record)
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-status") == "已导入"
    assert "这个文件已经导入" in text(page, "#upload-done")
    assert not page.select("form#upload-confirm")


def test_cancelling_an_upload_stores_nothing_and_it_can_no_longer_be_confirmed(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    before = model_counts()

    response = administrator_client.post(f"{record.get_absolute_url()}cancel/")

    assert response.status_code == 302 and response.url == UPLOAD_URL
    record.refresh_from_db()
    assert record.status == "cancelled"
    confirm(administrator_client, record)
    record.refresh_from_db()
    assert record.status == "cancelled"
    assert model_counts() == before


def test_cancelling_an_applied_upload_changes_nothing(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    confirm(administrator_client, record)
    before = snapshot()
    response = administrator_client.post(f"{record.get_absolute_url()}cancel/")
    assert response.status_code == 302
    assert snapshot() == before
    assert any("无需取消" in m for m in messages_of(administrator_client.get(response.url)))


def test_the_preview_of_a_stored_file_the_parser_now_refuses_shows_the_error(administrator_client):
    record = PlanUpload.objects.create(file_name="broken.txt", checksum="0" * 64, data=b"x")
    page = get_page(administrator_client, record.get_absolute_url())
    assert "broken.txt" in text(page, "#upload-error")


# --- Re-uploading a seed ------------------------------------------------------------------------------------------


def test_re_uploading_an_unchanged_seed_shows_no_change_and_confirming_changes_nothing(administrator_client):
    change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    record = upload(administrator_client, SEED.read_bytes(), SEED.name)
    before, rows = snapshot(), duty_rows(seed_plan("000"))

    page = get_page(administrator_client, record.get_absolute_url())
    assert "无变化" in text(page, "#upload-unchanged")
    assert text(page, "#confirm-upload") == "确认（无变化）"

    response = confirm(administrator_client, record)

    assert response.url == seed_plan("000").get_absolute_url()
    after = snapshot()
    assert after.pop("uploads") == [(record.pk, "applied")]
    before.pop("uploads")
    assert after == before
    assert duty_rows(seed_plan("000")) == rows
    assert any("无变化" in m for m in messages_of(administrator_client.get(response.url)))


def test_a_changed_seed_shows_the_conflict_with_keep_checked_and_the_preview_changes_nothing(administrator_client):
    manual = change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)
    before = snapshot()

    page = get_page(administrator_client, record.get_absolute_url())

    assert snapshot() == before
    target = page.select_one("#upload-target a")
    assert target["href"] == seed_plan("000").get_absolute_url()
    key = f"duty-{manual.task_id}-{manual.agency_id}"
    row = page.select_one(f"#conflicts tr#{key}")
    assert row.select_one("td").get_text(" ", strip=True).startswith("3.2.1 1. 坚决遏制高耗能高排放低水平项目盲目发展")
    assert "第 23 行" in row.get_text()
    assert text(row, "td.base") == "原文本为配合"
    assert text(row, "td.text") == "文本现已不再列出该单位"
    assert text(row, "td.manual") == "人工修改为牵头"
    assert row.select_one(f"input[name={key}][value=keep]").has_attr("checked")
    assert not row.select_one(f"input[name={key}][value=take]").has_attr("checked")
    assert row.find_parent("form")["action"] == f"{record.get_absolute_url()}confirm/"
    # The preview lists the task with the manual duty it keeps.
    chips = page.select_one("#preview-tasks").find(string="3.2.1").find_parent("tr").select(".chip")
    assert any(TECH in c.get_text() and "人工" in c.get_text() for c in chips)


def test_confirming_with_keep_leaves_the_manual_change_and_stores_the_choice(administrator_client):
    manual = change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)
    key = f"duty-{manual.task_id}-{manual.agency_id}"

    response = confirm(administrator_client, record, {key: "keep"})

    assert response.url == seed_plan("000").get_absolute_url()
    assert roles("3.2.1")[TECH] == (Duty.Role.LEAD, Duty.Source.MANUAL)
    record.refresh_from_db()
    assert record.status == "applied"
    assert record.resolutions[key]["choice"] == "keep"
    assert record.resolutions[key]["agency"] == TECH
    message = messages_of(administrator_client.get(response.url))[0]
    assert message.startswith("已更新《株洲市石峰区碳达峰实施方案（征求意见稿）》")
    assert "保留人工修改 1 处，采用新文本 0 处" in message
    assert seed_plan("000").checksum == record.checksum


def test_confirming_with_take_applies_the_text_and_records_it_in_the_history(administrator_client, administrator):
    manual = change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)
    key = f"duty-{manual.task_id}-{manual.agency_id}"

    response = confirm(administrator_client, record, {key: "take"})

    assert TECH not in roles("3.2.1")
    deletion = Duty.history.filter(id=manual.pk, history_type="-").get()
    assert (deletion.history_change_reason, deletion.history_user) == (f"采用新文本：{SEED.name}", administrator)
    record.refresh_from_db()
    assert record.resolutions[key]["choice"] == "take"
    assert "采用新文本 1 处" in messages_of(administrator_client.get(response.url))[0]
    page = get_page(administrator_client, record.get_absolute_url())
    assert texts(page, "#stored-resolutions li") == [
        f"任务 3.2.1 {TECH}：文本现已不再列出该单位，人工修改为牵头 — 采用新文本"
    ]


def test_a_conflict_that_appeared_after_the_preview_stops_the_confirmation(administrator_client):
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)
    page = get_page(administrator_client, record.get_absolute_url())
    assert not page.select("#conflicts")
    change_by_hand("3.2.1", TECH, Duty.Role.LEAD)  # someone edits the task meanwhile
    before = snapshot()

    response = confirm(administrator_client, record)

    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert snapshot() == before
    record.refresh_from_db()
    assert record.status == "pending"
    page = administrator_client.get(response.url)
    assert any("冲突已不同" in m for m in messages_of(page))


def test_a_second_view_of_the_preview_reads_the_dry_run_kept_from_the_first(administrator_client):
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)
    with CaptureQueriesContext(connection) as first:
        shown = get_page(administrator_client, record.get_absolute_url())
    with CaptureQueriesContext(connection) as again:
        shown_again = get_page(administrator_client, record.get_absolute_url())

    # The first view stores the plan and rolls it back; the second reads the stamp and the page's own rows.
    assert len(first) == 52
    assert len(again) == 5
    assert str(shown_again.select_one("#preview-tasks")) == str(shown.select_one("#preview-tasks"))


def test_the_preview_follows_what_changed_after_it_was_first_shown(administrator_client):
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)
    assert not get_page(administrator_client, record.get_absolute_url()).select("#conflicts")
    change_by_hand("3.2.1", TECH, Duty.Role.LEAD)  # someone edits the task meanwhile

    page = get_page(administrator_client, record.get_absolute_url())

    assert len(page.select("#conflicts tr[id^=duty-]")) == 1


def test_a_kept_task_is_shown_with_a_choice_and_deleting_it_goes_with_the_text(administrator_client):
    dropped = task("3.2.3")
    note = TaskNote.objects.create(task=dropped, agency=duty("3.2.3", TECH).agency, note="进行中")
    record = upload(administrator_client, SEED_TEXT.replace(TASK_3_2_3_LINE + "\n", ""), SEED.name)
    key = f"task-{dropped.id}"

    page = get_page(administrator_client, record.get_absolute_url())
    row = page.select_one(f"#kept-tasks tr#{key}")
    assert "3.2.3 3. 全面推广节能高效设备" in row.get_text(" ", strip=True)
    assert "单位备注 1 条" in row.get_text()
    assert row.select_one("input[value=keep]").has_attr("checked")
    kept_rows = page.select("#preview-tasks tr.kept")
    assert len(kept_rows) == 1 and "全面推广节能高效设备" in kept_rows[0].get_text()

    confirm(administrator_client, record, {key: "delete"})

    assert not Task.objects.filter(pk=dropped.pk).exists()
    assert not TaskNote.objects.filter(pk=note.pk).exists()


def test_a_kept_task_stays_with_its_note_when_the_administrator_keeps_it(administrator_client):
    dropped = task("3.2.3")
    TaskNote.objects.create(task=dropped, agency=duty("3.2.3", TECH).agency, note="进行中")
    record = upload(administrator_client, SEED_TEXT.replace(TASK_3_2_3_LINE + "\n", ""), SEED.name)

    response = confirm(administrator_client, record, {f"task-{dropped.id}": "keep"})

    assert Task.objects.get(pk=dropped.pk).notes.count() == 1
    assert "保留文本中已删除的任务 1 项，删除 0 项" in messages_of(administrator_client.get(response.url))[0]


def test_manual_changes_survive_a_changed_upload_together(administrator_client):
    plan = seed_plan("000")
    changed = change_by_hand("3.2.2", TECH, Duty.Role.JOINT)
    removed = duty("3.2.4", "区市场监管局")
    removed.delete()
    RemovedDuty.objects.create(task=removed.task, agency=removed.agency, role=removed.role)
    ordered = task("3.3.3")
    names = list(ordered.duties.order_by("-position").values_list("agency__name", flat=True))
    for position, d in enumerate(ordered.duties.order_by("-position")):
        d.position = position
        d.save()
    ordered.duties_ordered_by_hand = True
    ordered.save()
    note = TaskNote.objects.create(task=task("3.2.1"), agency=duty("3.2.1", TECH).agency, note="已落实")
    record = upload(administrator_client, WITHOUT_TECH, SEED.name)

    confirm(administrator_client, record)

    changed.refresh_from_db()
    assert (changed.role, changed.source) == (Duty.Role.JOINT, Duty.Source.MANUAL)
    assert not Duty.objects.filter(task=removed.task, agency=removed.agency).exists()
    assert list(ordered.duties.order_by("position").values_list("agency__name", flat=True)) == names
    note.refresh_from_db()
    assert note.note == "已落实"
    assert TECH not in roles("3.2.1")  # the text's own change went through
    assert seed_plan("000").checksum == record.checksum
    assert plan.pk == seed_plan("000").pk


# --- Who may ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "lead_staff", "cooperating_staff", "outsider", "anonymous"])
def test_everyone_but_an_administrator_is_refused_403_everywhere(role, cast):
    record = PlanUpload.objects.create(file_name="tianxin.txt", checksum="0" * 64, data=TIANXIN_PLAN.encode())
    client = Client()
    if getattr(cast, role) is not None:
        client.force_login(getattr(cast, role))
    before = snapshot()
    responses = [
        client.get(UPLOAD_URL),
        post_file(client, TIANXIN_PLAN),
        client.get(record.get_absolute_url()),
        client.post(f"{record.get_absolute_url()}confirm/"),
        client.post(f"{record.get_absolute_url()}cancel/"),
        client.post(f"{record.get_absolute_url()}region/", {"search": "430103"}),
    ]
    assert [r.status_code for r in responses] == [403] * 6
    assert snapshot() == before


def test_an_administrator_gets_404_for_an_unknown_upload(administrator_client):
    assert administrator_client.get("/uploads/999999/").status_code == 404
    assert administrator_client.post("/uploads/999999/confirm/").status_code == 404
    assert administrator_client.post("/uploads/999999/cancel/").status_code == 404


def test_confirm_and_cancel_answer_only_post(administrator_client):
    record = PlanUpload.objects.create(file_name="tianxin.txt", checksum="0" * 64, data=TIANXIN_PLAN.encode())
    assert administrator_client.get(f"{record.get_absolute_url()}confirm/").status_code == 405
    assert administrator_client.get(f"{record.get_absolute_url()}cancel/").status_code == 405


def test_plan_text_is_escaped_in_the_preview(administrator_client):
    hostile = TIANXIN_PLAN.replace("区自然资源局按职责", "区<script>alert(1)</script>局按职责")
    record = upload(administrator_client, hostile)
    response = administrator_client.get(record.get_absolute_url())
    assert b"<script>alert(1)</script>" not in response.content
    assert "&lt;script&gt;" in response.content.decode()


def test_every_seed_file_uploads_as_unchanged(administrator_client):
    for path in SEED_FILES:
        record = PlanUpload.objects.create(file_name=path.name, checksum="0" * 64, data=path.read_bytes())
        page = get_page(administrator_client, record.get_absolute_url())
        assert page.select_one("#upload-unchanged"), path.name
