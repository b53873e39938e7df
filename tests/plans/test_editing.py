"""Editing a task's units on /tasks/<id>/edit/: add, remove, change a role, confirm an inferred lead, reorder."""

import pytest
from django.test import Client

from agencies.models import Agency
from plans import editing, history
from plans.ingestion import ingest_file
from plans.models import Duty, RemovedDuty, Task
from tests.factories import HETANG_JOINT_PLAN, SEED_FILES, seed_plan
from tests.pages import get_page, get_page_from, text, texts

pytestmark = pytest.mark.django_db

# session, user, task, the user's right to edit it, its duties
EDIT_PAGE_QUERIES = 5


def edit_url(task) -> str:
    return f"/tasks/{task.pk}/edit/"


def form_values(client, task) -> dict:
    """The edit form's fields as the browser would send them untouched."""
    soup = get_page(client, edit_url(task))
    data = {}
    for field in soup.select("#task-edit-form input[name], #task-edit-form select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen["value"]
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = "on"
        else:
            data[name] = field.get("value", "")
    return data


def duty_of(task, agency_name: str) -> Duty:
    return task.duties.select_related("agency").get(agency__name=agency_name)


def submit(client, task, **changes):
    """Post the form with some fields changed; `duty_<agency name>_<field>` names an existing unit's field."""
    data = form_values(client, task)
    for key, value in changes.items():
        if key.startswith("duty_"):
            _, name, field = key.split("_")
            key = f"duty-{duty_of(task, name).pk}-{field}"
        else:
            key = key.replace("_", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(edit_url(task), data)


def units(task) -> list[tuple[str, str, bool, str]]:
    return list(task.duties.order_by("position", "pk").values_list("agency__name", "role", "inferred", "source"))


@pytest.fixture
def editor(cast):
    client = Client()
    client.force_login(cast.administrator)
    return client


@pytest.fixture
def hetang(ingest_text):
    """A synthetic plan whose leads were inferred (first listed); its first task."""
    plan = ingest_text(HETANG_JOINT_PLAN, lead_convention="first_listed").plan
    return plan.tasks.order_by("position").first()


# --- The form -------------------------------------------------------------------------------------------------------


def test_the_form_lists_every_unit_with_its_role_order_and_a_remove_box(cast, editor):
    soup = get_page(editor, edit_url(cast.task))
    rows = soup.select("#edit-units tr.unit-row")
    duties = list(cast.task.duties.order_by("position").select_related("agency"))
    assert [text(r, ".agency-name") for r in rows] == [d.agency.full_name for d in duties]
    first = rows[0]
    assert [o.get_text() for o in first.select("select option")] == ["牵头", "配合", "共同负责"]
    assert first.select_one("select option[selected]").get_text() == "牵头"
    assert first.select_one('input[type="number"]')["value"] == "1"
    assert first.select_one('input[type="checkbox"]') is not None
    assert len(soup.select("#add-units tr.add-row")) == 3
    agency_input = soup.select_one('#add-units input[type="text"]')
    assert agency_input["data-autocomplete-url"] == f"/agencies/autocomplete/?plan={cast.plan.pk}"
    assert agency_input["list"] == "agency-options" and soup.select_one("datalist#agency-options") is not None
    assert soup.select_one('input[name="version"]')["value"] == history.version_of(duties)
    assert soup.select_one('input[name="csrfmiddlewaretoken"]') is not None
    assert soup.select_one('script[src$="js/agency-autocomplete.js"]') is not None


def test_an_inferred_lead_offers_to_keep_the_inference(hetang, editor):
    soup = get_page(editor, edit_url(hetang))
    lead_row = soup.select("#edit-units tr.unit-row")[0]
    assert [o.get_text() for o in lead_row.select("select option")] == ["牵头（推定）", "牵头", "配合", "共同负责"]
    assert lead_row.select_one("option[selected]").get_text() == "牵头（推定）"


def test_the_edit_page_runs_a_fixed_number_of_queries(cast, editor, hetang, django_assert_num_queries):
    for task in (cast.task, hetang):
        with django_assert_num_queries(EDIT_PAGE_QUERIES):
            assert editor.get(edit_url(task)).status_code == 200


def test_only_the_edit_page_loads_the_autocomplete_script(cast, editor):
    soup = get_page(editor, f"/tasks/{cast.task.pk}/")
    assert soup.select_one('script[src$="js/agency-autocomplete.js"]') is None


# --- Saving ---------------------------------------------------------------------------------------------------------


def test_adding_a_unit_appends_a_manual_duty_with_history(cast, editor):
    before = units(cast.task)
    RemovedDuty.objects.create(task=cast.task, agency=Agency.objects.get(full_name="株洲市石峰区财政局"), role="lead")
    response = submit(editor, cast.task, add_0_agency="区财政局", add_0_role="cooperating", reason="区政府会议决定")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{cast.task.pk}/"
    assert units(cast.task) == [*before, ("区财政局", "cooperating", False, "manual")]
    added = duty_of(cast.task, "区财政局")
    assert added.position == len(before)
    assert not RemovedDuty.objects.filter(task=cast.task).exists()  # adding back forgets the removal
    record = added.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        cast.administrator,
        "区政府会议决定",
    )
    soup = get_page(editor, response["Location"])
    assert "已保存分工变更：新增 区财政局（配合）" in text(soup, ".messages")
    assert "株洲市石峰区财政局" in texts(soup, "#duties .agency-link")


def test_an_agency_is_found_by_full_name_and_by_alias(cast, editor, hetang):
    response = submit(editor, cast.task, add_0_agency="株洲市石峰区财政局", add_1_agency="区人社局", add_1_role="joint")
    assert response.status_code == 302
    assert units(cast.task)[-2:] == [
        ("区财政局", "cooperating", False, "manual"),
        ("区人力资源社会保障局", "joint", False, "manual"),
    ]
    # 区发展和改革局 names a bureau in several districts of 株洲市 (石峰区's too); the plan's own is meant.
    second = hetang.plan.tasks.order_by("position")[1]
    assert submit(editor, second, duty_区发展和改革局_remove="on").status_code == 302
    assert submit(editor, second, add_0_agency="区发展和改革局").status_code == 302
    assert second.duties.get(agency__name="区发展和改革局").agency.full_name == "株洲市荷塘区发展和改革局"


def test_removing_a_unit_remembers_the_removal(cast, editor):
    response = submit(editor, cast.task, **{f"duty_{cast.cooperating.name}_remove": "on"}, reason="职能调整")
    assert response.status_code == 302
    assert not cast.task.duties.filter(agency=cast.cooperating).exists()
    removed = RemovedDuty.objects.get(task=cast.task, agency=cast.cooperating)
    assert (removed.role, removed.removed_by_import) == ("cooperating", None)
    deleted = Duty.history.get(task_id=cast.task.pk, agency_id=cast.cooperating.pk, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (cast.administrator, "职能调整")


def test_changing_a_role_makes_the_duty_manual_and_keeps_as_written(cast, editor):
    duty = duty_of(cast.task, cast.cooperating.name)
    submit(editor, cast.task, **{f"duty_{cast.cooperating.name}_role": "lead"})
    duty.refresh_from_db()
    assert (duty.role, duty.source, duty.as_written) == ("lead", "manual", cast.cooperating.name)
    changed = duty.history.filter(history_type="~").get()
    assert changed.history_user == cast.administrator and changed.history_change_reason is None
    soup = get_page(editor, f"/tasks/{cast.task.pk}/")
    assert f"{cast.cooperating.name} 配合→牵头" in text(soup, ".messages")


def test_choosing_lead_confirms_an_inferred_lead_and_cooperating_clears_it(hetang, editor, cast):
    lead = duty_of(hetang, "区发展和改革局")
    submit(editor, hetang, duty_区发展和改革局_role="lead")
    lead.refresh_from_db()
    assert (lead.role, lead.inferred, lead.source) == ("lead", False, "manual")
    assert "确认推定牵头 区发展和改革局" in text(get_page(editor, f"/tasks/{hetang.pk}/"), ".messages")

    second = hetang.plan.tasks.order_by("position")[1]
    submit(editor, second, duty_区发展和改革局_role="cooperating")
    cleared = duty_of(second, "区发展和改革局")
    assert (cleared.role, cleared.inferred, cleared.source) == ("cooperating", False, "manual")
    assert "区发展和改革局 牵头（推定）→配合" in text(get_page(editor, f"/tasks/{second.pk}/"), ".messages")


def test_keeping_the_inferred_choice_changes_nothing(hetang, editor):
    before = units(hetang)
    response = submit(editor, hetang, reason="只是看看")
    assert response.status_code == 302 and response["Location"] == edit_url(hetang)
    assert units(hetang) == before
    assert not Duty.history.filter(task_id=hetang.pk).exists()
    assert "没有任何变更，未作保存。" in text(get_page(editor, response["Location"]), ".messages")


def test_reordering_renumbers_the_units_and_marks_the_task(cast, editor):
    names = [d.agency.name for d in cast.task.duties.order_by("position").select_related("agency")]
    # The third unit to the front; the others keep their order (ties broken by the current order).
    submit(editor, cast.task, **{f"duty_{names[2]}_order": "1"})
    task = Task.objects.get(pk=cast.task.pk)
    assert task.duties_ordered_by_hand
    order = list(task.duties.order_by("position").values_list("agency__name", "position"))
    assert order == [(name, i) for i, name in enumerate([names[2], names[0], names[1], *names[3:]])]
    # Only the units that moved get a history row; their source stays as it was.
    moved = Duty.history.filter(task_id=task.pk, history_type="~")
    assert sorted(moved.values_list("agency__name", flat=True)) == sorted(names[:3])
    assert set(task.duties.values_list("source", flat=True)) == {"text"}
    assert "调整顺序" in text(get_page(editor, f"/tasks/{task.pk}/"), ".messages")


def test_removing_a_unit_alone_is_not_a_reorder(cast, editor):
    submit(editor, cast.task, **{f"duty_{cast.cooperating.name}_remove": "on"})
    assert not Task.objects.get(pk=cast.task.pk).duties_ordered_by_hand


# --- Errors ---------------------------------------------------------------------------------------------------------


def test_an_unknown_agency_is_an_error_naming_the_text(cast, editor):
    before = units(cast.task)
    response = submit(editor, cast.task, add_0_agency="区火星开发局")
    assert response.status_code == 400
    soup = get_page_from(response)
    assert "找不到单位“区火星开发局”" in text(soup, "#add-units .errorlist")
    assert units(cast.task) == before and not Duty.history.filter(task_id=cast.task.pk).exists()


def test_a_name_two_districts_share_must_be_written_in_full(hetang, editor):
    city_task = seed_plan("002").tasks.filter(duties__isnull=False).order_by("position").first()
    response = submit(editor, city_task, add_0_agency="区发展和改革局")
    assert response.status_code == 400
    error = text(get_page_from(response), "#add-units .errorlist")
    assert "可指多个单位" in error and "株洲市荷塘区发展和改革局" in error and "株洲市石峰区发展和改革局" in error
    assert submit(editor, city_task, add_0_agency="株洲市荷塘区发展和改革局").status_code == 302


def test_adding_a_unit_already_on_the_task_is_an_error(cast, editor):
    lead_alias = "区发改局"  # an alias of the lead, 区发展和改革局
    response = submit(editor, cast.task, add_0_agency=lead_alias)
    assert response.status_code == 400
    assert "已在本任务中" in text(get_page_from(response), "#add-units .errorlist")
    response = submit(editor, cast.task, add_0_agency="区财政局", add_1_agency="株洲市石峰区财政局")
    assert response.status_code == 400
    assert "重复填写" in text(get_page_from(response), "#add-units .errorlist")
    assert not cast.task.duties.filter(agency__name="区财政局").exists()


def test_a_reason_longer_than_200_characters_is_refused(cast, editor):
    response = submit(editor, cast.task, add_0_agency="区财政局", reason="因" * 201)
    assert response.status_code == 400
    assert not cast.task.duties.filter(agency__name="区财政局").exists()


def test_a_concurrent_edit_is_refused_with_409_and_nothing_written(cast, editor):
    stale = form_values(editor, cast.task)
    other = cast.coordinator
    other.first_name = "李四"
    other.save()
    duties = history.current_duties(cast.task)
    editing.apply_task_edit(
        cast.task,
        other,
        [
            editing.UnitEdit(d.pk, d.role, d.inferred, i, remove=d.agency_id == cast.cooperating.pk)
            for i, d in enumerate(duties)
        ],
        [],
        "先改了",
        history.version_of(duties),
    )
    after_other = units(cast.task)
    rows_before = Duty.history.filter(task_id=cast.task.pk).count()

    stale[f"duty-{duty_of(cast.task, cast.lead.name).pk}-role"] = "cooperating"
    stale["add-0-agency"] = "区财政局"
    response = editor.post(edit_url(cast.task), stale)
    assert response.status_code == 409
    soup = get_page_from(response)
    message = text(soup, "#edit-conflict")
    assert message.startswith("此任务的分工已被他人修改") and "李四" in message
    assert units(cast.task) == after_other
    assert Duty.history.filter(task_id=cast.task.pk).count() == rows_before
    # The form now shows the units as they are, with the new version.
    shown = [text(r, ".agency-name") for r in soup.select("#edit-units tr.unit-row")]
    assert cast.cooperating.full_name not in shown
    assert soup.select_one('input[name="version"]')["value"] == history.version_of(history.current_duties(cast.task))


def test_the_service_rechecks_the_version_under_the_lock(cast):
    duties = history.current_duties(cast.task)
    with pytest.raises(editing.StaleEdit):
        editing.apply_task_edit(cast.task, cast.administrator, [], [], "", "not-the-version")
    units_unchanged = [editing.UnitEdit(d.pk, d.role, d.inferred, i + 1) for i, d in enumerate(duties)]
    assert editing.apply_task_edit(cast.task, None, units_unchanged, [], "", history.version_of(duties)) == []


# --- Escaping -------------------------------------------------------------------------------------------------------


def test_agency_names_and_reasons_are_escaped(cast, editor):
    evil = Agency.objects.create(region=cast.plan.region, name="<script>alert(1)</script>")
    Duty.objects.create(task=cast.task, agency=evil, role="cooperating", position=99)
    response = editor.get(edit_url(cast.task))
    assert b"<script>alert(1)</script>" not in response.content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    submit(editor, cast.task, **{f"duty_{evil.name}_remove": "on"}, reason="<script>alert(2)</script>")
    page = editor.get(f"/tasks/{cast.task.pk}/")
    html = page.content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    soup = get_page_from(page)
    assert text(soup, "#history td.reason") == "<script>alert(2)</script>"
    assert evil.name in text(soup, "#history td.what")


# --- Re-ingest ------------------------------------------------------------------------------------------------------


def _edit_seed_task(cast, editor):
    names = [d.agency.name for d in cast.task.duties.order_by("position").select_related("agency")]
    response = submit(
        editor,
        cast.task,
        add_0_agency="区财政局",
        **{
            f"duty_{names[1]}_remove": "on",
            f"duty_{names[2]}_role": "joint",
            f"duty_{names[3]}_order": "1",
        },
        reason="区政府会议决定",
    )
    assert response.status_code == 302
    return units(cast.task), list(cast.task.duties.order_by("position").values_list("agency__name", flat=True))


def test_reingesting_the_unchanged_seed_keeps_every_edit(cast, editor):
    edited, order = _edit_seed_task(cast, editor)
    seed = next(p for p in SEED_FILES if p.name.startswith("000"))
    assert ingest_file(seed).status == "unchanged"
    assert units(cast.task) == edited


def test_reingesting_a_changed_copy_of_the_seed_keeps_every_edit(cast, editor, write_plan):
    edited, order = _edit_seed_task(cast, editor)
    seed = next(p for p in SEED_FILES if p.name.startswith("000"))
    original = seed.read_text(encoding="utf-8")
    assert original.count("努力建设低碳幸福的新石峰") == 1
    result = ingest_file(
        write_plan(original.replace("努力建设低碳幸福的新石峰", "努力建设低碳宜居的新石峰"), name=seed.name)
    )
    assert result.status == "updated"
    task = Task.objects.get(pk=cast.task.pk)
    assert sorted(units(task)) == sorted(edited)  # the added, removed and changed units as edited
    assert list(task.duties.order_by("position").values_list("agency__name", flat=True)) == order
    assert task.duties_ordered_by_hand


# --- Who may edit ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("administrator", 200),
        ("coordinator", 200),
        ("other_coordinator", 403),
        ("lead_staff", 403),
        ("cooperating_staff", 403),
        ("outsider", 403),
        ("anonymous", 403),
    ],
)
def test_who_may_open_and_post_the_edit_form(cast, who, status):
    client = Client()
    if getattr(cast, who):
        client.force_login(getattr(cast, who))
    assert client.get(edit_url(cast.task)).status_code == status
    before = units(cast.task)
    data = {"version": history.version_of(history.current_duties(cast.task)), "add-0-agency": "区财政局"}
    posted = client.post(edit_url(cast.task), data)
    assert posted.status_code == (400 if status == 200 else 403)  # the editors' post lacks the unit fields
    assert units(cast.task) == before


def test_the_coordinators_edit_is_saved_under_his_name(cast):
    client = Client()
    client.force_login(cast.coordinator)
    assert submit(client, cast.task, add_0_agency="区财政局").status_code == 302
    assert duty_of(cast.task, "区财政局").history.get().history_user == cast.coordinator


@pytest.mark.parametrize("who", ["administrator", "anonymous", "outsider"])
def test_an_unknown_task_is_a_404(cast, who):
    client = Client()
    if getattr(cast, who):
        client.force_login(getattr(cast, who))
    assert client.get("/tasks/999999/edit/").status_code == 404
    assert client.post("/tasks/999999/edit/", {}).status_code == 404


def test_the_task_page_links_editors_to_the_edit_page(cast):
    for who, shown in [("administrator", True), ("coordinator", True), ("lead_staff", False), ("anonymous", False)]:
        client = Client()
        if getattr(cast, who):
            client.force_login(getattr(cast, who))
        link = get_page(client, f"/tasks/{cast.task.pk}/").select_one("a#edit-duties")
        assert (link is not None) == shown, who
        if shown:
            assert link["href"] == edit_url(cast.task) and link.get_text() == "编辑分工"
