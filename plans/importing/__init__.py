"""Importing an edited 分工表: `workbook` reads the file (no Django), `division` matches it to a plan and applies it."""
