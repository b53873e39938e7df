"""The one writer of 待办 (InboxItem): each message once per recipient and subject, to the active staff of an
agency or to named people, whether or not they have an e-mail address."""

from __future__ import annotations

from collections.abc import Iterable

from agencies.models import Agency
from plans.labels import chinese_date
from progress.models import InboxItem


def item(user, kind: str, title: str, text: str, url: str, key: str) -> InboxItem:
    return InboxItem(recipient=user, kind=kind, title=title[:200], text=text, url=url[:300], key=key[:150])


def deliver(users: Iterable, kind: str, title: str, text: str, url: str, key: str) -> int:
    """The message to each user (an existing one of the same key is left as it is); how many were new."""
    return deliver_all(item(user, kind, title, text, url, key) for user in users)


def deliver_all(items: Iterable[InboxItem]) -> int:
    """Many messages in one statement (per thousand): the reminders of a whole deployment."""
    items = list(items)
    return len(InboxItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=1000)) if items else 0


def staff(agency_ids: Iterable[int]) -> dict[int, list]:
    """{agency id: its active staff}. One query."""
    found: dict[int, list] = {}
    rows = Agency.members.through.objects.filter(agency_id__in=list(agency_ids), user__is_active=True)
    for row in rows.select_related("user").order_by("agency_id", "user_id"):
        found.setdefault(row.agency_id, []).append(row.user)
    return found


def round_opened(round) -> int:
    """Each agency with reports in a new round: what it owes and by when. Three queries."""
    from django.db.models import Count

    owed = dict(round.reports.values("agency_id").annotate(n=Count("pk")).order_by().values_list("agency_id", "n"))
    sent = 0
    for agency_id, users in staff(owed).items():
        sent += deliver(
            users,
            InboxItem.Kind.ROUND,
            f"新的报送轮次：{round.plan}·{round.name}",
            f"本单位有 {owed[agency_id]} 项任务需报送进展，{chinese_date(round.due_on)}截止。"
            + (f"\n报送要求：{round.note}" if round.note else ""),
            f"/progress/agencies/{agency_id}/due/",
            f"round:{round.pk}:{agency_id}",
        )
    return sent


def report_returned(report) -> int:
    """The reporting unit's staff: the coordinator returned its report, and why."""
    users = staff([report.agency_id]).get(report.agency_id, [])
    return deliver(
        users,
        InboxItem.Kind.RETURNED,
        f"进展报告被退回：{report.round.name}「{report.task.heading}」",
        f"退回原因：{report.return_reason}",
        f"/progress/reports/{report.pk}/edit/",
        f"returned:{report.pk}:{report.version}",
    )


def chased(chase) -> int:
    """The chased unit's staff: the 催办 as the coordinator wrote it."""
    users = staff([chase.agency_id]).get(chase.agency_id, [])
    return deliver(
        users,
        InboxItem.Kind.CHASE,
        f"催办：{chase.task.plan}「{chase.task.heading}」",
        chase.message,
        f"/progress/tasks/{chase.task_id}/",
        f"chase:{chase.pk}",
    )
