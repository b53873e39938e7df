"""Pure name rules for agencies: spellings, abbreviations, kinds and region prefixes."""

from __future__ import annotations

import pytest

from lib.naming import (
    Kind,
    abbreviates,
    classify,
    is_collective,
    is_department_like,
    looks_like_unit,
    name_key,
    names_a_place,
    normalise,
    prefix_of,
    qualify,
    suffix_of,
)

# Variant spellings of one body, all seen in the seed plans (PLAN_FORMATS.md).
SAME_BODY = [
    ("区发展和改革局", "区发改局"),
    ("区人力资源社会保障局", "区人社局"),
    ("区机关事务服务中心", "区机关事务中心"),
    ("生态环境石峰分局", "生态环境局石峰分局"),
    ("生态环境石峰分局", "生态环境石峰局"),
    ("生态环境局石峰分局", "生态环境石峰局"),
    ("区政府金融办", "区金融办"),
    ("马栏山(长沙)视频文创管理委员会", "马栏山（长沙）视频文创园管理委员会"),
    ("国网怀化供电鹤城分公司", "国网怀化鹤城供电分公司"),
]

# Official long and short forms.
OFFICIAL_SHORT_FORMS = [
    ("市发展改革委", "市发改委"),
    ("市发展和改革委员会", "市发展改革委"),
    ("区人力资源和社会保障局", "区人社局"),
    ("市住房和城乡建设局", "市住建局"),
    ("市住房城乡建设局", "市住建局"),
    ("市自然资源和规划局", "市自然资源规划局"),
    ("区市场监督管理局", "区市场监管局"),
    ("市城市管理和综合执法局", "市城管执法局"),
    ("区工业和信息化局", "区工信局"),
    ("区科学技术局", "区科技局"),
    ("经开区管理委员会", "经开区管委会"),
]

DIFFERENT_BODIES = [
    ("区科技局", "区科技和工业信息化局"),
    ("市委", "市委组织部"),
    ("区委宣传部", "区委组织部"),
    ("区财政局", "区税务局"),
    ("市生态环境局", "市生态环境局开福分局"),
    ("市公安局", "市公安局交警支队"),
    ("区工业和信息化局", "区科技和工业信息化局"),
    ("国网株洲供电公司", "国网湘潭供电公司"),
    ("区自然资源局", "区自然资源和规划局"),
    ("区机关事务中心", "区数据资源中心"),
    ("区发展和改革局", "区住房和城乡建设局"),
    ("市委宣传部", "市委网信办"),
]


@pytest.mark.parametrize(("long", "short"), SAME_BODY + OFFICIAL_SHORT_FORMS)
def test_abbreviates_is_true_for_spellings_of_one_body_in_either_order(long, short):
    assert abbreviates(short, long)
    assert abbreviates(long, short)


@pytest.mark.parametrize(("one", "other"), DIFFERENT_BODIES)
def test_abbreviates_is_false_for_distinct_bodies_in_either_order(one, other):
    assert not abbreviates(one, other)
    assert not abbreviates(other, one)


def test_a_name_abbreviates_itself():
    assert abbreviates("区发展和改革局", "区发展和改革局")


def test_name_key_folds_brackets_he_and_official_short_forms():
    assert name_key("区发展和改革局") == name_key("区发改局") == name_key("区发展改革局")
    assert name_key("马栏山(长沙)视频文创管理委员会") == name_key("马栏山（长沙）视频文创管理委员会")
    assert name_key("市发展和改革委员会") == name_key("市发改委")
    assert name_key("区财政局") != name_key("区税务局")


def test_normalise_unifies_punctuation_and_spaces_but_keeps_the_words():
    assert normalise(" 市 发改委、") == "市发改委"
    assert normalise("马栏山(长沙)视频文创管理委员会") == "马栏山（长沙）视频文创管理委员会"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("区委宣传部", Kind.PARTY),
        ("市委组织部", Kind.PARTY),
        ("市委网信办", Kind.PARTY),
        ("市委党校", Kind.PARTY),
        ("市委", Kind.PARTY),
        ("区发展和改革局", Kind.DEPARTMENT),
        ("市发改委", Kind.DEPARTMENT),
        ("区机关事务服务中心", Kind.DEPARTMENT),
        ("生态环境石峰分局", Kind.BRANCH),
        ("市生态环境局开福分局", Kind.BRANCH),
        ("市自然资源和规划局开福区分局", Kind.BRANCH),
        ("株洲市公安局交通警察支队石峰大队", Kind.BRANCH),
        ("高新区田心片区管委会", Kind.ZONE),
        ("长沙金霞经济开发区管理委员会", Kind.ZONE),
        ("马栏山(长沙)视频文创管理委员会", Kind.ZONE),
        ("国网株洲供电公司", Kind.ENTERPRISE),
        ("国网怀化鹤城供电分公司", Kind.ENTERPRISE),
        ("交发集团", Kind.ENTERPRISE),
        ("人民银行市中心支行", Kind.FINANCIAL),
        ("人民银行株洲市中心支行", Kind.FINANCIAL),
        ("湘潭银保监分局", Kind.FINANCIAL),
        ("韶山市人民政府", Kind.GOVERNMENT),
        ("区政府", Kind.GOVERNMENT),
        ("各县市区人民政府", Kind.COLLECTIVE),
        ("各园区管委会", Kind.COLLECTIVE),
        ("各重点园区管委会", Kind.COLLECTIVE),
        ("各街道", Kind.COLLECTIVE),
        ("社区（村）", Kind.COLLECTIVE),
        ("区碳达峰碳中和领导小组各成员单位", Kind.COLLECTIVE),
    ],
)
def test_classify_tells_the_kind_of_body_from_its_name(name, kind):
    assert classify(name) == kind


def test_a_string_that_names_no_body_is_other():
    assert classify("光伏发电") == Kind.OTHER


@pytest.mark.parametrize(
    "name",
    [
        "各县市区人民政府",
        "各园区管委会",
        "各街道",
        "社区（村）",
        "区碳达峰碳中和领导小组各成员单位",
        "各有关部门",
        "相关区人民政府",
        "有关州（市）人民政府",
        "其他相关部门",
        "试点城市政府",
        "各市、县级政府",
    ],
)
def test_collective_addressees_are_collective(name):
    assert is_collective(name)


@pytest.mark.parametrize("name", ["区发展和改革局", "韶山市人民政府", "国网株洲供电公司"])
def test_single_bodies_are_not_collective(name):
    assert not is_collective(name)


@pytest.mark.parametrize(
    "name",
    [
        "区发改局",
        "生态环境石峰分局",
        "国网株洲供电公司",
        "社区（村）",
        "各街道",
        "市委",
        "区政府",
        "交发集团",
        "区交警大队",
    ],
)
def test_looks_like_unit_accepts_names_of_bodies(name):
    assert looks_like_unit(name)


@pytest.mark.parametrize("name", ["2023—2025年", "试点", "B型", "20%以上", "局", "", "光伏发电项目建设" * 6])
def test_looks_like_unit_rejects_what_names_no_body(name):
    assert not looks_like_unit(name)


def test_prefix_of_reads_the_region_relative_prefix():
    assert prefix_of("区发展和改革局") == "区"
    assert prefix_of("市生态环境局开福分局") == "市"
    assert prefix_of("县发改局") == "县"
    assert prefix_of("市场监管局") == ""  # 市场 is a word, not the city
    assert prefix_of("生态环境石峰分局") == ""
    assert prefix_of("国网株洲供电公司") == ""


def test_department_like_names_are_bare_bureaus_with_no_place_of_their_own():
    assert is_department_like("工信局")
    assert is_department_like("生态环境局")
    assert not is_department_like("市工信局")
    assert not is_department_like("鹤城生态环境分局")
    assert not is_department_like("交发集团")


@pytest.mark.parametrize("name", ["国家能源局", "税务总局", "海关总署", "湘潭市生态环境局", "山西银监局", "团区委"])
def test_names_that_say_their_own_place_or_level_are_not_bare_bureaus(name):
    assert not is_department_like(name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("湘潭市生态环境局", True),
        ("长江新区管委会", True),
        ("山西银监局", True),
        ("太原铁路局", True),
        ("团区委", True),
        ("市生态环境局", False),  # a relative prefix, not a place
        ("生态环境局", False),
        ("市场监督管理局", False),
        ("社区服务中心", False),
    ],
)
def test_names_a_place_tells_a_place_of_its_own_from_a_relative_prefix(name, expected):
    assert names_a_place(name) is expected


def test_suffix_of_gives_the_kind_of_ending():
    assert suffix_of("生态环境石峰分局") == "分局"
    assert suffix_of("马栏山(长沙)视频文创管理委员会") == "管理委员会"
    assert suffix_of("光伏发电") == ""


def test_qualify_spells_out_the_plans_region():
    assert qualify("区发展和改革局", "株洲市石峰区", "石峰区") == "株洲市石峰区发展和改革局"
    assert qualify("区发展和改革局", "长沙市开福区", "开福区") == "长沙市开福区发展和改革局"
    assert qualify("市生态环境局", "湘潭市", "湘潭市") == "湘潭市生态环境局"


def test_qualify_leaves_names_that_are_not_relative_to_the_region():
    assert qualify("国网株洲供电公司", "株洲市石峰区", "石峰区") == "国网株洲供电公司"
    # 市… in a district plan is the parent city's body; the district cannot spell it out.
    assert qualify("市生态环境局开福分局", "长沙市开福区", "开福区") == "市生态环境局开福分局"


def test_invisible_characters_and_full_width_letters_do_not_make_another_name():
    from lib.naming import normalise

    assert normalise("区发\u200b改局\u200f") == normalise("区发改局") == "区发改局"
    assert normalise("市５Ｇ办") == "市5G办"
    assert normalise("马栏山(长沙)视频文创园管理委员会") == "马栏山（长沙）视频文创园管理委员会"
