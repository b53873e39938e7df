"""The 变更记录 on the task page, and reverting a change from it."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans import editing, history
from plans.assignments import BASELINE_REASON
from plans.models import Duty, RemovedDuty, Task
from plans.views.editing import editing_context
from tests.factories import HETANG_JOINT_PLAN
from tests.pages import get_page, text, texts

pytestmark = pytest.mark.django_db

# What the 变更记录 adds to the task page: the user's right to edit, and the history with agencies and users.
EDITING_CONTEXT_QUERIES = 2


def task_url(task) -> str:
    return f"/tasks/{task.pk}/"


def revert_url(task, history_id) -> str:
    return f"/tasks/{task.pk}/history/{history_id}/revert/"


def edit(task, user, reason="", *, remove=(), roles=None, order=None, add=()):
    """Change the task's units through the service, as one submit of the edit form would."""
    duties = history.current_duties(task)
    roles = roles or {}
    order = order or {}
    units = [
        editing.UnitEdit(
            d.pk,
            *roles.get(d.agency.name, (d.role, d.inferred)),
            order.get(d.agency.name, i + 1),
            remove=d.agency.name in remove,
        )
        for i, d in enumerate(duties)
    ]
    additions = [editing.UnitAddition(agency, role) for agency, role in add]
    return editing.apply_task_edit(task, user, units, additions, reason, history.version_of(duties))


def state(task) -> list[tuple]:
    return list(
        task.duties.order_by("position", "pk").values_list("agency__name", "role", "inferred", "source", "position")
    )


@pytest.fixture
def editor(cast):
    client = Client()
    client.force_login(cast.administrator)
    return client


@pytest.fixture
def finance(cast):
    from agencies.models import Agency

    return Agency.objects.get(full_name="株洲市石峰区财政局")


# --- Showing the history --------------------------------------------------------------------------------------------


def test_the_history_lists_every_change_newest_first_with_who_when_what_and_why(cast, editor, finance):
    cast.administrator.first_name = "王五"
    cast.administrator.save()
    edit(cast.task, cast.administrator, "区政府会议决定", add=[(finance, "cooperating")])
    edit(cast.task, cast.coordinator, "", roles={"区财政局": ("lead", False)})
    edit(cast.task, cast.administrator, "职能调整", remove=[cast.cooperating.name])
    soup = get_page(editor, task_url(cast.task))
    assert text(soup, "#history h2") == "变更记录"
    rows = soup.select("#history tbody tr")
    assert [text(r, "td.what") for r in rows] == [
        f"删除 {cast.cooperating.name}（配合）",
        "区财政局 配合→牵头",
        "新增 区财政局（配合）",
    ]
    assert [text(r, "td.who") for r in rows] == ["王五", "coordinator", "王五"]
    assert [text(r, "td.reason") for r in rows] == ["职能调整", "", "区政府会议决定"]
    now = timezone.localtime()
    assert text(rows[0], "td.when") == f"{now.year}年{now.month}月{now.day}日 {now:%H:%M}"
    assert rows[0].select_one("time")["datetime"].endswith("+08:00")  # China time
    assert all(text(r, "a.revert-change") == "撤销…" for r in rows)


def test_the_state_before_the_first_change_is_kept_but_not_listed(cast, editor):
    edit(cast.task, cast.administrator, roles={cast.cooperating.name: ("lead", False)})
    rows = Duty.history.filter(task_id=cast.task.pk, agency_id=cast.cooperating.pk).order_by("history_id")
    baseline, change = rows
    assert (baseline.history_type, baseline.role, baseline.source, baseline.history_user) == (
        "+",
        "cooperating",
        "text",
        None,
    )
    assert baseline.history_change_reason == BASELINE_REASON
    assert (change.role, change.source) == ("lead", "manual")
    assert texts(get_page(editor, task_url(cast.task)), "#history td.what") == [f"{cast.cooperating.name} 配合→牵头"]


def test_changes_made_without_a_user_show_as_the_system(cast, editor):
    duty = cast.task.duties.get(agency=cast.cooperating)
    duty.position = 42
    duty._change_reason = "导入分工表“分工.xlsx”"
    duty.save()  # outside a request: no user
    row = get_page(editor, task_url(cast.task)).select_one("#history tbody tr")
    assert text(row, "td.who") == "系统" and text(row, "td.reason") == "导入分工表“分工.xlsx”"
    # With no earlier state on record there is nothing to go back to.
    assert text(row, "td.what") == f"修改为 {cast.cooperating.name}（配合）"
    assert row.select_one("form") is None


def test_confirming_an_inferred_lead_reads_as_such(ingest_text, cast, editor):
    task = ingest_text(HETANG_JOINT_PLAN, lead_convention="first_listed").plan.tasks.order_by("position").first()
    edit(task, cast.administrator, roles={"区发展和改革局": ("lead", False)})
    edit(task, cast.administrator, order={"区自然资源局": 1})
    soup = get_page(editor, task_url(task))
    assert texts(soup, "#history td.what")[-1] == "确认推定牵头 区发展和改革局"
    parts = texts(soup, "#history ul.change-parts li")
    assert "调整顺序 区自然资源局（第3位→第1位） 撤销此项" in parts


def test_readers_see_the_history_without_revert_buttons_and_anonymous_visitors_not_at_all(cast):
    edit(cast.task, cast.administrator, "理由", remove=[cast.cooperating.name])
    for who in ("outsider", "lead_staff", "other_coordinator"):
        client = Client()
        client.force_login(getattr(cast, who))
        soup = get_page(client, task_url(cast.task))
        assert texts(soup, "#history td.what") == [f"删除 {cast.cooperating.name}（配合）"], who
        assert soup.select("#history form") == [] and soup.select("#history th.history-actions") == []
    soup = get_page(Client(), task_url(cast.task))
    assert soup.select_one("#history") is None


def test_an_unchanged_task_says_so(cast, editor):
    assert "没有人工修改过" in text(get_page(editor, task_url(cast.task)), "#history")


def page_queries(client, task) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(task_url(task)).status_code == 200
    return len(queries)


def editing_context_queries(user, task) -> int:
    request = RequestFactory().get(task_url(task))
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        editing_context(request, task)
    return len(queries)


def test_the_history_takes_a_fixed_number_of_queries_however_long(cast, editor, finance):
    empty = page_queries(editor, cast.task)
    assert editing_context_queries(cast.administrator, cast.task) == EDITING_CONTEXT_QUERIES
    edit(cast.task, cast.administrator, "一", add=[(finance, "cooperating")])
    for round_ in range(5):
        edit(
            cast.task, cast.coordinator, f"第{round_}次", roles={"区财政局": ("lead" if round_ % 2 else "joint", False)}
        )
    edit(cast.task, cast.administrator, "二", order={"区财政局": 1}, remove=[cast.cooperating.name])
    # One line a save: the last one removed a unit and moved others, and is one line with its parts.
    assert len(get_page(editor, task_url(cast.task)).select("#history tbody tr")) == 7
    assert page_queries(editor, cast.task) == empty
    assert editing_context_queries(cast.administrator, cast.task) == EDITING_CONTEXT_QUERIES


def test_anonymous_readers_cost_no_query_for_editing(cast):
    assert editing_context_queries(AnonymousUser(), cast.task) == 0


def test_an_agency_merged_away_is_named_as_it_was(cast, editor, finance):
    from agencies.models import Agency

    gone = Agency.objects.create(region=cast.plan.region, name="区临时办")
    edit(cast.task, cast.administrator, add=[(gone, "cooperating")])
    edit(cast.task, cast.administrator, remove=["区临时办"])
    gone.delete()
    soup = get_page(editor, task_url(cast.task))
    assert texts(soup, "#history td.what") == ["删除 区临时办（配合）", "新增 区临时办（配合）"]
    # The merged-away names take one more query, however many there are.
    assert editing_context_queries(cast.administrator, cast.task) == EDITING_CONTEXT_QUERIES + 1


# --- Reverting ------------------------------------------------------------------------------------------------------


def latest_change(task) -> int:
    """The history id of the newest save's (only) part, for undoing it on its own."""
    return history.task_history(task)[0].first.id


def test_reverting_a_role_change_restores_role_inference_and_source(ingest_text, cast, editor):
    task = ingest_text(HETANG_JOINT_PLAN, lead_convention="first_listed").plan.tasks.order_by("position").first()
    before = state(task)
    edit(task, cast.administrator, "误改", roles={"区发展和改革局": ("cooperating", False)})
    assert state(task) != before
    response = editor.post(revert_url(task, latest_change(task)))
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/#history"
    assert state(task) == before
    soup = get_page(editor, task_url(task))
    assert "已撤销：区发展和改革局 牵头（推定）→配合" in text(soup, ".messages")
    newest = soup.select_one("#history tbody tr")
    assert text(newest, "td.what") == "区发展和改革局 配合→牵头（推定）"
    assert text(newest, "td.reason") == "撤销：区发展和改革局 牵头（推定）→配合"
    record = Duty.history.filter(task_id=task.pk).latest("history_id")
    assert record.history_user == cast.administrator


def test_reverting_an_add_removes_the_unit_again(cast, editor, finance):
    edit(cast.task, cast.administrator, add=[(finance, "lead")])
    assert editor.post(revert_url(cast.task, latest_change(cast.task))).status_code == 302
    assert not cast.task.duties.filter(agency=finance).exists()
    # It was never on the task before, so a later text naming it may bring it in.
    assert not RemovedDuty.objects.filter(task=cast.task, agency=finance).exists()
    assert texts(get_page(editor, task_url(cast.task)), "#history td.reason")[0] == "撤销：新增 区财政局（牵头）"


def test_reverting_the_re_adding_of_a_removed_unit_removes_it_for_good_again(cast, editor):
    edit(cast.task, cast.administrator, remove=[cast.cooperating.name])
    edit(cast.task, cast.administrator, add=[(cast.cooperating, "lead")])
    assert not RemovedDuty.objects.filter(task=cast.task).exists()
    editor.post(revert_url(cast.task, latest_change(cast.task)))
    assert not cast.task.duties.filter(agency=cast.cooperating).exists()
    assert RemovedDuty.objects.get(task=cast.task, agency=cast.cooperating).removed_by_import is None


def test_reverting_a_removal_brings_the_unit_back_as_it_was(cast, editor):
    before = state(cast.task)
    duty_id = cast.task.duties.get(agency=cast.cooperating).pk
    edit(cast.task, cast.administrator, remove=[cast.cooperating.name])
    assert RemovedDuty.objects.filter(task=cast.task, agency=cast.cooperating).exists()
    editor.post(revert_url(cast.task, latest_change(cast.task)))
    assert state(cast.task) == before
    assert cast.task.duties.get(agency=cast.cooperating).pk == duty_id  # its history stays in one line
    assert not RemovedDuty.objects.filter(task=cast.task).exists()


def test_reverting_a_reorder_puts_the_unit_back(cast, editor):
    before = state(cast.task)
    names = [row[0] for row in before]
    edit(cast.task, cast.administrator, order={names[3]: 1})
    assert Task.objects.get(pk=cast.task.pk).duties_ordered_by_hand
    # A reorder writes one row per unit that moved; undoing each part on its own puts them all back.
    for part in history.task_history(cast.task)[0].parts:
        assert editor.post(revert_url(cast.task, part.id)).status_code == 302
    assert state(cast.task) == before


def test_reverting_twice_says_there_is_nothing_to_revert(cast, editor, finance):
    edit(cast.task, cast.administrator, add=[(finance, "lead")])
    change = latest_change(cast.task)
    editor.post(revert_url(cast.task, change))
    rows = Duty.history.filter(task_id=cast.task.pk).count()
    response = editor.post(revert_url(cast.task, change))
    assert response.status_code == 302
    assert "未能撤销：区财政局已不在本任务中" in text(get_page(editor, task_url(cast.task)), ".messages")
    assert Duty.history.filter(task_id=cast.task.pk).count() == rows


def test_reverting_a_removal_when_the_unit_is_back_already_is_refused(cast, editor):
    edit(cast.task, cast.administrator, remove=[cast.cooperating.name])
    removal = latest_change(cast.task)
    edit(cast.task, cast.administrator, add=[(cast.cooperating, "joint")])
    editor.post(revert_url(cast.task, removal))
    assert cast.task.duties.get(agency=cast.cooperating).role == "joint"
    assert "已在本任务中" in text(get_page(editor, task_url(cast.task)), ".messages")


def test_revert_answers_404_for_a_change_that_is_not_this_tasks(cast, editor, ingest_text):
    edit(cast.task, cast.administrator, remove=[cast.cooperating.name])
    other = ingest_text(HETANG_JOINT_PLAN).plan.tasks.order_by("position").first()
    baseline = Duty.history.get(task_id=cast.task.pk, history_change_reason=BASELINE_REASON)
    assert editor.post(revert_url(other, latest_change(cast.task))).status_code == 404
    assert editor.post(revert_url(cast.task, 999999)).status_code == 404
    assert editor.post(revert_url(cast.task, baseline.history_id)).status_code == 404
    assert editor.post(f"/tasks/999999/history/{latest_change(cast.task)}/revert/").status_code == 404
    assert editor.get(revert_url(cast.task, latest_change(cast.task))).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("administrator", 302),
        ("coordinator", 302),
        ("other_coordinator", 403),
        ("lead_staff", 403),
        ("cooperating_staff", 403),
        ("outsider", 403),
        ("anonymous", 403),
    ],
)
def test_who_may_revert(cast, who, status):
    edit(cast.task, cast.administrator, remove=[cast.cooperating.name])
    client = Client()
    if getattr(cast, who):
        client.force_login(getattr(cast, who))
    assert client.post(revert_url(cast.task, latest_change(cast.task))).status_code == status
    assert cast.task.duties.filter(agency=cast.cooperating).exists() == (status == 302)


def test_history_times_are_china_time(cast, finance):
    edit(cast.task, cast.administrator, add=[(finance, "lead")])
    record = Duty.history.filter(task_id=cast.task.pk).latest("history_id")
    record.history_date = dt.datetime(2024, 12, 31, 20, 5, tzinfo=dt.UTC)
    record.save()
    client = Client()
    client.force_login(cast.outsider)
    assert text(get_page(client, task_url(cast.task)), "#history td.when") == "2025年1月1日 04:05"


def test_a_confirmed_division_import_shows_who_applied_it_and_the_file(cast, editor):
    from plans.spreadsheets.division_import.proposal import apply
    from tests.plans.test_import import record_for, sheet_of, xlsx

    rows = sheet_of(cast.plan)
    task_row = next(r for r in rows[2:] if r[-1] == cast.task.ref)
    task_row[4] = cast.cooperating.name  # from 配合 to 共同负责
    task_row[3] = "、".join(n for n in task_row[3].split("、") if n != cast.cooperating.name)
    apply(record_for(cast.plan, xlsx(rows), cast.administrator), cast.coordinator)
    row = get_page(editor, task_url(cast.task)).select_one("#history tbody tr")
    assert text(row, "td.who") == "coordinator"
    assert text(row, "td.reason") == "导入分工表“分工表.xlsx”"
    assert cast.cooperating.name in text(row, "td.what") and "共同负责" in text(row, "td.what")


# --- One save is one change -----------------------------------------------------------------------------------------


def change_url(task, key) -> str:
    return f"/tasks/{task.pk}/changes/{key}/revert/"


def test_one_save_is_one_line_with_its_parts_and_is_undone_as_a_whole_after_a_confirmation(cast, editor, finance):
    before = state(cast.task)
    names = [row[0] for row in before]
    edit(
        cast.task,
        cast.administrator,
        "专题会议调整",
        remove=[names[-1]],
        roles={cast.cooperating.name: ("joint", False)},
        order={names[2]: 1},
        add=[(finance, "cooperating")],
    )
    soup = get_page(editor, task_url(cast.task))
    rows = soup.select("#history tbody tr")
    assert len(rows) == 1
    parts = texts(rows[0], "ul.change-parts li")
    assert len(parts) >= 4 and any(p.startswith(f"删除 {names[-1]}") for p in parts)
    assert any(p.startswith("新增 区财政局（配合）") for p in parts)
    assert text(rows[0], "td.reason") == "专题会议调整"
    group = history.task_history(cast.task)[0]
    confirm = get_page(editor, change_url(cast.task, group.key))
    assert len(confirm.select("#revert-parts li")) == len(group.parts)
    assert state(cast.task) != before  # looking at the confirmation changes nothing
    response = editor.post(change_url(cast.task, group.key))
    assert response.status_code == 302 and response["Location"] == f"/tasks/{cast.task.pk}/#history"
    assert state(cast.task) == [row for row in before]  # every unit as it was, the removed one back
    assert not RemovedDuty.objects.filter(task=cast.task).exists()
    newest = history.task_history(cast.task)[0]
    assert newest.reason.startswith("撤销：") and len(newest.parts) == len(group.parts)


def test_a_save_that_cannot_be_undone_whole_changes_nothing_and_says_which_part(cast, editor, finance):
    edit(cast.task, cast.administrator, add=[(finance, "cooperating")], remove=[cast.cooperating.name])
    group = history.task_history(cast.task)[0]
    edit(cast.task, cast.administrator, add=[(cast.cooperating, "lead")])  # the removed unit is back meanwhile
    current = state(cast.task)
    editor.post(change_url(cast.task, group.key))
    assert state(cast.task) == current
    message = text(get_page(editor, task_url(cast.task)), ".messages")
    assert message.startswith("未能撤销：删除") and "已在本任务中" in message


def test_the_whole_change_revert_answers_404_for_an_unknown_key_and_403_to_others(cast, editor, finance):
    edit(cast.task, cast.administrator, add=[(finance, "cooperating")])
    key = history.task_history(cast.task)[0].key
    assert editor.get(change_url(cast.task, "row-999999")).status_code == 404
    outsider = Client()
    outsider.force_login(cast.lead_staff)
    assert outsider.get(change_url(cast.task, key)).status_code == 403
    assert outsider.post(change_url(cast.task, key)).status_code == 403
    assert cast.task.duties.filter(agency=finance).exists()
