"""The five real plans: metadata, clause counts and exact units of real clauses."""

from __future__ import annotations

import re
from datetime import date

import pytest

from plans.parsing import Role, WarningCode

from .support import COOP, JOINT, LEAD, SEEDS, seed, task, units

CLAUSE_COUNTS = {"000": 37, "001": 52, "002": 37, "003": 32, "004": 43}


@pytest.mark.parametrize("key", SEEDS)
def test_every_seed_parses_with_its_number_of_duty_clauses(key):
    assert len(seed(key).clauses) == CLAUSE_COUNTS[key]


def test_the_five_seeds_hold_201_duty_clauses_in_all():
    assert sum(len(seed(key).clauses) for key in SEEDS) == 201


@pytest.mark.parametrize("key", SEEDS)
def test_no_seed_leaves_text_unplaced(key):
    unplaced = [w for w in seed(key).warnings if w.code is WarningCode.UNPLACED_TEXT]
    assert unplaced == []


@pytest.mark.parametrize(
    ("key", "title", "region", "is_draft"),
    [
        ("000", "株洲市石峰区碳达峰实施方案", "株洲市石峰区", True),
        ("001", "湘潭市碳达峰实施方案", "湘潭市", False),
        ("002", "株洲市碳达峰实施方案", "株洲市", False),
        ("003", "长沙市开福区碳达峰实施方案", "长沙市开福区", False),
        ("004", "怀化市鹤城区碳达峰实施方案", "怀化市鹤城区", False),
    ],
)
def test_title_region_and_draft_status_come_from_the_title(key, title, region, is_draft):
    plan = seed(key)
    assert (plan.title, plan.region_name, plan.is_draft) == (title, region, is_draft)


@pytest.mark.parametrize(
    ("key", "doc_number", "issued_on", "issuer"),
    [
        ("001", "潭政发〔2023〕9号", date(2023, 5, 11), "湘潭市人民政府"),
        ("002", "株政发〔2023〕9号", date(2023, 7, 1), "株洲市人民政府"),
        ("004", "鹤政发〔2024〕1号", date(2024, 3, 27), "怀化市鹤城区人民政府"),
    ],
)
def test_doc_number_date_and_issuer_come_from_the_cover_notice(key, doc_number, issued_on, issuer):
    plan = seed(key)
    assert (plan.doc_number, plan.issued_on, plan.issuer) == (doc_number, issued_on, issuer)


@pytest.mark.parametrize("key", ["000", "003"])
def test_plans_without_a_cover_notice_have_no_doc_number_date_or_issuer(key):
    plan = seed(key)
    assert (plan.doc_number, plan.issued_on, plan.issuer) == ("", None, "")


def _positions(clause):
    """Where each written unit starts in the clause text, in list order."""
    positions, cursor, previous = [], 0, None
    for unit in clause.units:
        if unit.split_from and unit.split_from == previous:
            continue  # the second half of a fused string was found with the first
        found = clause.text.find(unit.as_written, cursor)
        assert found >= 0, f"{unit.as_written} not found in order in {clause.text}"
        positions.append((found, unit))
        cursor = found + len(unit.as_written)
        previous = unit.split_from
    return positions


@pytest.mark.parametrize("key", SEEDS)
def test_every_seed_clause_lists_its_units_in_the_order_written(key):
    for clause in seed(key).clauses:
        _positions(clause)  # asserts each unit is found after the one before


@pytest.mark.parametrize("key", SEEDS)
def test_units_before_qian_tou_lead_and_the_rest_cooperate_or_all_are_joint(key):
    for clause in seed(key).clauses:
        main = clause.text.split("。")[0]
        lead_end = main.find("牵头")
        for position, unit in _positions(clause):
            expected = Role.JOINT if lead_end < 0 else Role.LEAD if position < lead_end else Role.COOPERATING
            assert unit.role is expected, (clause.text, unit.name)
            assert not unit.inferred


@pytest.mark.parametrize("key", SEEDS)
def test_no_seed_unit_keeps_the_verb_or_a_trailing_deng(key):
    for clause in seed(key).clauses:
        for unit in clause.units:
            assert not re.search(r"牵头|负责|按职责|按照|等$", unit.name), unit.name


# Exact clauses, as written in the seed files.
SPOT_CHECKS = {
    "000": {
        "3.1.1": [
            ("区发展和改革局", LEAD),
            ("生态环境石峰分局", COOP),
            ("区住房和城乡建设局", COOP),
            ("区城管局", COOP),
            ("区自然资源局", COOP),
            ("区机关事务服务中心", COOP),
            ("高新区田心片区管委会", COOP),
            ("经开区管委会", COOP),
        ],
        "3.3.2": [
            ("区发展和改革局", LEAD),
            ("区科技和工业信息化局", LEAD),
            ("高新区田心片区管委会", COOP),
            ("经开区管委会", COOP),
        ],
        "3.4.1": [
            ("区交通运输局", LEAD),
            ("区发展和改革局", COOP),
            ("区住房和城乡建设局", COOP),
            ("株洲市公安局交通警察支队石峰大队", COOP),
        ],
        "3.7.2": [
            ("区城管局", JOINT),
            ("生态环境石峰分局", JOINT),
            ("区科技和工业信息化局", JOINT),
            ("区住房和城乡建设局", JOINT),
            ("区商务局", JOINT),
            ("区机关事务中心", JOINT),
        ],
        "3.8.4": [
            ("区科技和工业信息化局", LEAD),
            ("区发展和改革局", COOP),
            ("区财政局", COOP),
            ("区人社局", COOP),
            ("区金融办", COOP),
            ("区税务局", COOP),
            ("区人才办", COOP),
        ],
        "3.10": [
            ("区发展和改革局", LEAD),
            ("生态环境石峰局", LEAD),
            ("区财政局", COOP),
            ("区科技和工业信息化局", COOP),
            ("区文化旅游体育局", COOP),
            ("高新区田心片区管委会", COOP),
            ("经开区管委会", COOP),
        ],
        "5.5": [
            ("区发展和改革局", JOINT),
            ("生态环境局石峰分局", JOINT),
            ("国网株洲供电公司", JOINT),
            ("区科技和工业信息化局", JOINT),
        ],
    },
    "001": {
        "3.1.1": [("市发改委", JOINT), ("市工信局", JOINT), ("市生态环境局", JOINT)],
        "3.1.4": [("市发改委", JOINT), ("市工信局", JOINT), ("国网湘潭供电公司", JOINT)],
        "3.10.1": [
            ("人民银行市中心支行", JOINT),
            ("市财政局", JOINT),
            ("市金融办", JOINT),
            ("湘潭银保监分局", JOINT),
            ("市发改委", JOINT),
        ],
        "3.10.3": [
            ("市发改委", JOINT),
            ("市生态环境局", JOINT),
            ("市林业局", JOINT),
            ("人民银行市中心支行", JOINT),
            ("湘潭银保监分局", JOINT),
        ],
        "4.3": [("市发改委", JOINT), ("市财政局", JOINT), ("国网湘潭供电公司", JOINT)],
        "4.5": [("韶山市人民政府", JOINT)],
        "6.2": [("市碳达峰碳中和工作领导小组办公室", JOINT)],
    },
    "002": {
        "3.1.1": [
            ("市发展改革委", LEAD),
            ("市生态环境局", COOP),
            ("市住房城乡建设局", COOP),
            ("市城管局", COOP),
            ("市自然资源和规划局", COOP),
            ("市机关事务局", COOP),
            ("各县市区人民政府", COOP),
            ("各园区管委会", COOP),
        ],
        "3.2.2": [
            ("市发展改革委", LEAD),
            ("市工业和信息化局", COOP),
            ("市交通运输局", COOP),
            ("市住房城乡建设局", COOP),
            ("市机关事务局", COOP),
            ("各县市区人民政府", COOP),
            ("各重点园区管委会", COOP),
        ],
        "3.3.1": [("市工业和信息化局", LEAD), ("各县市区人民政府", COOP), ("各园区管委会", COOP)],
        "3.4.2": [("市交通运输局", LEAD), ("市口岸办", LEAD), ("市发展改革委", COOP), ("市工业和信息化局", COOP)],
        "3.9.1": [("市委宣传部", JOINT), ("市发展改革委", JOINT), ("市生态环境局", JOINT), ("各县市区人民政府", JOINT)],
        "5.3": [
            ("市财政局", JOINT),
            ("市税务局", JOINT),
            ("市政府金融办", JOINT),
            ("人民银行株洲市中心支行", JOINT),
            ("市发展改革委", JOINT),
        ],
    },
    "003": {
        "3.1.1": [
            ("马栏山(长沙)视频文创管理委员会", JOINT),
            ("长沙金霞经济开发区管理委员会", JOINT),
            ("区交通运输局", JOINT),
            ("区工业和信息化局", JOINT),
            ("区商务局", JOINT),
            ("区文化旅游体育局", JOINT),
        ],
        "3.1.2": [
            ("区工业和信息化局", LEAD),
            ("马栏山（长沙）视频文创园管理委员会", COOP),
            ("长沙金霞经济开发区管理委员会", COOP),
            ("区发展和改革局", COOP),
            ("区科学技术局", COOP),
            ("区住房和城乡建设局", COOP),
        ],
        "3.4.3": [
            ("区住房和城乡建设局", LEAD),
            ("马栏山(长沙)视频文创管理委员会", COOP),
            ("长沙金霞经济开发区管理委员会", COOP),
            ("区发展和改革局", COOP),
            ("区科学技术局", COOP),
        ],
        "3.4.4": [
            ("区发展和改革局", JOINT),
            ("区住房和城乡建设局", JOINT),
            ("区农业农村局", JOINT),
            ("各街道", JOINT),
            ("各社区（村）", JOINT),
        ],
        "3.6.3": [
            ("市自然资源和规划局开福区分局", LEAD),
            ("区发展和改革局", COOP),
            ("区农业农村局", COOP),
            ("市生态环境局开福分局", COOP),
        ],
        "3.9.2": [
            ("区委组织部", JOINT),
            ("区委宣传部", JOINT),
            ("区发展和改革局", JOINT),
            ("区住房和城乡建设局", JOINT),
            ("区交通运输局", JOINT),
            ("区机关事务中心", JOINT),
            ("市生态环境局开福分局", JOINT),
        ],
    },
    "004": {
        "3.1.1": [
            ("区发展和改革局", JOINT),
            ("区自然资源局", JOINT),
            ("区住房和城乡建设局", JOINT),
            ("鹤城生态环境分局", JOINT),
            ("区工业和信息化局", JOINT),
            ("鹤城高新区管委会", JOINT),
        ],
        "3.1.2": [
            ("区发展和改革局", JOINT),
            ("区自然资源局", JOINT),
            ("区住房和城乡建设局", JOINT),
            ("区农业农村局", JOINT),
            ("区水利局", JOINT),
            ("区林业局", JOINT),
            ("国网怀化供电鹤城分公司", JOINT),
        ],
        "3.1.4": [
            ("区发展和改革局", JOINT),
            ("区工业和信息化局", JOINT),
            ("国网怀化鹤城供电分公司", JOINT),
            ("区科技局", JOINT),
        ],
        "3.10.1": [("区金融事务服务中心", JOINT), ("区发展和改革局", JOINT), ("区财政局", JOINT)],
        "4.1": [("区统计局", JOINT), ("鹤城生态环境分局", JOINT), ("区林业局", JOINT), ("区市场监督管理局", JOINT)],
    },
}


@pytest.mark.parametrize(
    ("key", "ref"), [(key, ref) for key, refs in SPOT_CHECKS.items() for ref in refs], ids=lambda v: str(v)
)
def test_real_clauses_give_exactly_the_units_written_with_their_roles(key, ref):
    assert units(task(seed(key), ref).clause) == SPOT_CHECKS[key][ref]


@pytest.mark.parametrize(
    ("key", "ref", "task_line", "clause_line", "title"),
    [
        ("000", "3.1.1", 19, 19, "大力发展可再生能源"),
        ("001", "3.1.1", 43, 43, "推进煤炭消费替代和转型升级"),
        ("002", "3.4.2", 40, 40, "构建完善的交通运输体系"),
        ("003", "3.1.1", 16, 17, "培育绿色低碳新兴产业"),
        ("004", "3.10.1", 148, 148, "大力发展绿色金融"),
    ],
)
def test_tasks_and_clauses_point_at_their_lines_in_the_file(key, ref, task_line, clause_line, title):
    found = task(seed(key), ref)
    assert (found.line, found.clause.line, found.title) == (task_line, clause_line, title)


def test_the_fused_unit_in_003_is_split_in_two_with_a_warning():
    plan = seed("003")
    fused = "区机关事务中心市生态环境局开福分局"
    halves = [u for u in task(plan, "3.9.2").clause.units if u.split_from]
    assert [(u.name, u.as_written, u.split_from) for u in halves] == [
        ("区机关事务中心", "区机关事务中心", fused),
        ("市生态环境局开福分局", "市生态环境局开福分局", fused),
    ]
    warnings = [w for w in plan.warnings if w.code is WarningCode.FUSED_SPLIT]
    assert [(w.line, fused in w.message) for w in warnings] == [(81, True)]


def test_trailing_deng_closes_the_list_in_003_and_is_no_unit():
    clause = task(seed("003"), "3.1.1").clause
    assert clause.text.endswith("区文化旅游体育局等按照职能分工负责")
    assert clause.units[-1].name == "区文化旅游体育局"


def test_001s_blanket_note_names_the_local_units_for_this_and_every_later_task():
    plan = seed("001")
    first = task(plan, "3.1.1")
    assert first.clause.note.startswith("本项及以下各项工作均需各县市区、园区落实地方主体责任")
    assert [(u.name, u.as_written) for u in first.clause.blanket_units] == [
        ("各县市区", "各县市区"),
        ("各园区", "园区"),
    ]
    for later in plan.tasks:
        assert [(u.name, u.role) for u in later.note_units] == [("各县市区", JOINT), ("各园区", JOINT)], later.ref
        assert later.note_source_line == 43
    assert [(w.code, w.line) for w in plan.warnings] == [(WarningCode.BLANKET_NOTE, 43)]


@pytest.mark.parametrize("key", ["000", "002", "003", "004"])
def test_plans_without_a_blanket_note_give_no_note_units(key):
    assert all(t.note_units == [] for t in seed(key).tasks)


def test_a_nameless_lead_is_never_invented_by_default():
    for key in SEEDS:
        for clause in seed(key).clauses:
            if "牵头" not in clause.text:
                assert all(u.role is JOINT for u in clause.units), clause.text
