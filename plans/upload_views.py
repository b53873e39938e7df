"""Placeholder until this module is written (issue 5)."""

from django.http import HttpResponse


def upload(request, **kwargs):
    return HttpResponse("未完成", status=501)


def upload_detail(request, **kwargs):
    return HttpResponse("未完成", status=501)


def upload_confirm(request, **kwargs):
    return HttpResponse("未完成", status=501)


def upload_cancel(request, **kwargs):
    return HttpResponse("未完成", status=501)
