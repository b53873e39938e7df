"""Accounts in the admin: each user's page also says which agencies he works for and which plans he coordinates."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from agencies.models import Agency
from plans.models import Plan


class AgencyMembershipInline(admin.TabularInline):
    model = Agency.members.through
    extra = 0
    autocomplete_fields = ["agency"]
    verbose_name = "所属单位（单位用户）"
    verbose_name_plural = "所属单位（单位用户）"


class CoordinatedPlanInline(admin.TabularInline):
    model = Plan.coordinators.through
    extra = 0
    verbose_name = "负责的方案（方案管理员）"
    verbose_name_plural = "负责的方案（方案管理员）"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    inlines = [AgencyMembershipInline, CoordinatedPlanInline]
