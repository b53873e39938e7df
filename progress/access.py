"""Load what a 督办 view acts on for the user who asked, or refuse: 404 for what does not exist, 403 for what he
may not do. Every view starts with one of these and never tests a role or a queryset itself.

- Coordinating (opening rounds, reviewing reports, setting deadlines, closing tasks, 催办): administrators and
  the plan's coordinators (Plan.is_editable_by).
- Reporting (a report, its attachments, the round sheet): the reporting unit's staff and administrators
  (Agency.is_annotatable_by). A staff member never reports for another agency.
- Contributing: a cooperating unit's staff, on a task where the unit cooperates.
- Reading the 督办 pages: signed-in users; visitors are sent to sign in.
- Reading what a report says before it is submitted (a draft, or returned for rework): the reporting unit's
  staff and whoever coordinates the plan (its 方案管理员, administrators); no one else (DraftReader).
"""

from functools import cached_property, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.access import require_administrator
from agencies.models import Agency
from plans.models import Duty, Plan, Task
from progress.models import Attachment, InboxItem, Report, ReportImport, ReportingRound

COORDINATORS_ONLY = "只有系统管理员和本方案的方案管理员可以"
STAFF_ONLY = "只有本单位的用户和系统管理员可以"


def reader_required(view):
    """督办 pages name units and people and show work in progress: signed-in users only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def own_inbox(request):
    """The user's own 待办 messages; nobody else's, and nothing for a visitor (marking read is a write)."""
    if not roles.is_signed_in(request.user):
        raise PermissionDenied("请先登录，再查看本人的待办。")
    return InboxItem.objects.of(request.user)


def require_overview_reader(request) -> None:
    require_administrator(request, "只有系统管理员可以查看跨方案的督办概况。")


def _coordinated(plan: Plan, request, what: str) -> None:
    if not plan.is_editable_by(request.user):
        raise PermissionDenied(f"{COORDINATORS_ONLY}{what}。")


def get_plan_for_coordinator(request, plan_id: int, what: str) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    _coordinated(plan, request, what)
    return plan


def get_round_for_coordinator(request, round_id: int, what: str) -> ReportingRound:
    round = get_object_or_404(ReportingRound.objects.select_related("plan__region"), pk=round_id)
    _coordinated(round.plan, request, what)
    return round


def get_task_for_coordinator(request, task_id: int, what: str) -> Task:
    task = get_object_or_404(Task.objects.select_related("plan__region", "section"), pk=task_id)
    _coordinated(task.plan, request, what)
    return task


def _report(report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("round__plan__region", "task__section", "agency__region"), pk=report_id
    )


def get_report_for_reporter(request, report_id: int) -> Report:
    """A report the user writes: his own agency's (any for an administrator)."""
    report = _report(report_id)
    if not report.agency.is_annotatable_by(request.user):
        raise PermissionDenied(f"{STAFF_ONLY}填报本单位的进展。")
    return report


def get_report_for_reviewer(request, report_id: int) -> Report:
    report = _report(report_id)
    _coordinated(report.round.plan, request, "审核进展报告")
    return report


def get_report_for_contributor(request, report_id: int, agency_id: int) -> tuple[Report, Agency]:
    """A lead's report and a unit that cooperates on its task, for that unit's staff (or an administrator)."""
    report = _report(report_id)
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    if not Duty.objects.filter(task_id=report.task_id, agency=agency, role=Duty.Role.COOPERATING).exists():
        raise Http404("该单位不是这项任务的配合单位。")
    if not agency.is_annotatable_by(request.user):
        raise PermissionDenied(f"{STAFF_ONLY}填写本单位的配合工作情况。")
    return report, agency


def may_read_report(report: Report, *, coordinates: bool, reports: bool) -> bool:
    """The rule: a submitted report is every signed-in user's to read; until then it is its agency's own (and
    that of whoever coordinates the plan). `coordinates`: the user coordinates the report's plan; `reports`: he
    is staff of the reporting agency."""
    return report.is_submitted or coordinates or reports


class DraftReader:
    """Whether one user may read what each report of one plan says (may_read_report), for a page or a ledger of
    many reports: at most two queries, and only once a report not yet submitted comes up."""

    def __init__(self, user, plan: Plan, *, coordinates: bool | None = None):
        self.user, self.plan = user, plan
        if coordinates is not None:
            self.coordinates = coordinates

    @cached_property
    def coordinates(self) -> bool:
        return self.plan.is_editable_by(self.user)

    @cached_property
    def own_agencies(self) -> set[int]:
        return set(Agency.objects.staffed_by(self.user).values_list("pk", flat=True))

    def __call__(self, report: Report) -> bool:
        if report.is_submitted or self.coordinates:
            return may_read_report(report, coordinates=self.coordinates, reports=False)
        return may_read_report(report, coordinates=False, reports=report.agency_id in self.own_agencies)


def get_attachment_for_reader(request, attachment_id: int) -> Attachment:
    """An attachment to download: anyone signed in once its report is submitted, before that its readers."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("report__round__plan", "report__agency"), pk=attachment_id
    )
    if not DraftReader(request.user, attachment.report.round.plan)(attachment.report):
        raise PermissionDenied("该报告尚未报送，只有报送单位的用户和本方案的方案管理员、系统管理员可以查看其附件。")
    return attachment


def get_attachment_for_reporter(request, attachment_id: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("report__agency"), pk=attachment_id)
    if not attachment.report.agency.is_annotatable_by(request.user):
        raise PermissionDenied(f"{STAFF_ONLY}修改本单位报告的附件。")
    return attachment


def get_agency_for_reporter(request, agency_id: int, what: str) -> Agency:
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    if not agency.is_annotatable_by(request.user):
        raise PermissionDenied(f"{STAFF_ONLY}{what}。")
    return agency


def get_round_and_agency_for_reporter(request, round_id: int, agency_id: int, what: str):
    round = get_object_or_404(ReportingRound.objects.select_related("plan__region"), pk=round_id)
    agency = get_agency_for_reporter(request, agency_id, what)
    return round, agency


def get_import_for_reporter(request, import_id: int, **filters) -> ReportImport:
    record = get_object_or_404(
        ReportImport.objects.select_related("round__plan", "agency__region", "uploaded_by", "applied_by"),
        pk=import_id,
        **filters,
    )
    if not record.agency.is_annotatable_by(request.user):
        raise PermissionDenied(f"{STAFF_ONLY}导入本单位的进展报送表。")
    return record
