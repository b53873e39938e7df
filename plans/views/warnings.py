"""Editors mark a plan's ingestion warnings 已核对 (or take the mark back); the plan page folds checked ones away."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..access import get_warning_for_editor


@require_POST
def warning_check(request, plan_id: int, warning_id: int):
    warning = get_warning_for_editor(request, plan_id, warning_id)
    if request.POST.get("checked") == "0":
        warning.clear_checked()
        messages.success(request, f"已撤销核对：{warning.where or ''}{warning.message}")
    else:
        warning.mark_checked(request.user)
        messages.success(request, f"已核对：{warning.where or ''}{warning.message}")
    return redirect(f"{reverse('plans:plan-detail', args=[plan_id])}#warnings")
