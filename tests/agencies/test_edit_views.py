"""The agency edit, merge and history pages: who may use them, what each POST changes, and what the pages show."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from agencies.models import Agency, AgencyAlias
from plans.models import Duty
from tests.factories import TIANXIN_PLAN, region, seed_plan
from tests.pages import get_page, get_page_from, text, texts

pytestmark = pytest.mark.django_db

SHIFENG = "株洲市石峰区"
BUREAU = "区发展和改革局"
SHORT = "区发改局"
XSS = "<script>alert(1)</script>"

# Measured, then pinned; none grows with the number of aliases, duties or history rows.
# session, user, agency, the right to edit, its aliases, its duties' written names
EDIT_PAGE_QUERIES = 6
# session, user, agency, the right to edit, the region's agencies
MERGE_PAGE_QUERIES = 5
# ... and the chosen agency, then the merge plan: both agencies' duties (2), appendix units (2),
# projects, notes (2), removed duties (2), members, aliases; progress: reports, contributions, 催办 records
MERGE_PREVIEW_QUERIES = 20
# session, user, agency, its own history, its aliases' history, its duties' history, progress: its reports' and
# contributions' history
HISTORY_PAGE_QUERIES = 8
# ... and the agencies they name, and the last names of those merged away
HISTORY_PAGE_QUERIES_AFTER_ROUND_TRIP = 10


def agency(name: str, region_name: str = SHIFENG) -> Agency:
    return Agency.objects.get(region=region(region_name), name=name)


def short_alias() -> AgencyAlias:
    return AgencyAlias.objects.get(name=SHORT, region=region(SHIFENG))


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def cast(administrator, outsider, django_user_model):
    """Everyone but the administrator, each with a client: none of them may edit agencies."""
    coordinator = django_user_model.objects.create_user("coordinator")
    seed_plan("000").coordinators.add(coordinator)
    lead_staff = django_user_model.objects.create_user("lead-staff")
    agency(BUREAU).members.add(lead_staff)  # leads most of 000's tasks
    cooperating_staff = django_user_model.objects.create_user("cooperating-staff")
    agency("区财政局").members.add(cooperating_staff)
    return {
        "plan coordinator": client_for(coordinator),
        "staff of a lead agency": client_for(lead_staff),
        "staff of a cooperating agency": client_for(cooperating_staff),
        "outsider": client_for(outsider),
        "anonymous": client_for(),
    }


def write_requests(bureau: Agency, alias: AgencyAlias, into: Agency) -> list[tuple[str, str, dict]]:
    return [
        ("get", f"/agencies/{bureau.pk}/edit/", {}),
        ("post", f"/agencies/{bureau.pk}/edit/", {"agency-name": "区发展改革和数据局", "agency-kind": "department"}),
        ("post", f"/agencies/{bureau.pk}/aliases/add/", {"alias-name": "区发展改革局"}),
        ("post", f"/agencies/{bureau.pk}/aliases/{alias.pk}/remove/", {}),
        ("post", f"/agencies/{bureau.pk}/aliases/{alias.pk}/split/", {}),
        ("get", f"/agencies/{bureau.pk}/merge/", {}),
        ("get", f"/agencies/{bureau.pk}/merge/?into={into.pk}", {}),
        ("post", f"/agencies/{bureau.pk}/merge/", {"into": into.pk}),
        ("get", "/agencies/duplicates/", {}),
    ]


# --- Who may ---------------------------------------------------------------------------------------------------------


def test_no_one_but_an_administrator_may_use_any_edit_page(cast, settings):
    settings.ANONYMOUS_READ = True
    bureau, alias, into = (
        agency(BUREAU),
        AgencyAlias.objects.get(name=SHORT, region=region(SHIFENG)),
        agency("区财政局"),
    )
    names_before = list(Agency.objects.order_by("pk").values_list("name", flat=True))
    for who, c in cast.items():
        for method, url, data in write_requests(bureau, alias, into):
            status = getattr(c, method)(url, data).status_code
            assert status == 403, f"{who} {method} {url}: {status}"
    assert list(Agency.objects.order_by("pk").values_list("name", flat=True)) == names_before
    assert AgencyAlias.objects.filter(pk=alias.pk).exists()


def test_with_anonymous_reading_off_a_visitor_is_sent_to_sign_in(settings):
    settings.ANONYMOUS_READ = False
    bureau = agency(BUREAU)
    for url in (f"/agencies/{bureau.pk}/edit/", f"/agencies/{bureau.pk}/history/", "/agencies/duplicates/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_an_administrator_may_use_every_edit_page(administrator_client):
    bureau, alias, into = agency(BUREAU), short_alias(), agency("区财政局")
    # Remove, split and merge are each tried on their own below; done here they would undo each other.
    undoing = ("/remove/", "/split/")
    for method, url, data in write_requests(bureau, alias, into):
        if url.endswith(undoing) or (method == "post" and url.endswith("/merge/")):
            continue
        status = getattr(administrator_client, method)(url, data).status_code
        assert status in (200, 302), f"{method} {url}: {status}"


def test_unknown_agencies_and_aliases_of_other_agencies_are_404_for_everyone(administrator_client, cast):
    bureau = agency(BUREAU)
    others_alias = AgencyAlias.objects.get(name="区人社局", region=region(SHIFENG))
    urls = [
        ("get", "/agencies/999999/edit/"),
        ("get", "/agencies/999999/merge/"),
        ("get", "/agencies/999999/history/"),
        ("post", "/agencies/999999/aliases/add/"),
        ("post", f"/agencies/{bureau.pk}/aliases/{others_alias.pk}/remove/"),
        ("post", f"/agencies/{bureau.pk}/aliases/{others_alias.pk}/split/"),
        ("post", f"/agencies/{bureau.pk}/aliases/999999/split/"),
    ]
    for c in [administrator_client, cast["outsider"], cast["anonymous"]]:
        for method, url in urls:
            if c is cast["anonymous"] and url.endswith("/history/"):
                continue  # the history asks visitors to sign in first (below)
            assert getattr(c, method)(url).status_code == 404, url
    assert cast["anonymous"].get("/agencies/999999/history/").status_code == 302
    assert AgencyAlias.objects.filter(pk=others_alias.pk).exists()


def test_post_only_endpoints_refuse_a_get(administrator_client):
    bureau = agency(BUREAU)
    alias = bureau.aliases.get()
    for url in (
        f"/agencies/{bureau.pk}/aliases/add/",
        f"/agencies/{bureau.pk}/aliases/{alias.pk}/remove/",
        f"/agencies/{bureau.pk}/aliases/{alias.pk}/split/",
    ):
        assert administrator_client.get(url).status_code == 405


def test_the_history_page_is_for_every_signed_in_user(cast, settings):
    settings.ANONYMOUS_READ = True
    bureau = agency(BUREAU)
    url = f"/agencies/{bureau.pk}/history/"
    for who, c in cast.items():
        if who == "anonymous":
            # It names the people who made each change, so visitors are asked to sign in.
            assert c.get(url)["Location"] == f"/accounts/login/?next={url}"
        else:
            assert c.get(url).status_code == 200, who


def test_only_administrators_see_the_edit_links_on_the_agency_page(administrator_client, cast, settings):
    settings.ANONYMOUS_READ = True
    bureau = agency(BUREAU)
    soup = get_page(administrator_client, f"/agencies/{bureau.pk}/")
    assert [a["href"] for a in soup.select("#agency-edit-links a")] == [
        f"/agencies/{bureau.pk}/edit/",
        f"/agencies/{bureau.pk}/merge/",
        f"/agencies/{bureau.pk}/history/",
    ]
    assert texts(soup, "#agency-edit-links a") == ["编辑单位", "合并到…", "变更记录"]
    for who, c in cast.items():
        assert get_page(c, f"/agencies/{bureau.pk}/").select_one("#agency-edit-links") is None, who


# --- Name and kind ---------------------------------------------------------------------------------------------------


def test_the_edit_page_shows_the_forms_and_each_alias_with_its_buttons(administrator_client):
    bureau = agency(BUREAU)
    alias = bureau.aliases.get()
    soup = get_page(administrator_client, f"/agencies/{bureau.pk}/edit/")
    assert soup.select_one("#id_agency-name")["value"] == BUREAU
    assert soup.select_one("#id_agency-kind option[selected]")["value"] == "department"
    row = soup.select_one(f"#alias-{alias.pk}")
    assert text(row, ".alias-name") == SHORT
    assert text(row, ".alias-written") == "1 项"
    assert row.select_one("form")["action"] == f"/agencies/{bureau.pk}/aliases/{alias.pk}/remove/"
    assert row.select_one("button.alias-split")["formaction"] == f"/agencies/{bureau.pk}/aliases/{alias.pk}/split/"
    assert soup.select_one("#alias-add")["action"] == f"/agencies/{bureau.pk}/aliases/add/"
    assert soup.select_one("#merge-link")["href"] == f"/agencies/{bureau.pk}/merge/"
    assert all(form.select_one("input[name=csrfmiddlewaretoken]") for form in soup.select("form[method=post]"))


def test_renaming_redirects_with_a_message_and_keeps_the_old_name_as_alias(administrator_client, administrator):
    bureau = agency(BUREAU)
    response = administrator_client.post(
        f"/agencies/{bureau.pk}/edit/",
        {"agency-name": "区发展改革和数据局", "agency-kind": "department", "agency-reason": "机构改革"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/agencies/{bureau.pk}/edit/", 302)]
    soup = get_page(administrator_client, f"/agencies/{bureau.pk}/edit/")
    bureau.refresh_from_db()
    assert bureau.name == "区发展改革和数据局"
    assert sorted(texts(soup, ".alias-name")) == [BUREAU, SHORT]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["已改名为“区发展改革和数据局”，原名称“区发展和改革局”保留为别名。"]
    row = bureau.history.latest()
    assert (row.history_user, row.history_change_reason) == (
        administrator,
        "单位改名：区发展和改革局 → 区发展改革和数据局（机构改革）",
    )


def test_changing_the_kind_says_so(administrator_client):
    bureau = agency(BUREAU)
    response = administrator_client.post(
        f"/agencies/{bureau.pk}/edit/", {"agency-name": BUREAU, "agency-kind": "other"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["单位类型已改为“其他”。"]
    assert Agency.objects.get(pk=bureau.pk).kind == "other"
    response = administrator_client.post(
        f"/agencies/{bureau.pk}/edit/", {"agency-name": BUREAU, "agency-kind": "other"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["未作修改。"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"agency-name": "区财政局", "agency-kind": "department"}, "本地区已有单位“区财政局”"),
        ({"agency-name": "区人社局", "agency-kind": "department"}, "已是本地区“区人力资源社会保障局”的别名"),
        ({"agency-name": "", "agency-kind": "department"}, "这个字段是必填项"),
        ({"agency-name": BUREAU, "agency-kind": "nonsense"}, "nonsense"),
    ],
)
def test_an_invalid_name_or_kind_re_renders_the_page_with_status_400(administrator_client, data, message):
    bureau = agency(BUREAU)
    response = administrator_client.post(f"/agencies/{bureau.pk}/edit/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    bureau.refresh_from_db()
    assert (bureau.name, bureau.kind) == (BUREAU, "department")


def test_a_name_with_markup_is_shown_as_text_everywhere(administrator_client):
    bureau = agency(BUREAU)
    administrator_client.post(f"/agencies/{bureau.pk}/edit/", {"agency-name": XSS, "agency-kind": "department"})
    bureau.refresh_from_db()
    assert bureau.name == "<script>alert（1）</script>"  # stored normalised, brackets full-width
    for url in (
        f"/agencies/{bureau.pk}/edit/",
        f"/agencies/{bureau.pk}/history/",
        f"/agencies/{bureau.pk}/merge/?into={agency('区财政局').pk}",
        f"/agencies/{bureau.pk}/",
    ):
        response = administrator_client.get(url)
        assert response.status_code == 200, url
        assert b"<script>alert" not in response.content, url
        assert "&lt;script&gt;alert（1）&lt;/script&gt;" in response.content.decode(), url
    soup = get_page(administrator_client, f"/agencies/{bureau.pk}/history/")
    assert "改名 区发展和改革局→<script>alert（1）</script>" in texts(soup, "td.what")


# --- Aliases ---------------------------------------------------------------------------------------------------------


def test_adding_an_alias_redirects_and_lists_it(administrator_client):
    bureau = agency(BUREAU)
    response = administrator_client.post(
        f"/agencies/{bureau.pk}/aliases/add/", {"alias-name": "区发展改革局", "alias-reason": "常见写法"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["已新增别名“区发展改革局”。"]
    assert sorted(bureau.aliases.values_list("name", flat=True)) == ["区发展改革局", SHORT]


@pytest.mark.parametrize(
    ("name", "message"), [(SHORT, "本单位已有别名“区发改局”"), ("区财政局", "本地区已有单位“区财政局”"), ("", "必填")]
)
def test_an_alias_that_is_not_free_re_renders_the_page_with_status_400(administrator_client, name, message):
    bureau = agency(BUREAU)
    response = administrator_client.post(f"/agencies/{bureau.pk}/aliases/add/", {"alias-name": name})
    assert response.status_code == 400
    soup = get_page_from(response)
    assert message in text(soup, "#alias-add .errorlist")
    assert list(bureau.aliases.values_list("name", flat=True)) == [SHORT]


def test_an_alias_with_markup_is_shown_as_text(administrator_client):
    bureau = agency(BUREAU)
    administrator_client.post(f"/agencies/{bureau.pk}/aliases/add/", {"alias-name": XSS})
    response = administrator_client.get(f"/agencies/{bureau.pk}/edit/")
    assert b"<script>alert" not in response.content
    assert "<script>alert（1）</script>" in texts(get_page_from(response), ".alias-name")


def test_removing_an_alias_redirects_with_a_message(administrator_client, administrator):
    bureau = agency(BUREAU)
    alias = bureau.aliases.get()
    response = administrator_client.post(
        f"/agencies/{bureau.pk}/aliases/{alias.pk}/remove/", {"reason": "不用"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["已删除别名“区发改局”。"]
    assert not bureau.aliases.exists()
    row = AgencyAlias.history.get(id=alias.pk, history_type="-")
    assert (row.history_user, row.history_change_reason) == (administrator, "删除别名：区发改局（不用）")


def test_a_reason_too_long_re_renders_the_page_with_status_400(administrator_client):
    bureau = agency(BUREAU)
    alias = bureau.aliases.get()
    response = administrator_client.post(f"/agencies/{bureau.pk}/aliases/{alias.pk}/split/", {"reason": "长" * 201})
    assert response.status_code == 400
    assert "200" in text(get_page_from(response), "#aliases .errorlist")
    assert bureau.aliases.exists()


# --- Split, merge and the history: the round trip of the issue ----------------------------------------------------


def test_split_then_merge_back_through_the_pages_shows_both_steps_in_the_history(administrator_client):
    bureau = agency(BUREAU)
    alias = bureau.aliases.get()
    response = administrator_client.post(
        f"/agencies/{bureau.pk}/aliases/{alias.pk}/split/", {"reason": "另一单位"}, follow=True
    )
    new = agency(SHORT)
    assert response.redirect_chain == [(f"/agencies/{new.pk}/edit/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "已将“区发改局”从“区发展和改革局”拆分为独立单位，移入职责 1 项。"
    ]
    assert new.duties.count() == 1 and bureau.duties.count() == 31

    soup = get_page(administrator_client, f"/agencies/{new.pk}/merge/?into={bureau.pk}")
    assert text(soup, "#count-moves td") == "1 项"
    assert text(soup, "#count-clashes td").startswith("0 项")
    assert text(soup, "#new-aliases td") == SHORT
    assert soup.select_one("#merge-confirm input[name=into]")["value"] == str(bureau.pk)

    response = administrator_client.post(
        f"/agencies/{new.pk}/merge/", {"into": bureau.pk, "reason": "误拆"}, follow=True
    )
    assert response.redirect_chain == [(f"/agencies/{bureau.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "已将“区发改局”并入“区发展和改革局”：移入职责 1 项，“区发改局”已作为别名保留。"
    ]
    assert list(bureau.aliases.values_list("name", flat=True)) == [SHORT]
    assert bureau.duties.count() == 32

    soup = get_page(administrator_client, f"/agencies/{bureau.pk}/history/")
    rows = [(text(r, ".what"), text(r, ".reason"), text(r, ".who")) for r in soup.select("tr.history-entry")]
    merge_reason = "单位合并：区发改局 并入 区发展和改革局（误拆）"
    split_reason = "拆分单位：区发改局 从 区发展和改革局 拆分为独立单位（另一单位）"
    task = Duty.objects.get(agency=bureau, as_written=SHORT).task
    assert rows[:4] == [
        ("并入 区发改局（其名称成为本单位的别名）", merge_reason, "administrator"),
        (f"任务 {task.heading} 的职责移入（自 区发改局）", merge_reason, "administrator"),
        (f"任务 {task.heading} 的职责移出（至 区发改局）", split_reason, "administrator"),
        ("拆分出 区发改局", split_reason, "administrator"),
    ]
    assert rows[-1] == ("新建单位", "", "—")
    merged = AgencyAlias.history.get(agency_id=bureau.pk, name=SHORT, history_type="+", history_user__isnull=False)
    local = merged.history_date.astimezone(ZoneInfo("Asia/Shanghai"))
    china_time = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    assert text(soup, "tr.history-entry .when") == china_time
    assert soup.select("tr.history-entry .what a")[0]["href"] == f"/tasks/{task.pk}/"

    # The merged-away agency keeps a history page of its own.
    soup = get_page(administrator_client, f"/agencies/{new.pk}/history/")
    assert soup.select_one("#agency-gone") is not None
    assert texts(soup, "td.what")[0] == "并入 区发展和改革局"
    assert soup.select_one("td.what a")["href"] == f"/agencies/{bureau.pk}/"
    assert texts(soup, "td.what")[-1] == "由 区发展和改革局 的别名拆分设立"


def test_the_merge_page_without_a_choice_offers_the_regions_agencies_in_display_order(administrator_client):
    bureau = agency(BUREAU)
    soup = get_page(administrator_client, f"/agencies/{bureau.pk}/merge/")
    options = [o.get_text() for o in soup.select("#id_into option")][1:]
    expected = Agency.objects.in_region(bureau.region).exclude(pk=bureau.pk).in_display_order()
    assert options == [a.name for a in expected]
    assert soup.select_one("#merge-preview") is None


def test_the_merge_preview_lists_clashes(administrator_client, ingest_text):
    ingest_text(TIANXIN_PLAN)
    source, target = agency("区工业和信息化局", "长沙市天心区"), agency("区财政局", "长沙市天心区")
    soup = get_page(administrator_client, f"/agencies/{source.pk}/merge/?into={target.pk}")
    assert text(soup, "#count-moves td") == "1 项"
    assert texts(soup, "#clash-list li") == [
        "3. 全面提升节能管理能力：两单位均有职责，区财政局的职责由“配合”改为“牵头”（取较强者），"
        "删除区工业和信息化局的“牵头”"
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_merging_into_another_regions_agency_is_refused_with_status_400(administrator_client, method):
    source, other = agency(BUREAU), agency(BUREAU, "长沙市开福区")
    url = f"/agencies/{source.pk}/merge/"
    response = (
        administrator_client.get(f"{url}?into={other.pk}")
        if method == "get"
        else administrator_client.post(url, {"into": other.pk})
    )
    assert response.status_code == 400
    assert "只能合并同一行政区的单位" in text(get_page_from(response), "#merge-choose .errorlist")
    assert Agency.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize("into", ["", "abc", "999999"])
def test_merging_into_nothing_is_refused_with_status_400(administrator_client, into):
    source = agency(BUREAU)
    response = administrator_client.post(f"/agencies/{source.pk}/merge/", {"into": into})
    assert response.status_code == 400
    assert "请选择要并入的单位" in response.content.decode()


# --- Fixed query counts --------------------------------------------------------------------------------------------


def test_the_edit_page_runs_a_fixed_number_of_queries(administrator_client, administrator, django_assert_num_queries):
    from agencies import merging

    bureau = agency(BUREAU)
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        administrator_client.get(f"/agencies/{bureau.pk}/edit/")
    for name in ("区发展改革局", "区发展与改革局", "区发展和改革委"):
        merging.add_alias(bureau, name, user=administrator)
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        response = administrator_client.get(f"/agencies/{bureau.pk}/edit/")
    assert len(get_page_from(response).select("tr.alias-row")) == 4


def test_the_merge_pages_run_a_fixed_number_of_queries(administrator_client, django_assert_num_queries):
    bureau, finance = agency(BUREAU), agency("区财政局")
    with django_assert_num_queries(MERGE_PAGE_QUERIES):
        administrator_client.get(f"/agencies/{bureau.pk}/merge/")
    with django_assert_num_queries(MERGE_PREVIEW_QUERIES):
        response = administrator_client.get(f"/agencies/{bureau.pk}/merge/?into={finance.pk}")
    assert text(get_page_from(response), "#count-clashes td").startswith(f"{finance.duties.count()} 项")


def test_the_history_page_runs_a_fixed_number_of_queries_however_long_the_history(
    administrator, django_assert_num_queries, settings
):
    from agencies import merging

    bureau = agency(BUREAU)
    url = f"/agencies/{bureau.pk}/history/"
    reader = Client()
    reader.force_login(administrator)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        reader.get(url)
    new = merging.split_alias(bureau.aliases.get(), user=administrator).agency
    merging.merge_agencies(new, bureau, user=administrator)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES_AFTER_ROUND_TRIP):
        response = reader.get(url)
    shorter = len(get_page_from(response).select("tr.history-entry"))
    for i in range(3):
        merging.rename_agency(bureau, f"区发展和改革局{i}", user=administrator)
        merging.set_kind(bureau, "other" if i % 2 == 0 else "department", user=administrator)
        merging.add_alias(bureau, f"区发展改革{i}局", user=administrator)
    new = merging.split_alias(bureau.aliases.get(name=SHORT), user=administrator).agency
    merging.merge_agencies(new, bureau, user=administrator)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES_AFTER_ROUND_TRIP):
        response = reader.get(url)
    assert len(get_page_from(response).select("tr.history-entry")) > shorter + 10
