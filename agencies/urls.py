from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_index, name="index"),
    path("<int:agency_id>/", views.agency_duties, name="duties"),
]
