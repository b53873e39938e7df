"""An agency's 任务清单 as Excel: the duty list page's filters and order, every row, read back from the file."""

from datetime import date

import pytest

from agencies.models import Agency
from plans.models import Duty
from plans.views import agencies as views
from tests.factories import TIANXIN_PLAN, region, seed_plan
from tests.pages import get_page
from tests.workbooks import attachment, get_workbook, merged, table_rows, values

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 21)
HEADER = [
    "序号",
    "所属方案",
    "章节",
    "重点任务",
    "任务内容",
    "本单位职责",
    "牵头单位",
    "配合单位",
    "共同负责单位",
    "目标与时限",
]
# agency, its duties counted (the plans to filter by), the listed tasks' duties, their targets, the rows themselves
# (read in chunks: one query however many, on PostgreSQL a server-side cursor; plans.spreadsheets.sources); with a
# plan chosen, its sections too (the filters in words).
EXPORT_QUERIES = 5
EXPORT_IN_A_PLAN_QUERIES = 6


@pytest.fixture(autouse=True)
def export_day(monkeypatch):
    monkeypatch.setattr(views, "localdate", lambda: DAY)


def agency(region_name: str, name: str) -> Agency:
    return Agency.objects.get(region=region(region_name), name=name)


def export_url(a: Agency, query: str = "") -> str:
    return f"/agencies/{a.pk}/export.xlsx{query}"


def bureau() -> Agency:
    return agency("株洲市石峰区", "区发展和改革局")


def test_the_task_list_has_a_title_a_date_and_the_header(client):
    workbook, response = get_workbook(client, export_url(bureau()))
    assert response["Content-Disposition"] == attachment("株洲市石峰区发展和改革局-任务清单-20261121.xlsx")
    assert workbook.sheetnames == ["任务清单"]
    ws = workbook.active
    assert values(ws, 1)[0] == "株洲市石峰区发展和改革局 任务清单"
    assert values(ws, 2)[0] == "导出日期：2026年11月21日"
    assert values(ws, 3) == HEADER
    assert {"A1:J1", "A2:J2"} <= merged(ws)


def test_every_task_of_the_agency_is_listed_led_first(client):
    workbook, _ = get_workbook(client, export_url(bureau()))
    rows = table_rows(workbook.active)
    assert len(rows) == 32 == bureau().duties.count()
    assert [row[0] for row in rows] == list(range(1, 33))
    roles = [row[5] for row in rows]
    leads = roles.count("牵头")
    assert leads > 0 and roles[:leads] == ["牵头"] * leads
    assert {row[1] for row in rows} == {str(seed_plan("000"))}


def test_a_long_list_is_exported_whole_not_paged(client):
    collective = agency("湘潭市", "各县市区")  # 52 duties, two pages on screen
    workbook, _ = get_workbook(client, export_url(collective, "?page=2&per_page=10"))
    assert len(table_rows(workbook.active)) == 52


def test_each_row_gives_the_task_its_units_in_order_and_its_targets(client):
    forestry = agency("株洲市石峰区", "区自然资源局")
    workbook, _ = get_workbook(client, export_url(forestry))
    rows = table_rows(workbook.active)
    duty = (
        Duty.objects.filter(agency=forestry, task__targets__isnull=False)
        .select_related("task__section", "task__plan")
        .first()
    )
    task = duty.task
    row = next(r for r in rows if r[3] == task.heading)
    duties = list(task.duties.select_related("agency").order_by("position"))
    assert row[1:6] == [str(task.plan), task.section.heading, task.heading, task.body, duty.role_label]
    assert row[6] == "、".join(d.agency.name for d in duties if d.role == "lead")
    assert row[7] == ("、".join(d.agency.name for d in duties if d.role == "cooperating") or None)
    assert row[9].split("\n") == [f"{t.label}：{t.statement}" for t in task.target_lines()]
    assert not [line for line in row[9].split("\n") if line.startswith("2030年：2030年")]  # the label once
    assert any("到2025年：森林覆盖率达到31.87%" in (r[9] or "") for r in rows)


def test_filtering_by_role_exports_only_that_role_and_says_so(client):
    workbook, _ = get_workbook(client, export_url(bureau(), "?role=cooperating"))
    ws = workbook.active
    rows = table_rows(ws)
    assert rows and {row[5] for row in rows} == {"配合"}
    assert len(rows) == bureau().duties.filter(role="cooperating").count()
    assert values(ws, 2)[0] == "导出日期：2026年11月21日　筛选条件：职责：配合"


def test_filtering_by_plan_and_section(client):
    company = Agency.objects.get(name="国网株洲供电公司")
    city = seed_plan("002")
    workbook, _ = get_workbook(client, export_url(company, f"?plan={city.pk}"))
    rows = table_rows(workbook.active)
    assert {row[1] for row in rows} == {str(city)}
    assert len(rows) == company.duties.filter(task__plan=city).count()
    assert f"方案：{city}" in values(workbook.active, 2)[0]
    duty = company.duties.filter(task__plan=city).select_related("task__section").first()
    workbook, _ = get_workbook(client, export_url(company, f"?section={duty.task.section_id}"))
    assert {row[2] for row in table_rows(workbook.active)} == {duty.task.section.heading}
    assert f"章节：{duty.task.section}" in values(workbook.active, 2)[0]


def test_a_filter_that_matches_nothing_gives_the_header_alone(client):
    duties = bureau().duties
    shared = set(duties.filter(role="joint").values_list("task__section_id", flat=True))
    section = next(pk for pk in duties.values_list("task__section_id", flat=True) if pk not in shared)
    workbook, _ = get_workbook(client, export_url(bureau(), f"?role=joint&section={section}"))
    ws = workbook.active
    assert values(ws, 3) == HEADER and table_rows(ws) == []
    assert ws.auto_filter.ref == "A3:J3"


def test_an_invalid_filter_is_ignored_as_on_the_page(client):
    workbook, _ = get_workbook(client, export_url(bureau(), "?role=boss&plan=abc"))
    assert len(table_rows(workbook.active)) == 32
    assert values(workbook.active, 2)[0] == "导出日期：2026年11月21日"


def test_the_export_keeps_the_pages_sort_order(client):
    duties = Duty.objects.filter(agency=bureau()).select_related("task").order_by("task__position")
    workbook, _ = get_workbook(client, export_url(bureau(), "?sort=task"))
    assert [row[3] for row in table_rows(workbook.active)] == [d.task.heading for d in duties]
    workbook, _ = get_workbook(client, export_url(bureau(), "?sort=-role"))
    roles = [row[5] for row in table_rows(workbook.active)]
    assert roles[0] == "配合" and roles[-1] == "牵头"


def test_the_task_list_is_formatted_for_printing(client):
    workbook, _ = get_workbook(client, export_url(bureau()))
    ws = workbook.active
    assert ws["A1"].font.name == "等线" and ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert all(cell.font.b and cell.fill.fill_type == "solid" for cell in ws[3])
    body = ws["E4"]
    assert body.font.name == "等线" and body.alignment.wrap_text and body.border.left.style == "thin"
    # Stored as Excel stores a width of 6 (or 60) characters: the characters plus the cell's padding.
    assert int(ws.column_dimensions["A"].width) == 6 and int(ws.column_dimensions["E"].width) == 60
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:J{ws.max_row}" and ws.max_row == 3 + 32
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_the_duty_list_links_to_the_export_with_its_filters_and_sort(client):
    a = bureau()
    soup = get_page(client, f"/agencies/{a.pk}/")
    assert soup.select_one("#duty-filter a#export-xlsx")["href"] == export_url(a)
    soup = get_page(client, f"/agencies/{a.pk}/?role=cooperating&sort=task")
    assert soup.select_one("a#export-xlsx")["href"] == export_url(a, "?role=cooperating&sort=task")


def test_an_unknown_agency_has_no_export(client):
    assert client.get("/agencies/999999/export.xlsx").status_code == 404


def test_the_export_runs_a_fixed_number_of_queries(client, ingest_text, django_assert_num_queries):
    ingest_text(TIANXIN_PLAN)
    few = Agency.objects.get(name="国网株洲供电公司")
    many = agency("湘潭市", "各县市区")
    for url, queries in (
        (export_url(few), EXPORT_QUERIES),
        (export_url(many), EXPORT_QUERIES),
        (export_url(many, f"?role=joint&plan={seed_plan('001').pk}&sort=-task"), EXPORT_IN_A_PLAN_QUERIES),
        (export_url(agency("长沙市天心区", "区发展和改革局")), EXPORT_QUERIES),
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
