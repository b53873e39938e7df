"""/agencies/autocomplete/: agency suggestions for the edit forms, by name, alias or pinyin initials."""

import pytest
from django.test import Client

from agencies.models import Agency
from tests.factories import seed_plan

pytestmark = pytest.mark.django_db

URL = "/agencies/autocomplete/"
# session, user, his permissions (two), the right to edit a plan, the agencies, their aliases
QUERIES = 7
QUERIES_FOR_A_PLAN = 10  # and the plan with its region, the region's parent and grandparent


@pytest.fixture
def editor(cast):
    client = Client()
    client.force_login(cast.coordinator)
    return client


def results(client, **params) -> list[dict]:
    response = client.get(URL, params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_suggestions_by_name_alias_and_pinyin_initials(editor):
    plan = seed_plan("000").pk
    by_name = results(editor, q="发展和改革局", plan=plan)
    assert by_name[0]["full_name"] == "株洲市石峰区发展和改革局"
    assert set(by_name[0]) == {"id", "name", "full_name", "region", "aliases"}
    assert "区发改局" in by_name[0]["aliases"]
    assert results(editor, q="区发改局", plan=plan)[0]["name"] == "区发展和改革局"
    initials = [r["full_name"] for r in results(editor, q="fgj", plan=plan)]
    assert "株洲市石峰区发展和改革局" in initials


def test_the_exact_name_comes_first(editor):
    found = results(editor, q="区财政局")
    assert {r["full_name"] for r in found[:2]} == {"株洲市石峰区财政局", "怀化市鹤城区财政局"}


def test_a_plan_keeps_to_the_agencies_its_units_may_be(editor):
    found = [r["full_name"] for r in results(editor, q="区财政局", plan=seed_plan("000").pk)]
    assert "株洲市石峰区财政局" in found and "怀化市鹤城区财政局" not in found


def test_at_most_twenty_and_nothing_for_an_empty_query(editor):
    assert len(results(editor, q="局")) == 20
    assert results(editor, q="") == [] and results(editor, q="  ") == []


def test_names_come_back_as_data_not_markup(cast, editor):
    Agency.objects.create(region=cast.plan.region, name="<script>alert(1)</script>")
    assert results(editor, q="script")[0]["name"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("administrator", 200),
        ("coordinator", 200),
        ("other_coordinator", 200),
        ("lead_staff", 403),
        ("cooperating_staff", 403),
        ("outsider", 403),
        ("anonymous", 403),
    ],
)
def test_for_users_who_may_edit_a_plan(cast, who, status):
    client = Client()
    if getattr(cast, who):
        client.force_login(getattr(cast, who))
    assert client.get(URL, {"q": "区财政局"}).status_code == status


def test_an_unknown_plan_is_a_404(editor):
    assert editor.get(URL, {"q": "局", "plan": "999999"}).status_code == 404
    assert editor.get(URL, {"q": "局", "plan": "abc"}).status_code == 404


def test_writing_is_not_allowed(editor):
    assert editor.post(URL, {"q": "局"}).status_code == 405


def test_a_fixed_number_of_queries(editor, django_assert_num_queries):
    for query in ("局", "fgj", "区发改局"):
        with django_assert_num_queries(QUERIES):
            editor.get(URL, {"q": query})
    plan = seed_plan("000").pk
    with django_assert_num_queries(QUERIES_FOR_A_PLAN):
        editor.get(URL, {"q": "局", "plan": plan})


def test_the_plans_own_region_comes_first_and_an_unrelated_region_never(editor):
    plan = seed_plan("000")  # 株洲市石峰区
    found = results(editor, q="czj", plan=plan.pk)
    assert found[0]["full_name"] == "株洲市石峰区财政局" and found[0]["region"] == "株洲市石峰区"
    regions = [r["region"] for r in found]
    assert "株洲市" in regions and regions.index("株洲市") > regions.index("株洲市石峰区")
    assert not [r for r in regions if r.startswith("湘潭")]  # another city, however well its name matches
