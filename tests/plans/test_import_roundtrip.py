"""The 分工表 round trip: export a plan's 分工表, edit it as a clerk would, import it back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from agencies.models import Agency
from plans.models import DivisionImport, Duty
from plans.spreadsheets.division_import.proposal import edits, read_and_propose
from tests.factories import seed_plan
from tests.pages import get_page, texts
from tests.workbooks import content_of

pytestmark = pytest.mark.django_db


def exported(client, plan) -> bytes:
    response = client.get(f"/plans/{plan.pk}/division.xlsx")
    assert response.status_code == 200
    return content_of(response)


def header(ws) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(max_row=10):
        names = {cell.value: cell.column for cell in row if cell.value}
        if "重点任务" in names and "牵头单位" in names:
            return row[0].row, names
    raise AssertionError("no header row")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_an_exported_division_table_imports_with_no_change(client, prefix):
    plan = seed_plan(prefix)
    proposal = read_and_propose(plan, exported(client, plan))
    assert proposal.problems == []
    assert proposal.changes == []
    assert proposal.tasks_in_sheet == plan.tasks.count()


def test_one_lead_and_one_cooperating_unit_changed_in_excel_are_exactly_the_two_changes(administrator_client):
    plan = seed_plan("000")
    workbook = load_workbook(io.BytesIO(exported(administrator_client, plan)))
    ws = workbook.worksheets[0]
    header_row, columns = header(ws)
    # The first task with one lead and some cooperating units, and two bureaus it does not involve.
    for row in ws.iter_rows(min_row=header_row + 1):
        lead = row[columns["牵头单位"] - 1].value
        cooperating = row[columns["配合单位"] - 1].value
        if lead and cooperating and "、" not in lead:
            break
    task = plan.tasks.get(ref=row[columns["任务代码"] - 1].value)
    involved = set(task.duties.values_list("agency_id", flat=True))
    spare = Agency.objects.filter(region=plan.region, kind="department").exclude(pk__in=involved).order_by("sort_key")
    new_lead, new_partner = spare[0], spare[1]
    old_partners = cooperating.split("、")
    row[columns["牵头单位"] - 1].value = new_lead.name
    row[columns["配合单位"] - 1].value = "、".join([new_partner.name, *old_partners[1:]])
    edited = io.BytesIO()
    workbook.save(edited)

    upload = SimpleUploadedFile("分工表（修改）.xlsx", edited.getvalue())
    response = administrator_client.post(f"/plans/{plan.pk}/import/", {"workbook": upload})
    record = DivisionImport.objects.get()
    assert response["Location"] == f"/imports/{record.pk}/"
    proposed = texts(get_page(administrator_client, response["Location"]), "#import-changes tbody td:last-child")
    assert proposed == [f"牵头单位：{lead} → {new_lead.name}", f"配合单位：{old_partners[0]} → {new_partner.name}"]

    administrator_client.post(f"/imports/{record.pk}/apply/")
    duties = {d.agency.name: d for d in task.duties.select_related("agency")}
    assert duties[new_lead.name].role == "lead" and duties[new_partner.name].role == "cooperating"
    assert lead not in duties and old_partners[0] not in duties
    assert {duties[new_lead.name].source, duties[new_partner.name].source} == {Duty.Source.MANUAL}
    assert len(edits(read_and_propose(plan, edited.getvalue()).changes)) == 0  # nothing left to apply
