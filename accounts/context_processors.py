"""`roles` in every template: templates ask what the user is, never which permission he holds."""

from django.utils.functional import SimpleLazyObject

from .roles import Roles


def roles(request):
    # Lazy: a page that never asks costs no permission lookup.
    return {"roles": SimpleLazyObject(lambda: Roles.of(getattr(request, "user", None)))}
