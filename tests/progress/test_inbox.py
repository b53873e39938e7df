"""待办: every newly opened round, returned report, 催办 and reminder lands in the app for the people concerned,
with or without an e-mail address; a count in the header, a list, read and unread."""

from io import StringIO

import pytest
from django.core.management import call_command

from progress.models import InboxItem, Report
from progress.reminding.chases import chase
from progress.writing import reports as reporting
from tests.pages import get_page

from .support import fill, open_round

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:
    return list(InboxItem.objects.of(user).values_list("title", flat=True))


def test_a_new_round_tells_each_reporting_units_staff_what_they_owe(cast):
    cast.lead_staff.email = ""  # no outside e-mail: the app still tells him
    cast.lead_staff.save()
    round = open_round(cast.plan, cast.coordinator, name="2026年第4季度")
    (item,) = InboxItem.objects.of(cast.lead_staff)
    owed = Report.objects.filter(round=round, agency=cast.lead).count()
    assert item.kind == "round" and item.title == f"新的报送轮次：{cast.plan}·2026年第4季度"
    assert f"本单位有 {owed} 项任务需报送进展" in item.text
    assert item.url == f"/progress/agencies/{cast.lead.pk}/due/"
    # Whoever is in no reporting unit of the round hears nothing.
    assert titles(cast.outsider) == []


def test_a_returned_report_and_a_chase_reach_the_unit(cast):
    round = open_round(cast.plan, cast.coordinator)
    report = Report.objects.get(round=round, task=cast.task, agency=cast.lead)
    fill(report, cast.lead_staff)
    report.refresh_from_db()
    reporting.review(report, cast.coordinator, accept=False, reason="请补充项目清单", version=report.version)
    chase(cast.task, cast.cooperating, cast.coordinator, "请尽快提供配合材料")
    returned = InboxItem.objects.of(cast.lead_staff).get(kind="returned")
    assert returned.text == "退回原因：请补充项目清单" and returned.url == f"/progress/reports/{report.pk}/edit/"
    chased = InboxItem.objects.of(cast.cooperating_staff).get(kind="chase")
    assert chased.text == "请尽快提供配合材料" and cast.task.heading in chased.title


def test_reminders_reach_staff_without_an_address_once_a_period(cast):
    cast.lead_staff.email = ""
    cast.lead_staff.save()
    open_round(cast.plan, cast.coordinator, due_in=3)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "lead-staff （只在站内待办，没有邮箱）" in out.getvalue()
    reminders = InboxItem.objects.of(cast.lead_staff).filter(kind="reminder")
    assert reminders.count() == 1 and "本轮待报送" in reminders.get().text
    call_command("send_reminders", stdout=StringIO())
    assert reminders.count() == 1


def test_the_inbox_lists_counts_and_marks_read(cast, client):
    open_round(cast.plan, cast.coordinator, name="2026年第4季度")
    client.force_login(cast.lead_staff)
    assert client.get("/progress/inbox/count/").json() == {"unread": 1}
    page = get_page(client, "/progress/")
    assert page.select_one("#inbox-link")["href"] == "/progress/inbox/"
    page = get_page(client, "/progress/inbox/")
    (item,) = page.select("#inbox-items .inbox-item.unread")
    assert "新的报送轮次" in item.text
    response = client.get(item.select_one("a")["href"])
    assert response.status_code == 302 and response["Location"] == f"/progress/agencies/{cast.lead.pk}/due/"
    assert client.get("/progress/inbox/count/").json() == {"unread": 0}
    assert not get_page(client, "/progress/inbox/").select("#inbox-items .inbox-item.unread")


def test_read_all_and_nobody_elses_messages(cast, client):
    open_round(cast.plan, cast.coordinator)
    other = InboxItem.objects.of(cast.lead_staff).get()
    client.force_login(cast.cooperating_staff)
    assert client.get(other.get_absolute_url()).status_code == 404
    client.force_login(cast.lead_staff)
    client.post("/progress/inbox/read-all/")
    other.refresh_from_db()
    assert other.read_at is not None


def test_the_inbox_and_its_count_run_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    from progress.writing import inbox

    client.force_login(cast.lead_staff)
    for many in (1, 30):
        for n in range(many):
            inbox.deliver([cast.lead_staff], "reminder", f"提醒{n}", "内容", "/progress/", f"test:{many}:{n}")
        # session, user, the messages counted, the unread counted, the header's two role look-ups, the page of them
        with django_assert_num_queries(7):
            client.get("/progress/inbox/")
        with django_assert_num_queries(3):  # session, user, the unread count
            client.get("/progress/inbox/count/")
