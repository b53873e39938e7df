"""Agency staff keep their agency's contact person and notes on their tasks; nobody else's."""

import pytest
from django.test import Client

from plans.models import Duty, RemovedDuty, TaskNote
from tests.pages import get_page, get_page_from, text, texts

pytestmark = pytest.mark.django_db


def note_url(cast, agency):
    return f"/tasks/{cast.task.pk}/notes/{agency.pk}/"


def post_note(client, cast, agency, **fields):
    data = {f"note-{agency.pk}-{k}": v for k, v in fields.items()}
    return client.post(note_url(cast, agency), data)


def test_staff_write_their_agencys_note_and_see_it_on_the_task(cast, client):
    client.force_login(cast.lead_staff)
    soup = get_page(client, f"/tasks/{cast.task.pk}/")
    forms = soup.select("#notes form")
    assert [f["action"] for f in forms] == [note_url(cast, cast.lead)]  # only his own agency's
    fields = {"contact_person": "张三", "contact_phone": "0731-1234567", "note": "已完成调研"}
    response = post_note(client, cast, cast.lead, **fields)
    assert response.status_code == 302 and response["Location"] == f"/tasks/{cast.task.pk}/#notes"
    note = TaskNote.objects.get(task=cast.task, agency=cast.lead)
    assert (note.contact_person, note.note, note.updated_by) == ("张三", "已完成调研", cast.lead_staff)
    assert note.history.get().history_user == cast.lead_staff
    soup = get_page(client, f"/tasks/{cast.task.pk}/")
    assert "已完成调研" in text(soup, f"#note-{cast.lead.pk}")
    assert "张三（0731-1234567）" in text(soup, f"#note-{cast.lead.pk}")


def test_notes_are_for_signed_in_users_only(cast):
    TaskNote.objects.create(task=cast.task, agency=cast.lead, note="内部进展")
    assert get_page(Client(), f"/tasks/{cast.task.pk}/").select_one("#notes") is None
    client = Client()
    client.force_login(cast.outsider)
    soup = get_page(client, f"/tasks/{cast.task.pk}/")
    assert "内部进展" in text(soup, "#notes")
    assert soup.select("#notes form") == []


@pytest.mark.parametrize("who", ["cooperating_staff", "coordinator", "outsider", "anonymous", "other_coordinator"])
def test_others_cannot_write_an_agencys_note(cast, who):
    client = Client()
    if getattr(cast, who):
        client.force_login(getattr(cast, who))
    assert post_note(client, cast, cast.lead, note="篡改").status_code == 403
    assert not TaskNote.objects.exists()


def test_an_administrator_may_write_any_agencys_note(cast, client):
    client.force_login(cast.administrator)
    assert post_note(client, cast, cast.cooperating, note="代为填写").status_code == 302
    assert TaskNote.objects.get().agency == cast.cooperating


def test_notes_only_for_the_agencys_own_tasks_and_real_ids(cast, client):
    client.force_login(cast.administrator)
    stranger = Duty.objects.exclude(task=cast.task).exclude(agency__duties__task=cast.task).first().agency
    assert post_note(client, cast, stranger, note="x").status_code == 404
    assert client.post(f"/tasks/999999/notes/{cast.lead.pk}/").status_code == 404
    assert client.post(f"/tasks/{cast.task.pk}/notes/999999/").status_code == 404
    assert client.get(note_url(cast, cast.lead)).status_code == 405


def test_a_note_outlives_the_duty_it_was_written_for(cast, client):
    TaskNote.objects.create(task=cast.task, agency=cast.cooperating, note="配合事项进展")
    duty = Duty.objects.get(task=cast.task, agency=cast.cooperating)
    RemovedDuty.objects.create(task=cast.task, agency=cast.cooperating, role=duty.role)
    duty.delete()
    client.force_login(cast.cooperating_staff)
    soup = get_page(client, f"/tasks/{cast.task.pk}/")
    assert "配合事项进展" in text(soup, f"#note-{cast.cooperating.pk}")


def test_a_note_too_long_is_refused_with_the_form(cast, client):
    client.force_login(cast.lead_staff)
    response = post_note(client, cast, cast.lead, note="长" * 2001)
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    assert not TaskNote.objects.exists()


def test_notes_are_escaped(cast, client):
    client.force_login(cast.lead_staff)
    post_note(client, cast, cast.lead, contact_person="<b>x</b>", note="<script>alert(1)</script>")
    html = client.get(f"/tasks/{cast.task.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_staff_keep_their_agencys_contact_person(cast, client):
    url = f"/agencies/{cast.lead.pk}/contact/"
    assert Client().post(url, {"contact_person": "x"}).status_code == 403
    client.force_login(cast.cooperating_staff)
    assert client.post(url, {"contact_person": "x"}).status_code == 403
    client.force_login(cast.lead_staff)
    soup = get_page(client, f"/agencies/{cast.lead.pk}/")
    assert soup.select_one(f"form[action='{url}']") is not None
    response = client.post(url, {"contact_person": "李四", "contact_phone": "0731-7654321"})
    assert response.status_code == 302
    cast.lead.refresh_from_db()
    assert (cast.lead.contact_person, cast.lead.contact_phone) == ("李四", "0731-7654321")
    assert cast.lead.history.latest().history_change_reason == "更新联系人"
    assert "联系人：李四" in text(get_page(Client(), f"/agencies/{cast.lead.pk}/"), "#agency-contact")
    assert texts(get_page(Client(), f"/agencies/{cast.lead.pk}/"), "details.contact-form") == []


def test_a_note_saved_by_someone_else_meanwhile_is_shown_not_overwritten(cast, administrator):
    mine, theirs = Client(), Client()
    mine.force_login(cast.lead_staff)
    theirs.force_login(administrator)
    post_note(mine, cast, cast.lead, note="第一版", version="")
    opened = get_page(mine, f"/tasks/{cast.task.pk}/").select_one(f'#note-{cast.lead.pk} input[name$="-version"]')
    theirs_page = get_page(theirs, f"/tasks/{cast.task.pk}/").select_one(
        f'#note-{cast.lead.pk} input[name$="-version"]'
    )
    assert post_note(theirs, cast, cast.lead, note="管理员补充", version=theirs_page["value"]).status_code == 302
    response = post_note(mine, cast, cast.lead, note="我的第二版", version=opened["value"])
    assert response.status_code == 409
    soup = get_page_from(response)
    assert "已被他人修改" in text(soup, "#note-conflict") and "administrator" in text(soup, "#note-conflict")
    assert "我的第二版" in text(soup, "#note-typed")
    assert soup.select_one("textarea").get_text().strip() == "管理员补充"
    assert TaskNote.objects.get(task=cast.task, agency=cast.lead).note == "管理员补充"
    assert [h.note for h in TaskNote.history.filter(task=cast.task).order_by("history_id")] == ["第一版", "管理员补充"]
