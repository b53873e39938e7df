"""What 督办 keeps about a task that people made (reports, a closing, a deadline set by hand): registered with
plans.task_records, so a re-ingest whose new text drops the task keeps it instead of deleting their work."""

from __future__ import annotations

from collections import Counter

from progress.models import Closure, Deadline, Report


def people_work_on_tasks(task_ids: list[int]) -> dict[int, str]:
    reports = Counter(Report.objects.filter(task_id__in=task_ids).values_list("task_id", flat=True))
    closed = set(Closure.objects.filter(task_id__in=task_ids).values_list("task_id", flat=True))
    set_by_hand = set(
        Deadline.objects.filter(task_id__in=task_ids, source=Deadline.Source.MANUAL).values_list("task_id", flat=True)
    )
    found = {}
    for task_id in set(reports) | closed | set_by_hand:
        parts = []
        if reports[task_id]:
            parts.append(f"督办进展报告 {reports[task_id]} 份")
        if task_id in closed:
            parts.append("已办结")
        if task_id in set_by_hand:
            parts.append("人工设定的完成时限")
        found[task_id] = "、".join(parts)
    return found
