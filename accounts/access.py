"""The checks that need only the user's role; the apps' own load-and-authorise helpers build on these
(agencies.access, plans.access). A refusal is 403 (PermissionDenied), which the 403 page explains in Chinese."""

from django.core.exceptions import PermissionDenied

from . import roles


def require_administrator(request, message: str = "只有系统管理员可以进行此项操作。") -> None:
    if not roles.is_administrator(request.user):
        raise PermissionDenied(message)
