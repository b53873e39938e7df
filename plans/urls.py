from django.urls import path

from . import api

app_name = "plans"

urlpatterns = [
    path("api/plans/", api.plan_list, name="api-plan-list"),
    path("api/plans/<int:plan_id>/", api.plan_detail, name="api-plan-detail"),
    path("api/agencies/<int:agency_id>/duties/", api.agency_duties, name="api-agency-duties"),
]
