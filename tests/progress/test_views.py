"""The 督办 pages: what they show (read from the rendered HTML), and a fixed number of queries each."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate

from plans.models import Duty
from progress.models import Report
from progress.writing import deadlines as timelines
from progress.writing import reports as reporting
from tests.pages import get_page, text, texts

from .support import fill, move_due_date, open_round, report_of

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def set_deadline(task, user, due_on):
    version = timelines.version_of(timelines.deadline_of(task))
    timelines.set_deadline(task, user, due_on=due_on, ongoing=False, reason="", version=version)


@pytest.fixture
def past_round(cast):
    """A round of seed 000 whose due date passed yesterday; the lead reported its task as 滞后 on time."""
    round = open_round(cast.plan, cast.coordinator, name="2026年第1季度", due_in=30)
    set_deadline(cast.task, cast.coordinator, date(2099, 12, 31))
    fill(report_of(round, cast.task, cast.lead), cast.lead_staff, status="lagging", progress="资金未到位")
    return move_due_date(round, localdate() - timedelta(days=1))


def count(soup, status: str) -> int:
    return int(text(soup, f'#status-counts li[data-status="{status}"] .count'))


def test_the_dashboard_counts_tasks_by_status_with_chips_that_differ_by_mark_and_word(cast, past_round):
    soup = get_page(signed_in(cast.outsider), f"/progress/plans/{cast.plan.pk}/")
    total = sum(count(soup, s) for s in ("overdue", "missing", "lagging", "due_soon", "normal", "completed"))
    assert total == cast.plan.tasks.count()
    assert count(soup, "lagging") >= 1
    chips = {chip["class"][1]: chip.get_text(strip=True) for chip in soup.select("#status-counts .status")}
    assert chips == {
        "status-overdue": "■逾期",
        "status-missing": "✕未报送",
        "status-lagging": "▼滞后",
        "status-due_soon": "△临期",
        "status-normal": "○正常",
        "status-completed": "✓已完成",
    }
    # The lead's own row: reported 滞后; the task's other reporting units have not reported.
    task_row = [
        r for r in soup.select("#by-agency tbody tr") if r.select_one("td a").get_text(strip=True) == cast.lead.name
    ][0]
    assert task_row.select_one('td[data-status="lagging"]').get_text(strip=True) == "1"


def test_the_dashboard_lists_the_reports_still_missing_this_round_with_a_chase_form(cast, past_round):
    soup = get_page(signed_in(cast.coordinator), f"/progress/plans/{cast.plan.pk}/")
    missing = Report.objects.filter(round=past_round).open().count()
    assert f"（{missing}）" in text(soup, "#missing h2")
    rows = soup.select("#missing tr.missing-row")
    assert len(rows) == min(missing, 100)
    assert cast.lead.name not in {r["data-agency"] for r in rows if "资金" in r.get_text()}
    assert rows[0].select_one(".status-missing") and rows[0].select_one("form textarea[name=message]")
    # Readers who do not coordinate the plan see no chase forms.
    assert not get_page(signed_in(cast.outsider), f"/progress/plans/{cast.plan.pk}/").select(
        "form .chase-form, .chase-form"
    )


def test_the_dashboard_draws_each_round_as_a_stacked_bar(cast, past_round):
    later = open_round(cast.plan, cast.coordinator, name="2026年第2季度", due_in=20)
    fill(report_of(later, cast.task, cast.lead), cast.lead_staff, status="completed", progress="已完成")
    soup = get_page(signed_in(cast.outsider), f"/progress/plans/{cast.plan.pk}/")
    bars = soup.select("#progress-chart g.bar")
    assert [b["data-round"] for b in bars] == ["2026年第1季度", "2026年第2季度"]
    first = {s["data-series"]: int(s["data-value"]) for s in bars[0].select("rect.segment")}
    second = {s["data-series"]: int(s["data-value"]) for s in bars[1].select("rect.segment")}
    reports = Report.objects.filter(round=past_round).count()
    assert first == {"lagging": 1, "missing": reports - 1}
    assert second["completed"] == 1
    # Every series has its own fill pattern, so the chart reads in black and white.
    assert {s["fill"] for s in soup.select("rect.segment")} <= {f"url(#fill-{k})" for k in first | second}
    on_time = soup.select_one('#rounds tr[data-round="2026年第1季度"] td.on-time').get_text(strip=True)
    assert on_time == "1"


def test_comparing_two_rounds_shows_which_way_each_unit_moved(cast, past_round):
    later = open_round(cast.plan, cast.coordinator, name="2026年第2季度", due_in=20)
    fill(report_of(later, cast.task, cast.lead), cast.lead_staff, status="in_progress", percent=60)
    soup = get_page(signed_in(cast.outsider), f"/progress/plans/{cast.plan.pk}/compare/?a={past_round.pk}&b={later.pk}")
    rows = soup.select("#compare-table tbody tr")
    assert [r["class"] for r in rows] == [["compare-better"]]
    assert texts(soup, "#compare-table tbody tr td")[2:] == ["滞后 50%", "推进中 60%", "进展"]


def test_the_round_page_lists_reports_by_state(cast, past_round):
    soup = get_page(signed_in(cast.outsider), f"/progress/rounds/{past_round.pk}/?state=submitted")
    assert [r["data-agency"] for r in soup.select("#round-reports tbody tr")] == [cast.lead.name]
    assert "待审核（1）" in text(soup, "nav.tabs")


def test_staff_see_on_my_tasks_what_their_agency_owes_and_fill_one_form_per_task(cast, round):
    client = signed_in(cast.lead_staff)
    response = client.get("/agencies/mine/", follow=True)
    soup = get_page(client, response.redirect_chain[-1][0])
    owed = Report.objects.due_for(cast.lead).count()
    assert len(soup.select("#progress-due li")) == min(owed, 10)
    assert soup.select_one("#progress-due-link")["href"] == f"/progress/agencies/{cast.lead.pk}/due/"
    due = get_page(client, f"/progress/agencies/{cast.lead.pk}/due/")
    forms = due.select("form.report-form")
    assert len(forms) == min(owed, 100)
    assert {f["action"] for f in forms} == {
        f"/progress/reports/{pk}/edit/" for pk in Report.objects.due_for(cast.lead).values_list("pk", flat=True)[:100]
    }
    # Each form's fields have their own ids, so every label points at its own field.
    ids = [field["id"] for field in due.select("form.report-form textarea")]
    assert len(ids) == len(set(ids))


def test_a_new_round_starts_from_the_last_rounds_text(cast, past_round):
    later = open_round(cast.plan, cast.coordinator, name="2026年第2季度", due_in=20)
    report = report_of(later, cast.task, cast.lead)
    soup = get_page(signed_in(cast.lead_staff), f"/progress/agencies/{cast.lead.pk}/due/")
    card = soup.select_one(f"#report-{report.pk}")
    assert "已带入2026年第1季度报送的内容" in card.get_text()
    assert card.select_one("textarea[name=progress]").get_text().strip() == "资金未到位"
    assert card.select_one("select[name=status] option[selected]")["value"] == "lagging"
    assert Report.objects.get(pk=report.pk).progress == ""  # a starting point in the form, not written


def test_saving_from_a_stale_form_keeps_both_texts_visible(cast, round):
    report = report_of(round, cast.task, cast.lead)
    client = signed_in(cast.lead_staff)
    data = {"status": "in_progress", "progress": "第一次", "version": 0, "draft": "1"}
    assert client.post(f"/progress/reports/{report.pk}/edit/", data).status_code == 302
    response = client.post(f"/progress/reports/{report.pk}/edit/", data | {"progress": "过时的表单"})
    assert response.status_code == 409
    soup = get_page_from(response)
    assert "lead-staff" in text(soup, "#edit-conflict")
    assert "过时的表单" in text(soup, "#typed")
    assert soup.select_one("textarea[name=progress]").get_text().strip() == "第一次"
    assert Report.objects.get(pk=report.pk).progress == "第一次"


def test_a_file_sent_with_the_report_keeps_the_text_as_a_draft_and_a_wrong_value_keeps_both(
    cast, round, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from progress.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    report = report_of(round, cast.task, cast.lead)
    client = signed_in(cast.lead_staff)
    pdf = b"%PDF-1.7\n" + b"0" * 100
    data = {"status": "in_progress", "progress": "完成普查", "version": 0, "attach": "1"}
    upload = SimpleUploadedFile("说明.pdf", pdf, content_type="application/pdf")
    response = client.post(f"/progress/reports/{report.pk}/edit/", data | {"file": upload})
    assert response.status_code == 302 and response["Location"] == f"/progress/reports/{report.pk}/edit/"
    report.refresh_from_db()
    assert (report.state, report.progress) == ("draft", "完成普查")
    assert [a.name for a in Attachment.objects.filter(report=report)] == ["说明.pdf"]
    # A value the form refuses: nothing written, nothing attached, everything typed back in the form.
    wrong = data | {"percent": "150", "progress": "新增项目 12 个", "version": report.version}
    upload = SimpleUploadedFile("补充.pdf", pdf, content_type="application/pdf")
    response = client.post(f"/progress/reports/{report.pk}/edit/", wrong | {"file": upload})
    assert response.status_code == 400
    soup = get_page_from(response)
    assert soup.select_one("textarea[name=progress]").get_text().strip() == "新增项目 12 个"
    assert Attachment.objects.filter(report=report).count() == 1
    assert Report.objects.get(pk=report.pk).progress == "完成普查"


def get_page_from(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def test_the_report_page_shows_the_review_form_to_the_coordinator_only_once_submitted(cast, round):
    report = report_of(round, cast.task, cast.lead)
    assert not get_page(signed_in(cast.coordinator), f"/progress/reports/{report.pk}/").select("#review-form")
    fill(report, cast.lead_staff)
    assert get_page(signed_in(cast.coordinator), f"/progress/reports/{report.pk}/").select("#review-form")
    assert not get_page(signed_in(cast.lead_staff), f"/progress/reports/{report.pk}/").select("#review-form")


def test_returning_and_accepting_through_the_page(cast, round):
    report = fill(report_of(round, cast.task, cast.lead), cast.lead_staff)
    client = signed_in(cast.coordinator)
    url = f"/progress/reports/{report.pk}/review/"
    client.post(url, {"decision": "return", "reason": "请补充投资完成额", "version": report.version})
    soup = get_page(signed_in(cast.lead_staff), f"/progress/reports/{report.pk}/")
    assert text(soup, "#return-reason") == "退回原因：请补充投资完成额"
    report = fill(report, cast.lead_staff, progress="已完成投资 3000 万元")
    client.post(url, {"decision": "accept", "reason": "", "version": report.version})
    soup = get_page(client, f"/progress/reports/{report.pk}/")
    assert text(soup, "#report-state") == "已通过"
    assert texts(soup, "#report-history td.reason")[:3] == ["审核通过", "报送", "退回：请补充投资完成额"]
    assert texts(soup, "#report-history td.changed")[:2] == ["", "进展情况"]


def test_a_cooperating_unit_adds_its_part_on_the_report_page(cast, round):
    report = report_of(round, cast.task, cast.lead)
    client = signed_in(cast.cooperating_staff)
    soup = get_page(client, f"/progress/reports/{report.pk}/")
    assert [f["action"] for f in soup.select("form.contribution-form")] == [
        f"/progress/reports/{report.pk}/contributions/{cast.cooperating.pk}/"
    ]
    client.post(f"/progress/reports/{report.pk}/contributions/{cast.cooperating.pk}/", {"text": "已拨付配套资金"})
    soup = get_page(client, f"/progress/reports/{report.pk}/")
    assert "已拨付配套资金" in text(soup, f'#contributions article[data-agency="{cast.cooperating.name}"]')


def test_the_task_page_shows_the_deadline_its_basis_and_who_reports(cast, round):
    soup = get_page(signed_in(cast.outsider), f"/progress/tasks/{cast.task.pk}/")
    deadline = timelines.deadline_of(cast.task)
    assert text(soup, "#deadline-label") == deadline.label
    reporters = {d.agency.full_name for d in Duty.objects.filter(task=cast.task, role__in=["lead", "joint"])}
    assert {a.get_text(strip=True) for a in soup.select("#reporters li a")} == reporters
    assert not soup.select("#deadline-edit") and not soup.select("#close-form")
    coordinator = get_page(signed_in(cast.coordinator), f"/progress/tasks/{cast.task.pk}/")
    assert coordinator.select("#deadline-edit") and coordinator.select("#close-form")


def test_a_coordinator_sets_a_deadline_and_it_shows_as_set_by_a_person(cast):
    client = signed_in(cast.coordinator)
    soup = get_page(client, f"/progress/tasks/{cast.task.pk}/deadline/")
    version = soup.select_one("input[name=version]")["value"]
    data = {"kind": "date", "due_on": "2027-06-30", "reason": "专题会议调整", "version": version}
    assert client.post(f"/progress/tasks/{cast.task.pk}/deadline/", data).status_code == 302
    soup = get_page(client, f"/progress/tasks/{cast.task.pk}/")
    assert text(soup, "#deadline-label") == "2027年6月30日前"
    assert "人工设定" in text(soup, "#deadline")
    # The same form again is stale now: 409, nothing saved.
    again = client.post(f"/progress/tasks/{cast.task.pk}/deadline/", data | {"due_on": "2028-01-31"})
    assert again.status_code == 409
    assert timelines.deadline_of(cast.task).due_on == date(2027, 6, 30)


def test_closing_a_task_makes_it_completed_on_the_dashboard(cast, round):
    client = signed_in(cast.coordinator)
    before = count(get_page(client, f"/progress/plans/{cast.plan.pk}/"), "completed")
    client.post(f"/progress/tasks/{cast.task.pk}/close/", {"note": "已完成"})
    assert count(get_page(client, f"/progress/plans/{cast.plan.pk}/"), "completed") == before + 1
    assert "办结" in text(get_page(client, f"/progress/tasks/{cast.task.pk}/"), "#closed")


def test_the_agency_page_shows_its_tasks_by_status_and_its_record_per_round(cast, past_round):
    soup = get_page(signed_in(cast.outsider), f"/progress/agencies/{cast.lead.pk}/")
    statuses = {r["data-status"] for r in soup.select("#agency-tasks tbody tr")}
    assert "lagging" in statuses
    owed = Report.objects.filter(round=past_round, agency=cast.lead)
    row = soup.select_one('#agency-record tr[data-round="2026年第1季度"]')
    assert row.select_one(".on-time").get_text(strip=True) == "1"
    assert row.select_one(".open").get_text(strip=True) == str(owed.count() - 1)


def test_the_overview_ranks_agencies_by_missing_reports_and_overdue_tasks(cast, past_round, administrator):
    soup = get_page(signed_in(administrator), "/progress/overview/")
    rows = soup.select("#overview-table tbody tr")
    assert rows
    totals = [int(r.select("td")[-1].get_text()) for r in rows]
    assert totals == sorted(totals, reverse=True)
    missing = dict(
        (r.select_one("td a").get_text(strip=True), int(r.select_one("td.missing").get_text())) for r in rows
    )
    lead_missing = Report.objects.filter(round=past_round, agency=cast.lead).open().count()
    assert missing.get(cast.lead.full_name, 0) == lead_missing


def test_the_header_links_to_progress_for_signed_in_users_only(cast):
    assert "督办" in texts(get_page(signed_in(cast.outsider), "/"), "#site-nav a")
    assert "督办" not in texts(get_page(Client(), "/"), "#site-nav a")


# Measured, then pinned; none grows with rounds, reports or history (each checked twice, the data grown between).
# Every count includes the session and user look-ups of a signed-in request.
PAGE_QUERIES = {
    "home": 4,  # plans the user coordinates, agencies he reports for with what they owe
    "plan": 10,  # plan, tasks, reporting duties, rounds, reports per round, missing list, may coordinate, schedule
    "compare": 5,  # plan, rounds, both rounds' reports
    "round": 7,  # round, counts by state, page count, page, may coordinate (one more for others, with drafts:
    # his agencies, whose drafts he reads)
    "task": 14,  # task, deadline, duties, task facts, reports, closure, may coordinate, milestones, 催办, history,
    # the collectives that lead it, 领导批示
    "agency": 10,  # agency, own duties, cooperating duties, their tasks' units and facts, rounds, record, may report
    "agency-due": 11,  # agency, may report, reports, files, contributions and their units, last round's, and the
    # leads' reports awaiting the agency's part with what it wrote
    "report": 10,  # report, cooperating units, contributions, writable units, may review, may report, files, history
    "report-edit": 6,  # report, may report, last round's report, its attachments
    "deadline": 5,  # task, may coordinate, deadline
    "overview": 5,  # missing per agency, overdue per agency, the agencies
    "round-ledger": 8,  # round, reports, their tasks' units, contributions, 领导批示, may coordinate (reads drafts)
    "agency-ledger": 9,  # ... and the agency
    "round-sheet": 9,  # round, agency, may report, reports, units, contributions, last round's
    "agency-duties": 12,  # the 任务清单 as before, the reports the agency owes and those awaiting its part
    "rates": 5,  # reports due and on time per agency, tasks due and closed in time per agency, the agencies
    "rates-region": 7,  # ... the region asked for and the regions under it, in place of the agencies' names
    "rates-xlsx": 5,  # as the page
    "plan-orders": 4,  # plan, its notices with who issued them
    "order": 4,  # the notice with its plan and issuer, its items
    "order-xlsx": 4,  # as the page
}


def _urls(cast, round, report):
    return {
        "home": "/progress/",
        "plan": f"/progress/plans/{cast.plan.pk}/",
        "compare": f"/progress/plans/{cast.plan.pk}/compare/",
        "round": f"/progress/rounds/{round.pk}/",
        "task": f"/progress/tasks/{cast.task.pk}/",
        "agency": f"/progress/agencies/{cast.lead.pk}/",
        "agency-due": f"/progress/agencies/{cast.lead.pk}/due/",
        "report": f"/progress/reports/{report.pk}/",
        "report-edit": f"/progress/reports/{report.pk}/edit/",
        "deadline": f"/progress/tasks/{cast.task.pk}/deadline/",
        "overview": "/progress/overview/",
        "round-ledger": f"/progress/rounds/{round.pk}/ledger.xlsx",
        "agency-ledger": f"/progress/rounds/{round.pk}/agencies/{cast.lead.pk}/ledger.xlsx",
        "round-sheet": f"/progress/rounds/{round.pk}/agencies/{cast.lead.pk}/sheet.xlsx",
        "agency-duties": f"/agencies/{cast.lead.pk}/",
        "rates": "/progress/rates/",
        "rates-region": f"/progress/rates/?by=region&region={cast.plan.region.parent.code}",
        "rates-xlsx": "/progress/rates.xlsx",
        "plan-orders": f"/progress/plans/{cast.plan.pk}/orders/",
        "order": f"/progress/orders/{_order(cast).pk}/",
        "order-xlsx": f"/progress/orders/{_order(cast).pk}.xlsx",
    }


def _order(cast):
    """The plan's 督办通知单 to the task's units, issued once."""
    from progress.models import SupervisionOrder
    from progress.writing import orders

    found = SupervisionOrder.objects.filter(plan=cast.plan).first()
    if found is None:
        entries = orders.for_task(cast.task, date.today())
        found = orders.issue(
            cast.plan, cast.coordinator, entries, request="请报送", reply_by=date(2099, 1, 1), today=date.today()
        )
    return found


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def _grow(cast, round, step: int):
    """More rounds, reports in every state, contributions, a closing and history: the pages must not notice."""
    later = open_round(cast.plan, cast.coordinator, name=f"增长轮次{step}", due_in=-step)
    for report in Report.objects.filter(round=later, agency=cast.lead)[:3]:
        report = fill(report, cast.lead_staff, status="lagging")
        reporting.review(report, cast.coordinator, accept=False, reason="补充", version=report.version)
    report = report_of(round, cast.task, cast.lead)
    reporting.contribute(report, cast.cooperating, cast.cooperating_staff, f"配合{step}")
    set_deadline(cast.task, cast.coordinator, date(2030, 1, step))
    other = Duty.objects.filter(task__plan=cast.plan, role="lead").exclude(task=cast.task)[step].task
    reporting.close_task(other, cast.coordinator)


def test_every_page_runs_a_fixed_number_of_queries(cast, round, administrator):
    report = report_of(round, cast.task, cast.lead)
    urls = _urls(cast, round, report)
    client = signed_in(administrator)
    _grow(cast, round, 1)  # something of every kind to show, so that every prefetch runs
    first = {name: _queries(client, url) for name, url in urls.items()}
    _grow(cast, round, 2)
    _grow(cast, round, 3)
    second = {name: _queries(client, url) for name, url in urls.items()}
    assert first == second
    assert first == PAGE_QUERIES


def test_a_cooperating_unit_finds_on_its_due_page_the_leads_reports_awaiting_its_part(cast, round):
    report = report_of(round, cast.task, cast.lead)
    client = signed_in(cast.cooperating_staff)
    home = client.get("/agencies/mine/", follow=True)
    assert "需要本单位填写配合工作情况" in home.content.decode()
    soup = get_page(client, f"/progress/agencies/{cast.cooperating.pk}/due/")
    form = soup.select_one(f"#contribute-{report.pk} form")
    assert form["action"] == f"/progress/reports/{report.pk}/contributions/{cast.cooperating.pk}/"
    client.post(
        form["action"], {"text": "已完成配套资金拨付", "next": f"/progress/agencies/{cast.cooperating.pk}/due/"}
    )
    soup = get_page(client, f"/progress/agencies/{cast.cooperating.pk}/due/")
    assert soup.select_one(f"#contribute-{report.pk} textarea").get_text().strip() == "已完成配套资金拨付"
    # Once the lead has submitted, its report no longer waits for the unit's part.
    fill(report, cast.lead_staff)
    assert not get_page(client, f"/progress/agencies/{cast.cooperating.pk}/due/").select(f"#contribute-{report.pk}")
