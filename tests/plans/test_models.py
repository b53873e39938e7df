"""Plan models: the database constraints that keep duties sound, query helpers, and readable names."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.models import Agency
from plans.models import AppendixRow, AppendixUnit, Duty, IngestWarning, KeyProject, Plan, Section, Target, Task
from tests.factories import seed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    return Task.objects.get(plan=seed_plan("000"), ref="3.1.3")


@pytest.fixture
def bureau():
    return Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局")


@pytest.fixture
def stranger():
    """An agency the task above does not name."""
    return Agency.objects.get(region__full_name="株洲市石峰区", name="区教育局")


# --- Duty constraints ---------------------------------------------------------------------------------------------


def test_a_second_duty_for_the_same_task_and_agency_is_refused(task, bureau):
    assert Duty.objects.filter(task=task, agency=bureau).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.create(task=task, agency=bureau, role=Duty.Role.COOPERATING, source=Duty.Source.MANUAL)


def test_a_duty_with_an_unknown_role_is_refused(task, stranger):
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.create(task=task, agency=stranger, role="boss")


def test_a_duty_with_an_unknown_source_is_refused(task, stranger):
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.create(task=task, agency=stranger, role=Duty.Role.JOINT, source="rumour")


def test_a_joint_duty_cannot_be_marked_inferred(task, stranger):
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.create(task=task, agency=stranger, role=Duty.Role.JOINT, inferred=True)


@pytest.mark.parametrize("role", [Duty.Role.LEAD, Duty.Role.COOPERATING])
def test_a_lead_or_cooperating_duty_may_be_inferred(task, stranger, role):
    duty = Duty.objects.create(task=task, agency=stranger, role=role, inferred=True)
    assert duty.pk


def test_validating_an_inferred_joint_duty_names_the_inferred_field(task, stranger):
    duty = Duty(task=task, agency=stranger, role=Duty.Role.JOINT, inferred=True)
    with pytest.raises(ValidationError) as error:
        duty.full_clean()
    assert "inferred" in error.value.message_dict


def test_the_same_agency_may_hold_duties_on_different_tasks(bureau):
    assert Duty.objects.filter(agency=bureau).values("task").distinct().count() == 32


def test_an_agency_with_duties_cannot_be_deleted(bureau):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        bureau.delete()


def test_deleting_a_plan_deletes_its_sections_tasks_duties_and_warnings():
    plan = seed_plan("003")
    plan_id = plan.pk
    plan.delete()
    assert not Section.objects.filter(plan_id=plan_id).exists()
    assert not Task.objects.filter(plan_id=plan_id).exists()
    assert not Duty.objects.filter(task__plan_id=plan_id).exists()
    assert not AppendixRow.objects.filter(plan_id=plan_id).exists()
    assert not KeyProject.objects.filter(plan_id=plan_id).exists()
    assert not IngestWarning.objects.filter(plan_id=plan_id).exists()


# --- Other constraints --------------------------------------------------------------------------------------------


def test_a_second_plan_of_the_same_title_region_and_draft_flag_is_refused():
    plan = seed_plan("002")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(region=plan.region, title=plan.title, is_draft=False, source_name="x.txt", checksum="0")


def test_a_draft_of_a_published_plan_is_a_separate_plan():
    plan = seed_plan("002")
    draft = Plan.objects.create(region=plan.region, title=plan.title, is_draft=True, source_name="x.txt", checksum="0")
    assert draft.pk != plan.pk


def test_a_plan_with_an_unknown_lead_convention_is_refused():
    plan = seed_plan("002")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(region=plan.region, title="方案", lead_convention="loudest", source_name="x", checksum="0")


def test_a_second_task_with_the_same_ref_in_a_plan_is_refused(task):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(plan=task.plan, section=task.section, ref=task.ref, position=999, line=1)


def test_a_target_year_outside_2000_to_2100_is_refused():
    plan = seed_plan("002")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(plan=plan, label="到1900年", year=1900, text="…", position=999)


def test_a_key_project_ending_before_it_starts_is_refused():
    plan = seed_plan("003")
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyProject.objects.create(plan=plan, name="倒序项目", start_year=2025, end_year=2022, position=999, line=1)


# --- Query helpers ------------------------------------------------------------------------------------------------


def test_role_counts_give_the_duties_per_role_of_a_plan():
    counts = Duty.objects.in_plan(seed_plan("004")).role_counts()
    total = Duty.objects.filter(task__plan=seed_plan("004")).count()
    assert counts == {"lead": 0, "cooperating": 0, "joint": total}


def test_leads_and_for_agency_narrow_the_duties(bureau):
    leads = Duty.objects.for_agency(bureau).leads()
    assert leads.exists()
    assert set(leads.values_list("role", flat=True)) == {"lead"}
    assert set(leads.values_list("agency", flat=True)) == {bureau.pk}


def test_tasks_with_duties_load_every_duty_and_agency_in_two_queries(django_assert_num_queries):
    plan = seed_plan("001")
    with django_assert_num_queries(2):
        tasks = list(Task.objects.filter(plan=plan).with_duties().in_outline_order())
    with django_assert_num_queries(0):
        names = [d.agency.full_name for t in tasks for d in t.duties.all()]
        sections = {t.section.title for t in tasks}
    assert len(names) == Duty.objects.filter(task__plan=plan).count()
    assert sections


# --- Readable names -----------------------------------------------------------------------------------------------


def test_a_plan_reads_as_its_title_and_a_draft_says_so():
    assert str(seed_plan("002")) == "株洲市碳达峰实施方案"
    assert str(seed_plan("000")) == "株洲市石峰区碳达峰实施方案（征求意见稿）"


def test_a_section_reads_as_its_number_and_title(task):
    assert str(task.section) == "（1）推进能源结构低碳转型"  # 000 numbers its sections （1）


def test_a_task_reads_as_its_number_and_title(task):
    assert str(task) == "3 加快构建新型电力系统"


def test_a_task_without_number_or_title_reads_as_its_ref(task):
    assert str(Task(ref="9.9.9")) == "9.9.9"


def test_a_duty_reads_as_agency_role_and_task(task, bureau):
    duty = Duty.objects.get(task=task, agency=bureau)
    assert str(duty) == "株洲市石峰区发展和改革局 牵头：3 加快构建新型电力系统"


def test_an_inferred_duty_says_it_is_inferred(task, stranger):
    duty = Duty.objects.create(task=task, agency=stranger, role=Duty.Role.COOPERATING, inferred=True)
    assert str(duty) == "株洲市石峰区教育局 配合（推定）：3 加快构建新型电力系统"


def test_a_target_reads_as_its_time_and_text_the_time_once():
    target = Target.objects.filter(plan=seed_plan("002")).order_by("position").first()
    assert target.text.startswith(f"{target.label},")  # “十四五”期间,我市…
    assert str(target) == f"{target.label}：{target.text.removeprefix(target.label + ',')}"
    assert str(target).count(target.label) == 1


def test_an_appendix_row_and_its_unit_read_as_appendix_number_title_and_role():
    row = AppendixRow.objects.filter(plan=seed_plan("003"), kind=AppendixRow.Kind.TASK).order_by("position").first()
    assert str(row) == f"{row.appendix} {row.number}{row.title}"
    assert str(row).startswith("附件1 ")
    unit = AppendixUnit.objects.filter(row=row).order_by("position").first()
    assert str(unit) == f"{unit.agency.full_name} {unit.get_role_display()}"


def test_a_key_project_reads_as_its_name():
    project = KeyProject.objects.filter(plan=seed_plan("003")).first()
    assert str(project) == project.name != ""


def test_a_warning_reads_as_its_line_kind_and_message():
    warning = IngestWarning.objects.get(plan=seed_plan("003"), code=IngestWarning.Code.FUSED_SPLIT)
    assert str(warning) == f"第{warning.line}行 连写单位已拆分：{warning.message}"
    assert str(IngestWarning(code="alias_matched", message="…", position=0)) == "按别名归并：…"


# --- Display helpers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "title", "expected"),
    [
        ("一", "总体要求", "一、总体要求"),
        ("（一）", "推进能源结构低碳转型", "（一）推进能源结构低碳转型"),
        ("", "附件", "附件"),
    ],
)
def test_a_section_heading_reads_as_printed(number, title, expected):
    assert Section(number=number, title=title).heading == expected


@pytest.mark.parametrize(
    ("number", "title", "expected"),
    [
        ("1", "大力发展可再生能源", "1. 大力发展可再生能源"),
        ("（1）", "推广光伏", "（1）推广光伏"),
        ("", "组织实施", "组织实施"),
    ],
)
def test_a_task_heading_reads_as_printed(number, title, expected):
    assert Task(number=number, title=title, ref="1.1").heading == expected


def test_the_body_splits_around_the_last_copy_of_its_clause():
    task = Task(body="推进光伏（区发改局牵头）建设。（区发改局牵头）", clause_text="区发改局牵头")
    assert task.body_parts() == ("推进光伏（区发改局牵头）建设。（", "区发改局牵头", "）")


def test_a_clause_not_in_the_body_stands_after_it():
    task = Task(body="推进光伏建设。", clause_text="区发改局牵头")
    assert task.body_parts() == ("推进光伏建设。", "区发改局牵头", "")
    assert Task(body="只有正文。").body_parts() == ("只有正文。", "", "")


def test_a_duty_role_label_marks_an_inferred_lead():
    assert Duty(role="lead", inferred=True).role_label == "牵头（推定）"
    assert Duty(role="joint").mark == "共"
