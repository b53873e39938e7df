from django.urls import path

from .views import agencies, api, browse, downloads, editing, imports, lifecycle, notes, uploads, warnings

app_name = "plans"

urlpatterns = [
    # Reading: plans, tasks, the matrix and their exports.
    path("", browse.home, name="home"),
    path("search/", browse.search, name="search"),
    path("plans/<int:plan_id>/", browse.plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/matrix/", browse.plan_matrix, name="plan-matrix"),
    path("plans/<int:plan_id>/division.xlsx", browse.plan_division_xlsx, name="plan-division-xlsx"),
    path("plans/<int:plan_id>/matrix.xlsx", browse.plan_matrix_xlsx, name="plan-matrix-xlsx"),
    path("plans/<int:plan_id>/original/", downloads.plan_original, name="plan-original"),
    path("tasks/<int:task_id>/", browse.task_detail, name="task-detail"),
    # Agencies as plans see them: the index, each agency's 任务清单, 我的任务, suggestions for the edit form.
    path("agencies/", agencies.agency_index, name="agency-index"),
    path("agencies/mine/", agencies.my_agency, name="mine"),
    path("agencies/autocomplete/", agencies.agency_autocomplete, name="agency-autocomplete"),
    path("agencies/<int:agency_id>/", agencies.agency_duties, name="agency-duties"),
    path("agencies/<int:agency_id>/export.xlsx", agencies.agency_duties_xlsx, name="agency-duties-xlsx"),
    # Changing a task's units, and the notes agencies keep on it.
    path("tasks/<int:task_id>/edit/", editing.task_edit, name="task-edit"),
    path("tasks/<int:task_id>/history/<int:history_id>/revert/", editing.duty_revert, name="duty-revert"),
    path("tasks/<int:task_id>/changes/<str:key>/revert/", editing.change_revert, name="change-revert"),
    path("tasks/<int:task_id>/notes/<int:agency_id>/", notes.task_note, name="task-note"),
    path("plans/<int:plan_id>/state/", lifecycle.plan_state, name="plan-state"),
    path("plans/<int:plan_id>/warnings/<int:warning_id>/check/", warnings.warning_check, name="warning-check"),
    # Plans through the web.
    path("plans/upload/", uploads.upload, name="upload"),
    path("uploads/<int:upload_id>/", uploads.upload_detail, name="upload-detail"),
    path("uploads/<int:upload_id>/confirm/", uploads.upload_confirm, name="upload-confirm"),
    path("uploads/<int:upload_id>/cancel/", uploads.upload_cancel, name="upload-cancel"),
    path("uploads/<int:upload_id>/region/", uploads.upload_region, name="upload-region"),
    path("uploads/<int:upload_id>/corrections/", uploads.upload_corrections, name="upload-corrections"),
    # An edited 分工表 sent back.
    path("plans/<int:plan_id>/import/", imports.import_upload, name="import-upload"),
    path("imports/<int:import_id>/", imports.import_detail, name="import-detail"),
    path("imports/<int:import_id>/apply/", imports.import_apply, name="import-apply"),
    path("imports/<int:import_id>/cancel/", imports.import_cancel, name="import-cancel"),
    path("imports/<int:import_id>/annotated.xlsx", imports.import_annotated, name="import-annotated"),
    # The read API.
    path("api/plans/", api.plan_list, name="api-plan-list"),
    path("api/plans/<int:plan_id>/", api.plan_detail, name="api-plan-detail"),
    path("api/agencies/<int:agency_id>/duties/", api.agency_duties, name="api-agency-duties"),
]
