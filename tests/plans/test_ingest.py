"""Storing plans: the seeds' acceptance numbers, re-ingesting, the lead convention, bad input, encodings."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from agencies.models import Agency
from plans.ingestion import ingest_bytes, ingest_file
from plans.models import AppendixRow, Duty, IngestWarning, KeyProject, Plan, Task
from plans.parsing import PlanFormatError
from tests.factories import (
    HETANG_JOINT_PLAN,
    SEED_FILES,
    TIANXIN_PLAN,
    duty_rows,
    model_counts,
    region,
    seed_plan,
)

pytestmark = pytest.mark.django_db


# --- The five seeds -----------------------------------------------------------------------------------------------


def test_the_five_seeds_are_stored_as_five_plans():
    assert Plan.objects.count() == 5
    assert sorted(Plan.objects.values_list("source_name", flat=True)) == [p.name for p in SEED_FILES]


@pytest.mark.parametrize(
    ("prefix", "clause_tasks"),
    [("000", 37), ("001", 52), ("002", 37), ("003", 32), ("004", 43)],
)
def test_each_seed_has_its_number_of_tasks_with_a_duty_clause(prefix, clause_tasks):
    assert seed_plan(prefix).tasks.exclude(clause_text="").count() == clause_tasks


def test_the_seeds_hold_201_duty_clause_tasks_in_all():
    assert Task.objects.exclude(clause_text="").count() == 201


def test_every_task_with_a_duty_clause_has_at_least_one_duty():
    assert not Task.objects.exclude(clause_text="").filter(duties__isnull=True).exists()


@pytest.mark.parametrize(
    ("prefix", "title", "region_full_name", "region_code", "doc_number", "issued_on", "is_draft"),
    [
        ("000", "株洲市石峰区碳达峰实施方案", "株洲市石峰区", "430204", "", None, True),
        ("001", "湘潭市碳达峰实施方案", "湘潭市", "430300", "潭政发〔2023〕9号", date(2023, 5, 11), False),
        ("002", "株洲市碳达峰实施方案", "株洲市", "430200", "株政发〔2023〕9号", date(2023, 7, 1), False),
        ("003", "长沙市开福区碳达峰实施方案", "长沙市开福区", "430105", "", None, False),
        ("004", "怀化市鹤城区碳达峰实施方案", "怀化市鹤城区", "431202", "鹤政发〔2024〕1号", date(2024, 3, 27), False),
    ],
)
def test_each_seed_is_stored_with_its_title_region_doc_number_date_and_draft_flag(
    prefix, title, region_full_name, region_code, doc_number, issued_on, is_draft
):
    plan = seed_plan(prefix)
    assert plan.title == title
    assert plan.region.full_name == region_full_name
    assert plan.region.code == region_code
    assert plan.doc_number == doc_number
    assert plan.issued_on == issued_on
    assert plan.is_draft is is_draft


def test_the_draft_for_comment_keeps_its_mark_out_of_the_title_but_in_its_name():
    plan = seed_plan("000")
    assert "征求意见稿" not in plan.title
    assert str(plan) == "株洲市石峰区碳达峰实施方案（征求意见稿）"


def test_the_kaifu_appendix_gives_six_goal_rows_and_thirty_two_task_rows():
    rows = AppendixRow.objects.filter(plan=seed_plan("003"))
    assert rows.count() == 38
    assert rows.filter(kind=AppendixRow.Kind.GOAL).count() == 6
    assert rows.filter(kind=AppendixRow.Kind.TASK).count() == 32


def test_every_kaifu_appendix_row_points_at_a_task_of_the_same_plan():
    plan = seed_plan("003")
    assert not AppendixRow.objects.filter(plan=plan, task__isnull=True).exists()
    assert not AppendixRow.objects.filter(plan=plan).exclude(task__plan=plan).exists()


def test_the_kaifu_goal_rows_become_goal_tasks_with_their_table_units_as_duties():
    goals = Task.objects.filter(plan=seed_plan("003"), kind=Task.Kind.GOAL)
    assert goals.count() == 6
    assert not goals.filter(duties__isnull=True).exists()
    assert set(Duty.objects.filter(task__in=goals).values_list("source", flat=True)) == {Duty.Source.TABLE}


def test_the_kaifu_plan_has_twenty_key_projects():
    assert KeyProject.objects.filter(plan=seed_plan("003")).count() == 20
    assert KeyProject.objects.exclude(plan=seed_plan("003")).count() == 0


def test_no_seed_leaves_text_that_could_not_be_placed():
    assert not IngestWarning.objects.filter(code=IngestWarning.Code.UNPLACED_TEXT).exists()


def test_the_zhuzhou_glyph_repairs_are_reported_with_their_lines():
    warnings = IngestWarning.objects.filter(plan=seed_plan("002"), code=IngestWarning.Code.GLYPH_REPAIRED)
    assert warnings.count() == 3
    assert all(w.line for w in warnings)
    assert any("“气化株洲”" in w.message for w in warnings)


def test_no_seed_duty_is_inferred_under_the_default_convention():
    assert not Duty.objects.filter(inferred=True).exists()
    assert set(Plan.objects.values_list("lead_convention", flat=True)) == {Plan.LeadConvention.STATED}


# --- Re-ingesting -------------------------------------------------------------------------------------------------


def test_re_ingesting_every_seed_reports_unchanged_and_changes_no_row_counts():
    before = model_counts()
    results = [ingest_file(path) for path in SEED_FILES]
    assert [r.status for r in results] == ["unchanged"] * 5
    assert model_counts() == before


def test_re_ingesting_a_seed_reports_the_stored_task_and_duty_counts():
    plan = seed_plan("001")
    result = ingest_file(SEED_FILES[1])
    assert result.plan == plan
    assert result.tasks == plan.tasks.count() == 52
    assert result.duties == Duty.objects.filter(task__plan=plan).count()


def test_ingesting_a_new_plan_reports_it_created_with_its_counts(ingest_text):
    result = ingest_text(TIANXIN_PLAN)
    assert result.status == "created"
    assert result.tasks == 3
    assert result.duties == 8
    assert sorted(result.agencies_created) == sorted(
        [
            "长沙市天心区发展和改革局",
            "长沙市天心区住房和城乡建设局",
            "长沙市天心区自然资源局",
            "长沙市天心区工业和信息化局",
            "长沙市天心区财政局",
        ]
    )
    assert result.plan.region == region("长沙市天心区")


def test_re_ingesting_an_unchanged_synthetic_plan_changes_nothing(ingest_text):
    ingest_text(TIANXIN_PLAN)
    before = model_counts()
    duties_before = duty_rows(Plan.objects.get(title="长沙市天心区碳达峰实施方案"))
    assert ingest_text(TIANXIN_PLAN).status == "unchanged"
    assert model_counts() == before
    assert duty_rows(Plan.objects.get(title="长沙市天心区碳达峰实施方案")) == duties_before


EDITED_CLAUSE = TIANXIN_PLAN.replace(
    "（区发展和改革局、区工业和信息化局按职责分工负责）", "（区发展和改革局、区财政局、区商务局按职责分工负责）"
)


def _duties_by_task(plan):
    return {
        ref: [(d.id, d.agency.name, d.role, d.updated_at) for d in Duty.objects.filter(task__plan=plan, task__ref=ref)]
        for ref in plan.tasks.values_list("ref", flat=True)
    }


def test_ingesting_an_edited_clause_updates_that_tasks_duties_and_no_others(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    before = _duties_by_task(plan)

    result = ingest_text(EDITED_CLAUSE)

    assert result.status == "updated"
    assert result.plan.pk == plan.pk
    after = _duties_by_task(plan)
    assert after["3.1.1"] == before["3.1.1"]
    assert after["3.2.1"] == before["3.2.1"]
    assert [(name, role) for _, name, role, _ in after["3.1.2"]] == [
        ("区发展和改革局", "joint"),
        ("区财政局", "joint"),
        ("区商务局", "joint"),
    ]
    # The unit the edit kept keeps its row; the one it dropped is gone.
    assert after["3.1.2"][0][0] == before["3.1.2"][0][0]
    assert Task.objects.get(plan=plan, ref="3.1.2").clause_text == "区发展和改革局、区财政局、区商务局按职责分工负责"


def test_ingesting_an_edited_clause_keeps_the_task_rows(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    ids = dict(plan.tasks.values_list("ref", "id"))
    ingest_text(EDITED_CLAUSE)
    assert dict(plan.tasks.values_list("ref", "id")) == ids


def test_a_duty_an_administrator_added_by_hand_survives_re_ingesting_a_changed_text(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    task = Task.objects.get(plan=plan, ref="3.1.1")
    finance = Agency.objects.get(region=plan.region, name="区财政局")
    manual = Duty.objects.create(task=task, agency=finance, role=Duty.Role.COOPERATING, source=Duty.Source.MANUAL)

    ingest_text(EDITED_CLAUSE)

    manual.refresh_from_db()
    assert manual.source == Duty.Source.MANUAL
    assert manual.task_id == task.id
    assert manual.role == Duty.Role.COOPERATING


def test_a_manual_duty_wins_over_the_text_naming_the_same_unit_on_the_same_task(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    task = Task.objects.get(plan=plan, ref="3.1.2")
    finance = Agency.objects.get(region=plan.region, name="区财政局")
    manual = Duty.objects.create(task=task, agency=finance, role=Duty.Role.LEAD, source=Duty.Source.MANUAL)

    ingest_text(EDITED_CLAUSE)  # now also names 区财政局 on this task, as a joint unit

    manual.refresh_from_db()
    assert (manual.role, manual.source) == (Duty.Role.LEAD, Duty.Source.MANUAL)
    assert Duty.objects.filter(task=task, agency=finance).count() == 1


def test_a_task_gone_from_the_text_is_kept_while_it_carries_a_manual_duty(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    task = Task.objects.get(plan=plan, ref="3.1.2")
    finance = Agency.objects.get(region=plan.region, name="区财政局")
    manual = Duty.objects.create(task=task, agency=finance, role=Duty.Role.JOINT, source=Duty.Source.MANUAL)
    without_task_2 = TIANXIN_PLAN.replace(
        "2.严格控制煤炭消费。推动煤电节能降碳改造。（区发展和改革局、区工业和信息化局按职责分工负责）\n", ""
    )

    assert ingest_text(without_task_2).status == "updated"

    assert Task.objects.filter(pk=task.pk).exists()
    # Kept as it was: the manual duty and the duties its text gave it.
    assert set(Duty.objects.filter(task=task).values_list("agency__name", "source")) == {
        ("区财政局", Duty.Source.MANUAL),
        ("区发展和改革局", Duty.Source.TEXT),
        ("区工业和信息化局", Duty.Source.TEXT),
    }
    assert manual.pk in set(Duty.objects.filter(task=task).values_list("id", flat=True))


def test_a_task_gone_from_the_text_without_manual_duties_is_deleted(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    without_task_2 = TIANXIN_PLAN.replace(
        "2.严格控制煤炭消费。推动煤电节能降碳改造。（区发展和改革局、区工业和信息化局按职责分工负责）\n", ""
    )
    ingest_text(without_task_2)
    assert sorted(plan.tasks.values_list("ref", flat=True)) == ["3.1.1", "3.2.1"]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_re_ingesting_a_seed_whose_bytes_changed_but_not_its_text_keeps_every_task_and_duty_row(path):
    plan = Plan.objects.get(source_name=path.name)
    tasks = set(plan.tasks.values_list("id", "ref", "clause_text"))
    duty_fields = ("id", "task_id", "agency_id", "role", "source")
    duties = set(Duty.objects.filter(task__plan=plan).values_list(*duty_fields))
    counts = model_counts()

    result = ingest_bytes(path.read_bytes() + b"\n", path.name)

    assert result.status == "updated"
    assert set(plan.tasks.values_list("id", "ref", "clause_text")) == tasks
    assert set(Duty.objects.filter(task__plan=plan).values_list(*duty_fields)) == duties
    changed = {name for name, n in model_counts().items() if n != counts[name]}
    assert not changed


@pytest.mark.parametrize(
    "path",
    SEED_FILES,
    ids=lambda p: p.name[:3],
)
def test_re_ingesting_a_seed_whose_bytes_changed_but_not_its_text_keeps_its_warnings(path):
    plan = Plan.objects.get(source_name=path.name)
    warnings = list(plan.warnings.order_by("position").values_list("code", "message", "line"))
    ingest_bytes(path.read_bytes() + b"\n", path.name)
    assert list(plan.warnings.order_by("position").values_list("code", "message", "line")) == warnings


ODD_UNIT_PLAN = TIANXIN_PLAN.replace("区自然资源局按职责", "区自然资源局、天心阁按职责")


def test_a_first_ingest_warns_about_an_alias_merge_and_a_name_that_is_not_a_unit(ingest_text):
    plan = ingest_text(ODD_UNIT_PLAN).plan
    assert set(plan.warnings.values_list("code", "message")) == {
        ("alias_matched", "“区发改局”按别名归入“区发展和改革局”"),
        ("unknown_unit", "“天心阁”不像单位名称，请核对"),
    }


def test_re_ingesting_a_changed_plan_keeps_its_alias_and_unknown_unit_warnings(ingest_text):
    plan = ingest_text(ODD_UNIT_PLAN).plan
    ingest_text(ODD_UNIT_PLAN.replace("推行用能预算管理", "推行用能预算管理制度"))
    assert set(plan.warnings.values_list("code", flat=True)) == {"alias_matched", "unknown_unit"}


def test_a_second_plan_of_the_same_region_is_warned_about_the_same_alias_and_unknown_unit(ingest_text):
    ingest_text(ODD_UNIT_PLAN)
    second = ingest_text(ODD_UNIT_PLAN.replace("碳达峰实施方案", "碳达峰行动方案", 1), "second.txt").plan
    assert second.title == "长沙市天心区碳达峰行动方案"
    assert set(second.warnings.values_list("code", flat=True)) == {"alias_matched", "unknown_unit"}


def test_correcting_the_fused_units_in_the_kaifu_text_keeps_both_duties_and_drops_the_warning():
    path = SEED_FILES[3]
    plan = seed_plan("003")
    fused = "区机关事务中心市生态环境局开福分局"
    task = Task.objects.get(plan=plan, clause_text__contains=fused)
    before = dict(
        Duty.objects.filter(task=task, as_written__in=["区机关事务中心", "市生态环境局开福分局"]).values_list(
            "agency__name", "id"
        )
    )
    assert len(before) == 2  # each half written as its part of the run
    corrected = path.read_text(encoding="utf-8").replace(fused, "区机关事务中心、市生态环境局开福分局")

    assert ingest_bytes(corrected.encode(), path.name).status == "updated"

    after = dict(Duty.objects.filter(task=task).values_list("agency__name", "id"))
    assert {name: after[name] for name in before} == before  # the same two rows, now written apart
    assert set(Duty.objects.filter(id__in=before.values()).values_list("as_written", flat=True)) == {
        "区机关事务中心",
        "市生态环境局开福分局",
    }
    assert not plan.warnings.filter(code=IngestWarning.Code.FUSED_SPLIT).exists()
    assert AppendixRow.objects.filter(plan=plan).count() == 38
    assert KeyProject.objects.filter(plan=plan).count() == 20


def test_seed_000_with_its_first_clause_left_open_keeps_its_170_duties_and_shows_the_slip_on_its_page(admin_client):
    path = SEED_FILES[0]
    plan = seed_plan("000")
    duties = set(Duty.objects.filter(task__plan=plan).values_list("task__ref", "agency_id", "role"))
    assert len(duties) == 170
    slipped = path.read_text(encoding="utf-8").replace("经开区管委会按职责分工负责）", "经开区管委会按职责分工负责", 1)

    assert ingest_bytes(slipped.encode(), path.name).status == "updated"

    assert set(Duty.objects.filter(task__plan=plan).values_list("task__ref", "agency_id", "role")) == duties
    [warning] = plan.warnings.filter(code=IngestWarning.Code.TYPING_SLIP)
    assert warning.line == 19
    assert warning.message == (
        "括号“（”未闭合，已按段末闭合处理：（区发展和改革局牵头，生态环境石峰分局、区住房和城乡建设局、…"
    )
    # The plan's editors see it, under its kind, with its line.
    page = BeautifulSoup(admin_client.get(f"/plans/{plan.pk}/").content, "html.parser")
    group = page.select_one("#warnings .warning-group-typing_slip")
    assert group.select_one(".group-label").get_text() == "疑似笔误"
    item = group.select_one(f"#warning-{warning.pk}")
    assert item.select_one(".line").get_text() == "第19行"
    assert item.select_one(".warning-text").get_text().startswith("括号“（”未闭合")


def test_updating_a_plan_gives_the_same_duties_as_loading_the_new_text_afresh():
    path = SEED_FILES[3]
    fused = "区机关事务中心市生态环境局开福分局"
    corrected = path.read_text(encoding="utf-8").replace(fused, "区机关事务中心、区商务局")
    ingest_bytes(corrected.encode(), path.name)
    updated = duty_rows(seed_plan("003"))

    seed_plan("003").delete()
    ingest_bytes(corrected.encode(), path.name)

    assert duty_rows(seed_plan("003")) == updated


def test_a_dry_run_of_a_changed_plan_reports_it_updated_and_changes_nothing(ingest_text, write_plan):
    plan = ingest_text(TIANXIN_PLAN).plan
    before, rows = model_counts(), duty_rows(plan)
    result = ingest_file(write_plan(EDITED_CLAUSE, "edited.txt"), dry_run=True)
    assert result.status == "updated"
    assert result.duties == 9
    assert model_counts() == before
    assert duty_rows(plan) == rows
    plan.refresh_from_db()
    assert plan.source_name == "plan.txt"


# --- The lead convention ------------------------------------------------------------------------------------------


def test_a_clause_without_a_lead_makes_its_units_jointly_responsible_by_default(ingest_text):
    result = ingest_text(HETANG_JOINT_PLAN)
    duties = Duty.objects.filter(task__plan=result.plan)
    assert duties.count() == 5
    assert set(duties.values_list("role", "inferred")) == {(Duty.Role.JOINT, False)}
    assert not result.plan.warnings.filter(code=IngestWarning.Code.INFERRED_LEAD).exists()
    assert result.plan.lead_convention == Plan.LeadConvention.STATED


def test_the_first_listed_convention_infers_the_first_unit_as_lead_and_the_rest_as_cooperating(ingest_text):
    result = ingest_text(HETANG_JOINT_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED)
    plan = result.plan
    assert plan.lead_convention == Plan.LeadConvention.FIRST_LISTED
    assert duty_rows(plan) == [
        ("2.1.1", "区发展和改革局", "lead", True, "区发展和改革局", "text"),
        ("2.1.1", "区住房和城乡建设局", "cooperating", True, "区住房和城乡建设局", "text"),
        ("2.1.1", "区自然资源局", "cooperating", True, "区自然资源局", "text"),
        ("2.1.2", "区发展和改革局", "lead", True, "区发展和改革局", "text"),
        ("2.1.2", "国网株洲供电公司", "cooperating", True, "国网株洲供电公司", "text"),
    ]
    warnings = plan.warnings.filter(code=IngestWarning.Code.INFERRED_LEAD)
    assert warnings.count() == 2
    assert all("区发展和改革局" in w.message and w.line for w in warnings)


def test_the_first_listed_convention_leaves_a_stated_lead_as_stated(ingest_text):
    plan = ingest_text(TIANXIN_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED).plan
    stated = Duty.objects.filter(task__plan=plan, task__ref__in=["3.1.1", "3.2.1"])
    assert not stated.filter(inferred=True).exists()
    inferred = Duty.objects.filter(task__plan=plan, task__ref="3.1.2").order_by("position")
    assert list(inferred.values_list("agency__name", "role", "inferred")) == [
        ("区发展和改革局", "lead", True),
        ("区工业和信息化局", "cooperating", True),
    ]
    assert plan.warnings.filter(code=IngestWarning.Code.INFERRED_LEAD).count() == 1


def test_re_ingesting_with_another_convention_rewrites_the_roles_of_the_same_duties(ingest_text):
    plan = ingest_text(HETANG_JOINT_PLAN).plan
    ids = set(Duty.objects.filter(task__plan=plan).values_list("id", flat=True))

    result = ingest_text(HETANG_JOINT_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED)
    assert result.status == "updated"
    assert set(Duty.objects.filter(task__plan=plan).values_list("id", flat=True)) == ids
    assert Duty.objects.filter(task__plan=plan, inferred=True).count() == 5

    assert ingest_text(HETANG_JOINT_PLAN).status == "updated"
    assert set(Duty.objects.filter(task__plan=plan).values_list("role", "inferred")) == {("joint", False)}
    assert not plan.warnings.filter(code=IngestWarning.Code.INFERRED_LEAD).exists()


def test_a_district_plan_naming_its_citys_power_company_reuses_the_seeded_agency(ingest_text):
    plan = ingest_text(HETANG_JOINT_PLAN).plan
    company = Agency.objects.get(name="国网株洲供电公司")
    assert company.region == region("株洲市")
    assert Duty.objects.filter(task__plan=plan, agency=company).count() == 1
    assert Agency.objects.filter(name="国网株洲供电公司").count() == 1


# --- Bad input ----------------------------------------------------------------------------------------------------

BAD_INPUTS = {
    "empty": b"",
    "blank": b" \r\n\n\t\n",
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "no_tasks": "长沙市天心区碳达峰实施方案\n\n一、总体要求\n坚持系统观念，统筹发展和减排。\n".encode(),
    "no_title": "会议纪要\n\n大家讨论了很多事情。\n".encode(),
    "unknown_region": TIANXIN_PLAN.replace("长沙市天心区", "火星市").encode(),
    # Valid UTF-8 up to a stray byte on line 4, which neither UTF-8 nor GB18030 accepts.
    "undecodable": "长沙市天心区碳达峰实施方案\n\n一、总体要求\n".encode() + b"\xff\xfe abc\n",
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_a_bad_file_is_refused_with_its_name_and_leaves_the_database_unchanged(case, write_plan):
    path = write_plan(BAD_INPUTS[case], f"{case}.txt")
    before = model_counts()
    with pytest.raises(PlanFormatError) as error:
        ingest_file(path)
    assert error.value.source_name == f"{case}.txt"
    assert str(error.value).startswith(f"{case}.txt")
    assert model_counts() == before


@pytest.mark.parametrize(
    ("case", "line", "words"),
    [
        ("empty", None, "文件是空的"),
        ("blank", None, "文件是空的"),
        ("binary", None, "这是图片"),
        ("no_tasks", None, "未找到任何任务"),
        ("no_title", None, "未找到任何任务"),
        ("unknown_region", None, "找不到方案所属行政区的线索"),
        ("undecodable", 4, "无法识别文件编码"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_the_line_where_there_is_one(case, line, words):
    with pytest.raises(PlanFormatError) as error:
        ingest_bytes(BAD_INPUTS[case], f"{case}.txt")
    assert error.value.line == line
    assert words in str(error.value)
    if line:
        assert str(error.value).startswith(f"{case}.txt 第{line}行: ")


def test_a_file_that_cannot_be_read_is_refused_with_its_name(tmp_path):
    folder = tmp_path / "not-a-file.txt"
    folder.mkdir()
    with pytest.raises(PlanFormatError, match="not-a-file.txt"):
        ingest_file(folder)


def test_a_dry_run_reports_what_it_would_store_and_stores_nothing(write_plan):
    before = model_counts()
    result = ingest_file(write_plan(TIANXIN_PLAN), dry_run=True)
    assert (result.status, result.tasks, result.duties) == ("created", 3, 8)
    assert len(result.agencies_created) == 5
    assert model_counts() == before


# --- Encodings ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_the_same_plan_in_another_encoding_ingests_to_the_same_duties(encoding, ingest_text):
    plan = ingest_text(TIANXIN_PLAN, "utf8.txt").plan
    expected = duty_rows(plan)
    source_text = plan.source_text

    result = ingest_text(TIANXIN_PLAN, f"{encoding}.txt", encoding=encoding)

    assert result.plan.pk == plan.pk  # same title and region: the same plan, re-read
    assert duty_rows(result.plan) == expected
    result.plan.refresh_from_db()
    assert result.plan.source_text == source_text


def test_a_plan_saved_as_gb18030_and_one_saved_as_utf16_give_the_same_duties(ingest_text):
    first = duty_rows(ingest_text(TIANXIN_PLAN, "gb.txt", encoding="gb18030").plan)
    assert len(first) == 8
    second = duty_rows(ingest_text(TIANXIN_PLAN, "u16.txt", encoding="utf-16").plan)
    assert second == first
