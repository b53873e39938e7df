"""Who a user is to this app. The one place that turns a user into a role.

系统管理员 (administrator): a superuser, or any active user given the
`plans.administer_site` permission (directly or through a group in the admin).
方案管理员 (plan coordinator): listed in a plan's coordinators.
单位用户 (agency staff): a member of one or more agencies.

The querysets build on these (Plan/Task `editable_by(user)`, Agency
`editable_by(user)`, `staffed_by(user)` and `annotatable_by(user)`, TaskNote
`editable_by(user)`), the load-and-authorise helpers build on the querysets
(`agencies.access`, `plans.access`), and templates ask `roles` from the
context processor. Nothing else tests a permission or a flag on the user.
"""

from __future__ import annotations

from dataclasses import dataclass

# The permission lives on the Plan model (plans.Plan.Meta.permissions), where the admin lists it.
ADMINISTER_PERMISSION = "plans.administer_site"


def is_administrator(user) -> bool:
    # has_perm is False for inactive users, and True for active superusers.
    return bool(user is not None and user.is_authenticated and user.has_perm(ADMINISTER_PERMISSION))


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def uses_admin_site(user) -> bool:
    """Whether the Django admin (管理后台) opens for the user: Django asks for an active staff account."""
    return is_signed_in(user) and user.is_staff


@dataclass(frozen=True)
class Roles:
    """What templates may ask about the current user (see accounts.context_processors)."""

    signed_in: bool
    administrator: bool
    admin_site: bool

    @classmethod
    def of(cls, user) -> Roles:
        return cls(is_signed_in(user), is_administrator(user), uses_admin_site(user))
