"""Lists of units as plans write them beyond the seeds: one vocabulary (lib/vocabulary.py) for role words, scope
words, closers and conjunctions; a 职责分工 list of paragraphs that open with their units; page breaks."""

from __future__ import annotations

import pytest

from lib import vocabulary as words
from plans.parsing.clauses import parse_clause

from .support import codes, parse_text

LEAD, COOP, JOINT = "lead", "cooperating", "joint"


def read(clause: str) -> list[tuple[str, str]]:
    return [(u.name, str(u.role)) for u in parse_clause(clause, 1).units]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # A scope word between the leads and their verb is no part of the last lead's name.
        (
            "市发改委、市工信局按职责牵头，市财政局配合",
            [("市发改委", "lead"), ("市工信局", "lead"), ("市财政局", "cooperating")],
        ),
        (
            "市发改委、市工信局分别牵头，各县市区配合",
            [("市发改委", "lead"), ("市工信局", "lead"), ("各县市区", "cooperating")],
        ),
        # A group joined after the list's closer by a conjunction is kept; 等 still closes the list.
        (
            "市发改委、市工信局等部门和各县市区人民政府负责",
            [("市发改委", "joint"), ("市工信局", "joint"), ("各县市区人民政府", "joint")],
        ),
        ("区投资促进局等各产业、招商主管部门负责", [("区投资促进局", "joint")]),
        # An office joined to a collective by a conjunction; 同 joins as 和 does.
        ("县政府办公室和各乡镇人民政府负责", [("县政府办公室", "joint"), ("各乡镇人民政府", "joint")]),
        ("市数据局同各区负责", [("市数据局", "joint"), ("各区", "joint")]),
        # 党委、政府 written short: the 政府 of the same collective.
        ("各乡镇党委、政府负责", [("各乡镇党委", "joint"), ("各乡镇政府", "joint")]),
        # 会同: the unit before it leads; 会同有关部门 names nobody further.
        ("国家发展改革委会同有关部门负责", [("国家发展改革委", "lead")]),
        # Beside a known label, another X单位： labels units too.
        (
            "牵头单位：区发改委；支持单位：区财政局、区商务委",
            [("区发改委", "lead"), ("区财政局", "cooperating"), ("区商务委", "cooperating")],
        ),
        # The verb that ends the last of a clause's plain lists names them all; a collective after 和; 委、办、局.
        (
            "六安市、安庆市政府，省发展改革委、省交通运输厅牵头",
            [("六安市", "lead"), ("安庆市政府", "lead"), ("省发展改革委", "lead"), ("省交通运输厅", "lead")],
        ),
        (
            "省工信厅牵头，省财政厅和各州、市人民政府配合",
            [("省工信厅", "lead"), ("省财政厅", "cooperating"), ("各州、市人民政府", "cooperating")],
        ),
        ("各街道、相关委、办、局", [("各街道", "joint"), ("相关委、办、局", "joint")]),
        ("区发改委，相关部门、单位", [("区发改委", "joint"), ("相关部门、单位", "joint")]),
        ("责任单位:市科技创新局、工业和信息化局依职责办理", [("市科技创新局", "joint"), ("工业和信息化局", "joint")]),
        ("市司法局起草", [("市司法局", "joint")]),  # a legislative plan names the drafting body
        (
            "市住房城乡建设管理委牵头负责，各区政府组织落实",
            [("市住房城乡建设管理委", "lead"), ("各区政府", "cooperating")],
        ),
        # The clause's own units named again are no unit; a further sentence whose subject is units adds them.
        (
            "责任单位：市交通委、市财政局；各责任单位按职责分工负责，下同",
            [("市交通委", "joint"), ("市财政局", "joint")],
        ),
        (
            "市发改委牵头，市工信局等部门按职责分工负责。各县级市（区）人民政府负责落实。以下均需各县级市（区）人民政府落实",
            [("市发改委", "lead"), ("市工信局", "cooperating"), ("各县级市（区）人民政府", "cooperating")],
        ),
        # Bodies named by what they are, not by a bureaucratic suffix.
        ("主责单位：市政府参事室（市文史馆）", [("市政府参事室（市文史馆）", "joint")]),
        ("各街镇、区属国企", [("各街镇", "joint"), ("区属国企", "joint")]),
        # An event's 会 is no body of its own: the committee is one unit.
        (
            "十五运会和残特奥会广州赛区执委会、市教育局负责",
            [("十五运会和残特奥会广州赛区执委会", "joint"), ("市教育局", "joint")],
        ),
    ],
)
def test_a_clause_beyond_the_seeds_is_read_as_a_reader_would(clause, expected):
    assert read(clause) == expected


def test_the_role_words_are_one_vocabulary_and_a_new_word_is_one_change():
    assert words.LEAD_END.search("市工信局按职责分工牵头")
    assert words.COOPERATING_END.search("市财政局按职责配合")
    assert words.label_role("主要牵头单位") == "lead"
    assert words.heading_role("责任主体") == "responsible" and words.heading_role("牵头领导") is None


DUTY_LIST = """某镇城镇房屋安全隐患排查整治工作方案
一、工作目标
全面排查城镇房屋安全隐患。
二、保障措施
（一）细化职责分工
镇领导小组根据职责，将城镇房屋纳入安全监管范围。
房管所、规建生态办负责牵头组织排查整治工作；
房管所负责规模租赁场所的房屋安全隐患排查整治工作；
经发办负责园区、企业、商业体的房屋安全隐患排查整治工作；
城运中心结合风险普查，协同做好面上排查整治协调等工作；
各职能部门分工若有遗漏，以网格划分为准。
"""


def test_in_a_plan_whose_lists_run_on_commas_a_pair_joined_by_dun_is_one_body_with_two_names():
    items = "\n".join(
        f"{n}.第{n}项任务。\n主责单位：市发展改革委，市科委、中关村管委会，市财政局"
        if n % 2
        else f"{n}.第{n}项任务。\n主责单位：市教委，市商务局"
        for n in range(1, 11)
    )
    plan = parse_text("某市2024年重点任务清单\n一、重点任务\n" + items + "\n")
    assert [u.name for u in plan.tasks[0].clause.units] == ["市发展改革委", "市科委、中关村管委会", "市财政局"]
    assert [u.name for u in plan.tasks[1].clause.units] == ["市教委", "市商务局"]


def test_a_dun_pair_stays_two_units_where_either_name_also_stands_alone_or_lists_use_dun():
    alone = "\n".join(
        f"{n}.第{n}项任务。\n主责单位：市发展改革委，市科委、中关村管委会"
        if n < 8
        else f"{n}.第{n}项任务。\n主责单位：市科委，市商务局"
        for n in range(1, 11)
    )
    plan = parse_text("某市2024年重点任务清单\n一、重点任务\n" + alone + "\n")
    assert [u.name for u in plan.tasks[0].clause.units] == ["市发展改革委", "市科委", "中关村管委会"]
    dun = "\n".join(f"{n}.第{n}项任务。（责任单位：市科委、中关村管委会）" for n in range(1, 11))
    plan = parse_text("某市2024年重点任务清单\n一、重点任务\n" + dun + "\n")
    assert [u.name for u in plan.tasks[0].clause.units] == ["市科委", "中关村管委会"]


def test_a_duty_list_of_paragraphs_that_open_with_their_units_gives_a_task_each():
    plan = parse_text(DUTY_LIST)
    assert [[(u.name, str(u.role)) for u in t.clause.units] for t in plan.tasks] == [
        [("房管所", "lead"), ("规建生态办", "lead")],
        [("房管所", "joint")],
        [("经发办", "joint")],
        [("城运中心", "joint")],
    ]
    assert plan.tasks[1].title == "房管所负责规模租赁场所的房屋安全隐患排查整治工作"


def test_one_or_two_such_sentences_are_prose_about_who_coordinates_not_a_list():
    text = DUTY_LIST.replace("经发办负责园区、企业、商业体的房屋安全隐患排查整治工作；\n", "").replace(
        "城运中心结合风险普查，协同做好面上排查整治协调等工作；\n", ""
    )
    plan = parse_text(text)
    # Nothing assigns anything: the one numbered heading is read as a task without units, with a warning.
    assert [(t.title, t.clause) for t in plan.tasks] == [("细化职责分工", None)]
    assert [w.code for w in plan.warnings] == ["no_duties"]


def test_a_clause_a_page_break_cut_in_two_is_joined_and_said_so():
    plan = parse_text(
        "某市节能行动方案\n一、重点任务\n（一）能源\n1.推进光伏。推进屋顶光伏建设。（市发改委牵头，\n\n— 12 —\n\n"
        "市工信局、市住建局配合）\n2.推进储能。建设储能电站。（市能源局负责）\n"
    )
    first = plan.tasks[0]
    assert [(u.name, str(u.role)) for u in first.clause.units] == [
        ("市发改委", "lead"),
        ("市工信局", "cooperating"),
        ("市住建局", "cooperating"),
    ]
    assert "page_break" in codes(plan)
    assert len(plan.tasks) == 2
