"""Placeholder until this module is written (issue 5)."""

from django.http import HttpResponse


def task_note(request, **kwargs):
    return HttpResponse("未完成", status=501)


def notes_context(request, task) -> dict:
    return {}
