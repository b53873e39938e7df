from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ACCOUNT_INLINES
from agencies.admin import AgencyAdmin
from agencies.models import Agency
from lib.admin import RecordAdmin

from .models import (
    AppendixRow,
    AppendixUnit,
    DivisionImport,
    Duty,
    IngestWarning,
    KeyProject,
    Plan,
    PlanStateChange,
    PlanUpload,
    RemovedDuty,
    Section,
    Target,
    Task,
    TaskNote,
)


class CoordinatedPlanInline(admin.TabularInline):
    """On a user's page: the plans he coordinates (方案管理员)."""

    model = Plan.coordinators.through
    extra = 0
    verbose_name = "负责的方案（方案管理员）"
    verbose_name_plural = "负责的方案（方案管理员）"


ACCOUNT_INLINES.append(CoordinatedPlanInline)
Plan.coordinators.through.__str__ = lambda row: str(row.plan)  # not "Plan_coordinators object (1)"


class ReadOnlyInline(admin.TabularInline):
    """Shown for reference; the app's own pages change these, where the rules and the history live."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WithoutPlanText:
    """For lists that show each row's plan: the plan's source text (tens of kilobytes each) stays behind."""

    plan_path = "plan"

    def get_queryset(self, request):
        return super().get_queryset(request).defer(f"{self.plan_path}__source_text")


class DutyInline(ReadOnlyInline):
    """Duties are changed on the task page (编辑分工), which keeps the change history and the re-ingest rules."""

    model = Duty
    fields = ["position", "agency", "role", "inferred", "as_written", "source"]
    ordering = ["position"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["label", "year", "value", "unit", "text"]


@admin.register(Task)
class TaskAdmin(WithoutPlanText, admin.ModelAdmin):
    list_display = ["__str__", "plan", "section", "kind", "line"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "body", "clause_text", "duties__agency__name"]
    list_select_related = ["plan", "section"]
    readonly_fields = ["plan", "ref", "line"]
    inlines = [DutyInline, TargetInline]


class WarningInline(admin.TabularInline):
    model = IngestWarning
    extra = 0
    fields = ["line", "code", "message", "checked_by", "checked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StateChangeInline(ReadOnlyInline):
    """The plan's state is changed on the plan page (plans.lifecycle keeps the log); here it is read only."""

    model = PlanStateChange
    fields = ["changed_at", "before", "after", "changed_by", "reason"]
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "region",
        "doc_number",
        "issued_on",
        "is_draft",
        "state",
        "lead_convention",
        "updated_at",
    ]
    list_filter = ["state", "is_draft", "lead_convention", "region__parent"]
    search_fields = ["title", "doc_number", "issuer", "region__full_name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    readonly_fields = ["state", "source_name", "checksum", "created_at", "updated_at"]
    exclude = ["source_text"]
    filter_horizontal = ["coordinators"]
    inlines = [StateChangeInline, WarningInline]


@admin.register(Section)
class SectionAdmin(WithoutPlanText, admin.ModelAdmin):
    list_display = ["__str__", "plan", "level", "line"]
    list_filter = ["level", "plan"]
    search_fields = ["title", "body"]
    list_select_related = ["plan"]


@admin.register(Duty)
class DutyAdmin(RecordAdmin, SimpleHistoryAdmin):
    """Read-only here: duties are changed on the task page (编辑分工); the history is shown per duty."""

    list_display = ["agency", "role", "inferred", "task", "source"]
    list_filter = ["role", "inferred", "source", "task__plan"]
    search_fields = ["agency__name", "agency__aliases__name", "as_written", "task__title"]
    list_select_related = ["agency__region", "task"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(WithoutPlanText, admin.ModelAdmin):
    list_display = ["label", "year", "value", "unit", "text", "plan"]
    list_filter = ["year", "plan"]
    search_fields = ["text"]
    list_select_related = ["plan"]


class AppendixUnitInline(admin.TabularInline):
    model = AppendixUnit
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(AppendixRow)
class AppendixRowAdmin(WithoutPlanText, admin.ModelAdmin):
    list_display = ["__str__", "plan", "kind", "disagrees", "line"]
    list_filter = ["kind", "disagrees", "plan"]
    search_fields = ["title", "lead_text", "units_text"]
    list_select_related = ["plan"]
    inlines = [AppendixUnitInline]


@admin.register(KeyProject)
class KeyProjectAdmin(WithoutPlanText, admin.ModelAdmin):
    list_display = ["number", "name", "category", "unit_as_written", "start_year", "end_year", "investment", "plan"]
    list_filter = ["category", "plan"]
    search_fields = ["name", "unit_as_written", "content"]
    list_select_related = ["plan"]


@admin.register(IngestWarning)
class IngestWarningAdmin(WithoutPlanText, admin.ModelAdmin):
    list_display = ["plan", "line", "code", "message"]
    list_filter = ["code", "plan"]
    search_fields = ["message"]
    list_select_related = ["plan"]


@admin.register(DivisionImport)
class DivisionImportAdmin(WithoutPlanText, RecordAdmin):
    """A record of every uploaded 分工表; changed only through the upload pages, so read-only here."""

    list_display = ["file_name", "plan", "status", "uploaded_by", "created_at", "applied_by", "applied_at"]
    list_filter = ["status", "plan"]
    list_select_related = ["plan", "uploaded_by", "applied_by"]
    search_fields = ["file_name", "checksum"]
    exclude = ["workbook"]


@admin.register(RemovedDuty)
class RemovedDutyAdmin(WithoutPlanText, admin.ModelAdmin):
    """Duties people removed; deleting a row here lets the plan's text assign that unit again on re-ingest."""

    list_display = ["task", "agency", "role", "removed_by_import", "created_at"]
    plan_path = "removed_by_import__plan"
    list_select_related = ["task", "agency__region", "removed_by_import__plan"]
    search_fields = ["agency__name", "task__title"]
    readonly_fields = ["task", "agency", "role", "removed_by_import", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(TaskNote)
class TaskNoteAdmin(SimpleHistoryAdmin):
    list_display = ["task", "agency", "contact_person", "updated_by", "updated_at"]
    list_select_related = ["task", "agency__region", "updated_by"]
    search_fields = ["agency__name", "task__title", "note", "contact_person"]
    readonly_fields = ["updated_by", "updated_at"]
    autocomplete_fields = ["task", "agency"]


@admin.register(PlanUpload)
class PlanUploadAdmin(WithoutPlanText, RecordAdmin):
    """Every plan file uploaded through the web; handled on the upload pages, so read-only here."""

    list_display = ["file_name", "status", "plan", "uploaded_by", "created_at", "applied_by", "applied_at"]
    list_filter = ["status"]
    list_select_related = ["plan", "uploaded_by", "applied_by"]
    search_fields = ["file_name", "checksum"]
    exclude = ["data"]


# The agency admin (agencies/admin.py) with each agency's duties counted: plans' data, so added here.
admin.site.unregister(Agency)


@admin.register(Agency)
class AgencyWithDutiesAdmin(AgencyAdmin):
    list_display = [*AgencyAdmin.list_display, "duty_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(duty_count=Count("duties", distinct=True))

    @admin.display(description="职责数", ordering="duty_count")
    def duty_count(self, obj):
        return obj.duty_count
