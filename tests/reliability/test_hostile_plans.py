"""Hostile plan files: values the database cannot hold are refused or left out with a warning at their line, never
a crash; a file too large is refused before it is read; a bad file in a folder does not stop the others."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from plans.ingestion.limits import fit
from plans.models import IngestWarning, Plan, Target
from plans.parsing import parse_plan

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

REGION = "长沙市雨花区"  # no other test stores a plan here


def plan_text(clause="区发展和改革局牵头，区财政局配合", target="到2025年，新增光伏装机100万千瓦。", cover=""):
    return f"""{cover}长沙市雨花区碳达峰实施方案

一、主要目标
{target}

二、重点任务
（一）推进能源绿色低碳转型
1.大力发展新能源。加快分布式光伏建设。（{clause}）
2.严格控制煤炭消费。推动煤电节能降碳改造。（区工业和信息化局负责）
"""


def warnings(plan) -> list[str]:
    return list(IngestWarning.objects.filter(plan=plan, code="out_of_range").values_list("message", flat=True))


def test_a_nul_byte_is_dropped_and_the_plan_stored(ingest_text):
    result = ingest_text(plan_text(clause="区发展和改\x00革局牵头，区财政局配合"))
    assert "\x00" not in result.plan.source_text
    assert result.plan.tasks.get(ref="2.1.1").duties.filter(agency__name="区发展和改革局").exists()


def test_a_unit_name_no_agency_can_have_is_left_out_with_a_warning(ingest_text):
    result = ingest_text(plan_text(clause="区发展和改革局牵头，区财政局、" + "区" + "很" * 160 + "局配合"))
    task = result.plan.tasks.get(ref="2.1.1")
    assert sorted(task.duties.values_list("agency__name", flat=True)) == ["区发展和改革局", "区财政局"]
    assert [m[:6] for m in warnings(result.plan)] == ["单位名称过长"]
    assert IngestWarning.objects.filter(plan=result.plan, code="out_of_range").get().line == 8


def test_an_issuer_and_a_document_number_too_long_are_left_out_with_a_warning():
    # The cover reader takes neither from a plan text this long; the loader's edge holds whatever reader comes.
    parsed = parse_plan(plan_text(), "plan.txt")
    parsed.issuer, parsed.doc_number = "某" * 140, "雨" * 86 + "〔2024〕1号"
    fit(parsed, lambda text: None)
    assert (parsed.issuer, parsed.doc_number) == ("", "")
    assert [w.message[:4] for w in parsed.warnings if w.code == "out_of_range"] == ["印发机关", "文号过长"]


def test_a_target_too_large_keeps_its_words_and_the_plan_page_renders(ingest_text):
    result = ingest_text(plan_text(target="到2025年，新增光伏装机1000000000000万千瓦。"))
    target = Target.objects.get(plan=result.plan, task__isnull=True)
    assert target.value is None and "1000000000000" in target.text
    assert warnings(result.plan)
    assert Client().get(result.plan.get_absolute_url()).status_code == 200


def test_a_title_no_plan_has_is_not_taken_and_the_plan_is_stored_under_a_title_it_says_it_guessed(ingest_text):
    long_title = "长沙市雨花区" + "关于推进" * 60 + "实施方案"
    result = ingest_text(plan_text().replace("长沙市雨花区碳达峰实施方案", long_title, 1))
    assert len(result.plan.title) <= 100 and "关于推进关于推进" not in result.plan.title
    [guessed] = result.plan.warnings.filter(code="title_guessed")
    assert "请核对" in guessed.message


def test_a_file_too_large_is_refused_before_it_is_read_and_the_folder_goes_on(tmp_path):
    (tmp_path / "a-huge.txt").write_bytes(b"x" * (21 * 1024 * 1024))
    (tmp_path / "b-plan.txt").write_text(plan_text(), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 个文件未导入"):
        call_command("ingest_plans", str(tmp_path), stdout=out, stderr=err)
    assert "a-huge.txt" in err.getvalue() and "文件太大（21.0 MB）" in err.getvalue()
    assert Plan.objects.filter(region__full_name=REGION).count() == 1
