"""Admin pieces every app's admin uses."""

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """Rows written only by the app's own pages (with their rules and history): listed and read here, not edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
