from django.urls import path

from . import api, views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/matrix/", views.plan_matrix, name="plan-matrix"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("api/plans/", api.plan_list, name="api-plan-list"),
    path("api/plans/<int:plan_id>/", api.plan_detail, name="api-plan-detail"),
    path("api/agencies/<int:agency_id>/duties/", api.agency_duties, name="api-agency-duties"),
]
