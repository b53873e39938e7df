"""Placeholder until this module is written (issue 5)."""

from django.http import HttpResponse


def task_edit(request, **kwargs):
    return HttpResponse("未完成", status=501)


def duty_revert(request, **kwargs):
    return HttpResponse("未完成", status=501)


def editing_context(request, task) -> dict:
    return {}
