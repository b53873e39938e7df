"""The reader step: each seed plan as a .docx, a text PDF and a saved web page reads as exactly its .txt, and every
kind of bad file is refused with a message naming it. Pure Python: no database."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document

from plans.parsing import PlanFormatError, WarningCode, parse_plan
from plans.parsing.readers import read_source, sniff
from plans.parsing.readers.numbering import chinese
from tests.documents import make_docx, make_html, make_pdf, make_scanned_pdf, plan_summary, seed_document, seed_text

from .support import SEEDS, seed

FORMATS = ["docx", "pdf", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", SEEDS)
def test_every_seed_in_every_format_reads_as_exactly_its_text(key, fmt):
    source = read_source(seed_document(key, fmt), f"{key}.{fmt}")
    assert source.kind == fmt
    assert plan_summary(parse_plan(source, f"{key}.{fmt}")) == plan_summary(seed(key))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", SEEDS)
def test_the_canonical_text_of_every_format_reads_again_as_the_same_plan(key, fmt):
    # Re-ingest parses Plan.source_text as text: it must give the plan the file gave.
    source = read_source(seed_document(key, fmt), f"{key}.{fmt}")
    assert plan_summary(parse_plan(source.text, "stored.txt")) == plan_summary(parse_plan(source, "x"))


def test_the_text_reader_finds_the_appendix_tables_of_003_as_tables():
    source = read_source(seed_text("003").encode(), "003.txt")
    assert [len(t.rows) for t in source.tables] == [41, 21]
    assert source.tables[0].rows[0].cells == ["目标任务", "牵头单位", "责任单位"]
    assert source.tables[1].rows[0].cells[:3] == ["序号", "类别", "项目单位"]


# --- Word -----------------------------------------------------------------------------------------------------------


def test_the_word_seeds_number_their_outline_with_words_own_numbering():
    data = seed_document("002", "docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert xml.count("<w:numPr>") > 50
    assert not any(re.match(r"^[一二三四五六七八九十]+、", text) for text in paragraphs)  # no typed numbers
    lines = read_source(data, "002.docx").lines
    assert "一、总体要求" in lines
    assert any(line.startswith(("（一）", "(一)")) for line in lines)
    assert any(line.startswith("1. 总体部署、联动发力。") for line in lines)


def test_word_tables_of_003_read_as_tables_with_merged_cells_once():
    data = seed_document("003", "docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == 2
    assert 'w:vMerge w:val="restart"' in xml and "<w:gridSpan" in xml
    source = read_source(data, "003.docx")
    text_tables = read_source(seed_text("003").encode(), "003.txt").tables
    assert [[r.cells for r in t.rows] for t in source.tables] == [[r.cells for r in t.rows] for t in text_tables]
    assert source.tables[0].rows[0].cells == ["目标任务", "牵头单位", "责任单位"]  # 目标任务 spans two columns


def test_a_word_warning_points_at_its_paragraph_or_table_cell():
    plan = parse_plan(read_source(seed_document("003", "docx"), "003.docx"), "003.docx")
    fused = next(w for w in plan.warnings if w.code is WarningCode.FUSED_SPLIT)
    assert re.fullmatch(r"第\d+段|表\d+第\d+行第\d+格", fused.where)
    disagreement = next(w for w in plan.warnings if w.code is WarningCode.TABLE_DISAGREEMENT)
    assert re.fullmatch(r"表1第\d+行第\d+格", disagreement.where)


def test_a_heading_style_is_kept_as_an_outline_hint():
    source = read_source(seed_document("001", "docx"), "001.docx")
    assert {source.lines[line - 1] for line, level in source.headings.items() if level == 1} >= {"一、总体要求"}


@pytest.mark.parametrize(("n", "words"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")])
def test_chinese_counting_reads_as_plans_number_their_parts(n, words):
    assert chinese(n) == words


def test_a_corrupt_docx_is_refused_naming_the_file():
    data = seed_document("000", "docx")
    with pytest.raises(PlanFormatError) as error:
        read_source(data[: len(data) // 2], "方案.docx")
    assert str(error.value).startswith("方案.docx: Word 文档已损坏或不完整")


def test_a_docx_without_tasks_is_refused_at_its_first_paragraph():
    with pytest.raises(PlanFormatError) as error:
        parse_plan(read_source(make_docx("会议纪要\n\n大家讨论了很多事情。\n"), "纪要.docx"), "纪要.docx")
    assert str(error.value).startswith("纪要.docx: 未找到任何任务")
    assert "文件开头是“会议纪要”" in str(error.value)


# --- PDF ------------------------------------------------------------------------------------------------------------


def test_a_pdf_drops_its_running_header_and_page_numbers_and_joins_lines_across_pages():
    source = read_source(seed_document("004", "pdf"), "004.pdf")
    assert not any(re.fullmatch(r"— \d+ —", line) for line in source.lines)
    assert source.lines.count("怀化市鹤城区碳达峰实施方案") == 1  # the title, not the header repeated
    # Every paragraph whole, none broken (the CJK font of the test PDF has no ³, so it is left out).
    text_lines = {line.strip().replace("³", "") for line in seed_text("004").splitlines() if line.strip()}
    assert {line for line in source.lines if line} <= text_lines


def test_a_pdf_warning_points_at_its_page_and_line():
    plan = parse_plan(read_source(seed_document("002", "pdf"), "002.pdf"), "002.pdf")
    repaired = [w for w in plan.warnings if w.code is WarningCode.GLYPH_REPAIRED]
    assert repaired and all(re.fullmatch(r"第\d+页第\d+行", w.where) for w in repaired)


def test_a_pdf_table_that_runs_over_pages_is_one_table():
    source = read_source(seed_document("003", "pdf"), "003.pdf")
    assert [len(t.rows) for t in source.tables] == [41, 21]


def test_an_encrypted_pdf_is_refused_naming_the_file():
    with pytest.raises(PlanFormatError) as error:
        read_source(make_pdf(seed_text("001"), encrypt="secret"), "加密.pdf")
    assert str(error.value).startswith("加密.pdf: PDF 已加密")


def test_a_scanned_pdf_is_refused_as_a_scan_without_text():
    with pytest.raises(PlanFormatError) as error:
        read_source(make_scanned_pdf(), "扫描件.pdf")
    assert str(error.value).startswith("扫描件.pdf: 这是扫描件（PDF 只有图片，没有文字层）")


# --- Web pages ------------------------------------------------------------------------------------------------------


def test_a_saved_web_page_keeps_the_article_and_drops_the_site_around_it():
    source = read_source(seed_document("000", "html"), "000.html")
    text = source.text
    for chrome in ("互动交流", "当前位置", "相关文章", "备案号", "分享到", "索引号"):
        assert chrome not in text
    assert source.lines[0] == "株洲市石峰区碳达峰实施方案"


def test_the_metadata_table_of_a_web_page_fills_what_the_text_does_not_state():
    page = make_html(seed_text("003"), issuer="长沙市开福区人民政府", number="开政发〔2023〕5号", date="2023年06月20日")
    source = read_source(page, "003.html")
    assert source.metadata["发文字号"] == "开政发〔2023〕5号"
    plan = parse_plan(source, "003.html")
    assert (plan.issuer, plan.doc_number, plan.issued_on.isoformat()) == (
        "长沙市开福区人民政府",
        "开政发〔2023〕5号",
        "2023-06-20",
    )


def test_a_gbk_web_page_is_read_by_its_charset():
    page = make_html(seed_text("004"), charset="gbk")
    assert plan_summary(parse_plan(read_source(page, "004.htm"), "004.htm")) == plan_summary(seed("004"))


def test_a_web_page_without_an_article_is_refused_naming_the_file():
    page = "<html><head><title>政策文件</title></head><body><nav><a href='/'>首页</a></nav><ul>"
    page += "".join(f"<li><a href='/{i}.html'>通知{i}</a></li>" for i in range(5)) + "</ul></body></html>"
    with pytest.raises(PlanFormatError) as error:
        read_source(page.encode(), "列表页.html")
    assert str(error.value).startswith("列表页.html: 网页中找不到正文")


# --- Choosing the reader by content -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "kind"),
    [("docx", "plan.txt", "docx"), ("pdf", "plan.doc", "pdf"), ("html", "plan.doc", "html")],
)
def test_the_reader_is_chosen_by_content_not_by_name(fmt, name, kind):
    data = seed_document("001", fmt)
    assert sniff(data, name) == kind
    assert read_source(data, name).kind == kind


def test_an_ofd_file_is_refused_with_what_to_use_instead():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as ofd:
        ofd.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
    with pytest.raises(PlanFormatError) as error:
        read_source(archive.getvalue(), "方案.ofd")
    assert str(error.value).startswith("方案.ofd: 暂不支持 OFD 版式文件；请下载同一页面附带的 Word（.docx）或 PDF 版本")


def test_a_doc_is_refused_when_libreoffice_is_missing_saying_how_to_install_it():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(600)
    with pytest.raises(PlanFormatError) as error:
        read_source(ole, "方案.doc", soffice="/nonexistent/soffice")
    message = str(error.value)
    assert message.startswith("方案.doc: 这是Word 97-2003 / WPS 文档，需要 LibreOffice 转换")
    assert "apt-get install libreoffice-writer-nogui" in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04" + bytes(100), "无法识别的压缩格式文件"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "这是图片"),
    ],
    ids=["zip", "jpeg"],
)
def test_an_unsupported_file_is_told_what_to_save_the_plan_as(data, words):
    with pytest.raises(PlanFormatError) as error:
        read_source(data, "附件.bin")
    assert words in str(error.value) and "附件.bin" in str(error.value)
