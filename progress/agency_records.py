"""What progress keeps about agencies (reports, contributions, 催办, round-sheet imports, reminder logs), and what
becomes of it when an agency is split or merged. Registered in ProgressConfig.ready() (agencies.dependants).

A split moves nothing: reports were written by the agency's own staff, who stay with it. A merge moves every
row to the agency that stays. Where both had a report on the same task in the same round, the one further
along is kept (通过 > 已报送 > 已退回 > 草稿 > 未填报), the other's text is added to it, its attachments and
contributions move to it, and it is deleted (with history). The agency's 变更记录 lists the reports and
contributions a merge moved in or out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from agencies.dependants import AgencyDependant, HistorySource, MergePart
from agencies.history import HistoryEntry, moved_between, pairs
from agencies.merging import MERGE, step_of
from agencies.models import Agency
from lib.history import Change
from progress.models import Attachment, Chase, Contribution, ReminderLog, Report, ReportImport

# Which of two reports on one task in one round a merge keeps: the one further along.
STATE_RANK = {
    Report.State.ACCEPTED: 4,
    Report.State.SUBMITTED: 3,
    Report.State.RETURNED: 2,
    Report.State.DRAFT: 1,
    Report.State.PENDING: 0,
}
TEXT_FIELDS = ("progress", "problems", "next_steps")


@dataclass
class ReportMerge:
    moves: list[Report] = field(default_factory=list)
    clashes: list[tuple[Report, Report]] = field(default_factory=list)  # (source's, target's)
    contributions: int = 0
    contribution_clashes: int = 0
    chases: int = 0


def _plan(source: Agency, target: Agency) -> ReportMerge:
    """Three queries: both agencies' reports, both agencies' contributions, the source's 催办 records."""
    merge = ReportMerge()
    reports = list(
        Report.objects.filter(agency__in=[source, target]).select_related("round", "task").order_by("round_id", "pk")
    )
    targets = {(r.round_id, r.task_id): r for r in reports if r.agency_id == target.pk}
    for report in (r for r in reports if r.agency_id == source.pk):
        clash = targets.get((report.round_id, report.task_id))
        if clash is None:
            merge.moves.append(report)
        else:
            merge.clashes.append((report, clash))
    rows = list(Contribution.objects.filter(agency__in=[source, target]).values_list("agency_id", "report_id"))
    taken = {report_id for agency_id, report_id in rows if agency_id == target.pk}
    for agency_id, report_id in rows:
        if agency_id != source.pk:
            continue
        if report_id in taken:
            merge.contribution_clashes += 1
        else:
            merge.contributions += 1
    merge.chases = Chase.objects.filter(agency=source).count()
    return merge


def _join(kept: str, other: str) -> str:
    if not other or other == kept:
        return kept
    return f"{kept}\n{other}" if kept else other


def _merge_reports(kept: Report, dropped: Report, change: Change, agency: Agency) -> None:
    """Two reports on one task in one round become `kept`, under `agency`: the other's text is added to it, its
    attachments and contributions move to it, and it is deleted first, so the pair never clashes."""
    for name in TEXT_FIELDS:
        setattr(kept, name, _join(getattr(kept, name), getattr(dropped, name)))
    Attachment.objects.filter(report=dropped).update(report=kept)
    kept_agencies = set(Contribution.objects.filter(report=kept).values_list("agency_id", flat=True))
    for contribution in Contribution.objects.filter(report=dropped):
        if contribution.agency_id in kept_agencies:
            other = Contribution.objects.get(report=kept, agency_id=contribution.agency_id)
            other.text = _join(other.text, contribution.text)
            change.save(other)
            change.delete(contribution)
        else:
            contribution.report = kept
            change.save(contribution)
    change.delete(dropped)
    kept.agency = agency
    kept.version += 1
    change.save(kept)


class ProgressRecords(AgencyDependant):
    key = "progress"
    # Not counted on the duplicates page: which agency to keep goes by its duties.
    usage_label = ""

    def preview_merge(self, source: Agency, target: Agency) -> MergePart:
        merge = _plan(source, target)
        rows = [
            (
                "count-reports",
                "进展报告",
                f"移入 {len(merge.moves)} 份"
                + (f"，同一轮次同一任务两单位均有报告的 {len(merge.clashes)} 份合为一份" if merge.clashes else ""),
            ),
            (
                "",
                "配合单位工作情况",
                f"移入 {merge.contributions} 项"
                + (f"，与已有内容合并 {merge.contribution_clashes} 项" if merge.contribution_clashes else ""),
            ),
            ("", "催办记录", f"{merge.chases} 项"),
        ]
        moved = len(merge.moves) + len(merge.clashes)
        summary = f"移入进展报告 {moved} 份" if moved else ""
        return MergePart(self.key, rows, summary=summary, data=merge)

    def merge(self, part: MergePart, source: Agency, target: Agency, change: Change) -> None:
        merge: ReportMerge = part.data
        for report in merge.moves:
            report.agency = target
            change.save(report)
        for theirs, ours in merge.clashes:
            if STATE_RANK[theirs.state] > STATE_RANK[ours.state]:
                _merge_reports(theirs, ours, change, target)
            else:
                _merge_reports(ours, theirs, change, target)
        kept = set(Contribution.objects.filter(agency=target).values_list("report_id", flat=True))
        for contribution in Contribution.objects.filter(agency=source):
            if contribution.report_id in kept:
                other = Contribution.objects.get(report_id=contribution.report_id, agency=target)
                other.text = _join(other.text, contribution.text)
                change.save(other)
                change.delete(contribution)
            else:
                contribution.agency = target
                change.save(contribution)
        Chase.objects.filter(agency=source).update(agency=target)
        ReportImport.objects.filter(agency=source).update(agency=target)
        ReminderLog.objects.filter(agency=source).update(agency=target)

    def history(self, agency_id: int) -> HistorySource:
        """Reports and contributions a merge moved in or out of the agency (each report's own edits are on its page)."""
        rows = []
        for model in (Report, Contribution):
            mine = model.history.filter(agency_id=agency_id).values("id")
            moved = (
                model.history.filter(id__in=mine)
                .values("id")
                .annotate(agencies=Count("agency_id", distinct=True))
                .filter(agencies__gt=1)
                .values("id")
            )
            dropped = model.history.filter(id__in=mine, history_type="-", history_change_reason__startswith=MERGE)
            related = ("history_user", "task", "round") if model is Report else ("history_user", "report__task")
            rows.append(
                list(
                    model.history.filter(Q(id__in=moved) | Q(id__in=dropped.values("id")))
                    .select_related(*related)
                    .order_by("id", "history_date", "history_id")
                )
            )
        reports, contributions = rows

        def describe(name) -> list[HistoryEntry]:
            return _entries(agency_id, reports, name, "进展报告", _report_label) + _entries(
                agency_id, contributions, name, "配合工作情况", _contribution_label
            )

        return HistorySource(moved_between(reports) | moved_between(contributions), describe)


def _report_label(row) -> tuple[str, str]:
    task = row.task.heading if row.task else "（已删除的任务）"
    round_name = row.round.name if row.round else ""
    return f"{round_name}「{task[:40]}」", reverse("progress:report", args=[row.id]) if row.history_type != "-" else ""


def _contribution_label(row) -> tuple[str, str]:
    report = getattr(row, "report", None)
    task = report.task.heading if report is not None and report.task else "（已删除的任务）"
    return f"「{task[:40]}」", ""


def _entries(agency_id: int, rows: list, name, what: str, label) -> list[HistoryEntry]:
    entries = []
    for previous, row in pairs(rows):
        if step_of(row.history_change_reason) != MERGE:
            continue
        here = row.agency_id == agency_id
        before = previous is not None and previous.agency_id == agency_id
        text, url = label(row)
        if row.history_type == "-" and here:
            description = f"{what} {text} 与同一轮次的另一份合并"
        elif here and previous is not None and not before:
            description = f"{what} {text} 移入（自 {name(previous.agency_id)[0]}）"
        elif before and not here:
            description = f"{what} {text} 移出（至 {name(row.agency_id)[0]}）"
        else:
            continue
        entries.append(HistoryEntry.of(row, description, url))
    return entries
