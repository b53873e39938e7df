"""What the parser reads out of a plan: plain data, no Django.

Line numbers are 1-based and refer to the decoded source file, so a message
can always point a user at the line in the file they brought.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Role(StrEnum):
    LEAD = "lead"
    COOPERATING = "cooperating"
    JOINT = "joint"


class WarningCode(StrEnum):
    UNKNOWN_UNIT = "unknown_unit"
    FUSED_SPLIT = "fused_split"
    INFERRED_LEAD = "inferred_lead"
    TABLE_DISAGREEMENT = "table_disagreement"
    UNPLACED_TEXT = "unplaced_text"
    ALIAS_MATCHED = "alias_matched"
    PREFIX_CARRIED = "prefix_carried"
    GLYPH_REPAIRED = "glyph_repaired"
    BLANKET_NOTE = "blanket_note"
    OUT_OF_RANGE = "out_of_range"
    STATED_RULE = "stated_rule"
    TYPING_SLIP = "typing_slip"
    TITLE_GUESSED = "title_guessed"
    REGION_GUESSED = "region_guessed"
    PAGE_BREAK = "page_break"
    NO_DUTIES = "no_duties"


@dataclass
class ParseWarning:
    code: WarningCode
    message: str
    line: int | None = None
    # Where the line is in the file the user has (第3页第12行, 第12段), from the reader; '' for plain text.
    where: str = ""


@dataclass
class UnitRef:
    """One unit named in a clause or a table cell."""

    name: str  # normalised name used to resolve the agency
    as_written: str  # exactly as the text has it
    role: Role
    inferred: bool = False
    # Set when this unit was cut out of a longer string (typo without 、).
    split_from: str | None = None


@dataclass
class LeadRule:
    """A rule a plan states about who leads: 排在第一位的部门为牵头部门 (first), 所列部门为主要牵头单位 (all)."""

    kind: str  # "first" | "all"
    text: str  # the rule as the plan writes it
    line: int
    onward: bool = False  # 下同: it holds for every later clause too

    @property
    def label(self) -> str:
        return f"第{self.line}行“{self.text}”"


@dataclass
class Clause:
    """A duty clause: the parenthetical (or unit line) that closes a task's text."""

    text: str  # inside the parentheses, as written
    line: int
    units: list[UnitRef]
    note: str = ""  # text after the first 。 inside the clause
    # Units the note assigns to this task and every later task of the plan.
    blanket_units: list[UnitRef] = field(default_factory=list)
    # A lead rule this clause states, and the rule (its own or an earlier one) that set its leads.
    stated_rule: LeadRule | None = None
    rule: LeadRule | None = None

    @property
    def has_stated_lead(self) -> bool:
        return any(u.role is Role.LEAD and not u.inferred for u in self.units)


@dataclass
class Target:
    label: str  # the time phrase as written: 到2025年, 2030年前, “十四五”期间
    year: int | None
    text: str
    value: Decimal | None = None
    unit: str = ""


@dataclass
class OutlineNode:
    """A part (level 1) or section (level 2) of the plan."""

    level: int
    number: str
    title: str
    line: int
    body: str = ""
    # Index of the parent node in ParsedPlan.outline, None for parts.
    parent: int | None = None


@dataclass
class ParsedTask:
    number: str
    title: str
    body: str
    line: int
    outline_index: int  # the node this task sits under
    ref: str  # stable key within the plan, e.g. "3.2.1"
    is_section: bool = False  # the section itself is the task
    is_goal: bool = False  # a 总体目标 row from an appendix table
    clause: Clause | None = None
    targets: list[Target] = field(default_factory=list)
    # Units applied by an earlier clause's blanket note.
    note_units: list[UnitRef] = field(default_factory=list)
    note_source_line: int | None = None
    # A measure of another task (a sub-measure (1), or a further clause in its text): that task's ref.
    parent_ref: str | None = None


@dataclass
class AppendixRow:
    """A row of a 重点事项清单: a goal or a task with its own units."""

    appendix: str
    group: str
    section: str
    number: str
    title: str
    text: str
    lead_text: str
    units_text: str
    units: list[UnitRef]
    line: int
    task_ref: str | None = None  # the body task it repeats, if any


@dataclass
class KeyProject:
    number: int | None
    category: str
    unit: str
    name: str
    content: str
    start_year: int | None
    end_year: int | None
    investment: Decimal | None  # 万元
    line: int


@dataclass
class RegionClue:
    """Text that says where a plan belongs, as found; the agencies app matches it against the regions.

    Kinds, strongest first: issuer (the body that issued it: 深圳市人民政府, 海关总署), site (the site that
    published it), doc_code (the 机关代字 of its 文号: 深府函), title (the title, with the places it names:
    …盐都行动方案, 国家碳达峰试点（深圳）实施方案), body (我区, 全省: the level the text speaks from, with how
    often). The text's other place names settle between namesakes (agencies.inference).
    """

    kind: str
    text: str
    line: int | None = None
    count: int = 1

    @property
    def label(self) -> str:
        names = {
            "issuer": "发文机关",
            "site": "发布网站",
            "doc_code": "文号机关代字",
            "title": "标题",
            "body": "正文用语",
            "units": "责任单位的层级",
        }
        where = f"（第{self.line}行）" if self.line else ""
        return f"{names.get(self.kind, self.kind)}“{self.text}”{where}"


@dataclass
class ParsedPlan:
    source_name: str
    title: str
    is_draft: bool
    region_name: str  # the place named at the start of the title, e.g. 株洲市石峰区
    issuer: str = ""
    doc_number: str = ""
    issued_on: date | None = None
    copied_to: str = ""  # 抄送
    title_line: int | None = None
    # Where a title the file does not state was guessed from (文件名, 通知中的书名号…); '' when it states one.
    title_doubt: str = ""
    # Every clue to the plan's region, strongest kind first (see RegionClue).
    region_clues: list[RegionClue] = field(default_factory=list)
    text: str = ""  # the decoded source, lines as in the file
    outline: list[OutlineNode] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    goal_targets: list[Target] = field(default_factory=list)
    appendix_rows: list[AppendixRow] = field(default_factory=list)
    projects: list[KeyProject] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    # Where each line of `text` is in the file the user has, from the reader (readers.Source.places).
    places: list[str] = field(default_factory=list)

    def locate(self, line: int | None) -> str:
        """Where the line is in a Word, PDF or web file (第3页第12行, 第12段); '' for a text file, whose line
        numbers the user sees, and without a line."""
        if not line or not self.places:
            return ""
        return self.places[line - 1] if line <= len(self.places) and self.places[line - 1] else f"第{line}行"

    @property
    def clauses(self) -> list[Clause]:
        return [t.clause for t in self.tasks if t.clause is not None]

    def warn(self, code: WarningCode, message: str, line: int | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, line))


# Refusals other modules tell apart (a binary file read as text is answered with what the reader accepts).
EMPTY = "文件是空的，没有任何文字；请检查是否选错了文件"
NOT_TEXT = "不是文本文件"


class PlanFormatError(ValueError):
    """The file cannot be read as a plan; the message names file and line.

    `where` says where that line is in the file the user has (第3页第12行, 第12段) when it is not a
    plain text file, whose line numbers the user's editor shows.
    """

    def __init__(self, source_name: str, message: str, line: int | None = None, where: str = ""):
        self.source_name = source_name
        self.line = line
        self.message = message
        self.where = where
        # As the upload page and ingest_plans show it: 方案.txt 第12行: …, 方案.pdf（第3页第12行）: …
        at = f"{source_name}（{where}）" if where else f"{source_name} 第{line}行" if line else source_name
        super().__init__(f"{at}: {message}")
