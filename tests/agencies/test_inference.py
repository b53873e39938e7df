"""A plan's region from the clues its text gives: each clue alone, clues in conflict, namesakes, and none."""

from __future__ import annotations

import pytest

from agencies.inference import infer_region
from agencies.models import Region
from agencies.resolution import AgencyResolver
from plans.parsing import parse_plan

pytestmark = pytest.mark.django_db

BODY = "一、重点任务\n（一）能源转型\n1.推进光伏。推进光伏建设。（市发改委负责）\n"


def find(*cover: str, body: str = BODY):
    plan = parse_plan("\n".join(cover) + "\n" + body, "synthetic.txt")
    return infer_region(plan.region_clues, plan.text)


def settled(finding) -> tuple[str, str]:
    assert finding.settled, finding.question()
    return finding.region.full_name, finding.source


# --- Each clue alone ----------------------------------------------------------------------------------------------


def test_the_issuer_alone_settles_the_region():
    finding = find("关于加快绿色发展的实施意见", body=BODY + "深圳市人民政府\n2023年5月1日\n")
    assert settled(finding) == ("深圳市", "发文机关“深圳市人民政府”（第5行）")


def test_the_doc_code_alone_settles_the_region():
    assert settled(find("关于加快绿色发展的实施意见", "穗埔组通〔2024〕6号")) == (
        "广州市黄埔区",
        "文号机关代字“穗埔组通”（第2行）",
    )


def test_a_full_place_name_anywhere_in_the_title_settles_the_region():
    assert settled(find("推动株洲市石峰区绿色发展的实施方案")) == (
        "株洲市石峰区",
        "标题中的地名“株洲市石峰区”（第1行）",
    )


def test_a_place_in_brackets_in_the_title_settles_the_region():
    assert settled(find("国家碳达峰试点（深圳）实施方案")) == ("深圳市", "标题中的地名“深圳”（第1行）")


def test_a_short_form_in_the_title_counts_when_the_text_names_the_place_elsewhere():
    finding = find("推动盐都绿色发展行动方案", body=BODY.replace("推进光伏建设。", "盐城市盐都区推进光伏建设。"))
    assert settled(finding) == ("盐城市盐都区", "标题中的地名“盐都”（第1行）")


def test_a_short_form_the_text_never_backs_is_no_clue():
    finding = find("建设平安社区行动方案", body=BODY.replace("推进光伏建设。", "我区推进光伏建设。"))
    assert not finding.settled
    assert finding.candidates == []


def test_the_site_that_published_the_page_settles_the_region():
    assert settled(find("《贯彻落实某某意见行动计划》-山西省发改委门户网站")) == (
        "山西省",
        "发布网站“山西省发改委门户网站”（第1行）",
    )


@pytest.mark.parametrize(
    "cover",
    [
        ["国务院办公厅关于印发某某工作方案的通知", "某某工作方案"],
        ["海关总署 国家移民局 中国民航局关于促进通关便利化若干措施的通知"],
        ["关于促进开放的若干意见", "国发〔2019〕3号"],
    ],
    ids=["state-council", "ministries", "doc-code"],
)
def test_a_national_issuer_or_doc_code_places_the_plan_under_quan_guo(cover):
    assert find(*cover).region == Region.objects.national()


# --- Clues together -----------------------------------------------------------------------------------------------


def test_the_stronger_clue_wins_when_clues_conflict():
    finding = find("广州市节能行动方案", "深府函〔2023〕1号", body=BODY + "深圳市人民政府\n2023年5月1日\n")
    assert settled(finding)[0] == "深圳市"


def test_an_ambiguous_doc_code_is_settled_by_the_level_the_body_speaks_from():
    finding = find(
        "关于加快绿色发展的实施意见",
        "鹤政发〔2024〕1号",
        body=BODY.replace("推进光伏建设。", "我区推进光伏建设，全区推广。"),
    )
    assert settled(finding) == ("怀化市鹤城区", "文号机关代字“鹤政发”（第2行）")


def test_namesakes_are_told_apart_by_the_parent_the_text_names():
    finding = find("鼓楼区碳达峰实施方案", body=BODY.replace("推进光伏建设。", "融入福州都市圈，推进光伏建设。"))
    assert settled(finding)[0] == "福州市鼓楼区"


def test_namesakes_the_text_cannot_tell_apart_are_the_candidates_to_ask_about():
    finding = find("鼓楼区碳达峰实施方案", body=BODY.replace("推进光伏建设。", "我区推进光伏建设。"))
    assert not finding.settled
    assert sorted(r.full_name for r in finding.candidates) == [
        "南京市鼓楼区",
        "开封市鼓楼区",
        "徐州市鼓楼区",
        "福州市鼓楼区",
    ]
    assert "南京市鼓楼区（320106）" in finding.question()


def test_a_weaker_clue_never_overrules_a_stronger_one_it_does_not_agree_with():
    finding = find("株洲市节能方案", body=BODY + "鼓楼区人民政府\n2023年5月1日\n")
    assert not finding.settled
    assert len(finding.candidates) == 4


def test_no_clue_at_all_asks_with_the_places_the_text_names_as_candidates():
    finding = find(
        "关于加快绿色发展的实施意见", body=BODY.replace("推进光伏建设。", "我市与湘潭市、长沙市合作建设光伏。")
    )
    assert not finding.settled
    assert [r.full_name for r in finding.candidates] == ["湘潭市", "长沙市"]
    assert finding.question().startswith("文本中的线索不能确定方案所属行政区")


# --- Where no clue settles it: the region a reader takes at once, with its doubt ---------------------------------


def test_a_single_candidate_is_the_answer_with_a_doubt():
    finding = find("关于加快绿色发展的实施意见", body=BODY.replace("推进光伏建设。", "我市在湘潭市建设光伏。"))
    assert (finding.region.full_name, finding.candidates) == ("湘潭市", [])
    assert finding.doubt == "唯一的候选行政区“湘潭市”"


def test_a_city_notice_naming_its_districts_as_addressees_is_the_citys():
    finding = find(
        "关于加快绿色发展的实施意见",
        "荷塘区、芦淞区、石峰区人民政府，株洲市直各单位：",
        body=BODY.replace("推进光伏建设。", "全市推进光伏建设。"),
    )
    assert finding.region.full_name == "株洲市"
    assert finding.doubt.startswith("其余候选（")
    assert {r.name for r in finding.candidates} == {"荷塘区", "芦淞区", "石峰区"}


def test_the_place_the_text_names_most_is_taken_with_a_doubt():
    finding = find(
        "关于加快绿色发展的实施意见",
        body=BODY.replace("推进光伏建设。", "我市与湘潭市合作，湘潭市、长沙市建设光伏，湘潭市牵头。"),
    )
    assert finding.region.full_name == "湘潭市"
    assert finding.doubt == "正文提及“湘潭市”最多（3次）"


# --- National and provincial bodies named in a plan ----------------------------------------------------------------


def test_national_bodies_named_in_a_local_plan_are_bodies_of_quan_guo():
    resolver = AgencyResolver(Region.objects.get(full_name="株洲市"))
    national = Region.objects.national()
    assert resolver.region_for("国家发展改革委") == national
    assert resolver.region_for("海关总署") == national
    assert resolver.region_for("市发改委").full_name == "株洲市"


def test_a_provinces_bodies_named_in_a_city_plan_are_the_provinces():
    assert AgencyResolver(Region.objects.get(full_name="株洲市")).region_for("省发展改革委").full_name == "湖南省"


def test_the_national_region_stands_apart_from_the_province_tree():
    national = Region.objects.national()
    assert (national.name, national.level, national.parent) == ("全国", Region.Level.NATIONAL, None)
    assert not Region.objects.filter(parent=national).exists()
    assert [r.full_name for r in Region.objects.get(full_name="株洲市石峰区").lineage()] == [
        "株洲市石峰区",
        "株洲市",
        "湖南省",
    ]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("430204", ["株洲市石峰区"]),
        ("株洲市石峰区", ["株洲市石峰区"]),
        ("石峰区", ["株洲市石峰区"]),
        ("全国", ["全国"]),
        ("普陀区", ["上海市普陀区", "舟山市普陀区"]),
    ],
)
def test_a_region_is_found_by_its_code_name_or_full_name(typed, found):
    assert sorted(r.full_name for r in Region.objects.find(typed)) == found
