"""Likely duplicate agencies within a region, as the suggestions and the page show them."""

import pytest
from django.test import Client

from agencies import merging
from agencies.duplicates import ABBREVIATES, NAME_IS_ALIAS, SAME_WORDS, likely_duplicates, likely_same, with_usage
from agencies.models import Agency
from tests.factories import region
from tests.pages import get_page, texts

pytestmark = pytest.mark.django_db

SHIFENG = "株洲市石峰区"
TIANXIN = "长沙市天心区"

# session, user, agencies, their aliases, and one count per dependant app (plans: duties)
DUPLICATES_PAGE_QUERIES = 5


def all_agencies():
    return with_usage(Agency.objects.select_related("region").prefetch_related("aliases"))


def pairs() -> set[tuple[str, str, str, str]]:
    return {(s.keep.region.full_name, s.keep.name, s.other.name, s.why) for s in likely_duplicates(all_agencies())}


def add(region_name: str, *names: str) -> list[Agency]:
    return [Agency.objects.create(region=region(region_name), name=name) for name in names]


def test_the_seeds_as_ingested_hold_no_likely_duplicates():
    assert pairs() == set()


def test_the_split_off_short_form_is_suggested_for_merging_back_into_the_full_name(administrator):
    bureau = Agency.objects.get(region=region(SHIFENG), name="区发展和改革局")
    merging.split_alias(bureau.aliases.get(name="区发改局"), user=administrator)
    assert pairs() == {(SHIFENG, "区发展和改革局", "区发改局", ABBREVIATES)}


def test_names_equal_without_connectives_and_filler_are_suggested():
    add(TIANXIN, "区人民政府", "区政府", "中共区委组织部", "区委组织部")
    add(TIANXIN, "区碳达峰碳中和工作领导小组办公室", "区碳达峰碳中和领导小组办公室")
    assert pairs() == {
        (TIANXIN, "区人民政府", "区政府", SAME_WORDS),
        (TIANXIN, "中共区委组织部", "区委组织部", SAME_WORDS),
        # One keeps the other's characters in order, which reads as an abbreviation first.
        (TIANXIN, "区碳达峰碳中和工作领导小组办公室", "区碳达峰碳中和领导小组办公室", ABBREVIATES),
    }


def test_short_forms_are_suggested_with_the_longer_name_kept_when_neither_has_duties():
    add(TIANXIN, "区市场监督管理局", "区市场监管局", "区发展和改革委员会", "区发改委")
    found = {(s.keep.name, s.other.name, s.why) for s in likely_duplicates(all_agencies())}
    assert found == {
        ("区市场监督管理局", "区市场监管局", ABBREVIATES),
        ("区发展和改革委员会", "区发改委", ABBREVIATES),
    }


def test_an_agency_named_as_another_agencys_alias_is_suggested():
    # The edit services refuse this; the admin or old data may not have.
    add(SHIFENG, "区人社局")
    assert pairs() == {(SHIFENG, "区人力资源社会保障局", "区人社局", NAME_IS_ALIAS)}


def test_different_bodies_and_other_regions_are_not_suggested():
    add(TIANXIN, "区发改局", "区科技局", "区科技和工业信息化局", "各园区管委会", "各重点园区管委会")
    add(TIANXIN, "区生态环境局", "区生态环境局天心分局")
    assert pairs() == set()  # 区发改局 of 天心区 is not 石峰区's 区发展和改革局


def test_suggesting_runs_no_query_of_its_own(django_assert_num_queries):
    agencies = list(all_agencies())
    with django_assert_num_queries(0):
        likely_duplicates(agencies)


# --- The page -------------------------------------------------------------------------------------------------------


def test_the_page_links_each_pair_to_the_merge_page_preset(administrator_client):
    short, full = add(TIANXIN, "区市场监管局", "区市场监督管理局")
    soup = get_page(administrator_client, "/agencies/duplicates/")
    row = soup.select_one("tr.duplicate-pair")
    assert texts(soup, "h2.region-name") == [TIANXIN]
    assert row.select_one("a.merge-link")["href"] == f"/agencies/{short.pk}/merge/?into={full.pk}"
    assert row.select_one("a.merge-reverse")["href"] == f"/agencies/{full.pk}/merge/?into={short.pk}"


def test_the_page_says_so_when_there_is_nothing_to_merge(administrator_client):
    soup = get_page(administrator_client, "/agencies/duplicates/")
    assert soup.select_one("#no-duplicates") is not None


def test_the_page_escapes_names(administrator_client):
    add(TIANXIN, "区<script>alert(1)</script>局", "区<script>alert(1)</script>和局")
    response = administrator_client.get("/agencies/duplicates/")
    assert b"<script>alert" not in response.content
    assert "区&lt;script&gt;alert(1)&lt;/script&gt;局" in response.content.decode()


def test_the_page_is_for_administrators_only(outsider_client):
    assert outsider_client.get("/agencies/duplicates/").status_code == 403
    assert Client().get("/agencies/duplicates/").status_code == 403


def test_the_page_runs_a_fixed_number_of_queries(administrator_client, django_assert_num_queries):
    with django_assert_num_queries(DUPLICATES_PAGE_QUERIES):
        administrator_client.get("/agencies/duplicates/")
    add(TIANXIN, "区市场监督管理局", "区市场监管局", "区人民政府", "区政府", "区发展和改革委员会", "区发改委")
    with django_assert_num_queries(DUPLICATES_PAGE_QUERIES):
        response = administrator_client.get("/agencies/duplicates/")
    assert response.content.decode().count('class="duplicate-pair"') == 3


# --- What a new name may mean (the upload preview's suggestions) -------------------------------------------------


def test_the_agencies_a_new_name_may_mean_are_ranked_abbreviations_first_then_names_holding_it_then_shared_characters():
    agencies = add(TIANXIN, "区发展和改革局", "区委组织部", "区发展研究中心", "区财政局", "区教育局")
    ranked = likely_same("区发改局", Agency.objects.filter(pk__in=[a.pk for a in agencies]).prefetch_related("aliases"))
    assert [a.name for a in ranked] == ["区发展和改革局"]
    ranked = likely_same("区委组织部〈人才办〉", agencies)
    assert [a.name for a in ranked][:1] == ["区委组织部"]
    assert "区财政局" not in [a.name for a in likely_same("区发展研究室", agencies)]


def test_an_alias_counts_as_a_name_of_the_agency_it_belongs_to(administrator):
    (bureau,) = add(TIANXIN, "区住房保障服务中心")
    merging.add_alias(bureau, "区住房和城乡建设局", user=administrator)
    assert likely_same("区住建局", Agency.objects.filter(pk=bureau.pk).prefetch_related("aliases")) == [bureau]
