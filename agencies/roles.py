"""Who a user is to this app. The one place that turns a user into a role.

系统管理员 (administrator): a superuser, or any active user given the
`plans.administer_site` permission (directly or through a group in the admin).
方案管理员 (plan coordinator): listed in a plan's coordinators.
单位用户 (agency staff): a member of one or more agencies.

The querysets build on these: Plan/Task `editable_by(user)`, Agency
`editable_by(user)` and `staffed_by(user)`, TaskNote `editable_by(user)`.
Views ask those querysets and never test roles themselves.
"""

ADMINISTER_PERMISSION = "plans.administer_site"


def is_administrator(user) -> bool:
    # has_perm is False for inactive users, and True for active superusers.
    return bool(user is not None and user.is_authenticated and user.has_perm(ADMINISTER_PERMISSION))


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)
