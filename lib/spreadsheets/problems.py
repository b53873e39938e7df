"""Problems found in an uploaded workbook, cell by cell, and the workbook given back with them marked: for every
import of a sheet people fill in offline (the 分工表, the 督办 round sheet). Pure Python with openpyxl."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from .reading import SpreadsheetError, annotation_target, check_sheets_for_annotation

# The file cannot be read at all; the message says why, for the person who uploaded it.
WorkbookError = SpreadsheetError


@dataclass
class Cell:
    sheet: str
    row: int
    column: int

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行 {self.coordinate} 单元格"


@dataclass
class Problem:
    cell: Cell
    message: str

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}"

    def as_row(self) -> dict:
        """As an upload record keeps it (a JSON list), with the coordinate for the page."""
        cell = self.cell
        return {
            "sheet": cell.sheet,
            "row": cell.row,
            "column": cell.column,
            "cell": cell.coordinate,
            "message": self.message,
        }

    @classmethod
    def from_row(cls, row: dict) -> Problem:
        return cls(Cell(row["sheet"], row["row"], row["column"]), row["message"])


_PROBLEM_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")


def annotate(data: bytes, problems: list[Problem]) -> bytes:
    """The uploaded workbook with every problem cell filled red and commented with what is wrong.

    A problem in a merged range is marked on the range's top-left cell, the only one that can hold a comment.
    """
    check_sheets_for_annotation(data)
    workbook = load_workbook(io.BytesIO(data))
    by_cell: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        if problem.cell.sheet not in workbook.sheetnames:
            continue
        merged = [str(r) for r in workbook[problem.cell.sheet].merged_cells.ranges]
        target = annotation_target(problem.cell.coordinate, merged)
        by_cell.setdefault((problem.cell.sheet, target), []).append(problem.message)
    for (sheet, coordinate), messages in by_cell.items():
        cell = workbook[sheet][coordinate]
        cell.fill = _PROBLEM_FILL
        comment = Comment("\n".join(messages), "系统校验")
        comment.width, comment.height = 300, 120
        cell.comment = comment
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
