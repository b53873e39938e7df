"""Ingestion warnings as people read them: grouped by kind, the kinds that most need a look first.

The plan page (editors only) and the upload preview both list warnings this way; the plan page's rows come from
`IngestWarning.objects.for_editors()`, the preview's are the parser's `ParseWarning`s of a rolled-back ingest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import IngestWarning

Code = IngestWarning.Code

# What may be wrong in the stored data comes first; what the ingester did and says so for the record comes last.
KIND_ORDER = (
    Code.NO_DUTIES,
    Code.TITLE_GUESSED,
    Code.REGION_GUESSED,
    Code.UNKNOWN_UNIT,
    Code.UNPLACED_TEXT,
    Code.PAGE_BREAK,
    Code.TYPING_SLIP,
    Code.TABLE_DISAGREEMENT,
    Code.FUSED_SPLIT,
    Code.OUT_OF_RANGE,
    Code.INFERRED_LEAD,
    Code.BLANKET_NOTE,
    Code.STATED_RULE,
    Code.PREFIX_CARRIED,
    Code.ALIAS_MATCHED,
    Code.GLYPH_REPAIRED,
)
# Kinds that report what the ingester did rather than a doubt: shown folded, below the others.
FOR_THE_RECORD = frozenset({Code.ALIAS_MATCHED, Code.PREFIX_CARRIED, Code.GLYPH_REPAIRED, Code.STATED_RULE})

_LABELS = dict(Code.choices)


@dataclass
class WarningGroup:
    code: str
    count: int  # of the whole plan, also when only the first warnings are listed
    warnings: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return _LABELS.get(self.code, self.code)

    @property
    def for_the_record(self) -> bool:
        return self.code in FOR_THE_RECORD


def _code(warning) -> str:
    code = warning.code
    return getattr(code, "value", code)  # a ParseWarning's code is a WarningCode, a row's a string


def group_warnings(warnings: Iterable) -> list[WarningGroup]:
    """Warnings by kind in KIND_ORDER, each kind's in the order given.

    A row of `for_editors()` carries its kind's count (`kind_count`); otherwise the count is of the warnings given.
    """
    groups: dict[str, WarningGroup] = {}
    for warning in warnings:
        code = _code(warning)
        group = groups.setdefault(code, WarningGroup(code, getattr(warning, "kind_count", 0)))
        group.warnings.append(warning)
        if not hasattr(warning, "kind_count"):
            group.count += 1
    rank = {code: i for i, code in enumerate(KIND_ORDER)}
    return sorted(groups.values(), key=lambda g: rank.get(g.code, len(rank)))


@dataclass
class EditorWarnings:
    """What the plan page shows an editor: the unchecked warnings by kind, and the checked ones apart."""

    unchecked: list[WarningGroup]
    checked: list
    unchecked_count: int
    checked_count: int

    @property
    def shown(self) -> int:
        return sum(len(g.warnings) for g in self.unchecked) + len(self.checked)

    @property
    def total(self) -> int:
        return self.unchecked_count + self.checked_count


def editor_warnings(plan, limit: int) -> EditorWarnings | None:
    """The plan's warnings for its editors, at most `limit` of them listed, in one query; None when it has none."""
    rows = list(IngestWarning.objects.filter(plan=plan).for_editors()[:limit])
    if not rows:
        return None
    return EditorWarnings(
        unchecked=group_warnings(w for w in rows if not w.is_checked),
        checked=[w for w in rows if w.is_checked],
        unchecked_count=rows[0].unchecked_count,
        checked_count=rows[0].checked_count,
    )
