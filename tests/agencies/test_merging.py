"""Renaming, aliases, splitting and merging agencies: the database after each service, its history, and re-ingesting."""

import pytest
from django.core.exceptions import ValidationError

from agencies import merging
from agencies.models import Agency, AgencyAlias
from plans.assignments import BASELINE_REASON
from plans.ingestion import ingest_file
from plans.models import AppendixRow, AppendixUnit, Duty, KeyProject, RemovedDuty, TaskNote
from tests.factories import SEED_FILES, TIANXIN_PLAN, duty_rows, region, seed_plan

pytestmark = pytest.mark.django_db

SHIFENG = "株洲市石峰区"
TIANXIN = "长沙市天心区"
BUREAU = "区发展和改革局"
SHORT = "区发改局"


def agency(region_name: str, name: str) -> Agency:
    return Agency.objects.get(region=region(region_name), name=name)


def aliases(a: Agency) -> list[str]:
    return sorted(a.aliases.values_list("name", flat=True))


def changed_seed_000(write_plan):
    """Seed 000 with one character of its preamble changed: a changed file, the same plan."""
    text = SEED_FILES[0].read_text(encoding="utf-8")
    assert "统筹推进我区" in text
    return write_plan(text.replace("统筹推进我区", "统筹推进本区", 1), name="000_changed.txt")


def split_short_form(user, reason="拆分试验"):
    alias = agency(SHIFENG, BUREAU).aliases.get(name=SHORT)
    return merging.split_alias(alias, user=user, reason=reason)


# --- Rename and kind ------------------------------------------------------------------------------------------------


def test_renaming_keeps_the_old_name_as_an_alias_with_history(administrator):
    bureau = agency(SHIFENG, BUREAU)
    assert merging.rename_agency(bureau, " 区发展改革和数据局 ", user=administrator, reason="机构改革")
    bureau.refresh_from_db()
    assert bureau.name == "区发展改革和数据局"
    assert bureau.full_name == "株洲市石峰区发展改革和数据局"
    assert aliases(bureau) == [BUREAU, SHORT]
    row = bureau.history.latest()
    assert (row.history_type, row.name, row.history_user) == ("~", "区发展改革和数据局", administrator)
    assert row.history_change_reason == "单位改名：区发展和改革局 → 区发展改革和数据局（机构改革）"
    alias_row = AgencyAlias.history.filter(agency_id=bureau.pk, name=BUREAU).get()
    assert (alias_row.history_type, alias_row.history_user) == ("+", administrator)


def test_renaming_to_the_same_name_changes_nothing(administrator):
    bureau = agency(SHIFENG, BUREAU)
    rows = bureau.history.count()
    assert not merging.rename_agency(bureau, BUREAU, user=administrator)
    assert bureau.history.count() == rows


def test_renaming_to_an_own_alias_swaps_name_and_alias(administrator):
    bureau = agency(SHIFENG, BUREAU)
    merging.rename_agency(bureau, SHORT, user=administrator)
    bureau.refresh_from_db()
    assert bureau.name == SHORT
    assert aliases(bureau) == [BUREAU]
    assert AgencyAlias.history.filter(name=SHORT, history_type="-", history_user=administrator).exists()


@pytest.mark.parametrize(
    ("new_name", "message"),
    [
        ("区财政局", "本地区已有单位“区财政局”"),
        ("区人社局", "“区人社局”已是本地区“区人力资源社会保障局”的别名"),
        ("  ", "请填写名称"),
        ("局" * 101, "名称最多 100 字"),
    ],
)
def test_renaming_refuses_a_name_taken_in_the_region(administrator, new_name, message):
    bureau = agency(SHIFENG, BUREAU)
    with pytest.raises(ValidationError, match=message):
        merging.rename_agency(bureau, new_name, user=administrator)
    bureau.refresh_from_db()
    assert bureau.name == BUREAU


def test_a_name_taken_in_another_region_is_free(administrator):
    bureau = agency(SHIFENG, "区教育局")
    merging.rename_agency(bureau, "区林业局", user=administrator)  # 鹤城区 has a 区林业局
    assert agency(SHIFENG, "区林业局").pk == bureau.pk


def test_setting_the_kind_records_it(administrator):
    bureau = agency(SHIFENG, BUREAU)
    assert merging.set_kind(bureau, Agency.Kind.OTHER, user=administrator, reason="核对")
    bureau.refresh_from_db()
    assert bureau.kind == Agency.Kind.OTHER
    assert bureau.history.latest().history_change_reason == "修改单位类型：政府部门 → 其他（核对）"
    assert not merging.set_kind(bureau, Agency.Kind.OTHER, user=administrator)
    with pytest.raises(ValidationError, match="有效的单位类型"):
        merging.set_kind(bureau, "nonsense", user=administrator)


def test_after_renaming_a_re_ingest_of_a_changed_text_keeps_the_duties_on_the_renamed_agency(administrator, write_plan):
    bureau = agency(SHIFENG, BUREAU)
    before = duty_rows(seed_plan("000"))
    merging.rename_agency(bureau, "区发展改革和数据局", user=administrator)
    result = ingest_file(changed_seed_000(write_plan))
    assert result.status == "updated"
    assert result.agencies_created == []
    bureau.refresh_from_db()
    assert bureau.duties.count() == 32
    renamed = {BUREAU: "区发展改革和数据局"}
    assert duty_rows(seed_plan("000")) == [(ref, renamed.get(name, name), *rest) for ref, name, *rest in before]


# --- Aliases --------------------------------------------------------------------------------------------------------


def test_adding_and_removing_an_alias_records_both(administrator):
    bureau = agency(SHIFENG, BUREAU)
    alias = merging.add_alias(bureau, "区发展改革局", user=administrator, reason="常见写法")
    assert aliases(bureau) == ["区发展改革局", SHORT]
    merging.remove_alias(alias, user=administrator, reason="不再使用")
    assert aliases(bureau) == [SHORT]
    rows = AgencyAlias.history.filter(name="区发展改革局").order_by("history_id")
    assert [(r.history_type, r.history_change_reason, r.history_user) for r in rows] == [
        ("+", "新增别名：区发展改革局（常见写法）", administrator),
        ("-", "删除别名：区发展改革局（不再使用）", administrator),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (BUREAU, "就是本单位的名称"),
        (SHORT, "本单位已有别名“区发改局”"),
        ("区财政局", "本地区已有单位“区财政局”"),
        ("区人社局", "已是本地区“区人力资源社会保障局”的别名"),
        ("", "请填写名称"),
    ],
)
def test_an_alias_must_be_free_in_the_region(administrator, name, message):
    with pytest.raises(ValidationError, match=message):
        merging.add_alias(agency(SHIFENG, BUREAU), name, user=administrator)


# --- Split ----------------------------------------------------------------------------------------------------------


def test_splitting_the_short_form_off_moves_its_one_duty_to_a_new_agency(administrator):
    bureau = agency(SHIFENG, BUREAU)
    duty = bureau.duties.get(as_written=SHORT)
    result = split_short_form(administrator)
    new = result.agency
    assert (new.name, new.region, new.kind) == (SHORT, bureau.region, bureau.kind)
    assert result.moved["职责"] == 1
    assert aliases(bureau) == []
    assert bureau.duties.count() == 31
    duty.refresh_from_db()
    assert (duty.agency, duty.source, duty.as_written) == (new, Duty.Source.TEXT, SHORT)
    rows = list(duty.history.order_by("history_id"))
    assert [(r.history_type, r.agency_id, r.history_change_reason) for r in rows] == [
        ("+", bureau.pk, BASELINE_REASON),
        ("~", new.pk, "拆分单位：区发改局 从 区发展和改革局 拆分为独立单位（拆分试验）"),
    ]
    assert rows[1].history_user == administrator
    assert new.history.get().history_type == "+"


def test_splitting_moves_appendix_units_and_projects_written_that_way(administrator, ingest_text):
    ingest_text(TIANXIN_PLAN)
    bureau = agency(TIANXIN, BUREAU)
    plan = Duty.objects.filter(agency=bureau).first().task.plan
    row = AppendixRow.objects.create(plan=plan, appendix="附件1", kind="task", title="清单", position=0, line=1)
    short_unit = AppendixUnit.objects.create(row=row, agency=bureau, role="lead", as_written=SHORT)
    full_unit = AppendixUnit.objects.create(
        row=AppendixRow.objects.create(plan=plan, appendix="附件1", kind="task", title="清单二", position=1, line=2),
        agency=bureau,
        role="lead",
        as_written=BUREAU,
    )
    project = KeyProject.objects.create(
        plan=plan, agency=bureau, unit_as_written=SHORT, name="项目", position=0, line=1
    )
    result = merging.split_alias(bureau.aliases.get(name=SHORT), user=administrator)
    assert result.moved == {"职责": 1, "附件清单单位": 1, "重点项目": 1}
    short_unit.refresh_from_db(), full_unit.refresh_from_db(), project.refresh_from_db()
    assert (short_unit.agency, full_unit.agency, project.agency) == (result.agency, bureau, result.agency)


def test_after_splitting_a_re_ingest_of_a_changed_text_keeps_the_duty_on_the_new_agency(administrator, write_plan):
    new = split_short_form(administrator).agency
    before = duty_rows(seed_plan("000"))
    result = ingest_file(changed_seed_000(write_plan))
    assert result.status == "updated" and result.agencies_created == []
    assert duty_rows(seed_plan("000")) == before
    assert list(new.duties.values_list("as_written", flat=True)) == [SHORT]
    assert aliases(agency(SHIFENG, BUREAU)) == []


# --- Merge ----------------------------------------------------------------------------------------------------------


def test_the_split_and_merge_round_trip_gives_one_agency_with_both_names_that_re_ingesting_keeps(
    administrator, write_plan
):
    bureau = agency(SHIFENG, BUREAU)
    before = duty_rows(seed_plan("000"))
    new = split_short_form(administrator).agency
    plan = merging.merge_agencies(new, bureau, user=administrator, reason="误拆，合并回去")
    assert (len(plan.part("plans").moves), plan.part("plans").clashes) == (1, [])
    assert not Agency.objects.filter(pk=new.pk).exists()
    assert Agency.objects.filter(region=bureau.region, name__in=[BUREAU, SHORT]).get() == bureau
    assert aliases(bureau) == [SHORT]
    assert bureau.duties.count() == 32
    assert duty_rows(seed_plan("000")) == before

    reason = "单位合并：区发改局 并入 区发展和改革局（误拆，合并回去）"
    moved = Duty.history.filter(agency_id=bureau.pk, history_change_reason=reason).get()
    assert (moved.history_type, moved.history_user) == ("~", administrator)
    assert Agency.history.filter(id=new.pk, history_type="-", history_change_reason=reason).exists()
    assert AgencyAlias.history.filter(agency_id=bureau.pk, name=SHORT, history_change_reason=reason).exists()

    for path in [*SEED_FILES, changed_seed_000(write_plan), SEED_FILES[0]]:
        result = ingest_file(path)
        assert result.agencies_created == [], path.name
    bureau.refresh_from_db()
    assert bureau.name == BUREAU and aliases(bureau) == [SHORT]
    assert bureau.duties.count() == 32
    assert duty_rows(seed_plan("000")) == before
    assert not Agency.objects.filter(region=bureau.region, name=SHORT).exists()


def test_merging_across_regions_is_refused(administrator):
    shifeng, kaifu = agency(SHIFENG, BUREAU), agency("长沙市开福区", BUREAU)
    with pytest.raises(ValidationError, match="只能合并同一行政区的单位"):
        merging.merge_agencies(kaifu, shifeng, user=administrator)
    with pytest.raises(ValidationError, match="不能把单位并入它自己"):
        merging.merge_agencies(shifeng, shifeng, user=administrator)
    assert Agency.objects.filter(pk=kaifu.pk).exists()


@pytest.fixture
def tianxin(ingest_text):
    """天心区: 发改 leads 1, joint 2, cooperates on 3 (as 区发改局); 工信 joint 2, leads 3; 财政 cooperates on 3;
    住建 and 自然资源 cooperate on 1."""
    ingest_text(TIANXIN_PLAN)
    return {a.name: a for a in Agency.objects.filter(region=region(TIANXIN))}


def duty_of(a: Agency, number: str) -> Duty | None:
    return Duty.objects.filter(agency=a, task__number=number).first()


def test_a_clash_of_equal_roles_keeps_the_target_duty_and_deletes_the_source_one(administrator, tianxin):
    source, target = tianxin["区自然资源局"], tianxin["区住房和城乡建设局"]
    kept, dropped = duty_of(target, "1"), duty_of(source, "1")
    plan = merging.merge_agencies(source, target, user=administrator, reason="同一单位")
    assert [c.task.number for c in plan.part("plans").clashes] == ["1"]
    assert plan.part("plans").clash_lines() == [
        "1. 大力发展新能源：两单位均有职责，保留区住房和城乡建设局的“配合”，删除区自然资源局的“配合”"
    ]
    assert Duty.objects.filter(task=kept.task, agency=target).get() == kept
    kept.refresh_from_db()
    assert (kept.role, kept.source) == ("cooperating", Duty.Source.TEXT)
    assert not Duty.objects.filter(pk=dropped.pk).exists()
    assert dropped.history.filter(history_type="-", history_user=administrator).exists()


def test_a_clash_where_the_source_is_stronger_gives_the_target_its_role_by_hand(administrator, tianxin):
    source, target = tianxin["区工业和信息化局"], tianxin["区财政局"]
    plan = merging.merge_agencies(source, target, user=administrator)
    assert len(plan.part("plans").moves) == 1  # task 2, where 财政 had nothing
    assert plan.part("plans").clash_lines() == [
        "3. 全面提升节能管理能力：两单位均有职责，区财政局的职责由“配合”改为“牵头”（取较强者），"
        "删除区工业和信息化局的“牵头”"
    ]
    kept = duty_of(target, "3")
    assert (kept.role, kept.inferred, kept.source) == ("lead", False, Duty.Source.MANUAL)
    assert (duty_of(target, "2").role, duty_of(target, "2").source) == ("joint", Duty.Source.TEXT)
    assert [h.role for h in kept.history.order_by("history_id")] == ["cooperating", "lead"]


def test_a_clash_where_the_target_is_stronger_keeps_its_role(administrator, tianxin):
    source, target = tianxin["区财政局"], tianxin["区工业和信息化局"]
    merging.merge_agencies(source, target, user=administrator)
    kept = duty_of(target, "3")
    assert (kept.role, kept.source) == ("lead", Duty.Source.TEXT)
    assert not kept.history.exists()  # untouched, so no baseline either


def test_merging_moves_notes_removals_members_aliases_and_contact(administrator, tianxin, django_user_model):
    source, target = tianxin["区发展和改革局"], tianxin["区工业和信息化局"]
    task1, task2, task3 = duty_of(source, "1").task, duty_of(source, "2").task, duty_of(target, "3").task
    TaskNote.objects.create(task=task2, agency=source, contact_person="张三", note="发改意见")
    TaskNote.objects.create(task=task2, agency=target, contact_phone="123", note="工信意见")
    TaskNote.objects.create(task=task1, agency=source, note="仅发改")
    RemovedDuty.objects.create(task=task3, agency=source, role="cooperating")  # 工信 has a duty on 3: dropped
    RemovedDuty.objects.create(task=task1, agency=target, role="cooperating")  # 发改's lead arrives on 1: goes
    staff = django_user_model.objects.create_user("fgj-staff")
    source.members.add(staff)
    source.contact_person = "李四"
    source.save()

    merging.merge_agencies(source, target, user=administrator, reason="合并")

    notes = {n.task_id: n for n in TaskNote.objects.filter(agency=target)}
    assert (notes[task2.pk].note, notes[task2.pk].contact_person, notes[task2.pk].contact_phone) == (
        "工信意见\n发改意见",
        "张三",
        "123",
    )
    assert notes[task1.pk].note == "仅发改"
    assert not RemovedDuty.objects.filter(agency=target).exists()
    assert list(target.members.all()) == [staff]
    target.refresh_from_db()
    assert target.contact_person == "李四"
    assert aliases(target) == [BUREAU, SHORT]
    assert {d.task.number: d.role for d in target.duties.select_related("task")} == {
        "1": "lead",
        "2": "joint",
        "3": "lead",
    }


def test_a_removal_of_the_source_moves_where_the_target_has_nothing(administrator, tianxin):
    source, target = tianxin["区自然资源局"], tianxin["区财政局"]
    task1 = duty_of(source, "1").task
    Duty.objects.filter(agency=source).delete()
    RemovedDuty.objects.create(task=task1, agency=source, role="cooperating")
    merging.merge_agencies(source, target, user=administrator)
    assert RemovedDuty.objects.filter(task=task1, agency=target, role="cooperating").exists()


def test_merging_moves_appendix_units_and_key_projects_keeping_the_target_unit_on_a_clash(administrator, tianxin):
    source, target = tianxin["区自然资源局"], tianxin["区住房和城乡建设局"]
    plan = duty_of(source, "1").task.plan
    shared = AppendixRow.objects.create(plan=plan, appendix="附件1", kind="task", title="甲", position=0, line=1)
    alone = AppendixRow.objects.create(plan=plan, appendix="附件1", kind="task", title="乙", position=1, line=2)
    AppendixUnit.objects.create(row=shared, agency=source, role="lead")
    kept = AppendixUnit.objects.create(row=shared, agency=target, role="cooperating")
    moved = AppendixUnit.objects.create(row=alone, agency=source, role="lead")
    project = KeyProject.objects.create(plan=plan, agency=source, name="项目", position=0, line=1)
    preview = merging.plan_merge(source, target).part("plans")
    assert (preview.appendix_units, preview.appendix_clashes, preview.projects) == (1, 1, 1)
    merging.merge_agencies(source, target, user=administrator)
    assert list(AppendixUnit.objects.filter(row=shared)) == [kept]
    moved.refresh_from_db(), project.refresh_from_db()
    assert (moved.agency, project.agency) == (target, target)


def test_the_merge_plan_counts_what_will_move_before_anything_changes(tianxin):
    source, target = tianxin["区发展和改革局"], tianxin["区工业和信息化局"]
    plan = merging.plan_merge(source, target)
    assert [d.task.number for d in plan.part("plans").moves] == ["1"]
    assert [c.task.number for c in plan.part("plans").clashes] == ["2", "3"]
    assert plan.aliases == [BUREAU, SHORT]
    assert Duty.objects.filter(agency=source).count() == 3
