"""Every 督办 view, for every member of the cast: allowed users get through, the others 403 or 404, never 500.

The cast (tests/conftest.py `cast`) stands around one task of seed 000: its lead unit reports, its
cooperating unit contributes, the plan's coordinator reviews. A progress view missing from CASES or
READ_VIEWS fails `test_every_progress_view_is_classified`, so a new view cannot escape the matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from progress.models import (
    Attachment,
    Chase,
    Closure,
    Contribution,
    Deadline,
    InboxItem,
    Instruction,
    Report,
    ReportImport,
    ReportingRound,
    RoundSchedule,
    SupervisionOrder,
)
from progress.spreadsheets.round_import import read_and_propose
from progress.writing import reports as reporting
from tests.workbooks import content_of, get_workbook

from .support import fill, open_round, report_of

pytestmark = pytest.mark.django_db

ROLES = [
    "administrator",
    "coordinator",
    "other_coordinator",
    "lead_staff",
    "cooperating_staff",
    "outsider",
    "anonymous",
]
ADMIN = {"administrator"}
COORDINATORS = {"administrator", "coordinator"}
REPORTERS = {"administrator", "lead_staff"}
CONTRIBUTORS = {"administrator", "cooperating_staff"}
# Who reads a report before it is submitted: its agency's staff and whoever coordinates the plan.
DRAFT_READERS = {"administrator", "coordinator", "lead_staff"}
SIGNED_IN = set(ROLES) - {"anonymous"}
PDF = b"%PDF-1.7\n" + b"0" * 64


@dataclass
class Case:
    name: str
    method: str
    url: Callable  # (cast, objects) -> str
    allowed: set[str]
    data: Callable = lambda cast, o: {}  # noqa: E731
    state: str = ""  # what the objects need: "submitted", "closed", "attachment", "import"


def _objects(cast, state: str, tmp_path) -> dict:
    round = open_round(cast.plan, cast.coordinator, name="2026年第1季度")
    report = report_of(round, cast.task, cast.lead)
    objects = {"round": round, "report": report}
    if state == "submitted":
        objects["report"] = fill(report, cast.lead_staff)
    if state == "closed":
        reporting.close_task(cast.task, cast.coordinator)
    if state == "attachment":
        objects["attachment"] = reporting.attach(report, cast.lead_staff, SimpleUploadedFile("a.pdf", PDF), 10**6)
    if state == "import":
        admin = Client()
        admin.force_login(cast.administrator)
        workbook = admin.get(f"/progress/rounds/{round.pk}/agencies/{cast.lead.pk}/sheet.xlsx").content
        assert read_and_propose(round, cast.lead, workbook).problems == []
        objects["import"] = ReportImport.objects.create(
            round=round, agency=cast.lead, file_name="报送表.xlsx", checksum="0" * 64, workbook=workbook
        )
    return objects


def _report_data(cast, o):
    return {
        "status": "in_progress",
        "percent": "20",
        "progress": "已完成前期调研",
        "problems": "",
        "next_steps": "",
        "version": o["report"].version,
        "submit": "1",
    }


def _round_data(cast, o):
    return {
        "name": "2026年第2季度",
        "period_start": "2026-04-01",
        "period_end": "2026-06-30",
        "due_on": "2026-07-10",
        "scope": "all",
        "repeat": "",
        "due_after_days": "10",
    }


CASES = [
    Case("progress:overview", "get", lambda c, o: "/progress/overview/", ADMIN),
    Case("progress:rates", "get", lambda c, o: "/progress/rates/", ADMIN),
    # A message is its recipient's alone: the round opened for the lead's agency told its staff.
    Case(
        "progress:inbox-item",
        "get",
        lambda c, o: InboxItem.objects.filter(recipient=c.lead_staff).first().get_absolute_url(),
        {"lead_staff"},
    ),
    Case("progress:inbox-read-all", "post", lambda c, o: "/progress/inbox/read-all/", SIGNED_IN),
    Case("progress:rates-xlsx", "get", lambda c, o: "/progress/rates.xlsx", ADMIN),
    Case("progress:round-open", "get", lambda c, o: f"/progress/plans/{c.plan.pk}/rounds/new/", COORDINATORS),
    Case(
        "progress:round-open",
        "post",
        lambda c, o: f"/progress/plans/{c.plan.pk}/rounds/new/",
        COORDINATORS,
        _round_data,
    ),
    Case(
        "progress:schedule",
        "post",
        lambda c, o: f"/progress/plans/{c.plan.pk}/schedule/",
        COORDINATORS,
        lambda c, o: {"repeat": "quarterly", "due_after_days": "10"},
    ),
    Case("progress:round-sync", "post", lambda c, o: f"/progress/rounds/{o['round'].pk}/sync/", COORDINATORS),
    Case("progress:deadline", "get", lambda c, o: f"/progress/tasks/{c.task.pk}/deadline/", COORDINATORS),
    Case(
        "progress:deadline",
        "post",
        lambda c, o: f"/progress/tasks/{c.task.pk}/deadline/",
        COORDINATORS,
        lambda c, o: {"kind": "ongoing", "reason": "长期任务", "version": _deadline_version(c)},
    ),
    Case("progress:task-close", "post", lambda c, o: f"/progress/tasks/{c.task.pk}/close/", COORDINATORS),
    Case(
        "progress:task-reopen",
        "post",
        lambda c, o: f"/progress/tasks/{c.task.pk}/reopen/",
        COORDINATORS,
        lambda c, o: {"reason": "尚未完成"},
        state="closed",
    ),
    Case(
        "progress:chase",
        "post",
        lambda c, o: f"/progress/tasks/{c.task.pk}/chase/",
        COORDINATORS,
        lambda c, o: {"agency": c.lead.pk, "message": "请尽快报送"},
    ),
    Case(
        "progress:instruction-add",
        "post",
        lambda c, o: f"/progress/tasks/{c.task.pk}/instructions/",
        COORDINATORS,
        lambda c, o: {"leader": "张市长", "given_on": "2026-11-02", "text": "抓紧推进"},
    ),
    Case(
        "progress:task-order",
        "post",
        lambda c, o: f"/progress/tasks/{c.task.pk}/order/",
        COORDINATORS,
        lambda c, o: {"request": "请报送进展", "reply_by": "2099-12-31"},
    ),
    Case(
        "progress:round-order",
        "post",
        lambda c, o: f"/progress/rounds/{o['round'].pk}/order/",
        COORDINATORS,
        lambda c, o: {"request": "请报送进展", "reply_by": "2099-12-31"},
    ),
    Case("progress:report-edit", "get", lambda c, o: f"/progress/reports/{o['report'].pk}/edit/", REPORTERS),
    Case(
        "progress:report-edit",
        "post",
        lambda c, o: f"/progress/reports/{o['report'].pk}/edit/",
        REPORTERS,
        _report_data,
    ),
    Case(
        "progress:report-review",
        "post",
        lambda c, o: f"/progress/reports/{o['report'].pk}/review/",
        COORDINATORS,
        lambda c, o: {"decision": "return", "reason": "请补充", "version": o["report"].version},
        state="submitted",
    ),
    Case(
        "progress:contribution",
        "post",
        lambda c, o: f"/progress/reports/{o['report'].pk}/contributions/{c.cooperating.pk}/",
        CONTRIBUTORS,
        lambda c, o: {"text": "已配合完成资金申报"},
    ),
    Case(
        "progress:attachment-upload",
        "post",
        lambda c, o: f"/progress/reports/{o['report'].pk}/attachments/",
        REPORTERS,
        lambda c, o: {"file": SimpleUploadedFile("材料.pdf", PDF)},
    ),
    Case(
        "progress:attachment-remove",
        "post",
        lambda c, o: f"/progress/attachments/{o['attachment'].pk}/remove/",
        REPORTERS,
        state="attachment",
    ),
    Case("progress:agency-due", "get", lambda c, o: f"/progress/agencies/{c.lead.pk}/due/", REPORTERS),
    Case(
        "progress:round-sheet",
        "get",
        lambda c, o: f"/progress/rounds/{o['round'].pk}/agencies/{c.lead.pk}/sheet.xlsx",
        REPORTERS,
    ),
    Case(
        "progress:import-upload",
        "get",
        lambda c, o: f"/progress/rounds/{o['round'].pk}/agencies/{c.lead.pk}/import/",
        REPORTERS,
    ),
    Case(
        "progress:import-upload",
        "post",
        lambda c, o: f"/progress/rounds/{o['round'].pk}/agencies/{c.lead.pk}/import/",
        REPORTERS,
        lambda c, o: {"workbook": SimpleUploadedFile("x.xlsx", b"not a workbook")},
    ),
    Case(
        "progress:import-detail", "get", lambda c, o: f"/progress/imports/{o['import'].pk}/", REPORTERS, state="import"
    ),
    Case(
        "progress:import-apply",
        "post",
        lambda c, o: f"/progress/imports/{o['import'].pk}/apply/",
        REPORTERS,
        state="import",
    ),
    Case(
        "progress:import-cancel",
        "post",
        lambda c, o: f"/progress/imports/{o['import'].pk}/cancel/",
        REPORTERS,
        state="import",
    ),
    Case(
        "progress:import-annotated",
        "get",
        lambda c, o: f"/progress/imports/{o['import'].pk}/annotated.xlsx",
        REPORTERS,
        state="import",
    ),
]


def _deadline_version(cast) -> str:
    from progress.writing import deadlines as timelines

    return timelines.version_of(timelines.deadline_of(cast.task))


# Views that only read: every signed-in user; visitors are sent to sign in.
READ_VIEWS = {
    "progress:home": lambda c, o: "/progress/",
    "progress:plan": lambda c, o: f"/progress/plans/{c.plan.pk}/",
    "progress:compare": lambda c, o: f"/progress/plans/{c.plan.pk}/compare/",
    "progress:round": lambda c, o: f"/progress/rounds/{o['round'].pk}/",
    "progress:task": lambda c, o: f"/progress/tasks/{c.task.pk}/",
    "progress:agency": lambda c, o: f"/progress/agencies/{c.lead.pk}/",
    "progress:report": lambda c, o: f"/progress/reports/{o['report'].pk}/",
    "progress:attachment": lambda c, o: f"/progress/attachments/{o['attachment'].pk}/",
    "progress:round-ledger": lambda c, o: f"/progress/rounds/{o['round'].pk}/ledger.xlsx",
    "progress:agency-ledger": lambda c, o: f"/progress/rounds/{o['round'].pk}/agencies/{c.lead.pk}/ledger.xlsx",
    "progress:inbox": lambda c, o: "/progress/inbox/",
    "progress:plan-orders": lambda c, o: f"/progress/plans/{c.plan.pk}/orders/",
    "progress:order": lambda c, o: _order(c).get_absolute_url(),
    "progress:order-xlsx": lambda c, o: f"/progress/orders/{_order(c).pk}.xlsx",
    "progress:inbox-count": lambda c, o: "/progress/inbox/count/",
}


def _order(cast) -> SupervisionOrder:
    """A 督办通知单 of the cast's plan, for the read views (the first made, or made now)."""
    from datetime import date

    from progress.writing import orders

    found = SupervisionOrder.objects.filter(plan=cast.plan).first()
    entries = orders.for_task(cast.task, date.today())
    return found or orders.issue(
        cast.plan, cast.coordinator, entries, request="请报送", reply_by=date(2099, 1, 1), today=date.today()
    )


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "progress":
                names |= _names(pattern, pattern.namespace)
        elif isinstance(pattern, URLPattern) and namespace and pattern.name:
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_progress_view_is_classified():
    assert _names(get_resolver()) == set(READ_VIEWS) | {case.name for case in CASES}


def _snapshot() -> dict:
    return {
        "reports": sorted(Report.objects.values_list("pk", "state", "version", "progress")),
        "contributions": sorted(Contribution.objects.values_list("pk", "text")),
        "attachments": sorted(Attachment.objects.values_list("pk", "removed_at")),
        "closures": sorted(Closure.objects.values_list("pk", flat=True)),
        "deadlines": sorted(Deadline.objects.values_list("pk", "due_on", "ongoing", "source")),
        "rounds": sorted(ReportingRound.objects.values_list("pk", flat=True)),
        "schedules": sorted(RoundSchedule.objects.values_list("pk", "frequency", "active")),
        "chases": sorted(Chase.objects.values_list("pk", flat=True)),
        "imports": sorted(ReportImport.objects.values_list("pk", "status")),
        "read": sorted(InboxItem.objects.values_list("pk", "read_at")),
        "instructions": sorted(Instruction.objects.values_list("pk", flat=True)),
        "orders": sorted(SupervisionOrder.objects.values_list("pk", flat=True)),
    }


def _client(cast, role) -> Client:
    client = Client()
    user = getattr(cast, role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_write_views_answer_each_role(case, role, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = _objects(cast, case.state, tmp_path)
    client = _client(cast, role)
    before = _snapshot()
    response = getattr(client, case.method)(case.url(cast, objects), case.data(cast, objects))
    assert response.status_code != 500
    if role in case.allowed:
        assert response.status_code not in {401, 403, 404}, response.status_code
    else:
        assert response.status_code in {403, 404}, response.status_code
        assert _snapshot() == before  # refused means nothing written


@pytest.mark.parametrize("role", ROLES)
def test_read_views_are_for_signed_in_users(role, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = _objects(cast, "attachment", tmp_path)
    client = _client(cast, role)
    for name, url in READ_VIEWS.items():
        response = client.get(url(cast, objects))
        if role not in SIGNED_IN:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name
        elif name == "progress:attachment" and role not in DRAFT_READERS:
            assert response.status_code == 403, (name, response.status_code)  # the report is not submitted yet
        else:
            assert response.status_code == 200, (name, response.status_code)


# --- A draft is its agency's own until submitted ---------------------------------------------------------------------

DRAFT = "草稿：光伏项目仍在洽谈，尚未公开"
DRAFT_PROBLEM = "草稿：资金缺口待定"


def _draft(cast, tmp_path) -> dict:
    objects = _objects(cast, "attachment", tmp_path)
    objects["report"] = fill(objects["report"], cast.lead_staff, progress=DRAFT, problems=DRAFT_PROBLEM, submit=False)
    assert objects["report"].state == Report.State.DRAFT
    return objects


def _ledger_text(client, url: str) -> str:
    sheet = get_workbook(client, url)[0].active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_a_draft_is_read_only_by_its_agency_and_the_plans_coordinators(role, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = _draft(cast, tmp_path)
    client = _client(cast, role)
    report, attachment = objects["report"], objects["attachment"]
    page = client.get(f"/progress/reports/{report.pk}/").content.decode()
    task_page = client.get(f"/progress/tasks/{cast.task.pk}/").content.decode()
    ledgers = [
        _ledger_text(client, f"/progress/rounds/{objects['round'].pk}/ledger.xlsx"),
        _ledger_text(client, f"/progress/rounds/{objects['round'].pk}/agencies/{cast.lead.pk}/ledger.xlsx"),
    ]
    download = client.get(f"/progress/attachments/{attachment.pk}/")
    if role in DRAFT_READERS:
        assert DRAFT in page and DRAFT_PROBLEM in page and attachment.name in page
        assert DRAFT in task_page
        assert all(DRAFT in ledger and DRAFT_PROBLEM in ledger for ledger in ledgers)
        assert download.status_code == 200 and content_of(download) == PDF
    else:
        assert DRAFT not in page and DRAFT_PROBLEM not in page and attachment.name not in page
        assert "尚未报送" in page
        assert DRAFT not in task_page
        assert not any(DRAFT in ledger or DRAFT_PROBLEM in ledger for ledger in ledgers)
        assert download.status_code == 403


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_once_submitted_a_report_is_every_signed_in_users_to_read(role, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = _draft(cast, tmp_path)
    fill(objects["report"], cast.lead_staff, progress=DRAFT, problems=DRAFT_PROBLEM)
    client = _client(cast, role)
    assert DRAFT in client.get(f"/progress/reports/{objects['report'].pk}/").content.decode()
    assert DRAFT in _ledger_text(client, f"/progress/rounds/{objects['round'].pk}/ledger.xlsx")
    assert client.get(f"/progress/attachments/{objects['attachment'].pk}/").status_code == 200


def test_a_staff_member_never_reports_for_another_agency(cast, round):
    other = report_of(round, cast.task, cast.lead)
    # The cooperating unit's staff: not the lead's report, nor its due page, nor its round sheet.
    client = _client(cast, "cooperating_staff")
    data = {"status": "completed", "progress": "代填", "version": other.version, "submit": "1"}
    assert client.post(f"/progress/reports/{other.pk}/edit/", data).status_code == 403
    assert client.get(f"/progress/agencies/{cast.lead.pk}/due/").status_code == 403
    assert client.get(f"/progress/rounds/{round.pk}/agencies/{cast.lead.pk}/sheet.xlsx").status_code == 403
    # The lead's staff cannot write the cooperating unit's contribution either.
    lead = _client(cast, "lead_staff")
    url = f"/progress/reports/{other.pk}/contributions/{cast.cooperating.pk}/"
    assert lead.post(url, {"text": "代写"}).status_code == 403
    assert Report.objects.get(pk=other.pk).state == "pending" and not Contribution.objects.exists()


def test_a_contribution_is_only_for_a_unit_that_cooperates_on_the_task(cast, round):
    report = report_of(round, cast.task, cast.lead)
    client = _client(cast, "administrator")
    response = client.post(f"/progress/reports/{report.pk}/contributions/{cast.lead.pk}/", {"text": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_unknown_ids_are_404_for_everyone(role, cast):
    client = _client(cast, role)
    for method, url in [
        ("get", "/progress/plans/999999/rounds/new/"),
        ("post", "/progress/rounds/999999/sync/"),
        ("get", "/progress/tasks/999999/deadline/"),
        ("post", "/progress/tasks/999999/close/"),
        ("get", "/progress/reports/999999/edit/"),
        ("post", "/progress/reports/999999/review/"),
        ("post", f"/progress/reports/999999/contributions/{cast.cooperating.pk}/"),
        ("post", "/progress/attachments/999999/remove/"),
        ("get", "/progress/agencies/999999/due/"),
        ("get", "/progress/imports/999999/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code in {403, 404}, (url, response.status_code)
