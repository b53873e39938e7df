"""督办通知单: numbered per year, for every unit late in a round at once (bulk 催办) or for one task; kept as sent,
printed on A4 and exported to Excel; each unit is chased (催办 record, 待办, e-mail)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils.timezone import localdate

from progress.models import Chase, InboxItem, Report, SupervisionOrder
from tests.pages import get_page, get_page_from
from tests.workbooks import get_workbook

from .support import move_due_date, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_round(cast):
    cast.lead_staff.email = "lead@example.gov.cn"
    cast.lead_staff.save()
    round = open_round(cast.plan, cast.coordinator, name="2026年第3季度")
    return move_due_date(round, localdate() - timedelta(days=3))


def post_order(client, url, **data):
    data = {
        "request": "请于办理时限前报送进展并说明逾期原因。",
        "reply_by": f"{localdate() + timedelta(days=5)}",
        **data,
    }
    return client.post(url, data)


def test_one_notice_chases_every_unit_late_in_a_round(cast, late_round, client, django_capture_on_commit_callbacks):
    client.force_login(cast.coordinator)
    late = list(Report.objects.filter(round=late_round).open().in_outline_order().values_list("task_id", "agency_id"))
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go once the notice is stored
        response = post_order(client, f"/progress/rounds/{late_round.pk}/order/")
    order = SupervisionOrder.objects.get()
    assert response["Location"] == order.get_absolute_url()
    assert order.number == f"督办〔{localdate().year}〕1号"
    assert [(i.task_id, i.agency_id) for i in order.items.all()] == late
    assert Chase.objects.filter(message__startswith=order.number).count() == len(late)
    agencies = {agency for _, agency in late}
    assert InboxItem.objects.filter(kind="notice").values("recipient").count() >= 1
    assert InboxItem.objects.of(cast.lead_staff).get(kind="notice").url == order.get_absolute_url()
    assert any(m.subject == f"【督办通知单】{order.number}" and m.to == ["lead@example.gov.cn"] for m in mail.outbox)

    page = get_page(client, order.get_absolute_url())
    assert page.select_one("#order-number").text == order.number
    assert cast.lead.full_name in page.select_one("#order-units").text
    rows = page.select("#order-items tbody tr")
    assert len(rows) == len(late) and "进展逾期未报送" in rows[0].text
    assert len({r.select("td")[1].text for r in rows}) == len(agencies)

    workbook, _ = get_workbook(client, f"/progress/orders/{order.pk}.xlsx")
    ws = workbook.active
    assert ws["A1"].value == f"督办通知单 {order.number}"
    assert [c.value for c in ws[3]] == ["序号", "责任单位", "督办事项（任务）", "完成时限", "现状"]

    post_order(client, f"/progress/rounds/{late_round.pk}/order/")
    assert SupervisionOrder.objects.order_by("serial").last().number == f"督办〔{localdate().year}〕2号"


def test_a_notice_keeps_the_names_it_was_sent_with(cast, late_round, client):
    client.force_login(cast.coordinator)
    post_order(client, f"/progress/tasks/{cast.task.pk}/order/")
    order = SupervisionOrder.objects.get()
    written = cast.lead.full_name
    cast.lead.name = "区发展和改革委员会"
    cast.lead.save()
    assert written in get_page(client, order.get_absolute_url()).select_one("#order-units").text


def test_nothing_late_issues_nothing(cast, client):
    round = open_round(cast.plan, cast.coordinator)  # due in ten days
    client.force_login(cast.coordinator)
    response = post_order(client, f"/progress/rounds/{round.pk}/order/")
    assert response.status_code == 302 and not SupervisionOrder.objects.exists()
    response = post_order(client, f"/progress/tasks/{cast.task.pk}/order/", reply_by="2000-01-01")
    assert not SupervisionOrder.objects.exists()


def test_a_refused_notice_shows_the_task_page_again_with_what_was_typed(cast, client):
    client.force_login(cast.coordinator)
    response = client.post(f"/progress/tasks/{cast.task.pk}/order/", {"request": "请加快推进", "reply_by": "下周"})
    assert response.status_code == 400
    form = get_page_from(response).select_one("#task-order")
    assert form.has_attr("open") and form.select_one("textarea[name=request]").text.strip() == "请加快推进"
    assert not SupervisionOrder.objects.exists()
