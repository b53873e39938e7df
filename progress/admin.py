from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lib.admin import RecordAdmin
from progress.models import (
    Attachment,
    Chase,
    Closure,
    Contribution,
    Deadline,
    Milestone,
    ReminderLog,
    Report,
    ReportImport,
    ReportingRound,
    RoundSchedule,
)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin, RecordAdmin):
    """Written by the 督办 pages, which keep the rules (locking, review, versions): read here, with their history."""


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyHistoryAdmin):
    list_display = ["task", "due_on", "ongoing", "source", "basis"]
    list_filter = ["source", "ongoing", "task__plan"]
    list_select_related = ["task"]
    search_fields = ["task__title", "basis"]


@admin.register(Report)
class ReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["round", "task", "agency", "state", "status", "percent", "submitted_at"]
    list_filter = ["state", "status", "round__plan"]
    list_select_related = ["round", "task", "agency__region"]
    search_fields = ["task__title", "agency__name", "progress"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(RecordAdmin):
    list_display = ["name", "plan", "period_start", "period_end", "due_on", "opened_by", "scheduled"]
    list_filter = ["plan", "scheduled"]
    list_select_related = ["plan", "opened_by"]


@admin.register(RoundSchedule)
class RoundScheduleAdmin(ReadOnlyHistoryAdmin):
    list_display = ["plan", "frequency", "due_after_days", "active"]


@admin.register(Closure)
class ClosureAdmin(ReadOnlyHistoryAdmin):
    list_display = ["task", "closed_by", "closed_at"]
    list_select_related = ["task", "closed_by"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["report", "agency", "updated_by", "updated_at"]
    list_select_related = ["report__round", "report__task", "report__agency__region", "agency__region", "updated_by"]


@admin.register(Attachment)
class AttachmentAdmin(RecordAdmin):
    list_display = ["name", "report", "size", "uploaded_by", "uploaded_at", "removed_at"]
    list_select_related = ["report__round", "report__task", "report__agency__region", "uploaded_by"]


@admin.register(Milestone)
class MilestoneAdmin(RecordAdmin):
    list_display = ["task", "year", "due_on", "basis"]
    list_select_related = ["task"]


@admin.register(ReminderLog)
class ReminderLogAdmin(RecordAdmin):
    list_display = ["period", "kind", "notice", "recipient", "agency", "sent_at"]
    list_filter = ["kind", "period"]
    list_select_related = ["recipient", "agency__region"]


@admin.register(Chase)
class ChaseAdmin(RecordAdmin):
    list_display = ["task", "agency", "sent_by", "sent_at"]
    list_select_related = ["task", "agency__region", "sent_by"]


@admin.register(ReportImport)
class ReportImportAdmin(RecordAdmin):
    list_display = ["file_name", "round", "agency", "status", "uploaded_by", "created_at"]
    list_select_related = ["round", "agency__region", "uploaded_by"]
    exclude = ["workbook"]
