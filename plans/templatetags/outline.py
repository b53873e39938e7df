"""A plan's tasks as its outline page and its matrix show them, written in Python: fifty tasks make some three
hundred chips and, in the matrix, over a thousand cells, and the template engine spent most of those pages'
time on them, as it did on an included template per part and section."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from ..labels import MARKS, number_label, role_label
from .chips import chips_html, row_chips_html, url_of

register = template.Library()

_NO_UNITS = '<span class="muted small">原文未列责任单位</span>'


def _targets(lines) -> str:
    """The task's target lines (plans.duty_rows.TargetLine, or Target)."""
    if not lines:
        return ""
    items = "".join(f"<li><strong>{escape(t.label)}</strong>：{escape(t.statement)}</li>" for t in lines)
    return f'<ul class="targets small">{items}</ul>'


def _appendix_row(row) -> str:
    differs = row.title_differs
    badges = ('<span class="badge badge-warn">责任单位与正文不一致</span>' if row.disagrees else "") + (
        '<span class="badge badge-warn">名称与正文不同</span>' if differs else ""
    )
    appendix = escape(row.appendix)
    return (
        f'<aside class="appendix-row{" disagrees" if row.disagrees or differs else ""}" '
        f'aria-label="{appendix}中的同一事项"><div class="aside-title">{appendix} {escape(row.number)} {badges}</div>'
        f'<div class="small">{escape(row.title)}</div><div class="chips">{chips_html(row.units.all())}</div></aside>'
    )


@register.simple_tag
def task_article(task, section_title: str):
    """One task of the outline: its number and title (the section's when it has none) linking to its page, its
    units as chips, its dated targets, and the appendix rows that repeat it.

    A section that is itself the task (（一）加强组织领导 followed by its clause) has the same number and title as
    the heading just above it, which links to the task instead (section_heading): the article then holds only
    the units, so the heading is not printed twice. The task has its duties and targets read as rows
    (plans.duty_rows.attach) and its appendix rows in `appendix_list`."""
    duties = task.duty_rows
    appendix = "".join(_appendix_row(row) for row in task.appendix_list)
    kinds = (" task-goal" if task.kind == "goal" else "") + (" task-measure" if task.parent_id else "")
    if task.is_section:
        title = ""
        kinds += " task-section"
    else:
        number = f'<span class="task-number">{escape(number_label(task.number))}</span>' if task.number else ""
        title = (
            f'<h4 class="task-title"><a href="{url_of("plans:task-detail", task.pk)}">{number}'
            f"{escape(task.title or section_title)}</a></h4>"
        )
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<article class="task{kinds}" id="task-{task.pk}"><div class="task-main">{title}'
        f'<div class="chips">{row_chips_html(duties) if duties else _NO_UNITS}</div>{_targets(task.target_rows)}'
        f"</div>{appendix}</article>"
    )


@register.simple_tag
def outline_nodes(nodes) -> str:
    """The outline's parts and sections (plans.tree.OutlineNode), each with its tasks and then its sub-sections."""
    return mark_safe("".join(_node(node) for node in nodes))  # noqa: S308 (every value escaped in _node)


def _node(node) -> str:
    section = node.section
    anchor = "" if node.continued else f' id="section-{section.pk}"'
    tag = "h2" if section.level == 1 else "h3"
    body = ""
    if section.body and not node.tasks and not node.continued:
        text = escape(section.body.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
        body = f'<details class="section-body"><summary>原文</summary><p>{text}</p></details>'
    tasks = "".join(task_article(task, section.title) for task in node.tasks)
    children = "".join(_node(child) for child in node.children)
    return (
        f'<section class="outline-node level-{section.level}"{anchor}><{tag}>{section_heading(node)}</{tag}>'
        f"{body}{tasks}{children}</section>"
    )


def section_heading(node) -> str:
    """A part or section's heading as the plan prints it; when the section is itself a task, a link to it."""
    text = escape(node.section.heading)
    own = node.own_task
    if own is not None and not node.continued:
        text = f'<a href="{url_of("plans:task-detail", own.pk)}">{text}</a>'
    if node.continued:
        text += '<span class="muted">（续）</span>'
    return mark_safe(text)  # noqa: S308 (escaped above)


@register.simple_tag
def matrix_cells(row):
    """A task's row of the matrix: its heading linking to it, a cell per agency column, its number of units."""
    cells = []
    for duty in row.cells:
        if duty is None:
            cells.append("<td></td>")
            continue
        inferred = " cell-inferred" if duty.inferred else ""
        label = f"{escape(duty.name)}：{role_label(duty.role, duty.inferred)}"
        cells.append(f'<td class="cell-{duty.role}{inferred}" title="{label}">{MARKS[duty.role]}</td>')
    task = row.task
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<th class="task" scope="row"><a href="{url_of("plans:task-detail", task.pk)}">{escape(task.heading)}</a>'
        f'</th>{"".join(cells)}<td class="total">{row.total}</td>'
    )
