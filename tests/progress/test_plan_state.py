"""A plan's state (plans.lifecycle): only a plan in force (执行中) is run under 督办. One loaded for reference, or whose
period is over, has no late tasks, rows, reminders or report slots; its state is judged from its dates when it is
first stored, shown and settled in the preview, changed on the plan page, and every change is kept."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from plans.lifecycle import change as change_state
from plans.lifecycle import judge
from plans.models import Plan, PlanStateChange
from progress.models import Report
from progress.reading import dashboard as boards
from progress.reading.status import Status
from progress.reminding import digests as reminders
from progress.writing import rounds
from tests.pages import get_page

from .support import open_round

TODAY = date(2026, 12, 7)

OLD_PLAN = """长沙市天心区节能减排三年行动计划（2017—2019年）

一、主要目标
到2019年，单位地区生产总值能耗比2015年下降12%。

二、重点任务
（一）推进工业节能
1.实施节能技术改造。2018年底前完成重点企业改造。（区发展和改革局牵头，区财政局配合）
2.淘汰落后产能。（区工业和信息化局牵头）
"""


@pytest.mark.parametrize(
    ("title", "issued_on", "years", "state", "basis"),
    [
        ("天心区节能减排三年行动计划（2017—2019年）", None, [2030], Plan.State.FINISHED, "标题所写期限至2019年"),
        ("天心区2019年工作要点", date(2019, 2, 1), [], Plan.State.FINISHED, "标题所写期限至2019年"),
        ("天心区“十四五”节能规划", None, [], Plan.State.FINISHED, "标题所写期限至2025年"),
        ("天心区碳达峰实施方案", date(2022, 9, 1), [2025, 2030], Plan.State.ACTIVE, "任务目标最晚为2030年"),
        # Targets before the issue year describe the past.
        ("天心区碳达峰实施方案", date(2022, 9, 1), [2020, 2025], Plan.State.FINISHED, "任务目标最晚为2025年"),
        ("天心区生态环境保护实施意见", date(2018, 5, 1), [], Plan.State.FINISHED, "2018年印发、未写明期限"),
        ("天心区生态环境保护实施意见", date(2023, 5, 1), [], Plan.State.ACTIVE, "2023年印发、未写明期限"),
        ("天心区生态环境保护实施意见", None, [], Plan.State.ACTIVE, "未能从标题和日期判断期限"),
        ("天心区2026年重点工作分工方案", None, [], Plan.State.ACTIVE, "标题所写期限至2026年，尚在期限内"),
    ],
)
def test_a_new_plan_is_judged_by_its_dates(title, issued_on, years, state, basis):
    judgement = judge(title=title, issued_on=issued_on, target_years=years, today=TODAY)
    assert judgement.state == state
    assert basis in judgement.basis


@pytest.fixture
def old_plan(ingest_text):
    return ingest_text(OLD_PLAN, name="old.txt").plan


def test_an_old_plan_is_stored_as_finished_with_why(old_plan):
    assert old_plan.state == Plan.State.FINISHED
    (first,) = PlanStateChange.objects.filter(plan=old_plan)
    assert (first.before, first.after, first.changed_by) == ("", "finished", None)
    assert first.reason == "标题所写期限至2019年，已结束"


def test_a_plan_not_under_supervision_is_late_nowhere_and_owes_nothing(old_plan, cast, django_user_model):
    from agencies.models import Agency

    lead = Agency.objects.get(duties__task__plan=old_plan, name="区发展和改革局")
    staff = django_user_model.objects.create_user("tianxin", "tianxin@example.gov.cn", password=None)
    lead.members.add(staff)
    # Its tasks' deadlines (2018, 2019) are long past: under 督办 they would all be late.
    assert not any(row.agency == lead for row in boards.overview(date.today()))
    board = boards.agency_board(lead, date.today(), 14)
    assert board.row_total == 0
    collected = reminders.collect(date.today(), 14)
    assert all(d.agency != lead for d in collected.digests)
    assert all(agency != lead for agency, _ in collected.unreachable)
    with pytest.raises(rounds.RoundError, match="未纳入督办"):
        open_round(old_plan, cast.administrator)
    assert not Report.objects.filter(task__plan=old_plan).exists()


def test_under_supervision_the_same_plan_is_late_everywhere(old_plan, cast):
    from agencies.models import Agency

    change_state(old_plan, Plan.State.ACTIVE, cast.administrator, "仍在督办")
    lead = Agency.objects.get(duties__task__plan=old_plan, name="区发展和改革局")
    # Its task is due by the end of 2018 (2018年底前).
    board = boards.agency_board(lead, date.today(), 14)
    assert (board.row_total, board.counts[Status.OVERDUE]) == (1, 1)
    assert open_round(old_plan, cast.administrator).reports.count() == 2


def test_reports_of_a_plan_taken_out_of_supervision_are_no_longer_owed_or_chased(cast, client):
    cast.lead_staff.email, cast.coordinator.email = "lead@example.gov.cn", "coordinator@example.gov.cn"
    cast.lead_staff.save(), cast.coordinator.save()
    open_round(cast.plan, cast.coordinator, due_in=-3, name="2026年第3季度")
    assert Report.objects.due_for(cast.lead).exists()
    change_state(cast.plan, Plan.State.REFERENCE, cast.coordinator, "已由正式方案替代")
    assert not Report.objects.due_for(cast.lead).exists()
    assert not Report.objects.overdue(date.today()).filter(round__plan=cast.plan).exists()
    call_command("send_reminders", stdout=StringIO())
    assert all(cast.plan.title not in message.body for message in mail.outbox)
    # Its dashboard says why there is nothing to chase, and still lists the round it had.
    client.force_login(cast.coordinator)
    page = get_page(client, f"/progress/plans/{cast.plan.pk}/")
    assert "未纳入督办" in page.h1.text
    assert "仅作参考" in page.select_one("#plan-state").text
    assert "2026年第3季度" in page.select_one("#past-rounds").text
    # And its task pages show no status, only 不督办.
    page = get_page(client, f"/progress/tasks/{cast.task.pk}/")
    assert page.select_one("h1 .status").text == "不督办"
    assert "逾期" not in page.select_one("#reporters").text


def test_the_round_form_of_a_plan_not_under_supervision_sends_the_coordinator_back(cast, client):
    change_state(cast.plan, Plan.State.FINISHED, cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.get(f"/progress/plans/{cast.plan.pk}/rounds/new/", follow=True)
    assert "未纳入督办，不能开启报送轮次" in response.content.decode()


def test_an_editor_changes_the_state_on_the_plan_page_and_every_change_is_kept(cast, client):
    client.force_login(cast.coordinator)
    page = get_page(client, cast.plan.get_absolute_url())
    assert "执行中" in page.select_one("#plan-state").text
    assert page.select_one("#plan-state-form input[name=state][value=active]").has_attr("checked")
    url = f"/plans/{cast.plan.pk}/state/"
    client.post(url, {"state": "finished", "reason": "期限已过"})
    client.post(url, {"state": "active", "reason": "省里要求继续督办"})
    cast.plan.refresh_from_db()
    assert cast.plan.state == Plan.State.ACTIVE
    rows = list(PlanStateChange.objects.filter(plan=cast.plan).values_list("before", "after", "changed_by", "reason"))
    assert rows[:2] == [
        ("finished", "active", cast.coordinator.pk, "省里要求继续督办"),
        ("active", "finished", cast.coordinator.pk, "期限已过"),
    ]
    page = get_page(client, cast.plan.get_absolute_url())
    assert "省里要求继续督办" in page.select_one("#state-changes").text


def test_only_the_plans_editors_change_its_state(cast, client):
    client.force_login(cast.other_coordinator)
    assert client.post(f"/plans/{cast.plan.pk}/state/", {"state": "finished"}).status_code == 403
    client.force_login(cast.lead_staff)
    assert client.post(f"/plans/{cast.plan.pk}/state/", {"state": "finished"}).status_code == 403
    cast.plan.refresh_from_db()
    assert cast.plan.state == Plan.State.ACTIVE


def test_a_reingest_keeps_the_state_a_person_chose(cast, ingest_text, old_plan):
    change_state(old_plan, Plan.State.ACTIVE, cast.administrator, "继续督办")
    again = ingest_text(OLD_PLAN.replace("淘汰落后产能。", "淘汰落后产能，关停小煤窑。"), name="old2.txt")
    assert again.status == "updated"
    again.plan.refresh_from_db()
    assert again.plan.state == Plan.State.ACTIVE


def test_the_dashboard_of_a_plan_not_under_supervision_runs_a_fixed_number_of_queries(
    cast, client, django_assert_num_queries
):
    client.force_login(cast.coordinator)
    for name in ("2026年第1季度", "2026年第2季度"):
        open_round(cast.plan, cast.coordinator, name=name)
        change_state(cast.plan, Plan.State.FINISHED, cast.coordinator)
        # session, user, plan, may coordinate, its rounds, its last change of state, the header's two role look-ups
        with django_assert_num_queries(8):
            client.get(f"/progress/plans/{cast.plan.pk}/")
        change_state(cast.plan, Plan.State.ACTIVE, cast.coordinator)
