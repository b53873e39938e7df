"""Re-ingesting a changed plan: manual changes survive, conflicts are reported, choices settle them.

Manual changes are written as the edit pages write them (the data contract): a changed or added
duty gets source `manual`, a removed one leaves a RemovedDuty row, a reordered task has
`duties_ordered_by_hand`, agency staff keep TaskNotes.
"""

import io

import pytest
from django.core.management import call_command

from agencies.models import Agency, AgencyAlias
from plans.ingestion import ingest_bytes
from plans.models import Duty, Plan, RemovedDuty, Task, TaskNote
from tests.factories import HETANG_JOINT_PLAN, SEED_FILES, TIANXIN_PLAN, duty_rows, model_counts, seed_plan

pytestmark = pytest.mark.django_db

SEED = SEED_FILES[0]
SEED_TEXT = SEED.read_text(encoding="utf-8")
REASON = f"采用新文本：{SEED.name}"

# Task 3.2.1 of seed 000 (line 23): 区发展和改革局 leads, four units cooperate.
CLAUSE_3_2_1 = (
    "道路。（区发展和改革局牵头，区科技和工业信息化局、生态环境石峰分局、高新区田心片区管委会、经开区管委会"
    "按职责分工负责）"
)
TECH = "区科技和工业信息化局"
ECOLOGY = "生态环境石峰分局"


def seed_with_clause(clause: str) -> str:
    assert SEED_TEXT.count(CLAUSE_3_2_1) == 1
    return SEED_TEXT.replace(CLAUSE_3_2_1, f"道路。（{clause}）")


WITHOUT_TECH = seed_with_clause(
    "区发展和改革局牵头，生态环境石峰分局、高新区田心片区管委会、经开区管委会按职责分工负责"
)
TECH_LEADS = seed_with_clause(
    "区发展和改革局、区科技和工业信息化局牵头，生态环境石峰分局、高新区田心片区管委会、经开区管委会按职责分工负责"
)
ECOLOGY_LEADS = seed_with_clause(
    "区发展和改革局、生态环境石峰分局牵头，区科技和工业信息化局、高新区田心片区管委会、经开区管委会按职责分工负责"
)
WITH_COMMERCE = seed_with_clause(
    "区发展和改革局牵头，区科技和工业信息化局、生态环境石峰分局、高新区田心片区管委会、经开区管委会、区商务局"
    "按职责分工负责"
)
# A change elsewhere: task 3.2.2 loses 区交通运输局.
OTHER_TASK_CHANGED = SEED_TEXT.replace(
    "区科技和工业信息化局、区交通运输局、区住房和城乡建设局", "区科技和工业信息化局、区住房和城乡建设局", 1
)
# Task 3.2.3 (全面推广节能高效设备) taken out of the text.
TASK_3_2_3_LINE = next(line for line in SEED_TEXT.splitlines() if "3.全面推广节能高效设备" in line)
WITHOUT_3_2_3 = SEED_TEXT.replace(TASK_3_2_3_LINE + "\n", "")


def reingest(text: str, **kwargs):
    return ingest_bytes(text.encode(), SEED.name, **kwargs)


def task(ref: str) -> Task:
    return Task.objects.get(plan=seed_plan("000"), ref=ref)


def duty(ref: str, agency: str) -> Duty:
    return Duty.objects.select_related("agency").get(task__plan=seed_plan("000"), task__ref=ref, agency__name=agency)


def change_by_hand(ref: str, agency: str, role: str) -> Duty:
    d = duty(ref, agency)
    d.role, d.inferred, d.source = role, False, Duty.Source.MANUAL
    d.save()
    return d


def remove_by_hand(ref: str, agency: str) -> None:
    d = duty(ref, agency)
    d.delete()
    RemovedDuty.objects.update_or_create(
        task=d.task, agency=d.agency, defaults={"role": d.role, "removed_by_import": None}
    )


def roles(ref: str) -> dict[str, tuple[str, str]]:
    return {
        name: (role, source)
        for name, role, source in Duty.objects.filter(task__plan=seed_plan("000"), task__ref=ref).values_list(
            "agency__name", "role", "source"
        )
    }


# --- Unchanged and untouched --------------------------------------------------------------------------------------


def test_re_ingesting_the_unchanged_seed_after_manual_edits_changes_nothing_and_reports_no_conflict():
    change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    remove_by_hand("3.2.1", ECOLOGY)
    plan = seed_plan("000")
    before, rows, updated_at = model_counts(), duty_rows(plan), plan.updated_at

    result = ingest_bytes(SEED.read_bytes(), SEED.name)

    assert result.status == "unchanged"
    assert result.conflicts == [] and result.kept_tasks == []
    assert model_counts() == before
    assert duty_rows(plan) == rows
    plan.refresh_from_db()
    assert plan.updated_at == updated_at


def test_a_change_elsewhere_in_the_text_keeps_manual_changes_without_a_conflict():
    change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    remove_by_hand("3.2.1", ECOLOGY)

    result = reingest(OTHER_TASK_CHANGED)

    assert result.status == "updated"
    assert result.conflicts == []
    assert roles("3.2.1")[TECH] == (Duty.Role.LEAD, Duty.Source.MANUAL)
    assert ECOLOGY not in roles("3.2.1")
    assert "区交通运输局" not in roles("3.2.2")
    assert result.changes.duties_removed == 1
    assert result.changes.tasks_changed == 1


# --- Conflicts on a changed duty ----------------------------------------------------------------------------------


def test_a_text_dropping_a_unit_a_person_changed_is_a_conflict_and_the_manual_change_stays_by_default():
    manual = change_by_hand("3.2.1", TECH, Duty.Role.LEAD)

    result = reingest(WITHOUT_TECH)

    [conflict] = result.conflicts
    assert (conflict.task_ref, conflict.agency_name, conflict.line) == ("3.2.1", TECH, 23)
    assert conflict.base.role == Duty.Role.COOPERATING
    assert conflict.text is None
    assert conflict.manual.role == Duty.Role.LEAD
    assert conflict.text_label == "文本现已不再列出该单位"
    assert conflict.manual_label == "人工修改为牵头"
    assert conflict.key == f"duty-{task('3.2.1').id}-{manual.agency_id}"
    assert result.kept_manual == 1
    manual.refresh_from_db()
    assert (manual.role, manual.source) == (Duty.Role.LEAD, Duty.Source.MANUAL)


def test_taking_the_text_for_a_dropped_unit_deletes_the_duty_with_a_history_record(administrator):
    manual = change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    key = f"duty-{manual.task_id}-{manual.agency_id}"

    result = reingest(WITHOUT_TECH, choices={key: "take"}, user=administrator)

    assert result.taken == 1 and result.kept_manual == 0
    assert not Duty.objects.filter(pk=manual.pk).exists()
    last = Duty.history.filter(id=manual.pk).latest("history_date")
    assert (last.history_type, last.history_change_reason, last.history_user) == ("-", REASON, administrator)


def test_a_text_changing_the_role_of_a_unit_a_person_changed_is_a_conflict_that_taking_the_text_settles(
    administrator,
):
    manual = change_by_hand("3.2.1", TECH, Duty.Role.JOINT)

    preview = reingest(TECH_LEADS, dry_run=True)
    [conflict] = preview.conflicts
    assert (conflict.text_label, conflict.manual_label, conflict.base_label) == (
        "文本现为牵头",
        "人工修改为共同负责",
        "原文本为配合",
    )
    assert roles("3.2.1")[TECH] == (Duty.Role.JOINT, Duty.Source.MANUAL)

    reingest(TECH_LEADS, choices={conflict.key: "take"}, user=administrator)

    manual.refresh_from_db()
    assert (manual.role, manual.source, manual.as_written) == (Duty.Role.LEAD, Duty.Source.TEXT, TECH)
    last = manual.history.latest("history_date")
    assert (last.history_type, last.history_change_reason, last.history_user) == ("~", REASON, administrator)
    assert last.prev_record.source == Duty.Source.MANUAL


def test_a_new_text_that_agrees_with_the_person_is_no_conflict():
    remove_by_hand("3.2.1", TECH)
    result = reingest(WITHOUT_TECH)
    assert result.conflicts == []
    assert TECH not in roles("3.2.1")


def test_a_unit_a_person_added_that_the_text_now_lists_with_another_role_is_a_conflict():
    commerce = Agency.objects.get(region=seed_plan("000").region, name="区商务局")
    Duty.objects.create(task=task("3.2.1"), agency=commerce, role=Duty.Role.LEAD, source=Duty.Source.MANUAL, position=9)

    [conflict] = reingest(WITH_COMMERCE).conflicts

    assert (conflict.agency_name, conflict.base, conflict.text.role) == ("区商务局", None, Duty.Role.COOPERATING)
    assert roles("3.2.1")["区商务局"] == (Duty.Role.LEAD, Duty.Source.MANUAL)


# --- Conflicts on a removed duty ----------------------------------------------------------------------------------


def test_a_removed_unit_is_not_brought_back_by_a_change_elsewhere():
    remove_by_hand("3.2.1", ECOLOGY)
    result = reingest(WITH_COMMERCE)
    assert result.conflicts == []
    assert ECOLOGY not in roles("3.2.1")
    assert "区商务局" in roles("3.2.1")
    assert RemovedDuty.objects.filter(task=task("3.2.1"), agency__name=ECOLOGY).exists()


def test_a_text_giving_a_removed_unit_another_role_is_a_conflict_kept_removed_by_default():
    remove_by_hand("3.2.1", ECOLOGY)

    [conflict] = reingest(ECOLOGY_LEADS).conflicts

    assert conflict.manual is None
    assert conflict.manual_label == "人工删除了该单位（原为配合）"
    assert conflict.text_label == "文本现为牵头"
    assert ECOLOGY not in roles("3.2.1")
    assert RemovedDuty.objects.filter(task=task("3.2.1"), agency__name=ECOLOGY).exists()


def test_taking_the_text_for_a_removed_unit_restores_the_duty_and_drops_the_removal(administrator):
    remove_by_hand("3.2.1", ECOLOGY)
    key = reingest(ECOLOGY_LEADS, dry_run=True).conflicts[0].key

    reingest(ECOLOGY_LEADS, choices={key: "take"}, user=administrator)

    restored = duty("3.2.1", ECOLOGY)
    assert (restored.role, restored.source) == (Duty.Role.LEAD, Duty.Source.TEXT)
    assert not RemovedDuty.objects.filter(task=task("3.2.1"), agency__name=ECOLOGY).exists()
    [record] = restored.history.all()
    assert (record.history_type, record.history_change_reason, record.history_user) == ("+", REASON, administrator)


# --- Order, notes, kept tasks -------------------------------------------------------------------------------------


def test_a_task_ordered_by_hand_keeps_its_positions_and_gets_new_units_after_them():
    t = task("3.2.1")
    order = list(t.duties.order_by("-position"))
    for position, d in enumerate(order):
        d.position = position
        d.save()
    t.duties_ordered_by_hand = True
    t.save()

    reingest(WITH_COMMERCE)

    names = list(t.duties.order_by("position").values_list("agency__name", flat=True))
    assert names == [d.agency.name for d in order] + ["区商务局"]


def test_a_task_not_ordered_by_hand_follows_the_texts_order():
    t = task("3.2.1")
    for position, d in enumerate(t.duties.order_by("-position")):
        d.position = position
        d.save()
    reingest(WITH_COMMERCE)
    assert list(t.duties.order_by("position").values_list("agency__name", flat=True))[:2] == ["区发展和改革局", TECH]


def test_agency_notes_survive_a_changed_re_ingest_even_when_their_duty_goes(administrator):
    t = task("3.2.1")
    tech = duty("3.2.1", TECH).agency
    note = TaskNote.objects.create(task=t, agency=tech, contact_person="张三", note="已部署")

    reingest(WITHOUT_TECH)

    note.refresh_from_db()
    assert (note.task_id, note.contact_person, note.note) == (t.id, "张三", "已部署")


def test_a_task_gone_from_the_text_with_a_note_is_kept_and_reported():
    t = task("3.2.3")
    TaskNote.objects.create(task=t, agency=duty("3.2.3", TECH).agency, note="进行中")

    result = reingest(WITHOUT_3_2_3)

    [kept] = result.kept_tasks
    assert (kept.task_id, kept.ref, kept.reasons) == (t.id, "3.2.3", ["单位备注 1 条"])
    t.refresh_from_db()
    assert t.position == seed_plan("000").tasks.count() - 1  # behind the text's tasks
    assert t.notes.count() == 1


def test_a_task_gone_from_the_text_with_a_manual_duty_is_kept_as_it_was():
    manual = change_by_hand("3.2.3", TECH, Duty.Role.LEAD)
    duties = set(Duty.objects.filter(task=manual.task).values_list("id", "agency_id", "role", "source", "position"))
    result = reingest(WITHOUT_3_2_3)
    assert result.kept_tasks[0].reasons == ["人工录入的职责 1 条"]
    assert result.changes.duties_removed == 0
    assert (
        set(Duty.objects.filter(task=manual.task).values_list("id", "agency_id", "role", "source", "position"))
        == duties
    )


def test_a_task_gone_from_the_text_that_a_person_edited_is_kept(administrator):
    d = duty("3.2.3", TECH)
    d._history_user = administrator
    d.save()  # as a revert leaves it: the text's values, in the history under a person's name
    result = reingest(WITHOUT_3_2_3)
    assert result.kept_tasks[0].reasons == ["有人工修改记录"]


def test_a_kept_task_the_administrator_deletes_goes_with_its_notes_and_duties_in_the_history(administrator):
    t = task("3.2.3")
    manual = change_by_hand("3.2.3", TECH, Duty.Role.LEAD)
    note = TaskNote.objects.create(task=t, agency=manual.agency, note="进行中")

    result = reingest(WITHOUT_3_2_3, choices={f"task-{t.id}": "delete"}, user=administrator)

    assert result.deleted_tasks == 1
    assert not Task.objects.filter(pk=t.pk).exists()
    assert not TaskNote.objects.filter(pk=note.pk).exists()
    assert TaskNote.history.filter(id=note.pk, history_type="-").get().history_change_reason == REASON
    assert Duty.history.filter(id=manual.pk, history_type="-").get().history_user == administrator


def test_a_task_gone_from_the_text_that_nobody_touched_goes():
    t = task("3.2.3")
    result = reingest(WITHOUT_3_2_3)
    assert result.kept_tasks == []
    assert not Task.objects.filter(pk=t.pk).exists()
    assert result.changes.tasks_removed == 1


def test_tasks_renumbered_by_a_dropped_task_keep_their_rows_notes_and_manual_duties_without_conflicts():
    t = task("3.2.4")  # 着力推进用能效率提升
    manual = change_by_hand("3.2.4", TECH, Duty.Role.JOINT)
    note = TaskNote.objects.create(task=t, agency=manual.agency, note="进行中")
    later = task("3.2.5")

    result = reingest(WITHOUT_3_2_3)

    assert result.conflicts == []
    t.refresh_from_db()
    later.refresh_from_db()
    assert (t.ref, t.title) == ("3.2.3", "着力推进用能效率提升")
    assert (later.ref, later.title) == ("3.2.4", "强化落实节能减污降碳协同作用")
    assert roles("3.2.3")[TECH] == (Duty.Role.JOINT, Duty.Source.MANUAL)
    note.refresh_from_db()
    assert note.task_id == t.id


def test_a_kept_task_yields_its_ref_to_the_task_now_numbered_so():
    dropped = task("3.2.3")
    TaskNote.objects.create(task=dropped, agency=duty("3.2.3", TECH).agency, note="进行中")
    reingest(WITHOUT_3_2_3)
    dropped.refresh_from_db()
    assert dropped.ref == f"3.2.3#{dropped.id}"
    assert task("3.2.3").title == "着力推进用能效率提升"


def test_a_task_whose_title_was_edited_in_place_keeps_its_row():
    t = task("3.2.3")
    reingest(SEED_TEXT.replace("3.全面推广节能高效设备。", "3.全面推广节能高效用能设备。"))
    t.refresh_from_db()
    assert (t.ref, t.title) == ("3.2.3", "全面推广节能高效用能设备")


# --- Edited agencies ----------------------------------------------------------------------------------------------


def test_a_renamed_agency_keeps_its_duties_and_no_duplicate_is_created():
    tech = duty("3.2.1", TECH).agency
    tech.name = "区科学技术和工业信息化局"
    tech.save()
    AgencyAlias.objects.create(agency=tech, name=TECH)
    agencies = Agency.objects.count()

    result = reingest(WITH_COMMERCE)

    assert result.agencies_created == []
    assert Agency.objects.count() == agencies
    assert duty("3.2.1", "区科学技术和工业信息化局").source == Duty.Source.TEXT


def test_an_alias_split_off_and_merged_back_resolves_without_duplicates():
    plan = seed_plan("000")
    ndrc = Agency.objects.get(region=plan.region, name="区发展和改革局")
    written = Duty.objects.get(task__plan=plan, as_written="区发改局")
    # Split: the alias becomes an agency of its own and its duty moves with it.
    AgencyAlias.objects.get(agency=ndrc, name="区发改局").delete()
    split = Agency.objects.create(region=plan.region, name="区发改局")
    written.agency, written.source = split, Duty.Source.MANUAL
    written.save()
    agencies = Agency.objects.count()

    split_result = reingest(WITH_COMMERCE)

    assert split_result.conflicts == [] and split_result.agencies_created == []
    assert Agency.objects.count() == agencies
    written.refresh_from_db()
    assert written.agency == split

    # Merge back: one agency with both names.
    written.agency = ndrc
    written.save()
    split.delete()
    AgencyAlias.objects.create(agency=ndrc, name="区发改局")

    merged = reingest(WITHOUT_TECH)

    assert merged.conflicts == [] and merged.agencies_created == []
    assert Agency.objects.count() == agencies - 1
    written.refresh_from_db()
    assert written.agency == ndrc


def test_reading_the_stored_text_creates_no_agency_for_a_name_that_no_longer_exists():
    plan = seed_plan("000")
    AgencyAlias.objects.get(name="区发改局", region=plan.region).delete()
    text = SEED_TEXT.replace("区科技和工业信息化局牵头，区发改局、", "区科技和工业信息化局牵头，区发展和改革局、")
    agencies = Agency.objects.count()

    result = reingest(text)

    assert result.agencies_created == []
    assert Agency.objects.count() == agencies
    assert not Agency.objects.filter(name="区发改局").exists()


# --- Dry runs, conventions, the command ---------------------------------------------------------------------------


def test_a_dry_run_with_choices_changes_nothing(administrator):
    manual = change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    before, rows = model_counts(), duty_rows(seed_plan("000"))
    history = Duty.history.count()

    reingest(WITHOUT_TECH, dry_run=True, choices={f"duty-{manual.task_id}-{manual.agency_id}": "take"})

    assert model_counts() == before
    assert duty_rows(seed_plan("000")) == rows
    assert Duty.history.count() == history


def test_a_changed_lead_convention_conflicts_with_a_role_a_person_set(ingest_text):
    plan = ingest_text(HETANG_JOINT_PLAN).plan
    d = Duty.objects.get(task__plan=plan, task__ref="2.1.1", agency__name="区住房和城乡建设局")
    d.role, d.source = Duty.Role.LEAD, Duty.Source.MANUAL
    d.save()

    result = ingest_text(HETANG_JOINT_PLAN, lead_convention=Plan.LeadConvention.FIRST_LISTED)

    [conflict] = result.conflicts
    assert (conflict.text_label, conflict.base_label, conflict.manual_label) == (
        "文本现为配合（推定）",
        "原文本为共同负责",
        "人工修改为牵头",
    )


def test_an_update_reports_what_it_added_changed_and_removed(ingest_text):
    ingest_text(TIANXIN_PLAN)
    edited = TIANXIN_PLAN.replace(
        "（区发展和改革局、区工业和信息化局按职责分工负责）", "（区发展和改革局、区财政局、区商务局按职责分工负责）"
    )
    changes = ingest_text(edited).changes
    assert vars(changes) == {
        "tasks_added": 0,
        "tasks_changed": 1,
        "tasks_removed": 0,
        "duties_added": 2,
        "duties_changed": 0,
        "duties_removed": 1,
    }


def test_the_command_prints_conflicts_and_kept_tasks_and_keeps_the_manual_side(write_plan):
    change_by_hand("3.2.1", TECH, Duty.Role.LEAD)
    note = TaskNote.objects.create(task=task("3.2.3"), agency=duty("3.2.3", TECH).agency, note="进行中")
    text = WITHOUT_TECH.replace(TASK_3_2_3_LINE + "\n", "")
    stdout = io.StringIO()

    call_command("ingest_plans", str(write_plan(text, SEED.name)), stdout=stdout, stderr=io.StringIO())

    out = stdout.getvalue()
    assert (
        f"冲突 {SEED.name} 第23行 任务 3.2.1「1. 坚决遏制高耗能高排放低水平项目盲目发展」{TECH}："
        "文本现已不再列出该单位，人工修改为牵头；已保留人工修改" in out
    )
    assert f"保留任务 {SEED.name} 原第25行 任务 3.2.3「3. 全面推广节能高效设备」" in out
    assert "因单位备注 1 条而保留" in out
    assert roles("3.2.1")[TECH] == (Duty.Role.LEAD, Duty.Source.MANUAL)
    assert TaskNote.objects.filter(pk=note.pk).exists()
