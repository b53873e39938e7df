"""The ingest_plans management command: what it prints, dry runs, folders, and refusing bad files."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Duty, Plan
from tests.factories import HETANG_JOINT_PLAN, SEED_DIR, SEED_FILES, TIANXIN_PLAN, model_counts

pytestmark = pytest.mark.django_db


def run(*args, **options) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("ingest_plans", *[str(a) for a in args], stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_the_command_prints_the_tasks_duties_new_agencies_and_warnings_of_a_new_plan(write_plan):
    out, err = run(write_plan(TIANXIN_PLAN, "tianxin.txt"))
    assert err == ""
    assert "tianxin.txt: 新建 《长沙市天心区碳达峰实施方案》 任务 3，职责 8，新建单位 5，提示 1" in out
    assert "提示[alias_matched] 第14行 “区发改局”按别名归入“区发展和改革局”" in out
    assert Plan.objects.filter(title="长沙市天心区碳达峰实施方案").exists()


def test_the_command_names_each_new_agency_at_higher_verbosity(write_plan):
    out, _ = run(write_plan(TIANXIN_PLAN, "tianxin.txt"), verbosity=2)
    assert "新建单位：长沙市天心区发展和改革局" in out
    assert "新建单位：长沙市天心区财政局" in out


def test_the_command_reports_a_seed_already_stored_as_unchanged_with_its_warning_count_only():
    out, _ = run(SEED_FILES[0])
    assert out.strip() == (
        "000_8843b40b29777ba3.txt: 未变化 《株洲市石峰区碳达峰实施方案（征求意见稿）》 "
        "任务 47，职责 170，新建单位 0，提示 6"
    )


def test_the_command_reports_a_changed_plan_as_updated(write_plan):
    path = write_plan(TIANXIN_PLAN, "tianxin.txt")
    run(path)
    path.write_text(TIANXIN_PLAN.replace("区自然资源局按职责", "区商务局按职责"), encoding="utf-8")
    out, _ = run(path)
    assert "tianxin.txt: 更新 《长沙市天心区碳达峰实施方案》 任务 3，职责 8，新建单位 1" in out


def test_a_dry_run_prints_the_same_report_and_stores_nothing(write_plan):
    before = model_counts()
    out, err = run(write_plan(TIANXIN_PLAN, "tianxin.txt"), dry_run=True)
    assert err == ""
    assert "[dry-run] tianxin.txt: 新建 《长沙市天心区碳达峰实施方案》 任务 3，职责 8，新建单位 5，提示 1" in out
    assert model_counts() == before


def test_the_lead_convention_option_reads_the_first_listed_unit_as_an_inferred_lead(write_plan):
    out, _ = run(write_plan(HETANG_JOINT_PLAN, "hetang.txt"), lead_convention="first_listed")
    assert "提示[inferred_lead]" in out
    plan = Plan.objects.get(title="株洲市荷塘区碳达峰实施方案")
    assert plan.lead_convention == Plan.LeadConvention.FIRST_LISTED
    assert Duty.objects.filter(task__plan=plan, role=Duty.Role.LEAD, inferred=True).count() == 2


def test_an_unknown_lead_convention_is_refused(write_plan):
    with pytest.raises(CommandError, match="lead-convention"):
        run(write_plan(HETANG_JOINT_PLAN, "hetang.txt"), "--lead-convention=loudest")


def test_a_folder_loads_every_plan_file_in_it_in_name_order(tmp_path):
    (tmp_path / "b_hetang.txt").write_text(HETANG_JOINT_PLAN, encoding="utf-8")
    (tmp_path / "a_tianxin.txt").write_text(TIANXIN_PLAN, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a plan", encoding="utf-8")
    out, err = run(tmp_path)
    assert err == ""
    lines = [line for line in out.splitlines() if not line.startswith("  ")]
    assert [line.split(":")[0] for line in lines] == ["a_tianxin.txt", "b_hetang.txt"]
    assert Plan.objects.count() == 7


def test_the_seed_folder_loads_as_five_unchanged_plans():
    before = model_counts()
    out, _ = run(SEED_DIR)
    assert out.count("未变化") == 5
    assert model_counts() == before


def test_a_missing_path_raises_a_command_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(CommandError, match="nowhere.txt"):
        run(missing)


def test_a_folder_without_plan_files_raises_a_command_error(tmp_path):
    (tmp_path / "readme.md").write_text("nothing here", encoding="utf-8")
    with pytest.raises(CommandError, match="没有找到方案文件"):
        run(tmp_path)


def test_a_bad_file_in_a_folder_does_not_stop_the_others_and_is_named_at_the_end(tmp_path):
    (tmp_path / "a_tianxin.txt").write_text(TIANXIN_PLAN, encoding="utf-8")
    (tmp_path / "b_broken.txt").write_bytes("长沙市天心区碳达峰实施方案\n".encode() + b"\xff\xfe broken\n")
    (tmp_path / "d_picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "c_hetang.txt").write_text(HETANG_JOINT_PLAN, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("ingest_plans", str(tmp_path), stdout=stdout, stderr=stderr)

    assert "1 个文件未导入" in str(error.value)
    assert "b_broken.txt" in str(error.value)
    assert "拒绝导入 b_broken.txt" in stderr.getvalue()
    assert "a_tianxin.txt: 新建" in stdout.getvalue()
    assert "c_hetang.txt: 新建" in stdout.getvalue()
    # Named .txt but a picture by its content: not a plan file, so left out of the folder and said so.
    assert "跳过 d_picture.txt" in stdout.getvalue()
    assert set(Plan.objects.values_list("title", flat=True)) >= {
        "长沙市天心区碳达峰实施方案",
        "株洲市荷塘区碳达峰实施方案",
    }


MARS_PLAN = "火星市碳达峰实施方案\n\n一、重点任务\n1.发展新能源。建设光伏。（区发展和改革局按职责分工负责）\n"
NO_TASK_PLAN = "长沙市天心区碳达峰实施方案\n\n一、总体要求\n坚持系统观念。\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "bad.txt: "), (NO_TASK_PLAN.encode(), "bad.txt: ")],
    ids=["empty", "no-tasks"],
)
def test_a_single_bad_file_raises_a_command_error_naming_the_file_and_line_and_stores_nothing(
    content, expected, write_plan
):
    path = write_plan(content, "bad.txt")
    before = model_counts()
    with pytest.raises(CommandError) as error:
        run(path)
    assert expected in str(error.value)
    assert model_counts() == before


def test_the_command_prints_what_an_update_changed(write_plan):
    path = write_plan(TIANXIN_PLAN, "tianxin.txt")
    run(path)
    path.write_text(TIANXIN_PLAN.replace("区自然资源局按职责", "区商务局按职责"), encoding="utf-8")
    out, _ = run(path)
    assert "  变更：任务新增 0、修改 1、删除 0；职责新增 1、修改 0、删除 1" in out


def test_a_dry_run_prints_a_conflict_with_a_manual_change_and_stores_nothing(write_plan):
    path = write_plan(TIANXIN_PLAN, "tianxin.txt")
    run(path)
    plan = Plan.objects.get(title="长沙市天心区碳达峰实施方案")
    duty = Duty.objects.get(task__plan=plan, task__ref="3.1.1", agency__name="区自然资源局")
    duty.role, duty.source = Duty.Role.LEAD, Duty.Source.MANUAL
    duty.save()
    path.write_text(TIANXIN_PLAN.replace("、区自然资源局按职责", "按职责"), encoding="utf-8")
    before = model_counts()

    out, err = run(path, dry_run=True)

    assert err == ""
    assert (
        "  冲突 tianxin.txt 第11行 任务 3.1.1「1. 大力发展新能源」区自然资源局："
        "文本现已不再列出该单位，人工修改为牵头；已保留人工修改" in out
    )
    assert model_counts() == before
    duty.refresh_from_db()
    assert (duty.role, duty.source) == (Duty.Role.LEAD, Duty.Source.MANUAL)


# --- The region: found in the text, chosen with --region, or asked about --------------------------------------------

GULOU_PLAN = MARS_PLAN.replace("火星市", "鼓楼区").replace("建设光伏。", "我区建设光伏，全区推广。")


def test_the_command_prints_the_region_found_and_the_clue_it_came_from(write_plan):
    out, _ = run(write_plan(TIANXIN_PLAN, "tianxin.txt"))
    assert "  行政区：长沙市天心区（依据：标题中的地名“长沙市天心区”（第1行））" in out


def test_a_plan_whose_text_names_no_region_is_skipped_with_how_to_choose_and_the_next_file_loads(tmp_path):
    (tmp_path / "a_mars.txt").write_text(MARS_PLAN, encoding="utf-8")
    (tmp_path / "b_tianxin.txt").write_text(TIANXIN_PLAN, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 个文件未导入"):
        call_command("ingest_plans", str(tmp_path), stdout=stdout, stderr=stderr)
    assert "未导入 a_mars.txt: 文本中找不到方案所属行政区的线索" in stderr.getvalue()
    assert "请加 --region 指定行政区（名称或代码）后重新导入该文件" in stderr.getvalue()
    assert "b_tianxin.txt: 新建" in stdout.getvalue()
    assert not Plan.objects.filter(title="火星市碳达峰实施方案").exists()


def test_a_plan_whose_place_has_namesakes_is_skipped_naming_each_candidate_with_its_option(write_plan):
    before = model_counts()
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest_plans", str(write_plan(GULOU_PLAN, "gulou.txt")), stdout=io.StringIO(), stderr=stderr)
    candidates = [line for line in stderr.getvalue().splitlines() if line.startswith("  候选：")]
    assert "  候选：南京市鼓楼区（--region 320106）" in candidates
    assert "  候选：福州市鼓楼区（--region 350102）" in candidates
    assert len(candidates) == 4
    assert model_counts() == before


@pytest.mark.parametrize("option", ["南京市鼓楼区", "320106"], ids=["full-name", "code"])
def test_the_region_option_places_a_plan_by_name_or_code(option, write_plan):
    out, _ = run(write_plan(GULOU_PLAN, "gulou.txt"), region=option)
    plan = Plan.objects.get(title="鼓楼区碳达峰实施方案")
    assert plan.region.full_name == "南京市鼓楼区"
    assert plan.region_clue == "--region 指定"
    assert "  行政区：南京市鼓楼区（依据：--region 指定）" in out


def test_the_region_option_overrides_the_region_the_text_implies(write_plan):
    run(write_plan(TIANXIN_PLAN, "tianxin.txt"), region="株洲市荷塘区")
    assert Plan.objects.get(title="长沙市天心区碳达峰实施方案").region.full_name == "株洲市荷塘区"


def test_a_plan_placed_by_hand_keeps_its_region_when_read_again_without_the_option(write_plan):
    path = write_plan(GULOU_PLAN, "gulou.txt")
    run(path, region="320106")
    path.write_text(GULOU_PLAN.replace("建设光伏", "建设风电"), encoding="utf-8")
    out, _ = run(path)
    assert "gulou.txt: 更新 《鼓楼区碳达峰实施方案》" in out
    assert Plan.objects.get(title="鼓楼区碳达峰实施方案").region.full_name == "南京市鼓楼区"


@pytest.mark.parametrize(
    ("option", "words"),
    [("鼓楼区", "有多个行政区符合：南京市鼓楼区（320106）"), ("火星市", "找不到这个行政区")],
    ids=["ambiguous", "unknown"],
)
def test_a_region_option_that_names_no_single_region_stops_before_any_file_is_read(option, words, write_plan):
    before = model_counts()
    with pytest.raises(CommandError, match=words):
        run(write_plan(TIANXIN_PLAN, "tianxin.txt"), region=option)
    assert model_counts() == before
