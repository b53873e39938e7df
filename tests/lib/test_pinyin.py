"""Pinyin keys: sorting as a Chinese index does, and initials as users type them."""

import pytest

from lib.pinyin import initials, looks_like_initials, sort_key


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("区发展和改革局", "qfzhggj"),
        ("区发改局", "qfgj"),
        ("市发展改革委", "sfzggw"),
        ("国网株洲供电公司", "gwzzgdgs"),
        ("市5G办", "s5gb"),
        ("马栏山（长沙）视频文创园管理委员会", "mlscssp wcyglwyh".replace(" ", "")),
    ],
)
def test_initials_take_the_first_letter_of_every_syllable(name, expected):
    assert initials(name) == expected


def test_polyphonic_characters_read_as_in_their_words():
    assert initials("重庆银行") == "cqyh"  # 重庆 chong, 银行 hang
    assert initials("区住房和城乡建设局") == "qzfhcxjsj"


def test_the_sort_key_leaves_out_the_region_prefix():
    assert sort_key("区财政局") == sort_key("财政局")
    assert sort_key("区财政局").startswith("cai2")


def test_names_sort_in_pinyin_order():
    names = ["区住房和城乡建设局", "区发展和改革局", "区财政局", "区农业农村局", "国网株洲供电公司", "区方志办"]
    assert sorted(names, key=sort_key) == [
        "区财政局",
        "区发展和改革局",
        "区方志办",
        "国网株洲供电公司",
        "区农业农村局",
        "区住房和城乡建设局",
    ]


@pytest.mark.parametrize(
    ("query", "expected"), [("fgj", True), ("FGJ", True), ("s5gb", True), ("发改", False), ("5g", False), ("", False)]
)
def test_initials_queries_are_latin_letters(query, expected):
    assert looks_like_initials(query) is expected
