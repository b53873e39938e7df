"""Ingestion warnings on the plan page: for the plan's editors only, grouped by kind, each one marked 已核对 by a
person and kept so across re-ingests; the upload preview groups them the same way."""

import pytest

from plans.models import IngestWarning, Plan
from tests.factories import TIANXIN_PLAN, seed_plan
from tests.pages import get_page, get_page_from, text, texts

pytestmark = pytest.mark.django_db

# Seed 003 (开福区) has three warnings of three kinds: a table disagreement, fused units split, an alias merge.
KAIFU = "003"
# The plan page as an editor sees it: the session and the user, the plan page's 9 (with appendix rows), plus may
# he edit; the warnings, with who checked each and the counts by kind, are one query; the plan's last changes of
# state (plans.lifecycle), with who made them, one more.
EDITOR_PLAN_WITH_APPENDIX_QUERIES = 14

ODD_UNIT_PLAN = TIANXIN_PLAN.replace("区自然资源局按职责", "区自然资源局、天心阁按职责")


def check_url(warning: IngestWarning) -> str:
    return f"/plans/{warning.plan_id}/warnings/{warning.pk}/check/"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "lead_staff", "other_coordinator"])
def test_readers_see_no_warnings_on_the_plan_page(cast, client, who):
    plan = seed_plan(KAIFU)
    plan.coordinators.add(cast.coordinator)  # someone does edit it; the readers below do not
    assert plan.warnings.exists()
    if getattr(cast, who):
        client.force_login(getattr(cast, who))
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert soup.select_one("#warnings") is None
    assert "导入提示" not in soup.get_text()
    assert "连写单位已拆分" not in soup.get_text()


@pytest.mark.parametrize("who", ["administrator", "coordinator"])
def test_editors_see_the_warnings_grouped_by_kind_with_their_places(cast, client, who):
    plan = seed_plan(KAIFU)
    plan.coordinators.add(cast.coordinator)
    client.force_login(getattr(cast, who))
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert text(soup, "#warnings > summary") == "导入提示：待核对 3 条"
    groups = soup.select("#warnings details.warning-group")
    # The doubts first (附件与正文不一致, 连写单位已拆分), what was done for the record last (按别名归并).
    assert [text(g, "summary .group-label") for g in groups] == ["附件与正文不一致", "连写单位已拆分", "按别名归并"]
    assert [text(g, "summary .count") for g in groups] == ["1", "1", "1"]
    fused = plan.warnings.get(code="fused_split")
    item = soup.select_one(f"#warning-{fused.pk}")
    assert text(item, ".line") == f"第{fused.line}行"
    assert text(item, ".warning-text") == fused.message
    form = item.select_one("form.warning-check")
    assert form["action"] == check_url(fused) and form["method"] == "post"
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is not None
    assert soup.select_one("#checked-warnings") is None


def test_a_kind_with_several_warnings_is_one_group_with_its_count(administrator_client):
    plan = seed_plan("002")  # 株洲市: three glyph repairs
    soup = get_page(administrator_client, f"/plans/{plan.pk}/")
    group = soup.select_one("#warnings details.warning-group-glyph_repaired")
    assert text(group, "summary .count") == "3"
    assert len(group.select("li.warning")) == 3
    assert all(line.startswith("第") and line.endswith("行") for line in texts(group, "li .line"))


def test_an_editor_marks_a_warning_checked_and_it_is_folded_away_and_counted_apart(cast, client):
    plan = seed_plan(KAIFU)
    plan.coordinators.add(cast.coordinator)
    client.force_login(cast.coordinator)
    fused = plan.warnings.get(code="fused_split")

    response = client.post(check_url(fused))
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#warnings"
    fused.refresh_from_db()
    assert fused.checked_by == cast.coordinator and fused.checked_at is not None

    soup = get_page(client, f"/plans/{plan.pk}/")
    assert text(soup, "#warnings > summary") == "导入提示：待核对 2 条，已核对 1 条"
    labels = [text(g, "summary .group-label") for g in soup.select("#warnings details.warning-group:not(.checked)")]
    assert labels == ["附件与正文不一致", "按别名归并"]
    folded = soup.select_one("details#checked-warnings")
    assert folded.get("open") is None
    assert text(folded, "summary") == "已核对 1 条"
    assert texts(folded, "li .warning-text") == [fused.message]
    assert "coordinator" in text(folded, "li .checked-by")


def test_an_editor_takes_the_mark_back(administrator_client, administrator):
    warning = seed_plan(KAIFU).warnings.get(code="fused_split")
    warning.mark_checked(administrator)
    administrator_client.post(check_url(warning), {"checked": "0"})
    warning.refresh_from_db()
    assert warning.checked_at is None and warning.checked_by is None


@pytest.mark.parametrize("who", ["outsider", "lead_staff", "other_coordinator"])
def test_only_editors_may_mark_a_warning_checked(cast, client, who):
    warning = seed_plan("000").warnings.first()
    client.force_login(getattr(cast, who))
    assert client.post(check_url(warning)).status_code == 403
    warning.refresh_from_db()
    assert warning.checked_at is None


def test_a_visitor_may_not_mark_a_warning_checked(client):
    warning = seed_plan("000").warnings.first()
    assert client.post(check_url(warning)).status_code == 403
    warning.refresh_from_db()
    assert warning.checked_at is None


def test_marking_needs_a_post_and_the_warning_of_that_plan(administrator_client):
    warning = seed_plan(KAIFU).warnings.first()
    assert administrator_client.get(check_url(warning)).status_code == 405
    other = seed_plan("000")
    assert administrator_client.post(f"/plans/{other.pk}/warnings/{warning.pk}/check/").status_code == 404


def test_marking_checks_the_csrf_token(administrator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    warning = seed_plan(KAIFU).warnings.first()
    assert client.post(check_url(warning)).status_code == 403
    warning.refresh_from_db()
    assert warning.checked_at is None


def test_a_re_ingest_keeps_what_a_person_checked(ingest_text, administrator):
    plan = ingest_text(ODD_UNIT_PLAN).plan
    odd = plan.warnings.get(code="unknown_unit")
    odd.mark_checked(administrator)
    checked_at = odd.checked_at
    # A line added above it moves the warning; it is the same warning of the same text.
    changed = ODD_UNIT_PLAN.replace("坚持系统观念，统筹发展和减排。", "坚持系统观念。\n统筹发展和减排。")
    assert ingest_text(changed).status == "updated"
    again = Plan.objects.get(pk=plan.pk).warnings.get(code="unknown_unit")
    assert again.pk != odd.pk and again.line == odd.line + 1
    assert (again.checked_by, again.checked_at) == (administrator, checked_at)
    assert plan.warnings.get(code="alias_matched").checked_at is None


def test_the_editors_plan_page_runs_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    plan = seed_plan(KAIFU)
    client.force_login(cast.administrator)
    for warning in plan.warnings.all()[:2]:
        warning.mark_checked(cast.administrator)
    with django_assert_num_queries(EDITOR_PLAN_WITH_APPENDIX_QUERIES):
        soup = get_page(client, f"/plans/{plan.pk}/")
    assert len(soup.select("#warnings li.warning")) == 3


def test_the_upload_preview_groups_its_warnings_by_kind(administrator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = administrator_client.post(
        "/plans/upload/", {"file": SimpleUploadedFile("odd.txt", ODD_UNIT_PLAN.encode()), "lead_convention": "stated"}
    )
    soup = get_page_from(administrator_client.get(response["Location"]))
    groups = soup.select("#upload-warnings details.warning-group")
    assert [text(g, "summary .group-label") for g in groups] == ["未识别的单位", "按别名归并"]
    assert [text(g, "summary .count") for g in groups] == ["1", "1"]
    assert texts(groups[0], "li") == ["第11行 “天心阁”不像单位名称，请核对"]
    assert soup.select("#upload-warnings form") == []
