"""One scope of the agencies a plan may name (agencies.scope): the edit form, the 分工表 import and the agency
suggestions accept the same agencies and refuse the same, and the plan's own agencies always count."""

import pytest
from django.test import Client

from agencies.models import Agency
from plans.spreadsheets.division_import.proposal import read_and_propose
from tests.factories import seed_plan
from tests.plans.test_editing import submit
from tests.plans.test_import import sheet_of, xlsx

pytestmark = pytest.mark.django_db

ZHUZHOU = "002"  # 株洲市: its districts (石峰区, seed 000) are under it; 湘潭市 (seed 001) is beside it


def accepted_by_the_edit_form(client, task, name: str) -> bool:
    response = submit(client, task, add_0_agency=name, add_0_role="cooperating")
    assert response.status_code in {302, 400}, response.status_code
    return response.status_code == 302


def accepted_by_the_import(plan, name: str, row: int = 2) -> bool:
    """Whether a sheet that adds `name` to the `row`th row's cooperating units proposes that and nothing wrong."""
    rows = sheet_of(plan)
    rows[row][3] = "、".join(filter(None, [rows[row][3], name]))
    proposal = read_and_propose(plan, xlsx(rows))
    return not proposal.problems and any(c.kind == "add" for c in proposal.changes)


def suggested(client, plan, name: str) -> bool:
    found = client.get("/agencies/autocomplete/", {"q": name, "plan": plan.pk}).json()["results"]
    return any(name in (r["name"], r["full_name"]) for r in found)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("株洲市石峰区财政局", True),  # a district under the plan's city
        ("市财政局", True),  # the plan's own bureau
        ("湘潭市财政局", False),  # a city beside it: unrelated to the plan
    ],
)
def test_the_edit_form_the_import_and_the_suggestions_agree(cast, name, expected):
    plan = seed_plan(ZHUZHOU)
    plan.coordinators.add(cast.coordinator)
    client = Client()
    client.force_login(cast.coordinator)
    # A task the agency is not on yet, so that adding it is a change.
    task = plan.tasks.order_by("position").exclude(duties__agency__in=plan.agency_scope().lookup([name])[name]).first()
    assert accepted_by_the_import(plan, name) is expected
    assert suggested(client, plan, name) is expected
    assert accepted_by_the_edit_form(client, task, name) is expected


HETANG_NAMING_XIANGTAN = """\
株洲市荷塘区碳达峰实施方案

一、重点任务
（一）推进区域协同
1.共建长株潭生态绿心。推进跨区域生态保护。（湘潭市生态环境局、区发展和改革局按职责分工负责）
2.推进交通低碳转型。加快新能源公交推广。（区交通运输局负责）
"""


def test_an_agency_the_plan_already_names_is_in_its_scope_wherever_it_is(cast, ingest_text):
    plan = ingest_text(HETANG_NAMING_XIANGTAN, name="hetang.txt").plan
    named = Agency.objects.get(duties__task__plan=plan, name="湘潭市生态环境局")
    assert named.region.full_name == "湘潭市"  # beside the plan's city, placed there by the name it writes
    plan.coordinators.add(cast.coordinator)
    client = Client()
    client.force_login(cast.coordinator)
    second = plan.tasks.get(ref="1.1.2")
    assert accepted_by_the_import(plan, "湘潭市生态环境局", row=3)
    assert suggested(client, plan, "湘潭市生态环境局")
    assert accepted_by_the_edit_form(client, second, "湘潭市生态环境局")
    assert not accepted_by_the_edit_form(client, second, "湘潭市财政局")
