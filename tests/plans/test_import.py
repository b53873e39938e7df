"""Importing an edited 分工表 into a plan: proposals, problems, applying, and the upload pages."""

import io
from dataclasses import asdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from plans.models import DivisionImport, Duty, Plan, RemovedDuty
from plans.spreadsheets.division_import.proposal import StaleImport, apply, edits, read_and_propose
from tests.factories import SEED_FILES, seed_plan
from tests.pages import get_page, text, texts

pytestmark = pytest.mark.django_db

DETAIL_QUERIES = 4  # session, user, import with its plan and people, may the user edit the plan


def sheet_of(plan: Plan, *, with_ref: bool = True) -> list[list]:
    """The plan's 分工表 as rows, built from the database the way a clerk's sheet would look."""
    header = ["序号", "重点任务", "牵头单位", "配合单位", "共同负责单位"] + (["任务代码"] if with_ref else [])
    rows = [[f"{plan.title}任务分工表"], header]
    for number, task in enumerate(plan.tasks.prefetch_related("duties__agency").order_by("position"), start=1):
        by_role = {"lead": [], "cooperating": [], "joint": []}
        for duty in sorted(task.duties.all(), key=lambda d: d.position):
            by_role[duty.role].append(duty.agency.name + ("（推定）" if duty.inferred else ""))
        row = [number, task.title, *("、".join(by_role[r]) for r in ("lead", "cooperating", "joint"))]
        rows.append(row + ([task.ref] if with_ref else []))
    return rows


def xlsx(rows: list[list], title: str = "分工表") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def record_for(plan, data, user=None) -> DivisionImport:
    proposal = read_and_propose(plan, data)
    return DivisionImport.objects.create(
        plan=plan,
        uploaded_by=user,
        file_name="分工表.xlsx",
        checksum="x",
        workbook=data,
        changes=[asdict(c) for c in proposal.changes],
        problems=[{"message": p.message} for p in proposal.problems],
    )


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_an_unchanged_sheet_proposes_no_change(prefix):
    plan = seed_plan(prefix)
    proposal = read_and_propose(plan, xlsx(sheet_of(plan)))
    assert proposal.problems == []
    assert proposal.changes == []
    assert proposal.tasks_in_sheet == plan.tasks.count()


def test_without_task_codes_tasks_are_matched_by_title():
    plan = seed_plan("002")
    proposal = read_and_propose(plan, xlsx(sheet_of(plan, with_ref=False)))
    assert (proposal.problems, proposal.changes) == ([], [])


def test_changing_one_lead_and_one_cooperating_unit_proposes_exactly_those(administrator):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    task_row = rows[2]  # the first task: 区发展和改革局 leads
    assert task_row[2] == "区发展和改革局"
    task_row[2] = "区财政局"
    cooperating = task_row[3].split("、")
    dropped = cooperating.pop(0)
    task_row[3] = "、".join(cooperating)
    proposal = read_and_propose(plan, xlsx(rows))
    described = sorted((c.agency_name, c.before, c.after) for c in proposal.changes)
    assert described == sorted([("区发展和改革局", "lead", ""), ("区财政局", "", "lead"), (dropped, "cooperating", "")])
    assert [e.description for e in edits(proposal.changes)] == [
        "牵头单位：区发展和改革局 → 区财政局",
        f"删除配合单位：{dropped}",
    ]


def test_applying_writes_the_changes_as_manual_duties_and_records_who(administrator):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    first, second = rows[2], rows[3]
    first[2], first[3] = first[3].split("、")[0], "、".join([first[2], *first[3].split("、")[1:]])
    record = record_for(plan, xlsx(rows), administrator)
    assert {(c["agency_name"], c["before"], c["after"]) for c in record.changes} == {
        (first[2], "cooperating", "lead"),
        (first[3].split("、")[0], "lead", "cooperating"),
    }
    apply(record, administrator)
    record.refresh_from_db()
    assert (record.status, record.applied_by) == (DivisionImport.Status.APPLIED, administrator)
    task = plan.tasks.get(ref=first[-1])
    lead = task.duties.get(role="lead")
    assert (lead.agency.name, lead.source) == (first[2], Duty.Source.MANUAL)
    assert second[-1] != first[-1]
    assert read_and_propose(plan, xlsx(rows)).changes == []  # the sheet now matches


def test_an_alias_in_a_cell_is_read_as_its_agency():
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][2] = rows[2][2].replace("区发展和改革局", "区发改局")
    assert read_and_propose(plan, xlsx(rows)).changes == []


def test_unknown_units_and_unmatched_tasks_are_reported_by_cell():
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][3] = "区不存在局、" + rows[2][3]
    rows[3][1], rows[3][5] = "没有这项任务", ""
    proposal = read_and_propose(plan, xlsx(rows))
    found = sorted((p.cell.coordinate, p.message) for p in proposal.problems)
    assert found == [
        ("B4", "方案中没有名为“没有这项任务”的任务（任务名称须与方案一致）。"),
        ("D3", "“区不存在局”不是本方案所在地区已知的单位或别名。"),
    ]
    assert proposal.changes == []


def test_another_regions_unit_is_unknown_here():
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][3] += "、马栏山（长沙）视频文创园管理委员会"
    assert [p.cell.coordinate for p in read_and_propose(plan, xlsx(rows)).problems] == ["D3"]


def test_a_unit_twice_in_a_row_is_a_problem():
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][4] = rows[2][2]
    assert "出现了两次" in read_and_propose(plan, xlsx(rows)).problems[0].message


def test_applying_after_the_plan_changed_is_refused_and_writes_nothing(administrator):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][2] = "区财政局"
    record = record_for(plan, xlsx(rows), administrator)
    Duty.objects.filter(task__plan=plan, task__ref=rows[2][-1], role="cooperating").first().delete()
    before = list(Duty.objects.filter(task__plan=plan).values_list("pk", "role"))
    with pytest.raises(StaleImport):
        apply(record, administrator)
    assert list(Duty.objects.filter(task__plan=plan).values_list("pk", "role")) == before
    record.refresh_from_db()
    assert record.status == DivisionImport.Status.PENDING


# --- Pages --------------------------------------------------------------------------------------------------------


def upload(client, plan, data, name="分工表.xlsx"):
    return client.post(f"/plans/{plan.pk}/import/", {"workbook": io_file(data, name)})


def io_file(data: bytes, name: str):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_only_users_who_may_change_duties_can_import(outsider_client):
    plan = seed_plan("000")
    assert Client().get(f"/plans/{plan.pk}/import/").status_code == 403
    assert outsider_client.get(f"/plans/{plan.pk}/import/").status_code == 403
    assert upload(outsider_client, plan, xlsx(sheet_of(plan))).status_code == 403
    assert DivisionImport.objects.count() == 0


def test_upload_preview_and_confirm(administrator_client):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][2] = "区财政局"
    response = upload(administrator_client, plan, xlsx(rows))
    record = DivisionImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{record.pk}/"
    soup = get_page(administrator_client, response["Location"])
    assert texts(soup, "#import-changes tbody td:last-child") == ["牵头单位：区发展和改革局 → 区财政局"]
    assert text(soup, "#import-status") == "待确认"
    response = administrator_client.post(f"/imports/{record.pk}/apply/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert "已按“分工表.xlsx”更新 1 处分工" in text(get_page(administrator_client, response["Location"]), ".messages")
    assert plan.tasks.get(ref=rows[2][-1]).duties.get(role="lead").agency.name == "区财政局"


def test_a_sheet_with_problems_cannot_be_applied_and_can_be_downloaded_marked(administrator_client):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][3] = "区不存在局"
    upload(administrator_client, plan, xlsx(rows))
    record = DivisionImport.objects.get()
    soup = get_page(administrator_client, f"/imports/{record.pk}/")
    assert "D3" in texts(soup, "#import-problems td")
    assert "改正之前不能应用" in text(soup, "#import-problems")
    assert soup.select_one("#annotated-xlsx")["href"] == f"/imports/{record.pk}/annotated.xlsx"
    assert soup.select_one("#apply-import") is None
    before = list(Duty.objects.filter(task__plan=plan).values_list("pk", "role", "agency"))
    administrator_client.post(f"/imports/{record.pk}/apply/")
    assert list(Duty.objects.filter(task__plan=plan).values_list("pk", "role", "agency")) == before
    response = administrator_client.get(f"/imports/{record.pk}/annotated.xlsx")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    marked = load_workbook(io.BytesIO(response.content))
    assert "区不存在局" in marked["分工表"]["D3"].comment.text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"plain text", "notes.txt", "notes.txt：这不是 Excel 工作簿"),
        (b"", "empty.xlsx", "empty.xlsx：文件是空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "locked.xlsx", "已加密"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_nothing_is_stored(administrator_client, data, name, message):
    plan = seed_plan("000")
    response = upload(administrator_client, plan, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DivisionImport.objects.count() == 0


def test_cancelling_leaves_the_plan_alone(administrator_client):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    rows[2][2] = "区财政局"
    upload(administrator_client, plan, xlsx(rows))
    record = DivisionImport.objects.get()
    administrator_client.post(f"/imports/{record.pk}/cancel/")
    record.refresh_from_db()
    assert record.status == DivisionImport.Status.CANCELLED
    assert administrator_client.post(f"/imports/{record.pk}/apply/").status_code == 302
    assert plan.tasks.get(ref=rows[2][-1]).duties.get(role="lead").agency.name == "区发展和改革局"


def test_the_preview_runs_a_fixed_number_of_queries(administrator_client, django_assert_num_queries):
    plan = seed_plan("001")
    upload(administrator_client, plan, xlsx(sheet_of(plan)))
    record = DivisionImport.objects.get()
    with django_assert_num_queries(DETAIL_QUERIES):
        administrator_client.get(f"/imports/{record.pk}/")


def test_the_plan_page_offers_the_import_only_to_those_who_may_use_it(client, administrator):
    plan = seed_plan("000")
    assert get_page(client, f"/plans/{plan.pk}/").select_one("a#division-import") is None
    client.force_login(administrator)
    link = get_page(client, f"/plans/{plan.pk}/").select_one("a#division-import")
    assert link["href"] == f"/plans/{plan.pk}/import/"


def test_what_an_import_changed_survives_re_ingesting_a_changed_plan_text(administrator, ingest_text):
    plan = seed_plan("000")
    rows = sheet_of(plan)
    ref = rows[2][-1]
    old_lead = rows[2][2]
    rows[2][2] = "区财政局"
    apply(record_for(plan, xlsx(rows), administrator), administrator)

    seed = next(p for p in SEED_FILES if p.name.startswith("000"))
    changed = seed.read_text(encoding="utf-8").replace("指导思想", "指导思想（修订）", 1)
    assert ingest_text(changed, name=seed.name).plan.pk == plan.pk
    duties = {d.agency.name: d.role for d in plan.tasks.get(ref=ref).duties.select_related("agency")}
    assert duties.get("区财政局") == "lead"
    assert old_lead not in duties  # removed by the import, not brought back by the text
    assert RemovedDuty.objects.filter(task__ref=ref, task__plan=plan, agency__name=old_lead).exists()


def test_the_upload_page_runs_a_fixed_number_of_queries(administrator_client, django_assert_num_queries):
    plan = seed_plan("001")
    with django_assert_num_queries(4):  # session, user, plan, may the user edit it
        assert administrator_client.get(f"/plans/{plan.pk}/import/").status_code == 200
