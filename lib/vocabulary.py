"""The words Chinese plans use to say who answers for a task: one list, from which every pattern is built.

A duty clause names units, separated by 、 (and ，；between groups), joined by 和/及/与 where both sides are
bodies; it may close the list (等, 等有关部门), qualify it by scope (按职责分工, 分别) and give the role by a
verb after the units (牵头, 负责, 配合) or a label before them (牵头单位：, 责任部门：); a table gives the role
by its column heading (牵头单位, 配合单位, 责任主体 …). The clause reader (plans.parsing.clauses), measures,
slips, rules, the appendix and 分工表 readers and the 分工表 import all build their patterns from the tuples here,
so a word plans start to use is one change in this file. Pure Python: no Django, no other module of the project.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Verbs after a list of units, by the role they give it.
LEAD_VERBS = ("牵头",)
# A unit that answers for the task itself: alone it names no lead (A、B负责); set against units that help it
# (A负责，B配合; A指导，B参与) it leads them.
RESPONSIBLE_VERBS = ("负责", "落实", "实施", "推进", "指导", "承办", "主抓", "办理", "起草")
COOPERATING_VERBS = ("配合", "协助", "协办", "参与", "参加", "协同")
# 由A会同B负责: the unit before it leads the units after it.
WITH_VERBS = ("会同",)
# What may follow the verb without changing the role: 牵头负责, 配合实施, 负责落实.
VERB_OBJECTS = ("负责", "落实", "实施", "推进", "工作")

# Labels before a list of units (牵头单位：A), and column headings of a 分工表, by the role they give.
UNIT_NOUNS = ("单位", "部门")
LEAD_LABELS = ("牵头",)
COOPERATING_LABELS = COOPERATING_VERBS
# Answering for the task, no lead among them unless one is marked: 责任单位：A、B.
RESPONSIBLE_LABELS = ("责任", "负责", "主责", "指导", "实施")

# Table column headings (spaces removed), by role. Beyond the label words: the nouns offices also write.
TABLE_HEADINGS = {
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "主办单位", "牵头处室", "牵头科室"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "参与单位", "协助单位", "协同单位", "配合处室", "配合科室"),
    "responsible": (
        "责任单位",
        "责任部门",
        "主责单位",
        "主责部门",
        "实施单位",
        "负责单位",
        "落实单位",
        "承办单位",
        "承担单位",
        "责任主体",
        "实施主体",
        "责任处室",
        "责任科室",
        "完成单位",
    ),
    "guiding": ("指导部门", "指导单位"),
}
# Units that share a task, none leading (the 分工表 import's own column).
JOINT_HEADINGS = ("共同负责单位", "共同负责")
# Columns that name people, not bodies: never read as units.
PEOPLE_HEADINGS = ("领导", "责任人", "联系人")
# The column that holds a row's task, and its deadline.
TASK_HEADINGS = (
    "重点任务",
    "主要任务",
    "工作任务",
    "任务内容",
    "工作内容",
    "具体措施",
    "工作措施",
    "主要措施",
    "重点工作",
    "工作要点",
    "政策措施",
    "具体工作",
    "任务",
    "事项",
    "内容",
    "措施",
)
# Of two task columns, the one that states each row's measure (the other names the task it serves).
MEASURE_HEADINGS = ("工作措施", "具体措施", "具体工作", "工作内容", "任务内容", "主要内容", "重点内容", "主要措施")
DEADLINE_HEADINGS = (
    "完成时限",
    "完成时间",
    "完成期限",
    "时间节点",
    "时限要求",
    "进度安排",
    "时间进度",
    "时间安排",
    "时限",
    "完成时效",
)

# How units are separated: 、 inside a list; ，；between groups of a clause (牵头单位：A；配合单位：B).
UNIT_SEPARATOR = "、"
GROUP_SEPARATORS = "，,；;"
# Words that join the last unit to a list (…民航局和各地方人民政府); they also occur inside names
# (工业和信息化部), so they separate only where both sides name a body.
CONJUNCTIONS = ("以及", "和", "及", "与", "同")
# What closes a list: 等, 等单位, 等有关部门. It names no unit of its own.
CLOSER = "等"
CLOSER_QUALIFIERS = ("相关", "有关", "其他")
# Scope words between the units and their verb: 按职责分工负责, 按照职能分别牵头, 依职责配合.
SCOPE_VERBS = ("按照", "按", "根据", "依照", "依")
DUTY_NOUNS = ("职能职责", "职责职能", "职责", "职能")
ADVERBS = ("分别", "共同", "具体", "抓好", "认真", "各自", "切实", "组织")
# 由市发改委牵头: 由 introduces the units; it is no part of them.
INTRODUCER = "由"
# 市发改委（牵头）、市工信局: a role written in brackets after a unit.
ROLE_MARKS = {"lead": ("牵头", "主责"), "cooperating": ("配合", "参与", "协助")}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Any word that makes text read as an assignment of duties (a verb, a label, 会同).
DUTY_WORD = re.compile(
    _alt({*LEAD_VERBS, *RESPONSIBLE_VERBS, *COOPERATING_VERBS, *WITH_VERBS})
    + "|"
    + "(?:"
    + _alt(RESPONSIBLE_LABELS)
    + ")(?:"
    + _alt(UNIT_NOUNS)
    + ")"
)
# 等, 等单位, 等相关部门 before a verb: optional.
DENG = rf"(?:{CLOSER}(?:{_alt(CLOSER_QUALIFIERS)})?(?:{_alt(UNIT_NOUNS)})?)?"
# 按职责分工, 根据各自职能, 分工: the scope a list answers in.
SCOPE = rf"(?:(?:{_alt(SCOPE_VERBS)})(?:各自)?(?:{_alt(DUTY_NOUNS)})(?:分工)?|分工)"
ADVERB = rf"(?:{_alt(ADVERBS)})"
LEAD = rf"(?:{_alt(LEAD_VERBS)})"
RESPONSIBLE = rf"(?:{_alt(RESPONSIBLE_VERBS)})"
COOPERATING = rf"(?:{_alt(COOPERATING_VERBS)})"
OBJECT = rf"(?:{_alt(VERB_OBJECTS)})"
# Scope words and adverbs in any order before a verb: 按职责分别, 分别按职责, 共同.
QUALIFIERS = rf"(?:{SCOPE}|{ADVERB})*"
# A label before units: 牵头单位：, 主要责任部门：, 配合单位:
LABEL_WORD = rf"(?:主要)?(?:{_alt({*LEAD_LABELS, *COOPERATING_LABELS, *RESPONSIBLE_LABELS})})(?:{_alt(UNIT_NOUNS)})"
LABEL = re.compile(rf"^(?P<label>{LABEL_WORD})\s*[:：]")
# Any two-character word before 单位：/部门：, for a clause that labels its other units too (支持单位：).
ANY_LABEL = re.compile(rf"^(?P<label>(?:主要)?[\u4e00-\u9fff]{{2}}(?:{_alt(UNIT_NOUNS)}))\s*[:：]")
# The verb phrase that ends a list of units, by role.
LEAD_END = re.compile(rf"{DENG}{QUALIFIERS}{LEAD}{OBJECT}?$")
COOPERATING_END = re.compile(rf"{DENG}{QUALIFIERS}{COOPERATING}{OBJECT}?$")
LIST_END = re.compile(rf"{DENG}(?:{QUALIFIERS}{LEAD}?{RESPONSIBLE}{OBJECT}?|(?:{SCOPE}){QUALIFIERS})$")
# 市发改委牵头、市工信局配合: a verb followed by 、 ends its segment as a comma would.
VERB_BEFORE_DUN = re.compile(rf"({_alt({*LEAD_VERBS, '负责', '指导'})})、")
ROLE_MARK = re.compile(
    rf"[（(〔【〈](?P<mark>{_alt({*ROLE_MARKS['lead'], *ROLE_MARKS['cooperating']})})"
    rf"(?:{_alt(UNIT_NOUNS)})?[）)〕】〉]$"
)

# 会同有关部门: the bodies a lead works with, left unnamed; like 等有关部门 after a list, they are no unit.
# The clause's own units named again (各责任单位按职责分工负责，下同; 上述单位): no body of their own.
NAMED_AGAIN = re.compile(rf"^(?:各(?:责任|牵头|配合)|(?:上述|以上|前述)(?:责任|牵头|配合)?)(?:{'|'.join(UNIT_NOUNS)})")
UNNAMED_OTHERS = re.compile(rf"(?:其他)?(?:{_alt(CLOSER_QUALIFIERS)})(?:{_alt(UNIT_NOUNS)})(?:和单位)?")


def label_role(label: str) -> str:
    """The role a label gives its units: lead, cooperating or responsible (joint unless a lead is named)."""
    kind = label.removeprefix("主要")
    if kind.startswith(LEAD_LABELS):
        return "lead"
    if kind.startswith(COOPERATING_LABELS):
        return "cooperating"
    return "responsible"


def mark_role(mark: str) -> str:
    return "lead" if mark in ROLE_MARKS["lead"] else "cooperating"


@lru_cache(maxsize=8192)  # a table repeats its headings on every page, and every reader asks
def heading_role(heading: str) -> str | None:
    """The role a table column heading gives its units, or None when it names no units."""
    compact = re.sub(r"\s+", "", heading)
    if any(word in compact for word in PEOPLE_HEADINGS) and not compact.endswith(UNIT_NOUNS):
        return None
    if compact.startswith("牵头") and compact.endswith((*UNIT_NOUNS, "处室", "科室")):
        return "lead"  # 牵头责任部门, 牵头负责单位: whatever stands between, the column's units lead
    for role, names in TABLE_HEADINGS.items():
        if any(name in compact for name in names):
            return role
    if re.fullmatch(rf"[\u4e00-\u9fff]{{2}}(?:{'|'.join(UNIT_NOUNS)}|主体)", compact):
        # 推进单位, 执行部门, 行使主体: a heading that says its cells are bodies answers for the row.
        return "responsible"
    return None


# Rules a plan states for its own clauses, once: 排在第一位的部门为牵头部门 (the first unit leads), 所列部门均为牵头
# 单位 (every unit leads), and 下同 (it holds for the clauses after it too).
FIRST_LEADS = re.compile(
    r"(?:排在|列在|列于|排|列)?(?:第一位|第一个|首位)的?(?:部门|单位|者)?(?:为|是)(?:主要)?"
    rf"{LEAD}(?:部门|单位)"
    rf"|(?:排名|排序)第一的?(?:部门|单位)?为{LEAD}"
)
ALL_LEAD = re.compile(rf"所列(?:部门|单位)(?:均|都)?(?:为|是)(?:主要)?{LEAD}(?:部门|单位)")
ONWARD = re.compile(r"下同|以下同|以下各项|下列各项|以下均同")
# A segment that only states a rule or a scope names no unit: 下同, 参加单位不一一列出, 按职责.
STATEMENT = re.compile(
    rf"下同|不再(?:逐项|一一)?列出|不一一列出|{LEAD}(?:部门|单位)$|^(?:{_alt(SCOPE_VERBS)})(?:{_alt(DUTY_NOUNS)})"
)
# A blanket note: the units it names answer for this and all later tasks (以下均需试点城市政府落实，不再列出).
BLANKET = re.compile(r"本项及以下|以下各项|以下各|各项工作均|以下均|以下分工均|以下任务均|以下工作均")
BLANKET_UNITS = re.compile(r"(?:需|由|涉及)(?P<units>.+?)(?:负责|落实|承担|实施|，|,|$)")
# A sentence of the body that makes units answer for every task, or every task after it (rules.py): the verb or
# the noun that says so.
ANSWERS_FOR = r"(?:负责|承担|抓好)"
ANSWERING_UNITS = r"(?:责任|落实)单位"
# 牵头单位：A　配合单位：B: a label after a space starts a segment of its own.
SPACED_LABEL = re.compile(rf"[ 　]+(?={LABEL_WORD}\s*[:：])")
# A line of its own that names units: 主责单位：A，B，C / （牵头单位：A；配合单位：B）.
UNIT_LINE = re.compile(rf"^[（(]?{LABEL_WORD}\s*[:：]\S")
# A labelled list of units in running text: …推进。责任单位：市发改委、市工信局.
LABELLED_IN_TEXT = re.compile(rf"(?:^|(?<=[。；;！？]))\s*(?P<list>{LABEL_WORD}\s*[:：][^。]+)")


# The five-year plans plans name as periods, by the year each ends: “十四五”期间 runs to the end of 2025. The target
# reader, the deadline reader and a plan's state (plans.lifecycle) all read them from here.
PLAN_PERIODS = {"十四五": 2025, "十五五": 2030, "十六五": 2035}
