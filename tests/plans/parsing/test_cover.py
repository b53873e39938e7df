"""The title and cover of a plan in every wrapping, and the clues to its region the text gives."""

from __future__ import annotations

from datetime import date

import pytest

from plans.parsing import PlanFormatError

from .support import parse_text

BODY = "一、重点任务\n（一）能源转型\n1.推进光伏。推进光伏建设。（市发改委负责）\n"


def cover(*lines: str, body: str = BODY):
    return parse_text("\n".join(lines) + "\n" + body)


# --- Titles -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["某市绿色发展三年行动方案", "", "（2025—2027年）"], "某市绿色发展三年行动方案（2025—2027年）"),
        (["某省进一步构建高质量充换电", "基础设施体系的实施方案"], "某省进一步构建高质量充换电基础设施体系的实施方案"),
        (["某某院关于促进开放", "高质量发展的若干意见", "某发〔2019〕3号"], "某某院关于促进开放高质量发展的若干意见"),
        (
            ["关于深入打好攻坚战 迈向建设美丽某区新征程的实施意见"],
            "关于深入打好攻坚战 迈向建设美丽某区新征程的实施意见",
        ),
        (
            ["某区委组通〔2024〕6号", "", "某开发区（某区）促进人才高质量发展的政策措施"],
            "某开发区（某区）促进人才高质量发展的政策措施",
        ),
        (["《贯彻落实支持某省转型发展意见行动计划》-某省发改委门户网站"], "贯彻落实支持某省转型发展意见行动计划"),
        (
            ["某局 某署关于进一步促进口岸通关便利化若干措施的通知", "某函〔2025〕31号"],
            "某局 某署关于进一步促进口岸通关便利化若干措施的通知",
        ),
    ],
    ids=[
        "period-line",
        "two-lines",
        "issuer-guan-yu",
        "guan-yu-with-space",
        "doc-number-first",
        "page-title",
        "notice",
    ],
)
def test_the_title_is_found_whatever_its_shape(lines, title):
    assert cover(*lines).title == title


def test_a_notice_that_issues_the_plan_gives_way_to_the_plans_own_title_after_it():
    plan = cover(
        "某省人民政府办公厅",
        "关于印发某省充电设施建设",
        "实施方案的通知",
        "某政办发〔2024〕3号",
        "各市人民政府：",
        "《某省充电设施建设实施方案》已经省政府同意，现印发给你们。",
        "某省人民政府办公厅",
        "2024年2月7日",
        "某省充电设施建设",
        "实施方案",
    )
    assert (plan.title, plan.issuer, plan.doc_number, plan.issued_on) == (
        "某省充电设施建设实施方案",
        "某省人民政府办公厅",
        "某政办发〔2024〕3号",
        date(2024, 2, 7),
    )


def test_an_attachment_line_naming_the_plan_is_not_its_title():
    plan = cover(
        "关于印发《某省充电设施实施意见》的通知",
        "附件:某省充电设施实施意见",
        "某省发展和改革委员会",
        "2023年12月14日",
        "附件",
        "某省充电设施实施意见",
    )
    assert (plan.title, plan.issuer, plan.title_line) == ("某省充电设施实施意见", "某省发展和改革委员会", 6)


def test_a_notice_with_no_plan_title_after_it_carries_the_plan_named_in_it():
    plan = cover("某市人民政府关于印发《某市节能方案》的通知", "各区人民政府：")
    assert (plan.title, plan.issuer) == ("某市节能方案", "某市人民政府")


def test_the_signature_at_the_end_gives_issuer_and_date_when_the_cover_has_none():
    plan = parse_text("某署关于促进通关的若干措施的通知\n" + BODY + "特此通知。\n某署 某局\n2025年2月6日\n")
    assert (plan.issuer, plan.issued_on) == ("某署 某局", date(2025, 2, 6))
    assert "特此通知" not in plan.tasks[-1].body
    assert "某署 某局" not in plan.tasks[-1].body


def test_the_issuer_of_a_title_that_says_who_issues_it_is_read_from_the_title():
    assert cover("某某院关于促进发展的若干意见").issuer == "某某院"


def test_copied_to_is_read_from_the_chao_song_line():
    plan = parse_text("某市节能方案\n" + BODY + "抄送：市委办公室，市人大常委会办公室。\n")
    assert plan.copied_to == "市委办公室，市人大常委会办公室"


def test_a_draft_mark_under_a_title_with_a_period_keeps_both():
    plan = cover("某市绿色发展行动方案", "（2025—2027年）", "（征求意见稿）")
    assert (plan.title, plan.is_draft) == ("某市绿色发展行动方案（2025—2027年）", True)


def test_web_page_chrome_before_the_title_is_skipped():
    assert cover("当前位置:首页-政策文件-正文", "来源:某市人民政府", "某市节能方案").title == "某市节能方案"


def test_a_file_with_no_tasks_is_refused_with_its_first_line():
    with pytest.raises(PlanFormatError, match="未找到任何任务.*会议纪要") as error:
        parse_text("会议纪要\n\n大家讨论了很多事情。\n")
    assert error.value.line is None


# --- Titles the file does not state: guessed, never refused -----------------------------------------------------


def test_a_notice_whose_numbered_paragraphs_come_before_the_list_takes_the_lists_title_line():
    plan = cover(
        "各乡镇人民政府，县直各单位：",
        "现将《某县2024年优化营商环境重点任务清单》印发给你们，请抓好落实。现就有关事项通知如下：",
        "一、提高思想认识。各单位要高度重视。",
        "二、加强统筹协调。各单位要密切配合。",
        "三、强化督导考核。县督查室定期督查。",
        "某县人民政府办公室",
        "2024年3月1日",
        "某县2024年优化营商环境",
        "重点任务清单",
    )
    assert plan.title == "某县2024年优化营商环境重点任务清单"
    assert (plan.title_doubt, plan.issued_on) == ("", date(2024, 3, 1))
    assert plan.tasks[0].clause.units[0].name == "市发改委"


def test_a_headline_of_three_lines_under_a_doc_number_and_issuer_ends_in_a_spaced_kind():
    plan = cover(
        "某政办发〔2024〕5号",
        "某县人民政府办公室",
        "关于印发某县安全生产治本攻坚",
        "三年行动实施方案的",
        "通    知",
        "各乡镇人民政府：",
        "现将《某县安全生产治本攻坚三年行动实施方案》印发给你们，请认真贯彻执行。",
    )
    assert plan.title == "某县安全生产治本攻坚三年行动实施方案"
    assert (plan.issuer, plan.doc_number, plan.title_doubt) == ("某县人民政府办公室", "某政办发〔2024〕5号", "")


def test_a_title_broken_after_a_line_that_ends_like_an_issuer_is_spelled_as_the_notice_names_it():
    plan = cover(
        "关于印发《某市加快建设科学城西部创新中心实施意见》的通知",
        "各区人民政府：",
        "现将《某市加快建设科学城西部创新中心实施意见》印发给你们。",
        "某市加快建设科学城西部",
        "",
        "创新中心实施意见",
    )
    assert plan.title == "某市加快建设科学城西部创新中心实施意见"


def test_the_end_of_a_broken_notice_heading_is_never_the_title():
    plan = cover(
        "某县人民政府办公室",
        "关于印发《某县乡村振兴",
        "重点任务清单",
        "（2024年）》的通知",
        "各乡镇：",
        "某县人民政府办公室",
        "2024年1月5日",
    )
    assert "通知" not in plan.title
    assert plan.title.startswith("某县乡村振兴重点任务清单")


def test_a_notice_that_only_names_the_list_in_a_sentence_gives_it_its_title_with_a_doubt():
    plan = cover(
        "各乡镇，县直各单位：",
        "经县政府同意，现将《某县2025年重点工作任务分工方案》印发给你们，请认真抓好落实。",
    )
    assert plan.title == "某县2025年重点工作任务分工方案"
    assert plan.title_doubt.startswith("通知中的书名号")
    assert [w.code for w in plan.warnings if w.code == "title_guessed"] == ["title_guessed"]


def test_a_file_with_tasks_but_no_title_line_is_named_after_its_file():
    plan = parse_text("各单位：\n" + BODY, name="某县2025年工作要点_3f9a2b1c77d0e4aa.txt")
    assert (plan.title, plan.title_doubt) == ("某县2025年工作要点", "文件名")
    assert plan.tasks


# --- Region clues -------------------------------------------------------------------------------------------------


def clues(plan):
    return [(c.kind, c.text, c.count) for c in plan.region_clues]


def test_the_clues_are_issuer_doc_code_title_and_the_words_the_body_speaks_from():
    plan = cover(
        "深圳市人民政府关于印发国家碳达峰试点（深圳）实施方案的通知",
        "深府函〔2023〕1号",
        "国家碳达峰试点（深圳）实施方案",
        body=BODY.replace("推进光伏建设。", "我市推进光伏建设，全市推广，全省领先。"),
    )
    assert clues(plan) == [
        ("issuer", "深圳市人民政府", 1),
        ("doc_code", "深府函", 1),
        ("title", "国家碳达峰试点（深圳）实施方案", 1),
        ("body", "我市", 1),
        ("body", "全市", 1),
        ("body", "全省", 1),
        ("units", "市", 1),
    ]
    assert plan.region_clues[0].label == "发文机关“深圳市人民政府”（第1行）"


def test_the_site_a_page_title_names_is_a_clue():
    plan = cover("《贯彻落实某某意见行动计划》-山西省发改委门户网站")
    assert clues(plan)[0] == ("site", "山西省发改委门户网站", 1)


def test_a_plan_with_no_issuer_and_no_doc_number_gives_its_title_alone():
    found = clues(cover("关于加快绿色发展的实施意见"))
    assert found == [("title", "关于加快绿色发展的实施意见", 1), ("units", "市", 1)]


def test_a_draft_inside_a_notice_asking_for_comments_is_the_plan_not_the_notice():
    text = (
        "公开征求对《重庆市数字能源低碳城市发展行动方案（2024—2026年）》的意见\n\n"
        "现将方案公开征求意见。\n\n附件：1.重庆市数字能源低碳城市发展行动方案（2024—2026年）（征求意见稿）\n\n"
        "重庆市经济和信息化委员会\n\n2024年2月7日\n\n附件1\n\n重庆市数字能源低碳城市发展行动方案\n\n（2024—2026年）\n\n"
        "（征求意见稿）\n\n一、重点任务\n\n（一）建设光伏项目。推进建设。（责任单位：市能源局，国网市电力公司）\n"
    )
    plan = parse_text(text)
    assert (plan.title, plan.is_draft) == ("重庆市数字能源低碳城市发展行动方案（2024—2026年）", True)
    assert [u.name for u in plan.tasks[0].clause.units] == ["市能源局", "国网市电力公司"]
