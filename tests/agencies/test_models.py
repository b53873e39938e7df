"""Region, Agency and AgencyAlias: uniqueness per region, full names, and lookups by written name."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.models import Agency, AgencyAlias, Region
from tests.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture
def shifeng():
    return region("株洲市石峰区")


@pytest.fixture
def hetang():
    return region("株洲市荷塘区")


@pytest.fixture
def bureau(shifeng):
    return Agency.objects.get(region=shifeng, name="区发展和改革局")


# --- Regions ------------------------------------------------------------------------------------------------------


def test_regions_are_loaded_from_the_package_with_their_parents():
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() >= 31
    shifeng = Region.objects.get(code="430204")
    assert (shifeng.name, shifeng.full_name, shifeng.level) == ("石峰区", "株洲市石峰区", Region.Level.COUNTY)
    assert [r.code for r in shifeng.lineage()] == ["430204", "430200", "430000"]


def test_a_region_reads_as_its_full_name(shifeng):
    assert str(shifeng) == "株洲市石峰区"


@pytest.mark.parametrize(
    ("full_name", "short"),
    [("株洲市石峰区", "石峰"), ("株洲市", "株洲"), ("湘潭市韶山市", "韶山"), ("湖南省", "湖南省")],
)
def test_a_regions_short_name_drops_its_suffix(full_name, short):
    assert region(full_name).short_name == short


def test_a_region_is_found_by_its_natural_key():
    assert Region.objects.get_by_natural_key("430204").full_name == "株洲市石峰区"


def test_a_second_region_with_the_same_code_is_refused(shifeng):
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code=shifeng.code, name="重复", full_name="重复", level=3)


# --- Agencies -----------------------------------------------------------------------------------------------------


def test_an_agencys_full_name_spells_out_its_region(bureau):
    assert bureau.full_name == "株洲市石峰区发展和改革局"
    assert str(bureau) == "株洲市石峰区发展和改革局"


def test_a_city_agencys_full_name_spells_out_its_city():
    assert Agency.objects.get(region__full_name="株洲市", name="市发展改革委").full_name == "株洲市发展改革委"


def test_an_agency_that_names_its_own_place_keeps_its_name_as_full_name():
    company = Agency.objects.get(name="国网株洲供电公司")
    assert company.full_name == "国网株洲供电公司"


def test_two_agencies_with_the_same_name_in_one_region_are_refused(shifeng, bureau):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(region=shifeng, name=bureau.name)


def test_the_same_agency_name_in_another_region_is_another_agency(hetang, bureau):
    other = Agency.objects.create(region=hetang, name=bureau.name)
    assert other.pk != bureau.pk
    assert other.full_name == "株洲市荷塘区发展和改革局"


def test_an_agency_of_an_unknown_kind_is_refused(hetang):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(region=hetang, name="区某某局", kind="alien")


def test_an_agency_is_found_by_its_natural_key(bureau):
    assert Agency.objects.get_by_natural_key("430204", "区发展和改革局") == bureau
    assert bureau.natural_key() == ("430204", "区发展和改革局")


def test_named_finds_an_agency_by_its_name_or_any_alias(shifeng, bureau):
    assert list(Agency.objects.in_region(shifeng).named("区发展和改革局")) == [bureau]
    assert list(Agency.objects.in_region(shifeng).named("区发改局")) == [bureau]
    assert list(Agency.objects.in_region(shifeng).named(" 区发改局 ")) == [bureau]


def test_named_without_a_region_finds_every_regions_agency_of_that_name():
    bureaus = Agency.objects.named("区发展和改革局")
    assert {a.region.full_name for a in bureaus} == {"株洲市石峰区", "长沙市开福区", "怀化市鹤城区"}


def test_a_region_with_agencies_cannot_be_deleted(shifeng):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        shifeng.delete()


# --- Aliases ------------------------------------------------------------------------------------------------------


def test_an_alias_takes_the_region_of_its_agency(hetang):
    agency = Agency.objects.create(region=hetang, name="区发展和改革局")
    alias = AgencyAlias.objects.create(agency=agency, name="区发改局")
    assert alias.region == hetang
    assert str(alias) == "区发改局"


def test_a_second_alias_with_the_same_name_in_one_region_is_refused(shifeng):
    other = Agency.objects.get(region=shifeng, name="区财政局")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyAlias.objects.create(agency=other, name="区发改局")


def test_the_same_alias_in_another_region_is_fine(hetang, bureau):
    agency = Agency.objects.create(region=hetang, name="区发展和改革局")
    alias = AgencyAlias.objects.create(agency=agency, name="区发改局")
    assert AgencyAlias.objects.filter(name="区发改局").count() == 2
    assert alias.agency != bureau


def test_an_alias_that_is_another_agencys_official_name_in_the_region_fails_validation(shifeng, bureau):
    alias = AgencyAlias(agency=bureau, name="区财政局")
    with pytest.raises(ValidationError) as error:
        alias.full_clean()
    assert "name" in error.value.message_dict


def test_deleting_an_agency_without_duties_deletes_its_aliases(hetang):
    agency = Agency.objects.create(region=hetang, name="区发展和改革局")
    AgencyAlias.objects.create(agency=agency, name="区发改局")
    agency.delete()
    assert not AgencyAlias.objects.filter(region=hetang).exists()
