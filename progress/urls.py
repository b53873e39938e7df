from django.urls import path

from progress.views import agencies, dashboard, inbox, orders, rates, reports, rounds, spreadsheets, tasks

app_name = "progress"

urlpatterns = [
    # Reading: where to start, a plan's dashboard and its rounds compared, the overview across plans.
    path("", dashboard.home, name="home"),
    path("overview/", dashboard.overview, name="overview"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:item_id>/", inbox.inbox_item, name="inbox-item"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox-read-all"),
    path("inbox/count/", inbox.inbox_count, name="inbox-count"),
    path("rates/", rates.rates, name="rates"),
    path("rates.xlsx", rates.rates_xlsx, name="rates-xlsx"),
    path("plans/<int:plan_id>/", dashboard.plan_dashboard, name="plan"),
    path("plans/<int:plan_id>/compare/", dashboard.compare_rounds, name="compare"),
    # Rounds: opened by the plan's coordinators, on a schedule or by hand.
    path("plans/<int:plan_id>/rounds/new/", rounds.round_open, name="round-open"),
    path("plans/<int:plan_id>/schedule/", rounds.schedule, name="schedule"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round"),
    path("rounds/<int:round_id>/sync/", rounds.round_sync, name="round-sync"),
    # Tasks: deadline, milestones, reports over rounds; closing (办结) and 催办.
    path("tasks/<int:task_id>/", tasks.task_progress, name="task"),
    path("tasks/<int:task_id>/deadline/", tasks.deadline_edit, name="deadline"),
    path("tasks/<int:task_id>/close/", tasks.task_close, name="task-close"),
    path("tasks/<int:task_id>/reopen/", tasks.task_reopen, name="task-reopen"),
    path("tasks/<int:task_id>/chase/", tasks.chase, name="chase"),
    path("tasks/<int:task_id>/instructions/", tasks.instruction_add, name="instruction-add"),
    path("tasks/<int:task_id>/order/", orders.task_order, name="task-order"),
    path("rounds/<int:round_id>/order/", orders.round_order, name="round-order"),
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path("orders/<int:order_id>.xlsx", orders.order_xlsx, name="order-xlsx"),
    path("plans/<int:plan_id>/orders/", orders.plan_orders, name="plan-orders"),
    # Agencies: their record, and what they owe with a form per task.
    path("agencies/<int:agency_id>/", agencies.agency_progress, name="agency"),
    path("agencies/<int:agency_id>/due/", agencies.agency_due, name="agency-due"),
    # Reports: read, filled in, reviewed, added to by cooperating units, with attachments.
    path("reports/<int:report_id>/", reports.report_detail, name="report"),
    path("reports/<int:report_id>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:report_id>/review/", reports.report_review, name="report-review"),
    path("reports/<int:report_id>/contributions/<int:agency_id>/", reports.contribution, name="contribution"),
    path("reports/<int:report_id>/attachments/", reports.attachment_upload, name="attachment-upload"),
    path("attachments/<int:attachment_id>/", reports.attachment_download, name="attachment"),
    path("attachments/<int:attachment_id>/remove/", reports.attachment_remove, name="attachment-remove"),
    # Excel: the 进展台账, and an agency's round sheet out and back in.
    path("rounds/<int:round_id>/ledger.xlsx", spreadsheets.round_ledger, name="round-ledger"),
    path(
        "rounds/<int:round_id>/agencies/<int:agency_id>/ledger.xlsx",
        spreadsheets.agency_ledger,
        name="agency-ledger",
    ),
    path("rounds/<int:round_id>/agencies/<int:agency_id>/sheet.xlsx", spreadsheets.round_sheet, name="round-sheet"),
    path("rounds/<int:round_id>/agencies/<int:agency_id>/import/", spreadsheets.import_upload, name="import-upload"),
    path("imports/<int:import_id>/", spreadsheets.import_detail, name="import-detail"),
    path("imports/<int:import_id>/apply/", spreadsheets.import_apply, name="import-apply"),
    path("imports/<int:import_id>/cancel/", spreadsheets.import_cancel, name="import-cancel"),
    path("imports/<int:import_id>/annotated.xlsx", spreadsheets.import_annotated, name="import-annotated"),
]
