"""What a request says about who sent it, for the sign-in lockout (django-axes).

Behind a reverse proxy every request comes from the proxy's address; the
client's is the one the proxy appended to X-Forwarded-For. With
TRUSTED_PROXY_COUNT proxies in front of the app, each appending the address it
received the request from, the client is the entry that many places from the
right: anything further left was sent by the client and is not trusted.
"""

import ipaddress

from django.conf import settings

# A user name as long as Django's user model allows; what is longer cannot sign in anyway.
USERNAME_MAX_LENGTH = 150


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote  # not an address: the proxy did not write it


def username(request, credentials) -> str:
    """The user name a sign-in attempt gave, as the lockout records it: control characters dropped, length capped."""
    field = settings.AXES_USERNAME_FORM_FIELD
    given = (credentials or {}).get(field) if credentials else None
    if given is None:
        given = getattr(request, "POST", {}).get(field, "")
    return "".join(ch for ch in str(given or "") if ch.isprintable())[:USERNAME_MAX_LENGTH]
