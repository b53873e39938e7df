"""Load an agency for the user who asked, or refuse: 404 for what does not exist, 403 for what he may not change.

Views call these first and never test roles or querysets themselves; the rules are the
querysets' (Agency.objects.editable_by, annotatable_by), which the model methods ask.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Agency, AgencyAlias


def get_agency_for_editor(request, agency_id: int) -> Agency:
    """An agency the user may rename, merge, split and give aliases (administrators)."""
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    if not agency.is_editable_by(request.user):
        raise PermissionDenied("只有系统管理员可以修改责任单位。")
    return agency


def get_alias_for_editor(request, agency_id: int, alias_id: int) -> tuple[Agency, AgencyAlias]:
    """An alias of the agency, for a user who may edit the agency; another agency's alias is 404."""
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    alias = get_object_or_404(AgencyAlias, pk=alias_id, agency=agency)
    if not agency.is_editable_by(request.user):
        raise PermissionDenied("只有系统管理员可以修改责任单位。")
    return agency, alias


def get_agency_for_staff(request, agency_id: int, what: str) -> Agency:
    """An agency whose own records (contact person, notes) the user keeps: its staff, or an administrator."""
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    if not agency.is_annotatable_by(request.user):
        raise PermissionDenied(f"只有本单位的用户和系统管理员可以{what}。")
    return agency
