"""Importing an edited 分工表: `workbook` reads the file (no Django), `proposal` matches it to a plan and applies it."""
