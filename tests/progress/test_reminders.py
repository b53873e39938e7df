"""send_reminders and 催办: digests in Chinese with text and HTML parts, each notice once per period."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils.timezone import localdate

from progress.models import Chase, ReminderLog, Report
from progress.reminding import digests as reminders

from .support import fill, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(cast):
    """The cast with e-mail addresses on the lead's staff and the plan's coordinator."""
    for user in (cast.lead_staff, cast.coordinator, cast.cooperating_staff):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    return cast


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_staff_get_a_digest_of_what_their_agency_owes(addressed):
    cast = addressed
    round = open_round(cast.plan, cast.coordinator, name="2026年第1季度", due_in=5)
    output = run()
    assert "已发出" in output and "封提醒邮件" in output
    to_lead = [m for m in mail.outbox if m.to == [cast.lead_staff.email]]
    assert len(to_lead) == 1
    message = to_lead[0]
    assert message.subject.startswith(f"【督办提醒】{cast.lead.full_name}：")
    owed = Report.objects.filter(round=round, agency=cast.lead).count()
    assert message.body.count("2026年第1季度「") == owed and "【本轮待报送】" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f"/progress/agencies/{cast.lead.pk}/due/" in html and "本轮待报送" in html


def test_a_notice_is_sent_once_a_period_and_again_the_next(addressed):
    cast = addressed
    open_round(cast.plan, cast.coordinator, due_in=3)
    day = localdate()
    run("--today", day.isoformat())
    sent = len(mail.outbox)
    assert sent and ReminderLog.objects.filter(recipient=cast.lead_staff).exists()
    run("--today", day.isoformat())
    assert len(mail.outbox) == sent  # nothing new this period
    run("--today", (day + timedelta(days=7)).isoformat(), "--days", "14")
    assert len(mail.outbox) > sent


def test_only_new_notices_go_out_within_a_period(addressed):
    cast = addressed
    open_round(cast.plan, cast.coordinator, name="第一轮", due_in=3, task_ids=[cast.task.pk])
    run()
    mail.outbox.clear()
    open_round(cast.plan, cast.coordinator, name="第二轮", due_in=4)
    run()
    body = next(m.body for m in mail.outbox if m.to == [cast.lead_staff.email])
    assert "第二轮" in body and "第一轮" not in body


def test_coordinators_get_the_reports_missing_in_their_plans(addressed):
    cast = addressed
    round = open_round(cast.plan, cast.coordinator, name="2026年第1季度", due_in=10)
    fill(Report.objects.get(round=round, task=cast.task, agency=cast.lead), cast.lead_staff)
    output = run("--today", (localdate() + timedelta(days=11)).isoformat())
    digest = next(m for m in mail.outbox if m.to == [cast.coordinator.email])
    assert digest.subject == (
        f"【督办提醒】{cast.plan}：{Report.objects.filter(round=round).open().count()} 份进展报告逾期未报送"
    )
    assert f"{cast.lead.name}：2026年第1季度「{cast.task.heading}」" not in digest.body  # it was submitted
    assert "发送" in output


def test_a_dry_run_lists_what_would_be_sent_and_sends_and_logs_nothing(addressed):
    cast = addressed
    open_round(cast.plan, cast.coordinator, name="2026年第1季度", due_in=-1)
    output = run("--dry-run")
    assert "试运行" in output and f"将发送「【督办提醒】{cast.lead.full_name}" in output
    assert "逾期未报送：" in output
    assert "无法提醒" in output  # units whose staff have no address are listed too
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_tasks_past_their_deadline_are_in_the_digest(addressed):
    from progress.writing import deadlines as timelines

    cast = addressed
    version = timelines.version_of(timelines.deadline_of(cast.task))
    yesterday = localdate() - timedelta(days=1)
    timelines.set_deadline(cast.task, cast.coordinator, due_on=yesterday, ongoing=False, reason="", version=version)
    collected = reminders.collect(localdate(), 14)
    digest = next(d for d in collected.digests if d.recipient == cast.lead_staff)
    assert any(n.key == f"task:{cast.task.pk}:{cast.lead.pk}" for n in digest.notices)


def test_the_periods_name_a_day_a_week_or_a_month():
    from datetime import date

    day = date(2026, 4, 10)
    assert [reminders.period_key(day, p) for p in ("day", "week", "month")] == ["2026-04-10", "2026-W15", "2026-04"]


def test_a_coordinator_chases_one_unit_on_one_task(addressed):
    cast = addressed
    client = Client()
    client.force_login(cast.coordinator)
    response = client.post(
        f"/progress/tasks/{cast.task.pk}/chase/", {"agency": cast.lead.pk, "message": "请于本周五前报送进展"}
    )
    assert response.status_code == 302
    chase = Chase.objects.get()
    assert (chase.agency, chase.sent_by, chase.recipients) == (cast.lead, cast.coordinator, cast.lead_staff.email)
    message = mail.outbox[-1]
    assert message.to == [cast.lead_staff.email] and message.subject == f"【催办】{cast.plan}「{cast.task.heading}」"
    assert "请于本周五前报送进展" in message.body and "请于本周五前报送进展" in message.alternatives[0][0]


def test_chasing_a_unit_without_addresses_is_still_logged(cast):
    cast.lead.members.update(email="")
    client = Client()
    client.force_login(cast.coordinator)
    response = client.post(
        f"/progress/tasks/{cast.task.pk}/chase/", {"agency": cast.lead.pk, "message": "请报送"}, follow=True
    )
    assert "邮件未发出" in response.content.decode()
    assert Chase.objects.get().recipients == "" and mail.outbox == []


def test_a_unit_not_on_the_task_cannot_be_chased(cast):
    from agencies.models import Agency

    stranger = Agency.objects.exclude(duties__task=cast.task).first()
    client = Client()
    client.force_login(cast.coordinator)
    assert (
        client.post(f"/progress/tasks/{cast.task.pk}/chase/", {"agency": stranger.pk, "message": "x"}).status_code
        == 404
    )
    assert not Chase.objects.exists()
