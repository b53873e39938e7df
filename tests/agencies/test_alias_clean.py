"""An alias typed in the admin is checked against the region's names and aliases before it reaches the database."""

import pytest
from django.core.exceptions import ValidationError

from agencies.models import Agency, AgencyAlias

pytestmark = pytest.mark.django_db


def test_an_alias_already_used_in_the_region_is_refused_by_clean():
    existing = AgencyAlias.objects.get(name="区发改局", region__full_name="株洲市石峰区")
    other = Agency.objects.filter(region=existing.region).exclude(pk=existing.agency_id).first()
    with pytest.raises(ValidationError, match="别名"):
        AgencyAlias(agency=other, name="区发改局").full_clean()
    with pytest.raises(ValidationError, match="正式名称"):
        AgencyAlias(agency=other, name=existing.agency.name).full_clean()
    existing.full_clean()  # its own row is no clash
