"""The admin: an administrator can open every page and search; an outsider is sent to the login page."""

import warnings

import pytest
from django.contrib import admin
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from agencies.models import Agency, AgencyAlias, Region
from plans.models import (
    AppendixRow,
    DivisionImport,
    Duty,
    IngestWarning,
    KeyProject,
    Plan,
    PlanUpload,
    RemovedDuty,
    Section,
    Target,
    Task,
    TaskNote,
)
from tests.factories import seed_plan

pytestmark = pytest.mark.django_db

OUR_MODELS = [Plan, Task, Duty, Agency, AgencyAlias, Region, Section, Target, AppendixRow, KeyProject, IngestWarning]


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def an_instance(model):
    """A representative row: from the seeds, with related rows where the page shows them inline."""
    if model is Region:
        return Region.objects.get(full_name="株洲市石峰区")
    if model is Agency:
        return Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局")  # has an alias
    if model is Task:
        return Task.objects.get(plan=seed_plan("000"), ref="3.1.3")  # has duties
    if model is Plan:
        return seed_plan("003")  # has warnings
    if model is AppendixRow:
        return AppendixRow.objects.filter(plan=seed_plan("003"), units__isnull=False).first()
    return model.objects.order_by("pk").first()


def test_every_model_of_our_apps_is_registered_in_the_admin():
    registered = {m for m in admin.site._registry if m._meta.app_label in {"plans", "agencies"}}
    assert registered == {*OUR_MODELS, DivisionImport, RemovedDuty, TaskNote, PlanUpload}


def test_the_administrator_can_read_but_not_edit_an_import_record(administrator, administrator_client):
    record = DivisionImport.objects.create(
        plan=seed_plan("000"), uploaded_by=administrator, file_name="分工表.xlsx", checksum="0" * 64, workbook=b"x"
    )
    assert administrator_client.get(changelist_url(DivisionImport)).status_code == 200
    response = administrator_client.get(change_url(record))
    assert response.status_code == 200
    assert "分工表.xlsx" in response.content.decode()
    assert administrator_client.post(change_url(record), {"file_name": "改名.xlsx"}).status_code == 403


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_the_administrator_can_open_the_changelist_of(model, administrator_client):
    response = administrator_client.get(changelist_url(model))
    assert response.status_code == 200
    if model is not Region:
        assert response.context["cl"].result_count == model.objects.count() > 0


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_the_administrator_can_open_the_change_page_of(model, administrator_client):
    obj = an_instance(model)
    assert obj is not None, f"the seeds hold no {model.__name__}"
    response = administrator_client.get(change_url(obj))
    assert response.status_code == 200
    assert response.context["original"] == obj


def test_the_task_change_page_shows_its_duties_inline(administrator_client):
    task = an_instance(Task)
    response = administrator_client.get(change_url(task))
    duty_formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Duty)
    assert duty_formset.formset.initial_form_count() == task.duties.count() == 5


def test_the_agency_change_page_shows_its_aliases_inline(administrator_client):
    response = administrator_client.get(change_url(an_instance(Agency)))
    alias_formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is AgencyAlias)
    assert [form.instance.name for form in alias_formset.formset.initial_forms] == ["区发改局"]


def test_the_plan_change_page_shows_its_warnings_read_only(administrator_client):
    plan = an_instance(Plan)
    response = administrator_client.get(change_url(plan))
    warnings = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is IngestWarning)
    assert warnings.formset.initial_form_count() == plan.warnings.count()
    assert not warnings.has_add_permission


def test_searching_agencies_for_a_short_form_finds_the_agency_by_its_alias(administrator_client):
    response = administrator_client.get(changelist_url(Agency), {"q": "发改局"})
    found = list(response.context["cl"].queryset)
    assert Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局") in found
    assert all("发改局" in a.name or a.aliases.filter(name__contains="发改局").exists() for a in found)


def test_the_agency_changelist_counts_each_agencys_duties(administrator_client):
    response = administrator_client.get(changelist_url(Agency), {"q": "国网株洲供电公司"})
    (company,) = response.context["cl"].queryset
    assert company.duty_count == 4


def test_searching_tasks_by_an_agency_name_finds_its_tasks(administrator_client):
    response = administrator_client.get(changelist_url(Task), {"q": "国网株洲供电公司"})
    found = set(response.context["cl"].queryset)
    assert found == set(Task.objects.filter(duties__agency__name="国网株洲供电公司"))


def test_searching_duties_by_an_alias_finds_the_duties_of_that_agency(administrator_client):
    response = administrator_client.get(changelist_url(Duty), {"q": "生态环境石峰局"})
    found = list(response.context["cl"].queryset)
    assert found
    assert {d.agency.name for d in found} == {"生态环境石峰分局"}


def test_searching_plans_by_region_finds_the_plans_of_that_region(administrator_client):
    response = administrator_client.get(changelist_url(Plan), {"q": "株洲市"})
    assert {p.title for p in response.context["cl"].queryset} == {"株洲市石峰区碳达峰实施方案", "株洲市碳达峰实施方案"}


def test_regions_come_from_the_package_and_cannot_be_added_or_deleted(administrator_client):
    assert administrator_client.get(reverse("admin:agencies_region_add")).status_code == 403
    shifeng = an_instance(Region)
    delete = reverse("admin:agencies_region_delete", args=[shifeng.pk])
    assert administrator_client.get(delete).status_code == 403


@pytest.mark.filterwarnings("ignore::django.core.paginator.UnorderedObjectListWarning")  # the bug below
def test_the_agency_autocomplete_used_by_the_duty_inline_finds_agencies_by_alias(administrator_client):
    response = administrator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "plans", "model_name": "duty", "field_name": "agency", "term": "区发改局"},
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局").pk in ids


def test_the_agency_autocomplete_pages_through_agencies_in_a_stable_order(administrator_client):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = administrator_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "plans", "model_name": "duty", "field_name": "agency", "term": "区"},
        )
    assert response.json()["pagination"]["more"] is True


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_the_outsider_is_sent_to_the_login_page_from_the_changelist_of(model, outsider_client):
    url = changelist_url(model)
    response = outsider_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert f"next={url}" in response["Location"]


def test_the_outsider_is_sent_to_the_login_page_from_a_change_page(outsider_client):
    response = outsider_client.get(change_url(an_instance(Task)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(changelist_url(Plan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_history_pages_open_and_duties_are_read_only(administrator_client):
    duty = Duty.objects.filter(task__plan=seed_plan("000")).first()
    duty._change_reason = "测试"
    duty.save()
    url = reverse("admin:plans_duty_history", args=[duty.pk])
    response = administrator_client.get(url)
    assert response.status_code == 200 and "测试" in response.content.decode()
    agency = Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局")
    assert administrator_client.get(reverse("admin:agencies_agency_history", args=[agency.pk])).status_code == 200
    # A duty is changed on the task page, where the rules and the history live.
    assert administrator_client.post(change_url(duty), {"role": "lead"}).status_code == 403
