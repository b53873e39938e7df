"""A plan is never turned away for its cover: the upload preview shows a guessed title or region marked 待核对 with
the clue it came from, offers the other candidates, and a 分工表 workbook uploads as a plan of its own."""

from __future__ import annotations

import pytest

from plans.models import IngestWarning, PlanUpload
from tests.pages import get_page, text
from tests.plans.test_upload import confirm, upload
from tests.workbooks import xlsx_with

pytestmark = pytest.mark.django_db

BODY = "一、重点任务\n1.发展新能源。建设光伏。（区发展和改革局牵头，区财政局配合）\n"


def test_a_file_without_a_title_line_is_previewed_under_its_file_name_marked_for_checking(administrator_client):
    record = upload(
        administrator_client,
        "各单位：\n" + BODY.replace("建设光伏。", "长沙市天心区建设光伏。"),
        "天心区2025年工作要点.txt",
    )
    page = get_page(administrator_client, record.get_absolute_url())
    assert page.select_one("#upload-corrections input[name=title]")["value"] == "天心区2025年工作要点"
    assert text(page, "#title-doubt") == "待核对"
    assert "按文件名推定" in page.select_one("#upload-corrections .title-field").get_text()


def test_a_region_only_one_candidate_fits_is_taken_and_marked_for_checking(administrator_client):
    plan = "某某行动方案\n" + BODY.replace("建设光伏。", "在长沙市天心区建设光伏。")
    record = upload(administrator_client, plan, "plan.txt")
    page = get_page(administrator_client, record.get_absolute_url())
    assert text(page, "#upload-region").startswith("长沙市天心区 待核对")
    assert "唯一的候选行政区" in text(page, "#upload-region")
    assert page.select_one("#region-change").has_attr("open")  # the form to change it is open already
    confirm(administrator_client, record)
    record.refresh_from_db()
    stored = record.plan
    assert stored.region.full_name == "长沙市天心区"
    assert stored.warnings.filter(code=IngestWarning.Code.REGION_GUESSED).exists()


def test_a_true_tie_is_asked_with_the_likeliest_candidate_chosen_already(administrator_client):
    plan = "鼓楼区碳达峰实施方案\n" + BODY.replace("建设光伏。", "我区建设光伏。")
    record = upload(administrator_client, plan, "gulou.txt")
    page = get_page(administrator_client, record.get_absolute_url())
    assert page.select_one("#region-question") is not None
    checked = page.select("#region-form input[name=region][checked]")
    assert len(checked) == 1


def _workbook() -> bytes:
    return xlsx_with(
        [
            ["长沙市天心区2025年优化营商环境重点任务分工表"],
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            [1, "推进一网通办", "区政务服务中心", "区发展和改革局、区司法局", "2025年底前"],
            [2, "开展营商环境评价", "区发展和改革局", "各街道", "2025年10月底前"],
        ],
        merges=("A1:E1",),
    )


def test_a_division_workbook_uploads_as_a_plan_with_every_rows_units(administrator_client):
    record = upload(administrator_client, _workbook(), "分工表.xlsx")
    assert record.status == PlanUpload.Status.PENDING
    confirm(administrator_client, record)
    record.refresh_from_db()
    plan = record.plan
    assert (plan.title, plan.region.full_name) == ("长沙市天心区2025年优化营商环境重点任务分工表", "长沙市天心区")
    rows = {
        task.title: sorted((d.agency.name, d.role) for d in task.duties.all())
        for task in plan.tasks.prefetch_related("duties__agency")
    }
    assert rows == {
        "推进一网通办": [("区发展和改革局", "cooperating"), ("区司法局", "cooperating"), ("区政务服务中心", "lead")],
        "开展营商环境评价": [("区发展和改革局", "lead"), ("各街道", "cooperating")],
    }
