"""Small things every 督办 view needs: today in China time, the 临期 window, a safe place to go back to."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localdate


def today():
    return localdate()


def soon_days() -> int:
    return settings.PROGRESS_DUE_SOON_DAYS


def positive_int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def next_url(request, default: str) -> str:
    """Where to go after a POST: the form's `next` when it is a path on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def form_problems(form) -> str:
    """A refused form's errors in one line, for a message above the page it came from."""
    return "；".join(error for errors in form.errors.values() for error in errors)
