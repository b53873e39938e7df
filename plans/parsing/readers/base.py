"""What every reader returns: a Source, the file as numbered lines of canonical text plus its tables.

The canonical text is what the .txt seeds look like: paragraphs as lines, and each table as the Word
export flattens it (every cell a line starting with a tab, rows separated by a blank line). Storing
`Source.text` and reading it again as a text file gives the same plan, which re-ingest relies on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ..source import split_lines
from ..tables import Row
from .bounds import Counter
from .formats import LABELS

# Every C0 control character but tab, line feed, form feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class SourceTable:
    """A table of the file: rows of cell strings (merged cells once), and the lines of `text` it occupies."""

    rows: list[Row]
    first_line: int
    last_line: int


@dataclass
class Source:
    name: str
    text: str
    kind: str = "text"
    tables: list[SourceTable] = field(default_factory=list)
    # What the file states about itself: 标题, 发文机关, 发文字号, 成文日期 …
    metadata: dict[str, str] = field(default_factory=dict)
    # Line (1-based) → outline level a heading style gives it (Word's 标题 1 = 1); a hint, not a rule.
    headings: dict[int, int] = field(default_factory=dict)
    # Where each line of `text` is in the file, as its reader sees it; empty for plain text.
    places: list[str] = field(default_factory=list)

    def __post_init__(self):
        # Control characters are never text a plan means, and PostgreSQL refuses a NUL in any text it stores.
        self.text = _CONTROL.sub("", self.text)
        for table in self.tables:
            for row in table.rows:
                row.cells = [_CONTROL.sub("", cell) for cell in row.cells]

    def __str__(self) -> str:
        return f"{self.name}（{LABELS.get(self.kind, self.kind)}，{len(self.lines)} 行）"

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, numbered from 1 as the parser numbers them."""
        return split_lines(self.text)

    def locate(self, line: int) -> str:
        """How a user finds this line in the file he has: 第3页第12行 (PDF), 第12段 (Word), 第12行 (text)."""
        if 1 <= line <= len(self.places) and self.places[line - 1]:
            return self.places[line - 1]
        return f"第{line}行"


class Builder:
    """Collects a reader's paragraphs and tables into canonical text, keeping where each line came from.

    Refuses the file `name` as soon as the text runs past the bounds (bounds.MAX_LINES, MAX_CHARACTERS), so a
    reader stops early on a file of endless paragraphs.
    """

    def __init__(self, name: str) -> None:
        self.counter = Counter(name)
        self.lines: list[str] = []
        self.places: list[str] = []
        self.tables: list[SourceTable] = []
        self.headings: dict[int, int] = {}

    def paragraph(self, text: str, place: str, heading_level: int | None = None) -> None:
        # A tab would make a paragraph look like a table cell; a soft line break starts a line of its own.
        self.counter.add(text.count("\n") + 1, len(text))
        for part in text.replace("\t", " ").split("\n"):
            self.lines.append(part)
            self.places.append(place)
            if heading_level and part.strip():
                self.headings[len(self.lines)] = heading_level

    def table(self, rows: list[list[str]], place: Callable[[int, int], str]) -> None:
        """Rows of cell texts (merged cells already once); `place(row, column)` says where a cell is."""
        rows = [[_cell_text(c) for c in row] for row in rows]
        self.counter.add(sum(len(row) + 1 for row in rows), sum(len(c) for row in rows for c in row))
        if not any(c for row in rows for c in row):
            return
        self._blank()
        first = len(self.lines) + 1
        kept: list[Row] = []
        for r, cells in enumerate(rows):
            if not cells:
                continue
            if kept or r:
                self.lines.append("")
                self.places.append(place(r, 0))
            start = len(self.lines) + 1
            for c, cell in enumerate(cells):
                self.lines.append("\t" + cell)
                self.places.append(place(r, c))
            # A row of empty cells is kept in the text, as Word exports it, but holds nothing to read.
            if any(cells):
                kept.append(Row(cells, start))
        self.tables.append(SourceTable(kept, first, len(self.lines)))
        self._blank()

    def _blank(self) -> None:
        # Tables stand apart from paragraphs, so the text reader finds the same tables in the text again.
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.places.append(self.places[-1])

    def source(self, name: str, kind: str, metadata: dict[str, str] | None = None) -> Source:
        while self.lines and not self.lines[-1].strip():
            self.lines.pop()
            self.places.pop()
        return Source(
            name,
            "\n".join(self.lines) + "\n",
            kind,
            self.tables,
            metadata or {},
            self.headings,
            self.places,
        )


def _cell_text(text: str) -> str:
    # A cell's lines stay apart by a space, on one line of the canonical text: a clerk writes one unit to a line
    # (区生态环境局 / 区发展改革委), and run together they would read as one name.
    return " ".join(part.strip() for part in text.replace("\t", " ").splitlines() if part.strip())
