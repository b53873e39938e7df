"""Finding agencies by name, full name, alias or pinyin initials, and listing them in display order."""

import pytest

from agencies.models import Agency, AgencyAlias
from plans.models import with_duty_counts
from tests.factories import region

pytestmark = pytest.mark.django_db


def found(query: str) -> list[tuple[int, str]]:
    return [
        (a.match_rank, a.full_name)
        for a in Agency.objects.search(query).order_by("match_rank", "region__code", "sort_key")
    ]


def test_initials_find_the_short_form_and_the_long_form_of_a_name():
    names = {name for _, name in found("fgj")}
    assert {
        "株洲市石峰区发展和改革局",  # through its alias 区发改局
        "长沙市开福区发展和改革局",
        "怀化市鹤城区发展和改革局",
    } <= names


def test_initials_in_a_row_rank_before_initials_spread_through_a_name():
    ranks = dict((name, rank) for rank, name in found("fgj"))
    assert ranks["株洲市石峰区发展和改革局"] == 2  # qfgj, the alias, holds fgj in a row
    assert ranks["长沙市开福区发展和改革局"] == 3  # qfzhggj holds f…g…j


def test_initials_are_case_blind():
    assert found("FGJ") == found("fgj")


def test_a_written_short_form_finds_its_agency_through_the_alias():
    assert (1, "株洲市石峰区发展和改革局") in found("发改局")


def test_the_full_name_finds_exactly_one_agency_first():
    assert found("株洲市石峰区发展和改革局")[0] == (0, "株洲市石峰区发展和改革局")


def test_part_of_a_name_finds_every_agency_containing_it():
    names = [name for _, name in found("住房和城乡建设局")]
    assert "株洲市石峰区住房和城乡建设局" in names
    assert all("住房和城乡建设局" in name for name in names)


def test_an_empty_query_finds_nothing():
    assert found("  ") == []


def test_a_new_alias_is_searchable_by_its_initials():
    agency = Agency.objects.get(region=region("株洲市石峰区"), name="区住房和城乡建设局")
    AgencyAlias.objects.create(agency=agency, name="区住建局")
    assert (2, "株洲市石峰区住房和城乡建设局") in found("zjj")


def test_renaming_an_agency_updates_its_search_keys():
    agency = Agency.objects.get(region=region("株洲市石峰区"), name="区住房和城乡建设局")
    agency.name = "区住房保障局"
    agency.save(update_fields=["name"])
    agency.refresh_from_db()
    assert (agency.full_name, agency.initials) == ("株洲市石峰区住房保障局", "qzfbzj")
    assert agency.sort_key.startswith("zhu4 fang2 bao3")


def test_display_order_groups_by_region_then_kind_then_pinyin():
    agencies = list(Agency.objects.in_region(region("株洲市石峰区")).in_display_order())
    kinds = [a.kind_rank for a in agencies]
    assert kinds == sorted(kinds)
    departments = [a for a in agencies if a.kind == Agency.Kind.DEPARTMENT]
    assert [a.sort_key for a in departments] == sorted(a.sort_key for a in departments)
    assert departments[0].name == "区财政局"


def test_duty_counts_add_up_per_role():
    agency = with_duty_counts(Agency.objects).get(region=region("株洲市石峰区"), name="区发展和改革局")
    assert agency.duty_count == 32
    assert agency.lead_count + agency.cooperating_count + agency.joint_count == 32
    assert agency.lead_count == agency.duties.filter(role="lead").count()


def test_renaming_an_alias_updates_its_initials():
    agency = Agency.objects.get(region=region("株洲市石峰区"), name="区发展和改革局")
    alias = agency.aliases.get(name="区发改局")
    alias.name = "区发展改革局"
    alias.save(update_fields=["name"])
    alias.refresh_from_db()
    assert alias.initials == "qfzggj"
