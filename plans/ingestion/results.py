"""What an ingest did, as plain data: counts, warnings, conflicts, and (for a dry run) the tasks it would store."""

from __future__ import annotations

from dataclasses import dataclass, field

from agencies.models import Agency, Region

from .. import labels
from ..models import Duty, Plan
from ..parsing.structures import ParseWarning, WarningCode
from .reconcile import Conflict, KeptTask


@dataclass
class Changes:
    """What an update did to the plan's tasks and duties, by count."""

    tasks_added: int = 0
    tasks_changed: int = 0
    tasks_removed: int = 0
    duties_added: int = 0
    duties_changed: int = 0
    duties_removed: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())


@dataclass
class UnitPreview(labels.ShowsRole):
    """A duty as a dry run would store it, kept as plain data since the rows are rolled back."""

    name: str
    role: str
    inferred: bool
    source: str

    @property
    def manual(self) -> bool:
        return self.source == Duty.Source.MANUAL


@dataclass
class NewAgency:
    """A name the text writes that no agency had: `agency` was created for it, or is the one a person mapped it onto.

    In a dry run a created agency is rolled back with the rest: only its name and region are still true.
    """

    name: str  # as written, normalised
    region: Region  # where the name is read: a mapped agency is of this region
    agency: Agency
    created: bool


@dataclass
class TaskPreview:
    ref: str
    heading: str
    line: int
    kept: bool
    units: list[UnitPreview]


@dataclass
class IngestResult:
    source_name: str
    status: str  # created | updated | unchanged
    plan: Plan | None = None
    tasks: int = 0
    duties: int = 0
    agencies_created: list[str] = field(default_factory=list)
    # The names behind agencies_created and those a person mapped onto existing agencies instead.
    new_agencies: list[NewAgency] = field(default_factory=list)
    # Names a person mapped whose agency is no longer there to map onto; they were read as if unmapped.
    unmapped: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept_tasks: list[KeptTask] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    # Conflicts settled for the text and kept tasks deleted with it, by the administrator's choice.
    taken: int = 0
    deleted_tasks: int = 0
    # The stored tasks with their units; filled by dry runs only, for the upload preview.
    preview: list[TaskPreview] = field(default_factory=list)
    # How the plan's region was found: 发文机关“深圳市人民政府”（第3行）, 人工指定.
    region_source: str = ""
    # The title as the text has it, before a person's correction (the stored plan's when the file was not read).
    parsed_title: str = ""
    # Why the region was taken though the text did not settle it (唯一的候选…), and the other candidates.
    region_doubt: str = ""
    region_candidates: list = field(default_factory=list)
    # The state the plan has without a person's choice (plans.lifecycle): a new plan's judged from its dates, with
    # why (标题所写期限至2020年，已结束); a stored plan's own, with no basis.
    default_state: str = ""
    state_basis: str = ""

    @property
    def title_doubt(self) -> str:
        """The warning that the title was guessed (文件中没有写明方案标题…), or ''."""
        return next((w.message for w in self.warnings if w.code == WarningCode.TITLE_GUESSED), "")

    @property
    def kept_manual(self) -> int:
        """Conflicts where the manual side stays."""
        return len(self.conflicts) - self.taken

    @property
    def decision_keys(self) -> set[str]:
        return {c.key for c in self.conflicts} | {t.key for t in self.kept_tasks}
