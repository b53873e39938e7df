"""Accounts in the admin: each user's page also says which agencies he works for and which plans he coordinates.

Those memberships are rows of the apps that keep them (agencies' members, plans' coordinators): each app adds its
own inline to ACCOUNT_INLINES in its admin module, so `accounts`, which every app uses for roles, imports none.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

# The inlines other apps add to a user's page, in the order their admin modules load.
ACCOUNT_INLINES: list[type[admin.options.InlineModelAdmin]] = []

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    def get_inlines(self, request, obj):
        return ACCOUNT_INLINES
