"""Accounts in the admin: each user's page also says which agencies he works for and which plans he coordinates.

Those memberships are rows of the apps that keep them (agencies' members, plans' coordinators): each app adds its
own inline to ACCOUNT_INLINES in its admin module, so `accounts`, which every app uses for roles, imports none.
"""

from axes.admin import AccessAttemptAdmin
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

# The inlines other apps add to a user's page, in the order their admin modules load.
ACCOUNT_INLINES: list[type[admin.options.InlineModelAdmin]] = []

# django-axes names this column by its method, which no translation reaches (the others: locale/zh_Hans).
AccessAttemptAdmin.status.short_description = "剩余次数"

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    # The e-mail is asked for when the account is made: reminders and 催办 go to it, and without it a new agency
    # user got none until someone edited the account again.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "email", "usable_password", "password1", "password2"),
                "description": "姓名和电子邮箱用于督办提醒和催办；保存后可在下方指定所属单位或负责的方案。",
            },
        ),
    )

    def get_inlines(self, request, obj):
        return ACCOUNT_INLINES
