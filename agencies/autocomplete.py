"""Placeholder until this module is written (issue 5)."""

from django.http import HttpResponse


def agency_autocomplete(request, **kwargs):
    return HttpResponse("未完成", status=501)
