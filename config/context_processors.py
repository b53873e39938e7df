"""What every page's template needs from the settings."""

from django.conf import settings


def site(request) -> dict:
    return {"site_name": settings.SITE_NAME, "site_subtitle": settings.SITE_SUBTITLE}
