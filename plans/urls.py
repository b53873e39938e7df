from django.urls import path

from . import api, import_views, views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/matrix/", views.plan_matrix, name="plan-matrix"),
    path("plans/<int:plan_id>/division.xlsx", views.plan_division_xlsx, name="plan-division-xlsx"),
    path("plans/<int:plan_id>/matrix.xlsx", views.plan_matrix_xlsx, name="plan-matrix-xlsx"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("plans/<int:plan_id>/import/", import_views.import_upload, name="import-upload"),
    path("imports/<int:import_id>/", import_views.import_detail, name="import-detail"),
    path("imports/<int:import_id>/apply/", import_views.import_apply, name="import-apply"),
    path("imports/<int:import_id>/cancel/", import_views.import_cancel, name="import-cancel"),
    path("imports/<int:import_id>/annotated.xlsx", import_views.import_annotated, name="import-annotated"),
    path("api/plans/", api.plan_list, name="api-plan-list"),
    path("api/plans/<int:plan_id>/", api.plan_detail, name="api-plan-detail"),
    path("api/agencies/<int:agency_id>/duties/", api.agency_duties, name="api-agency-duties"),
]
