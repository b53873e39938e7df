"""督办 in Excel: the 进展台账 and an agency's round sheet (ledger.py, no queries), reading a filled round sheet back
(round_sheet.py, no Django) and matching it to the round's reports (round_import.py)."""
