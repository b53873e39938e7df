"""Excel 台账: the exports (export/: 任务清单, 分工表, 责任矩阵) and an edited 分工表 read back (division_import/)."""
