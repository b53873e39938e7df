"""The region of an uploaded plan: shown with the clue it came from, chosen by the administrator when the text
does not settle it (candidates first, any region by name or code), and kept on the upload until it is confirmed."""

import pytest
from bs4 import BeautifulSoup

from agencies.models import Region
from plans.models import Plan, PlanUpload
from tests.factories import TIANXIN_PLAN
from tests.pages import get_page, text, texts
from tests.plans.test_upload import confirm, snapshot, upload

pytestmark = pytest.mark.django_db

MARS_PLAN = "火星市碳达峰实施方案\n\n一、重点任务\n1.发展新能源。建设光伏。（区发展和改革局按职责分工负责）\n"
# 鼓楼区 is a district of four cities; the body speaks as a district (我区) and names none of them.
GULOU_PLAN = MARS_PLAN.replace("火星市", "鼓楼区").replace("建设光伏。", "我区建设光伏，全区推广。")


def region_url(record: PlanUpload) -> str:
    return f"{record.get_absolute_url()}region/"


def test_the_preview_shows_the_region_found_and_the_clue_it_came_from(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-region") == "长沙市天心区 （依据：标题中的地名“长沙市天心区”（第1行））"
    assert page.select_one("#region-change #region-form") is not None  # a found region can still be corrected


def test_a_plan_whose_text_names_no_region_is_kept_and_the_preview_asks_for_one(administrator_client):
    before = snapshot()
    record = upload(administrator_client, MARS_PLAN, "mars.txt")
    page = get_page(administrator_client, record.get_absolute_url())
    assert "找不到方案所属行政区的线索" in text(page, "#region-question")
    assert page.select_one("#confirm-upload") is None  # nothing to confirm until a region is chosen
    assert page.select_one("#region-form input[name=search]") is not None
    assert page.select(".region-candidates input") == []
    assert snapshot()["plans"] == before["plans"]


def test_namesakes_are_offered_as_candidates_with_their_codes(administrator_client):
    record = upload(administrator_client, GULOU_PLAN, "gulou.txt")
    page = get_page(administrator_client, record.get_absolute_url())
    offered = texts(page, ".region-candidates label")
    assert len(offered) == 4
    assert "南京市鼓楼区（320106）" in offered
    assert "福州市鼓楼区（350102）" in offered


def test_choosing_a_candidate_keeps_it_on_the_upload_and_the_preview_shows_the_plan_under_it(administrator_client):
    record = upload(administrator_client, GULOU_PLAN, "gulou.txt")
    response = administrator_client.post(region_url(record), {"region": "320106"})
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    record.refresh_from_db()
    assert record.region.full_name == "南京市鼓楼区"
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-region") == "南京市鼓楼区 （依据：上传人选定）"
    assert "将新建方案《鼓楼区碳达峰实施方案》（南京市鼓楼区）" in text(page, "#upload-target")
    assert not Plan.objects.filter(title="鼓楼区碳达峰实施方案").exists()


def test_confirming_stores_the_plan_under_the_chosen_region_with_how_it_was_found(administrator_client):
    record = upload(administrator_client, GULOU_PLAN, "gulou.txt")
    administrator_client.post(region_url(record), {"region": "350102"})
    confirm(administrator_client, record)
    plan = Plan.objects.get(title="鼓楼区碳达峰实施方案")
    assert (plan.region.full_name, plan.region_clue) == ("福州市鼓楼区", "上传人选定")


@pytest.mark.parametrize("typed", ["长沙市天心区", "天心区", "430103"], ids=["full-name", "name", "code"])
def test_any_region_can_be_typed_by_name_or_code(typed, administrator_client):
    record = upload(administrator_client, MARS_PLAN, "mars.txt")
    response = administrator_client.post(region_url(record), {"search": typed})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.region == Region.objects.get(code="430103")


def test_a_typed_name_that_fits_several_regions_offers_them_as_candidates(administrator_client):
    record = upload(administrator_client, MARS_PLAN, "mars.txt")
    response = administrator_client.post(region_url(record), {"search": "鼓楼区"})
    assert response.status_code == 400
    page = get_page_from(response)
    assert "有多个行政区符合“鼓楼区”，请从候选中选择。" in text(page, "#region-errors")
    assert "南京市鼓楼区（320106）" in texts(page, ".region-candidates label")
    record.refresh_from_db()
    assert record.region is None


def test_a_typed_name_that_fits_no_region_is_refused_and_nothing_changes(administrator_client):
    record = upload(administrator_client, MARS_PLAN, "mars.txt")
    response = administrator_client.post(region_url(record), {"search": "火星市"})
    assert response.status_code == 400
    assert "找不到行政区“火星市”" in text(get_page_from(response), "#region-errors")
    record.refresh_from_db()
    assert record.region is None


def test_a_chosen_region_overrides_the_region_the_text_implies(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    administrator_client.post(region_url(record), {"search": "株洲市荷塘区"})
    confirm(administrator_client, record)
    assert Plan.objects.get(title="长沙市天心区碳达峰实施方案").region.full_name == "株洲市荷塘区"


def test_the_region_of_an_applied_upload_cannot_be_changed(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    confirm(administrator_client, record)
    response = administrator_client.post(region_url(record), {"search": "株洲市荷塘区"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.region is None


def get_page_from(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")
