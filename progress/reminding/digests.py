"""Reminders (manage.py send_reminders): each agency's staff get a digest, in the app's 待办 and by e-mail where
they have an address, of what the agency owes in the plans under 督办 (reports due within N days, reports overdue,
tasks past their deadline), each coordinator a digest of the reports missing in the plans he runs. Every notice is
logged per person and period (ReminderLog), so the same one never goes to the same person twice in a period. A fixed
number of queries however many agencies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from agencies.models import Agency
from plans.labels import chinese_date
from plans.models import Duty, Plan
from progress.models import Deadline, InboxItem, ReminderLog, Report
from progress.reading.tracking import reporting
from progress.writing import inbox

DUE = "本轮待报送"
OVERDUE = "逾期未报送"
TASKS = "已过完成时限、尚未办结的任务"
MISSING = "逾期未报送的进展报告"
SECTIONS = (DUE, OVERDUE, TASKS)


@dataclass(frozen=True)
class Notice:
    key: str  # what it is about, unique per person and period: due:<report>, overdue:<report>, task:<task>:<agency>
    section: str
    text: str
    url: str


@dataclass
class Digest:
    kind: str
    recipient: object  # a user
    notices: list[Notice]
    agency: Agency | None = None
    plan: Plan | None = None

    @property
    def subject(self) -> str:
        if self.kind == ReminderLog.Kind.AGENCY:
            return f"【督办提醒】{self.agency.full_name}：{len(self.notices)} 项待办"
        return f"【督办提醒】{self.plan}：{len(self.notices)} 份进展报告逾期未报送"

    def sections(self) -> list[tuple[str, list[Notice]]]:
        names = SECTIONS if self.kind == ReminderLog.Kind.AGENCY else (MISSING,)
        return [
            (name, [n for n in self.notices if n.section == name])
            for name in names
            if any(n.section == name for n in self.notices)
        ]


@dataclass
class Collected:
    digests: list[Digest] = field(default_factory=list)
    # Agencies that owe something but have no active staff at all: listed, reaching nobody.
    unreachable: list[tuple[Agency, list[Notice]]] = field(default_factory=list)


def period_key(today: date, period: str) -> str:
    """2026-04-10 (day), 2026-W15 (ISO week), 2026-04 (month)."""
    if period == "day":
        return today.isoformat()
    if period == "month":
        return f"{today:%Y-%m}"
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def _report_text(report: Report) -> str:
    return (
        f"{report.round.plan}·{report.round.name}「{report.task.heading}」（截止 {chinese_date(report.round.due_on)}）"
    )


def collect(today: date, days: int) -> Collected:
    """Every digest that could go out today, before checking what was already sent. Six queries."""
    site = settings.SITE_URL
    per_agency: dict[int, list[Notice]] = {}
    agencies: dict[int, Agency] = {}
    related = ("round__plan", "task", "agency__region")
    light = ("round__plan__source_text", "task__body", "task__clause_text", "task__clause_note")
    for report in Report.objects.due_within(today, days).select_related(*related).defer(*light).in_outline_order():
        agencies[report.agency_id] = report.agency
        per_agency.setdefault(report.agency_id, []).append(
            Notice(f"due:{report.pk}", DUE, _report_text(report), f"{site}/progress/agencies/{report.agency_id}/due/")
        )
    missing: dict[int, list[Notice]] = {}
    plans: dict[int, Plan] = {}
    for report in Report.objects.overdue(today).select_related(*related).defer(*light).in_outline_order():
        agencies[report.agency_id] = report.agency
        url = f"{site}/progress/agencies/{report.agency_id}/due/"
        per_agency.setdefault(report.agency_id, []).append(
            Notice(f"overdue:{report.pk}", OVERDUE, _report_text(report), url)
        )
        plans[report.round.plan_id] = report.round.plan
        missing.setdefault(report.round.plan_id, []).append(
            Notice(
                f"missing:{report.pk}",
                MISSING,
                f"{report.agency.name}：{report.round.name}「{report.task.heading}」",
                f"{site}/progress/reports/{report.pk}/",
            )
        )
    late = (
        reporting(Duty.objects.filter(task__deadline__due_on__lt=today, task__closure__isnull=True))
        .filter(task__plan__state=Plan.State.ACTIVE)
        .select_related("task__plan", "task__deadline", "agency__region")
        .defer("task__plan__source_text", "task__body", "task__clause_text", "task__clause_note")
        .order_by("agency_id", "task__plan_id", "task__position")
    )
    for duty in late:
        agencies[duty.agency_id] = duty.agency
        deadline: Deadline = duty.task.deadline
        per_agency.setdefault(duty.agency_id, []).append(
            Notice(
                f"task:{duty.task_id}:{duty.agency_id}",
                TASKS,
                f"{duty.task.plan}「{duty.task.heading}」（完成时限 {deadline.label}）",
                f"{site}/progress/tasks/{duty.task_id}/",
            )
        )

    result = Collected()
    staff = inbox.staff(per_agency)
    for agency_id, notices in per_agency.items():
        if agency_id not in staff:
            result.unreachable.append((agencies[agency_id], notices))
        for user in staff.get(agency_id, []):
            result.digests.append(Digest(ReminderLog.Kind.AGENCY, user, notices, agency=agencies[agency_id]))
    coordinators = Plan.coordinators.through.objects.filter(
        plan_id__in=list(missing), user__is_active=True
    ).select_related("user")
    for row in coordinators.order_by("plan_id", "user_id"):
        result.digests.append(
            Digest(ReminderLog.Kind.COORDINATOR, row.user, missing[row.plan_id], plan=plans[row.plan_id])
        )
    return result


def unsent(digests: list[Digest], period: str) -> list[Digest]:
    """The digests with only the notices not yet sent to their recipient in this period; empty ones dropped."""
    if not digests:
        return []
    sent = set(
        ReminderLog.objects.filter(period=period, recipient_id__in={d.recipient.pk for d in digests}).values_list(
            "recipient_id", "notice"
        )
    )
    result = []
    for digest in digests:
        fresh = [n for n in digest.notices if (digest.recipient.pk, n.key) not in sent]
        if fresh:
            result.append(Digest(digest.kind, digest.recipient, fresh, digest.agency, digest.plan))
    return result


def _inbox_url(digest: Digest) -> str:
    if digest.kind == ReminderLog.Kind.AGENCY:
        return f"/progress/agencies/{digest.agency.pk}/due/"
    return f"/progress/plans/{digest.plan.pk}/"


def message(digest: Digest) -> EmailMultiAlternatives:
    """The e-mail for a digest: Chinese text and HTML parts."""
    context = {"digest": digest, "site_url": settings.SITE_URL}
    email = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("progress/email/digest.txt", context),
        to=[digest.recipient.email],
    )
    email.attach_alternative(render_to_string("progress/email/digest.html", context), "text/html")
    return email


def send(digests: list[Digest], period: str) -> int:
    """Put every digest in its recipient's 待办, e-mail those with an address over one connection, and log every
    notice sent; returns how many e-mails went."""
    if not digests:
        return 0
    inbox.deliver_all(
        inbox.item(
            digest.recipient,
            InboxItem.Kind.REMINDER,
            digest.subject.removeprefix("【督办提醒】"),
            "\n".join(f"{section}：{n.text}" for section, notices in digest.sections() for n in notices),
            _inbox_url(digest),
            f"reminder:{period}:" + hashlib.sha1("|".join(sorted(n.key for n in digest.notices)).encode()).hexdigest(),
        )
        for digest in digests
    )
    connection = get_connection()
    sent = connection.send_messages([message(d) for d in digests if d.recipient.email]) or 0
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(recipient=d.recipient, kind=d.kind, notice=n.key, period=period, agency=d.agency, plan=d.plan)
            for d in digests
            for n in d.notices
        ],
        ignore_conflicts=True,
    )
    return sent
