"""Load what a view acts on for the user who asked, or refuse: 404 for what does not exist, 403 for what he may
not do.

Every view that writes starts with one of these (as healthchecks' `_get_check_for_user` does) and never tests a
role or a queryset itself. The rules are the querysets' (Plan/Task `editable_by`), asked through the model
methods; who is an administrator is accounts.roles.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import require_administrator

from .models import DivisionImport, IngestWarning, Plan, PlanUpload, Task

EDITORS_ONLY = "只有系统管理员和本方案的方案管理员可以"


def get_task_for_editor(request, task_id: int) -> Task:
    """A task whose units the user may change: administrators and the plan's coordinators."""
    task = get_object_or_404(
        Task.objects.select_related("plan__region", "section").defer("plan__source_text"), pk=task_id
    )
    if not task.is_editable_by(request.user):
        raise PermissionDenied(f"{EDITORS_ONLY}修改分工。")
    return task


def get_plan_for_editor(request, plan_id: int, what: str = "修改分工") -> Plan:
    """A plan whose assignments the user may change (edit, import a 分工表)."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=plan_id)
    if not plan.is_editable_by(request.user):
        raise PermissionDenied(f"{EDITORS_ONLY}{what}。")
    return plan


def get_warning_for_editor(request, plan_id: int, warning_id: int) -> IngestWarning:
    """An ingestion warning of a plan the user may change: its editors mark it 已核对."""
    plan = get_plan_for_editor(request, plan_id, "核对导入提示")
    return get_object_or_404(IngestWarning, plan=plan, pk=warning_id)


def get_import_for_editor(request, import_id: int, **filters) -> DivisionImport:
    """A 分工表 import of a plan the user may change; `filters` narrow it (status=pending)."""
    record = get_object_or_404(
        DivisionImport.objects.select_related("plan__region", "uploaded_by", "applied_by").defer("plan__source_text"),
        pk=import_id,
        **filters,
    )
    if not record.plan.is_editable_by(request.user):
        raise PermissionDenied(f"{EDITORS_ONLY}导入分工表。")
    return record


def get_upload_for_administrator(request, upload_id: int) -> PlanUpload:
    """A plan upload: administrators only. The file's bytes are left in the database until asked for."""
    record = get_object_or_404(
        PlanUpload.objects.select_related("plan", "uploaded_by", "applied_by").defer("data", "plan__source_text"),
        pk=upload_id,
    )
    require_administrator(request, "只有系统管理员可以上传方案。")
    return record


def require_plan_editor(request) -> None:
    """Users who may change at least one plan's assignments: the edit form's helpers serve only them."""
    if not Plan.objects.editable_by(request.user).exists():
        raise PermissionDenied("只有可以修改分工的用户才能使用单位联想。")
