from django.urls import path

from . import api, edit_views, import_views, note_views, upload_views, views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/matrix/", views.plan_matrix, name="plan-matrix"),
    path("plans/<int:plan_id>/division.xlsx", views.plan_division_xlsx, name="plan-division-xlsx"),
    path("plans/<int:plan_id>/matrix.xlsx", views.plan_matrix_xlsx, name="plan-matrix-xlsx"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("tasks/<int:task_id>/edit/", edit_views.task_edit, name="task-edit"),
    path("tasks/<int:task_id>/history/<int:history_id>/revert/", edit_views.duty_revert, name="duty-revert"),
    path("tasks/<int:task_id>/notes/<int:agency_id>/", note_views.task_note, name="task-note"),
    path("plans/upload/", upload_views.upload, name="upload"),
    path("uploads/<int:upload_id>/", upload_views.upload_detail, name="upload-detail"),
    path("uploads/<int:upload_id>/confirm/", upload_views.upload_confirm, name="upload-confirm"),
    path("uploads/<int:upload_id>/cancel/", upload_views.upload_cancel, name="upload-cancel"),
    path("plans/<int:plan_id>/import/", import_views.import_upload, name="import-upload"),
    path("imports/<int:import_id>/", import_views.import_detail, name="import-detail"),
    path("imports/<int:import_id>/apply/", import_views.import_apply, name="import-apply"),
    path("imports/<int:import_id>/cancel/", import_views.import_cancel, name="import-cancel"),
    path("imports/<int:import_id>/annotated.xlsx", import_views.import_annotated, name="import-annotated"),
    path("api/plans/", api.plan_list, name="api-plan-list"),
    path("api/plans/<int:plan_id>/", api.plan_detail, name="api-plan-detail"),
    path("api/agencies/<int:agency_id>/duties/", api.agency_duties, name="api-agency-duties"),
]
