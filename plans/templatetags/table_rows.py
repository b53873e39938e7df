"""{% table_row table row %}: a table's row written by the table itself, when it knows how (DutyTable.row_html)."""

from django import template

register = template.Library()


@register.simple_tag
def table_row(table, row):
    return table.row_html(row)
