"""Spreadsheet tooling that knows nothing of plans: reading a workbook a user uploaded, within bounds."""
