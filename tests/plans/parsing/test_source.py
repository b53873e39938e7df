"""Reading the file: encodings, refusals that name the file, and conversion debris."""

from __future__ import annotations

import codecs
import random

import pytest

from plans.parsing import PlanFormatError, WarningCode, parse_plan
from plans.parsing.source import has_quote_glitch, repair_glyphs, strip_debris

from .support import SEEDS, codes, parse_text, plan_text, seed, seed_bytes, task

# --- encodings ---------------------------------------------------------------------------


def _reading(plan):
    """Everything a plan reads out of its text, for comparing two parses."""
    return (
        plan.title,
        plan.region_name,
        plan.is_draft,
        plan.doc_number,
        plan.issued_on,
        [(n.level, n.number, n.title, n.line, n.body) for n in plan.outline],
        [
            (t.ref, t.title, t.body, t.line, [(u.name, u.role) for u in (t.clause.units if t.clause else [])])
            for t in plan.tasks
        ],
        [(p.number, p.name, p.investment) for p in plan.projects],
        [(w.code, w.line, w.message) for w in plan.warnings],
    )


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "utf-16 with BOM": lambda text: text.encode("utf-16"),
    "utf-16-le without BOM": lambda text: text.encode("utf-16-le"),
    "utf-16-be without BOM": lambda text: text.encode("utf-16-be"),
}


@pytest.mark.parametrize("key", ["000", "001", "003"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_same_plan_parses_identically_in_every_encoding(key, encoding):
    text = seed_bytes(key).decode("utf-8")
    data = ENCODINGS[encoding](text)
    assert _reading(parse_plan(data, SEEDS[key])) == _reading(seed(key))


def test_a_plan_given_as_text_parses_like_its_bytes():
    text = seed_bytes("002").decode("utf-8")
    assert _reading(parse_text("\ufeff" + text)) == _reading(parse_text(text.encode("utf-8")))


def test_windows_line_endings_keep_the_line_numbers():
    text = seed_bytes("004").decode("utf-8").replace("\n", "\r\n")
    plan = parse_text(text.encode("utf-8"))
    assert [(t.ref, t.line) for t in plan.tasks] == [(t.ref, t.line) for t in seed("004").tasks]


# --- refusals ------------------------------------------------------------------------------


def _refusal(data, name):
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(data, name)
    error = caught.value
    assert name in str(error)
    assert error.source_name == name
    return error


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", "\ufeff".encode()], ids=["empty", "blank", "bom only"])
def test_an_empty_file_is_refused_with_its_name(data):
    _refusal(data, "空文件.txt")


def test_a_png_is_refused_as_binary_with_its_name():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(200)
    error = _refusal(png, "picture.png")
    assert "不是文本文件" in str(error)


def test_random_bytes_with_nuls_are_refused_as_binary():
    noise = random.Random(7).randbytes(4000) + b"\x00" * 50
    error = _refusal(noise, "noise.bin")
    assert "不是文本文件" in str(error)


def test_bytes_that_no_encoding_reads_are_refused_at_the_first_bad_line():
    data = "某市碳达峰实施方案\n一、重点任务\n".encode() + b"\xff\xfe\xfa\xfb broken\n"
    error = _refusal(data, "broken.txt")
    assert error.line == 3
    assert "broken.txt 第3行" in str(error)


def test_plain_prose_is_refused_naming_how_it_begins():
    error = _refusal("今天天气很好。\n我们去公园散步。\n".encode(), "prose.txt")
    assert str(error).startswith("prose.txt: 未找到任何任务")
    assert "文件开头是“今天天气很好。”" in str(error)


def test_a_plan_with_no_tasks_is_refused_with_its_name():
    text = plan_text("为做好碳达峰工作，制定本方案。", "我们将认真组织实施，确保如期实现目标。")
    error = _refusal(text.encode(), "no_tasks.txt")
    assert "未找到任何任务" in str(error)


# --- debris --------------------------------------------------------------------------------


def test_word_bookmarks_are_removed_anywhere_in_a_line():
    assert strip_debris("[bookmark: _Toc109922509][bookmark: _Toc7414]1.大力发展") == "1.大力发展"
    assert strip_debris("1、 [bookmark: _Toc110239689]总体要求") == "1、 总体要求"
    assert strip_debris("\t[bookmark: _Toc1]表格单元") == "\t表格单元"


def test_a_number_marker_with_space_inside_is_closed_up_and_nothing_else_is():
    assert strip_debris("（十三 ）提升创新示范应用水平") == "（十三）提升创新示范应用水平"
    assert strip_debris("( 2 )加强协同") == "(2)加强协同"
    assert strip_debris("三 、重点任务") == "三、重点任务"
    assert strip_debris("\t（五\u3000）表格单元") == "\t（五）表格单元"
    assert strip_debris("（2025年）") == "（2025年）"
    assert strip_debris("三 个重点") == "三 个重点"
    assert strip_debris("2 . 布局建设氢能创新载体。") == "2. 布局建设氢能创新载体。"
    assert strip_debris("2 .5亿元") == "2 .5亿元"
    assert strip_debris("◈20. 拓展工业互联网场景应用。") == "20. 拓展工业互联网场景应用。"
    assert strip_debris("★重点工作") == "★重点工作"  # a bullet before no number is left as written


def test_a_measure_numbered_with_a_space_inside_its_bracket_is_its_own_task():
    plan = parse_text(
        "某某区推进充电设施建设实施方案\n"
        "一、重点任务\n"
        "（一）提升车网互动能力。加快智能化改造。（责任单位：区发改局、区工信局）\n"
        "（二 ）提升示范应用水平。推广有序充电。（责任单位：区住建局）\n"
        "（三）提升科技创新能力。加快研发。（责任单位：区科技局）\n"
    )
    assert [(t.number, t.title) for t in plan.tasks] == [
        ("（一）", "提升车网互动能力"),
        ("（二）", "提升示范应用水平"),
        ("（三）", "提升科技创新能力"),
    ]


@pytest.mark.parametrize("key", ["000", "003"])
def test_no_bookmark_survives_into_titles_bodies_or_the_outline(key):
    plan = seed(key)
    texts = [n.title for n in plan.outline] + [n.body for n in plan.outline]
    texts += [t.title for t in plan.tasks] + [t.body for t in plan.tasks]
    assert not [t for t in texts if "bookmark" in t or "_Toc" in t]


def test_bookmarks_before_a_task_number_do_not_hide_the_task():
    plan = seed("000")
    assert [n.title for n in plan.outline[:3]] == ["总体要求", "指导思想", "基本原则"]
    assert task(plan, "3.1.1").title == "大力发展可再生能源"
    assert task(plan, "3.2.2").title == "严格落实能耗双控制度"


def test_002s_broken_font_glyphs_are_repaired_where_the_glitch_shows():
    plan = seed("002")
    titles = [n.title for n in plan.outline]
    assert "“气化株洲”工程" in titles
    assert "“5G+工业互联网”示范工程" in titles
    assert task(plan, "5.3").title == "完善财税、价格支持政策"
    repaired = [w.line for w in plan.warnings if w.code is WarningCode.GLYPH_REPAIRED]
    assert repaired == [77, 94, 115]


def test_real_words_with_ye_and_ye_zhi_are_left_alone_in_002():
    plan = seed("002")
    assert "野生物种" in task(plan, "3.6.2").body
    assert "野生动植物保护" in task(plan, "3.9.1").body
    assert "野生动物廊道" in task(plan, "4.6.2").body
    assert "有色金属冶炼废渣" in task(plan, "3.7.1").body


def test_repair_glyphs_turns_the_glitch_back_into_punctuation():
    assert repair_glyphs("(三)野气化株洲冶工程") == ("(三)“气化株洲”工程", True)
    assert repair_glyphs("(三)完善财税尧价格支持政策") == ("(三)完善财税、价格支持政策", True)
    assert repair_glyphs("(七)5G+工业互联网冶示范工程") == ("(七)“5G+工业互联网”示范工程", True)
    assert repair_glyphs("加强野生动物保护，推进冶炼废渣利用，传承尧舜文化") == (
        "加强野生动物保护，推进冶炼废渣利用，传承尧舜文化",
        False,
    )


def test_real_words_alone_are_no_evidence_of_the_glitch():
    assert has_quote_glitch(["(三)野气化株洲冶工程"])
    assert not has_quote_glitch(["加强野生动物保护和冶炼废渣治理"])
    assert not has_quote_glitch(["加强野生动物保护。"])


def test_a_document_without_the_glitch_is_not_repaired_at_all():
    text = plan_text(
        "一、重点任务",
        "（一）能源转型",
        "1.推进尧坪光伏。保护野生动物，推进冶炼废渣利用。（市发改委负责）",
    )
    plan = parse_text(text)
    assert plan.tasks[0].title == "推进尧坪光伏"
    assert "保护野生动物，推进冶炼废渣利用" in plan.tasks[0].body
    assert WarningCode.GLYPH_REPAIRED not in codes(plan)


@pytest.mark.parametrize("key", ["000", "001", "003", "004"])
def test_seeds_without_the_glitch_report_no_repairs(key):
    assert WarningCode.GLYPH_REPAIRED not in codes(seed(key))


def test_004s_web_chrome_and_cover_letter_are_not_read_as_plan_text():
    plan = seed("004")
    assert plan.outline[0].line == 22
    assert min(t.line for t in plan.tasks) > 20
    texts = [t.title + t.body for t in plan.tasks] + [n.title + n.body for n in plan.outline]
    for chrome in ("当前位置", "来源:", "相关文章", "印发给你们", "各街道办事处、乡镇人民政府"):
        assert not [t for t in texts if chrome in t], chrome


def test_001s_cover_letter_and_public_notice_are_not_read_as_plan_text():
    plan = seed("001")
    assert plan.outline[0].line == 18
    texts = [t.title + t.body for t in plan.tasks] + [n.title + n.body for n in plan.outline]
    assert not [t for t in texts if "此件主动公开" in t or "印发给你们" in t]


def test_002s_distribution_list_after_the_closing_line_is_not_read():
    plan = seed("002")
    assert max(t.line for t in plan.tasks) == 119
    assert not [t for t in plan.tasks if "抄送" in t.body]


def test_a_stray_table_cell_in_the_body_is_reported_as_unplaced_with_its_line():
    text = plan_text("一、重点任务", "（一）能源转型", "\t孤立的单元格", "1.推进光伏。推进光伏建设。（市发改委负责）")
    plan = parse_text(text)
    unplaced = [(w.code, w.line) for w in plan.warnings]
    assert unplaced == [(WarningCode.UNPLACED_TEXT, 4)]
