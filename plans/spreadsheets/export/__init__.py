"""Excel exports: an agency's 任务清单, a plan's 分工表 (with its appendices) and its 责任矩阵.

Each exporter takes data already fetched and returns the .xlsx file as bytes;
the views fetch, and answer HTTP. Every cell is written through
`style.cell`, which keeps text as text (a title `=1+1` is never a formula).

lib/spreadsheets/style.py   fonts, fills, borders, the safe-text rule, sheet names, print setup (any workbook)
lib/spreadsheets/sheet.py   a write-only sheet holding one table: title, date, header, rows (any workbook)
cells.py   how a plan's units and targets read in a cell
task_list.py, division.py, matrix.py   the three exports

None of them queries the database. task_list.py takes plain rows and imports
nothing from Django, so scripts/bench_export.py runs it without one.
"""
