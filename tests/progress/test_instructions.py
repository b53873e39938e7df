"""领导批示: recorded on a task by its coordinator, at the top of the task, in the 进展台账 and in the 待办 of the
task's units."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from progress.models import InboxItem, Instruction
from tests.pages import get_page
from tests.workbooks import get_workbook

from .support import open_round

pytestmark = pytest.mark.django_db

TEXT = "此项工作事关全局，请发改、生态环境部门加快推进，月底前报进展。"


def test_an_instruction_is_shown_told_and_printed(cast):
    client = Client()
    client.force_login(cast.coordinator)
    round = open_round(cast.plan, cast.coordinator)
    response = client.post(
        f"/progress/tasks/{cast.task.pk}/instructions/", {"leader": "张市长", "given_on": "2026-11-02", "text": TEXT}
    )
    assert response.status_code == 302
    instruction = Instruction.objects.get(task=cast.task)
    assert instruction.history.get().history_user == cast.coordinator
    page = get_page(client, f"/progress/tasks/{cast.task.pk}/")
    top = page.select_one("#instructions")
    assert TEXT in top.text and "张市长" in top.text
    # Both the lead's and the cooperating unit's staff find it in their 待办.
    for staff in (cast.lead_staff, cast.cooperating_staff):
        item = InboxItem.objects.of(staff).get(kind="instruction")
        assert item.text == f"【领导批示】张市长（2026-11-02）：{TEXT}"
    workbook, _ = get_workbook(client, f"/progress/rounds/{round.pk}/ledger.xlsx")
    cells = [row[1].value for row in workbook.active.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert any(cell.startswith(cast.task.heading) and "【领导批示】张市长" in cell for cell in cells)


def test_an_incomplete_instruction_is_refused_with_a_reason_and_what_was_typed_stays(cast, client):
    client.force_login(cast.coordinator)
    response = client.post(
        f"/progress/tasks/{cast.task.pk}/instructions/", {"leader": "张市长", "text": TEXT, "given_on": "昨天"}
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert "领导批示没有登记" in page.select_one(".messages").text
    form = page.select_one("#instruction-form")
    assert form.select_one("input[name=leader]")["value"] == "张市长"
    assert form.select_one("textarea[name=text]").text.strip() == TEXT
    assert not Instruction.objects.exists()
