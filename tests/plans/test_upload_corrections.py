"""What the administrator corrects in an upload's preview before confirming: the title, the lead rule, and each name
the text would make a new agency of, mapped onto an existing agency of its region or accepted as new. Kept on the
upload, used by the preview and by the confirmation, and shown on the upload's page once it is stored."""

import pytest

from agencies import merging
from agencies.models import Agency, AgencyAlias
from plans.ingestion.loader import ingest_bytes
from plans.models import Duty, Plan, PlanUpload
from tests.factories import TIANXIN_PLAN, region, seed_plan
from tests.pages import get_page, get_page_from, text, texts
from tests.plans.test_reingest import SEED
from tests.plans.test_upload import confirm, messages_of, snapshot, upload

pytestmark = pytest.mark.django_db

TITLE = "长沙市天心区碳达峰实施方案"
CORRECTED = "长沙市天心区碳达峰实施方案（2023—2030年）"
HOUSING = "区住房和城乡建设局"  # a new agency of TIANXIN_PLAN (task 3.1.1)
FINANCE = "区财政局"  # another (task 3.2.1)
NEW = "new"


@pytest.fixture
def housing_committee() -> Agency:
    """An agency 天心区 already has, which the plan's 区住房和城乡建设局 means but does not abbreviate."""
    return Agency.objects.create(region=region("长沙市天心区"), name="区住房和城乡建设委员会")


def corrections_url(record: PlanUpload) -> str:
    return f"{record.get_absolute_url()}corrections/"


def row_of(page, name: str):
    rows = [
        row for row in page.select("#new-agencies tr.new-agency") if row.select_one("td.name").find(string=True) == name
    ]
    assert len(rows) == 1, f"{name} is not among the new agencies"
    return rows[0]


def shown(client, record: PlanUpload) -> dict:
    """The correction form as the preview shows it: the values a browser would send back unchanged."""
    page = get_page(client, record.get_absolute_url())
    form = page.select_one("#upload-confirm")
    data = {"title": form.select_one("input[name=title]")["value"]}
    data["lead_convention"] = form.select_one("input[name=lead_convention][checked]")["value"]
    data["state"] = form.select_one("input[name=state][checked]")["value"]
    for select in form.select("#new-agencies select"):
        data[select["name"]] = select.select_one("option[selected]")["value"]
    return data


def correct(client, record: PlanUpload, choose: dict | None = None, typed: dict | None = None, **fields) -> object:
    """Post the preview's corrections as shown, with `fields` changed, and for new agencies by written name: the
    agency (or NEW) to `choose`, or the name `typed` in beside it."""
    page = get_page(client, record.get_absolute_url())
    data = shown(client, record) | fields
    for name, agency in (choose or {}).items():
        data[row_of(page, name)["id"]] = agency if agency == NEW else str(agency.pk)
    for name, value in (typed or {}).items():
        data[row_of(page, name)["id"] + "-other"] = value
    return client.post(corrections_url(record), data)


# --- What the preview offers ------------------------------------------------------------------------------------


def test_the_preview_offers_the_title_the_lead_rule_and_a_choice_for_each_new_agency(
    administrator_client, housing_committee
):
    record = upload(administrator_client, TIANXIN_PLAN)
    page = get_page(administrator_client, record.get_absolute_url())
    assert page.select_one("#upload-corrections input[name=title]")["value"] == TITLE
    assert page.select_one("#upload-corrections input[name=lead_convention][value=stated]").has_attr("checked")
    names = [row.select_one("td.name").get_text(strip=True) for row in page.select("#new-agencies tr.new-agency")]
    assert sorted(names) == sorted(["区发展和改革局", HOUSING, "区自然资源局", "区工业和信息化局", FINANCE])
    housing = row_of(page, HOUSING)
    assert texts(housing, "option") == ["新建单位", "对应到 长沙市天心区住房和城乡建设委员会"]
    assert housing.select_one("option[selected]")["value"] == "new"
    assert text(housing, "td:nth-of-type(2)") == "长沙市天心区"


def test_suggestions_come_from_the_region_the_name_is_read_in_only(administrator_client, housing_committee):
    # 株洲市石峰区 has a 区住房和城乡建设局 of its own: another district's bureau is never offered.
    assert Agency.objects.filter(region=region("株洲市石峰区"), name=HOUSING).exists()
    record = upload(administrator_client, TIANXIN_PLAN)
    page = get_page(administrator_client, record.get_absolute_url())
    offered = texts(row_of(page, HOUSING), "option")
    assert all("石峰区" not in option for option in offered)
    datalist = page.select_one(f"datalist#agencies-{region('长沙市天心区').pk}")
    assert [o["value"] for o in datalist.select("option")] == ["区住房和城乡建设委员会"]


# --- The title --------------------------------------------------------------------------------------------------


def test_a_corrected_title_is_kept_on_the_upload_previewed_and_stored_with_the_plan(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    before = snapshot()

    response = correct(administrator_client, record, title=CORRECTED)

    assert response.status_code == 302 and response.url == record.get_absolute_url()
    record.refresh_from_db()
    assert record.title == CORRECTED
    assert snapshot()["plans"] == before["plans"]
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-target") == f"将新建方案《{CORRECTED}》（长沙市天心区）。"
    assert text(page, "#parsed-title") == f"原文标题：{TITLE}"
    assert text(page, "#upload-title") == CORRECTED
    confirm(administrator_client, record)
    assert Plan.objects.filter(title=CORRECTED, region=region("长沙市天心区")).exists()
    assert not Plan.objects.filter(title=TITLE).exists()


def test_setting_the_title_back_to_the_texts_own_clears_the_correction(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    correct(administrator_client, record, title=CORRECTED)
    correct(administrator_client, record, title=TITLE)
    record.refresh_from_db()
    assert record.title == ""


@pytest.mark.parametrize(
    ("title", "message"),
    [("   ", "请填写方案标题。"), ("长" * 201, "方案标题最多 200 字。")],
    ids=["empty", "too-long"],
)
def test_an_empty_or_too_long_title_is_refused_with_a_message_and_nothing_changes(title, message, administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    response = correct(administrator_client, record, title=title, lead_convention="first_listed")
    assert response.status_code == 400
    assert message in text(get_page_from(response), "#title-errors")
    record.refresh_from_db()
    assert (record.title, record.lead_convention) == ("", "stated")


def test_a_corrected_title_finds_the_stored_plan_of_that_title_to_update(administrator_client):
    confirm(administrator_client, upload(administrator_client, TIANXIN_PLAN))
    stored = Plan.objects.get(title=TITLE)
    PlanUpload.objects.all().delete()
    renamed = TIANXIN_PLAN.replace(TITLE, "长沙市天心区碳达峰行动方案").replace(
        "推行用能预算管理", "推行用能预算管理制度"
    )
    record = upload(administrator_client, renamed, "renamed.txt")
    page = get_page(administrator_client, record.get_absolute_url())
    assert "将新建方案《长沙市天心区碳达峰行动方案》" in text(page, "#upload-target")

    correct(administrator_client, record, title=TITLE)

    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-target") == f"将更新已有方案 《{TITLE}》 。"
    confirm(administrator_client, record)
    assert list(Plan.objects.filter(region=region("长沙市天心区")).values_list("pk", flat=True)) == [stored.pk]
    assert "推行用能预算管理制度" in stored.tasks.get(ref="3.2.1").body


def test_a_file_already_stored_is_read_again_when_its_title_is_corrected(administrator_client):
    seed_plan("000")
    record = upload(administrator_client, SEED.read_bytes(), SEED.name)
    assert "无变化" in text(get_page(administrator_client, record.get_absolute_url()), "#upload-unchanged")
    correct(administrator_client, record, title="石峰区碳达峰实施方案（更正）")
    page = get_page(administrator_client, record.get_absolute_url())
    assert "将新建方案《石峰区碳达峰实施方案（更正）（征求意见稿）》" in text(page, "#upload-target")


# --- The lead rule ----------------------------------------------------------------------------------------------


def test_the_lead_rule_chosen_in_the_preview_is_previewed_and_stored(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    page = get_page(administrator_client, record.get_absolute_url())
    joint = page.select("#preview-tasks tr.preview-task")[1]
    assert texts(joint, ".chip") == ["共 区发展和改革局", "共 区工业和信息化局"]

    correct(administrator_client, record, lead_convention="first_listed")

    record.refresh_from_db()
    assert record.lead_convention == "first_listed"
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-convention") == "未写明时推定首列单位牵头"
    joint = page.select("#preview-tasks tr.preview-task")[1]
    assert joint.select_one(".chip-lead.chip-inferred") is not None
    confirm(administrator_client, record)
    plan = Plan.objects.get(title=TITLE)
    assert plan.lead_convention == "first_listed"
    lead = Duty.objects.get(task__plan=plan, task__ref="3.1.2", agency__name="区发展和改革局")
    assert (lead.role, lead.inferred) == ("lead", True)


# --- New agencies -----------------------------------------------------------------------------------------------


def test_mapping_a_new_agency_is_kept_on_the_upload_and_previewed_without_creating_it(
    administrator_client, housing_committee
):
    record = upload(administrator_client, TIANXIN_PLAN)
    before = snapshot()

    response = correct(administrator_client, record, choose={HOUSING: housing_committee})

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.agency_mapping == {
        HOUSING: {"id": housing_committee.pk, "name": "长沙市天心区住房和城乡建设委员会", "new": False}
    }
    assert snapshot() == before
    assert not AgencyAlias.objects.filter(name=HOUSING, agency=housing_committee).exists()
    page = get_page(administrator_client, record.get_absolute_url())
    assert "新建单位 4 个" in texts(page, "#upload-counts li")
    assert text(page, "#mapped-count") == "，另有 1 个已对应到已有单位"
    housing = row_of(page, HOUSING)
    assert housing.select_one("option[selected]")["value"] == str(housing_committee.pk)
    first = page.select("#preview-tasks tr.preview-task")[0]
    assert "配 区住房和城乡建设委员会" in texts(first, ".chip")


def test_confirming_puts_the_duties_on_the_mapped_agency_keeps_the_name_as_its_alias_and_records_the_choices(
    administrator_client, administrator, housing_committee
):
    record = upload(administrator_client, TIANXIN_PLAN)
    correct(administrator_client, record, choose={HOUSING: housing_committee})

    confirm(administrator_client, record)

    plan = Plan.objects.get(title=TITLE)
    assert Duty.objects.get(task__plan=plan, task__ref="3.1.1", agency=housing_committee).as_written == HOUSING
    assert not Agency.objects.filter(region=plan.region, name=HOUSING).exists()
    alias = housing_committee.aliases.get(name=HOUSING)
    assert (alias.history.get().history_user, alias.history.get().history_change_reason) == (
        administrator,
        "新增别名：区住房和城乡建设局（上传“tianxin.txt”时对应到本单位）",
    )
    record.refresh_from_db()
    assert record.agency_mapping[HOUSING] == {
        "id": housing_committee.pk,
        "name": "长沙市天心区住房和城乡建设委员会",
        "new": False,
    }
    finance = Agency.objects.get(region=plan.region, name=FINANCE)
    assert record.agency_mapping[FINANCE] == {"id": finance.pk, "name": "长沙市天心区财政局", "new": True}
    page = get_page(administrator_client, record.get_absolute_url())
    assert f"{HOUSING} — 对应到已有单位 长沙市天心区住房和城乡建设委员会（记为其别名）" in texts(
        page, "#stored-agencies li"
    )
    assert f"{FINANCE} — 新建为 长沙市天心区财政局" in texts(page, "#stored-agencies li")


def test_the_text_read_again_without_a_mapping_resolves_the_mapped_name_the_same_way(
    administrator_client, housing_committee
):
    record = upload(administrator_client, TIANXIN_PLAN)
    correct(administrator_client, record, choose={HOUSING: housing_committee})
    confirm(administrator_client, record)

    result = ingest_bytes(TIANXIN_PLAN.replace("推行用能预算管理", "推行用能预算管理制度").encode(), "again.txt")

    assert result.status == "updated" and result.agencies_created == []
    assert Duty.objects.filter(task__plan=result.plan, task__ref="3.1.1", agency=housing_committee).exists()


def test_any_agency_of_the_region_can_be_typed_by_name_full_name_or_alias(administrator_client, administrator):
    bureau = Agency.objects.create(region=region("长沙市天心区"), name="区财政和国有资产事务中心")
    merging.add_alias(bureau, "区财资中心", user=administrator)
    record = upload(administrator_client, TIANXIN_PLAN)
    for typed in ("区财资中心", "长沙市天心区财政和国有资产事务中心"):
        response = correct(administrator_client, record, typed={FINANCE: typed})
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.agency_mapping[FINANCE]["id"] == bureau.pk
        correct(administrator_client, record, choose={FINANCE: NEW})
        record.refresh_from_db()
        assert record.agency_mapping == {}


def test_a_typed_name_no_agency_of_the_region_has_is_refused_and_nothing_changes(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    response = correct(administrator_client, record, title=CORRECTED, typed={FINANCE: "区发展和改革局"})
    assert response.status_code == 400
    row = row_of(get_page_from(response), FINANCE)
    assert "长沙市天心区没有“区发展和改革局”这个单位" in text(row, ".errorlist")
    record.refresh_from_db()
    assert (record.title, record.agency_mapping) == ("", {})


def test_an_agency_of_another_region_cannot_be_chosen(administrator_client):
    shifeng_housing = Agency.objects.get(region=region("株洲市石峰区"), name=HOUSING)
    record = upload(administrator_client, TIANXIN_PLAN)
    response = correct(administrator_client, record, choose={HOUSING: shifeng_housing})
    assert response.status_code == 400
    assert "请从列出的单位中选择" in text(row_of(get_page_from(response), HOUSING), ".errorlist")
    record.refresh_from_db()
    assert record.agency_mapping == {}


def test_a_mapping_onto_an_agency_merged_away_since_is_shown_and_confirming_stores_nothing(
    administrator_client, administrator, housing_committee
):
    record = upload(administrator_client, TIANXIN_PLAN)
    correct(administrator_client, record, choose={HOUSING: housing_committee})
    other = Agency.objects.create(region=region("长沙市天心区"), name="区住房保障局")
    merging.merge_agencies(housing_committee, other, user=administrator)
    page = get_page(administrator_client, record.get_absolute_url())
    assert "原来对应的单位已不存在" in text(row_of(page, HOUSING), "td.name")
    before = snapshot()

    response = confirm(administrator_client, record)

    assert snapshot() == before
    assert any("已不存在" in m for m in messages_of(administrator_client.get(response.url)))
    # Saving the preview's corrections again drops the stale mapping; then the plan can be confirmed.
    correct(administrator_client, record)
    record.refresh_from_db()
    assert record.agency_mapping == {}
    confirm(administrator_client, record)
    assert Plan.objects.filter(title=TITLE).exists()


def test_choosing_another_region_drops_the_mapping(administrator_client, housing_committee):
    record = upload(administrator_client, TIANXIN_PLAN)
    correct(administrator_client, record, choose={HOUSING: housing_committee})
    response = administrator_client.post(f"{record.get_absolute_url()}region/", {"search": "株洲市荷塘区"})
    assert "原来选定的单位对应已清除" in " ".join(messages_of(administrator_client.get(response.url)))
    record.refresh_from_db()
    assert record.agency_mapping == {}


# --- Confirming ---------------------------------------------------------------------------------------------------


def test_corrections_sent_with_the_confirmation_are_saved_and_previewed_before_anything_is_stored(
    administrator_client,
):
    record = upload(administrator_client, TIANXIN_PLAN)
    before = snapshot()
    data = shown(administrator_client, record) | {"title": CORRECTED}

    response = administrator_client.post(f"{record.get_absolute_url()}confirm/", data)

    assert response.status_code == 302 and response.url == record.get_absolute_url()
    record.refresh_from_db()
    assert (record.status, record.title) == ("pending", CORRECTED)
    assert snapshot()["plans"] == before["plans"]
    assert any("已保存更正（标题）" in m for m in messages_of(administrator_client.get(response.url)))
    # Sent again as the preview now shows them, they are what is stored.
    response = administrator_client.post(f"{record.get_absolute_url()}confirm/", shown(administrator_client, record))
    assert response.url == Plan.objects.get(title=CORRECTED).get_absolute_url()


def test_an_unchanged_correction_form_saves_nothing_and_says_so(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    response = administrator_client.post(corrections_url(record), shown(administrator_client, record))
    assert response.status_code == 302
    assert "更正与原来相同，没有改动。" in messages_of(administrator_client.get(response.url))


def test_an_applied_upload_cannot_be_corrected(administrator_client):
    record = upload(administrator_client, TIANXIN_PLAN)
    confirm(administrator_client, record)
    response = administrator_client.post(corrections_url(record), {"title": CORRECTED, "lead_convention": "stated"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == ""
    assert any("不能更正" in m for m in messages_of(administrator_client.get(response.url)))


# --- The plan's state (plans.lifecycle) ------------------------------------------------------------------------


def test_the_preview_judges_an_old_plans_state_and_the_state_chosen_there_is_stored_and_logged(administrator_client):
    from plans.models import PlanStateChange
    from tests.progress.test_plan_state import OLD_PLAN

    record = upload(administrator_client, OLD_PLAN, name="old.txt")
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-state").replace(" ", "") == "已完成（不纳入督办）"
    assert page.select_one("#state-choice input[name=state][value=finished]").has_attr("checked")
    assert "标题所写期限至2019年，已结束" in text(page, "#state-basis")
    correct(administrator_client, record, state="active")
    record.refresh_from_db()
    assert record.state == "active"
    assert text(get_page(administrator_client, record.get_absolute_url()), "#upload-state") == "执行中"
    confirm(administrator_client, record)
    record.refresh_from_db()
    plan = record.plan
    assert plan.state == Plan.State.ACTIVE
    (first,) = PlanStateChange.objects.filter(plan=plan)
    assert (first.before, first.after, first.changed_by.username) == ("", "active", "administrator")
    assert first.reason == "上传时选定（推定为“已完成”：标题所写期限至2019年，已结束）"


def test_leaving_the_judged_state_as_it_is_stores_no_choice(administrator_client):
    from tests.progress.test_plan_state import OLD_PLAN

    record = upload(administrator_client, OLD_PLAN, name="old.txt")
    correct(administrator_client, record, title="长沙市天心区节能减排三年行动计划（2017-2019年）")
    record.refresh_from_db()
    assert record.state == ""
