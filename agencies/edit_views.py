"""Placeholder until this module is written (issue 5)."""

from django.http import HttpResponse


def duplicates(request, **kwargs):
    return HttpResponse("未完成", status=501)


def agency_edit(request, **kwargs):
    return HttpResponse("未完成", status=501)


def agency_history(request, **kwargs):
    return HttpResponse("未完成", status=501)


def agency_merge(request, **kwargs):
    return HttpResponse("未完成", status=501)


def alias_add(request, **kwargs):
    return HttpResponse("未完成", status=501)


def alias_remove(request, **kwargs):
    return HttpResponse("未完成", status=501)


def alias_split(request, **kwargs):
    return HttpResponse("未完成", status=501)
