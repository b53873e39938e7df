"""Signing in, with two limits: django-axes locks a user name tried from one address too often, and this view
stops an address that tries many user names (password spraying)."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from .requests import client_ip


def failures_from(address: str | None) -> int:
    """Wrong passwords from this address in the cool-off period, whatever the user names."""
    if not address:
        return 0
    since = timezone.now() - get_cool_off()
    found = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return found.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockout_limit=settings.AXES_FAILURE_LIMIT, **kwargs)

    def post(self, request, *args, **kwargs):
        if failures_from(client_ip(request)) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            context = {"address_locked": True, "failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT}
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
        return super().post(request, *args, **kwargs)
