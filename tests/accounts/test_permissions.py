"""Every view that writes, for every member of the cast: allowed users get through, the others 403 or 404, never 500.

The cast (tests/conftest.py `cast`) stands around one task of seed 000. A view
missing from WRITE_VIEWS or READ_VIEWS fails `test_every_view_is_classified`, so
a new view cannot escape this matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from agencies.models import Agency, AgencyAlias
from plans.models import DivisionImport, Duty, Plan, PlanUpload, RemovedDuty, TaskNote
from plans.spreadsheets.division_import.proposal import read_and_propose
from tests.factories import seed_plan
from tests.workbooks import content_of

pytestmark = pytest.mark.django_db

ROLES = [
    "administrator",
    "coordinator",
    "other_coordinator",
    "lead_staff",
    "cooperating_staff",
    "outsider",
    "anonymous",
]
ADMIN = {"administrator"}
PLAN_EDITORS = {"administrator", "coordinator"}
LEAD_NOTE_WRITERS = {"administrator", "lead_staff"}


@dataclass
class Case:
    name: str  # the URL name
    method: str
    url: Callable  # (cast, objects) -> str
    allowed: set[str]
    data: Callable = lambda cast, objects: {}  # noqa: E731


@pytest.fixture(scope="module")
def division_workbook(django_db_setup, django_db_blocker) -> bytes:
    """Seed 000's own 分工表, as a user would download it to send back: made once, the seeds never change here."""
    with django_db_blocker.unblock():
        plan = seed_plan("000")
        workbook = content_of(Client().get(f"/plans/{plan.pk}/division.xlsx"))
        assert read_and_propose(plan, workbook).changes == []
    return workbook


def _objects(cast, workbook: bytes) -> dict:
    """Rows the write views act on, made the way the app makes them."""
    duty = Duty.objects.get(task=cast.task, agency=cast.cooperating)
    duty.role = Duty.Role.JOINT
    duty.source = Duty.Source.MANUAL
    duty._change_reason = "测试"
    duty.save()
    alias = AgencyAlias.objects.filter(agency__region=cast.plan.region).select_related("agency").first()
    other = Agency.objects.filter(region=cast.plan.region).exclude(pk__in=[alias.agency_id]).order_by("pk").first()
    upload = PlanUpload.objects.create(file_name="plan.txt", checksum="0" * 64, data=b"x")
    division_import = DivisionImport.objects.create(
        plan=cast.plan, file_name="分工表.xlsx", checksum="0" * 64, workbook=workbook
    )
    latest = duty.history.latest()
    return {
        "history_id": latest.history_id,
        "change_key": str(latest.history_change_id) if latest.history_change_id else f"row-{latest.history_id}",
        "alias": alias,
        "other": other,
        "upload": upload,
        "import": division_import,
    }


PLAN_COORDINATORS = {"administrator", "coordinator", "other_coordinator"}

CASES = [
    # Writes nothing, but serves only those who may edit some plan, so it is in the matrix too.
    Case("plans:agency-autocomplete", "get", lambda c, o: "/agencies/autocomplete/?q=fgj", PLAN_COORDINATORS),
    Case("agencies:duplicates", "get", lambda c, o: "/agencies/duplicates/", ADMIN),
    Case("plans:task-edit", "get", lambda c, o: f"/tasks/{c.task.pk}/edit/", PLAN_EDITORS),
    Case("plans:task-edit", "post", lambda c, o: f"/tasks/{c.task.pk}/edit/", PLAN_EDITORS),
    Case(
        "plans:duty-revert", "post", lambda c, o: f"/tasks/{c.task.pk}/history/{o['history_id']}/revert/", PLAN_EDITORS
    ),
    Case(
        "plans:change-revert", "get", lambda c, o: f"/tasks/{c.task.pk}/changes/{o['change_key']}/revert/", PLAN_EDITORS
    ),
    Case(
        "plans:change-revert",
        "post",
        lambda c, o: f"/tasks/{c.task.pk}/changes/{o['change_key']}/revert/",
        PLAN_EDITORS,
    ),
    Case(
        "plans:task-note",
        "post",
        lambda c, o: f"/tasks/{c.task.pk}/notes/{c.lead.pk}/",
        LEAD_NOTE_WRITERS,
        lambda c, o: {f"note-{c.lead.pk}-note": "进展"},
    ),
    Case(
        "plans:warning-check",
        "post",
        lambda c, o: f"/plans/{c.plan.pk}/warnings/{c.plan.warnings.order_by('position').first().pk}/check/",
        PLAN_EDITORS,
    ),
    Case(
        "plans:plan-state",
        "post",
        lambda c, o: f"/plans/{c.plan.pk}/state/",
        PLAN_EDITORS,
        lambda c, o: {"state": "reference", "reason": "权限测试"},
    ),
    Case("plans:upload", "get", lambda c, o: "/plans/upload/", ADMIN),
    Case(
        "plans:upload",
        "post",
        lambda c, o: "/plans/upload/",
        ADMIN,
        lambda c, o: {"file": SimpleUploadedFile("x.txt", "不是方案".encode())},
    ),
    Case("plans:upload-detail", "get", lambda c, o: f"/uploads/{o['upload'].pk}/", ADMIN),
    Case("plans:upload-confirm", "post", lambda c, o: f"/uploads/{o['upload'].pk}/confirm/", ADMIN),
    Case("plans:upload-cancel", "post", lambda c, o: f"/uploads/{o['upload'].pk}/cancel/", ADMIN),
    Case(
        "plans:upload-region",
        "post",
        lambda c, o: f"/uploads/{o['upload'].pk}/region/",
        ADMIN,
        lambda c, o: {"search": "430103"},
    ),
    Case(
        "plans:upload-corrections",
        "post",
        lambda c, o: f"/uploads/{o['upload'].pk}/corrections/",
        ADMIN,
        lambda c, o: {"title": "更正后的标题", "lead_convention": "first_listed"},
    ),
    Case("plans:import-upload", "get", lambda c, o: f"/plans/{c.plan.pk}/import/", PLAN_EDITORS),
    Case("plans:import-upload", "post", lambda c, o: f"/plans/{c.plan.pk}/import/", PLAN_EDITORS),
    Case("plans:import-detail", "get", lambda c, o: f"/imports/{o['import'].pk}/", PLAN_EDITORS),
    Case("plans:import-apply", "post", lambda c, o: f"/imports/{o['import'].pk}/apply/", PLAN_EDITORS),
    Case("plans:import-cancel", "post", lambda c, o: f"/imports/{o['import'].pk}/cancel/", PLAN_EDITORS),
    Case("plans:import-annotated", "get", lambda c, o: f"/imports/{o['import'].pk}/annotated.xlsx", PLAN_EDITORS),
    Case(
        "agencies:contact",
        "post",
        lambda c, o: f"/agencies/{c.lead.pk}/contact/",
        LEAD_NOTE_WRITERS,
        lambda c, o: {"contact_person": "王五"},
    ),
    Case("agencies:edit", "get", lambda c, o: f"/agencies/{c.lead.pk}/edit/", ADMIN),
    Case("agencies:edit", "post", lambda c, o: f"/agencies/{c.lead.pk}/edit/", ADMIN),
    Case("agencies:merge", "get", lambda c, o: f"/agencies/{o['other'].pk}/merge/", ADMIN),
    Case(
        "agencies:merge",
        "post",
        lambda c, o: f"/agencies/{o['other'].pk}/merge/",
        ADMIN,
        lambda c, o: {"into": o["alias"].agency_id},
    ),
    Case(
        "agencies:alias-add",
        "post",
        lambda c, o: f"/agencies/{c.lead.pk}/aliases/add/",
        ADMIN,
        lambda c, o: {"name": "测试别名局"},
    ),
    Case(
        "agencies:alias-remove",
        "post",
        lambda c, o: f"/agencies/{o['alias'].agency_id}/aliases/{o['alias'].pk}/remove/",
        ADMIN,
    ),
    Case(
        "agencies:alias-split",
        "post",
        lambda c, o: f"/agencies/{o['alias'].agency_id}/aliases/{o['alias'].pk}/split/",
        ADMIN,
    ),
]

# Views that only read: open to everyone who may read the site.
READ_VIEWS = {
    "plans:home",
    "plans:plan-original",
    "plans:search",
    "plans:plan-detail",
    "plans:plan-matrix",
    "plans:plan-division-xlsx",
    "plans:plan-matrix-xlsx",
    "plans:task-detail",
    "plans:api-plan-list",
    "plans:api-plan-detail",
    "plans:api-agency-duties",
    "plans:agency-index",
    "plans:mine",
    "plans:agency-duties",
    "plans:agency-duties-xlsx",
    "agencies:history",  # signed-in users; tests/agencies/test_edit_views.py
}
# Open to everyone, signed in or not, even when the site is closed to anonymous readers: tests/test_serving.py.
PUBLIC_VIEWS = {"healthz"}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    """Our views' URL names: the plans and agencies apps', and the project's own (no namespace)."""
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"plans", "agencies"}:
                names |= _names(pattern, pattern.namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_view_is_classified():
    assert _names(get_resolver()) == READ_VIEWS | PUBLIC_VIEWS | {case.name for case in CASES}


def _snapshot() -> dict:
    models = (Duty, RemovedDuty, Agency, AgencyAlias, TaskNote, PlanUpload, DivisionImport)
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models} | {
        "duties": sorted(Duty.objects.values_list("pk", "agency_id", "role", "position")),
        "agencies": sorted(Agency.objects.values_list("pk", "name", "kind", "contact_person")),
        "uploads": sorted(PlanUpload.objects.values_list("pk", "status")),
        "imports": sorted(DivisionImport.objects.values_list("pk", "status")),
        "plan states": sorted(Plan.objects.values_list("pk", "state")),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_write_views_answer_each_role(case, role, cast, division_workbook):
    objects = _objects(cast, division_workbook)
    client = Client()
    user = getattr(cast, role)
    if user is not None:
        client.force_login(user)
    before = _snapshot()
    response = getattr(client, case.method)(case.url(cast, objects), case.data(cast, objects))
    assert response.status_code != 500
    if role in case.allowed:
        assert response.status_code not in {401, 403, 404}, response.status_code
    else:
        assert response.status_code in {403, 404}, response.status_code
        assert _snapshot() == before  # refused means nothing written


@pytest.mark.parametrize("role", ROLES)
def test_unknown_ids_are_404_for_everyone(role, cast):
    client = Client()
    user = getattr(cast, role)
    if user is not None:
        client.force_login(user)
    for method, url in [
        ("get", "/tasks/999999/edit/"),
        ("post", f"/tasks/{cast.task.pk}/history/999999999/revert/"),
        ("post", "/tasks/999999/notes/1/"),
        ("get", "/uploads/999999/"),
        ("post", "/uploads/999999/confirm/"),
        ("post", "/uploads/999999/corrections/"),
        ("get", "/agencies/999999/edit/"),
        ("post", "/agencies/999999/aliases/add/"),
        ("post", f"/agencies/{cast.lead.pk}/aliases/999999/split/"),
        ("get", "/imports/999999/"),
    ]:
        response = getattr(client, method)(url)
        # 404 for those who could act on it; 403 is as good for those who never could.
        assert response.status_code in {403, 404}, (url, response.status_code)
