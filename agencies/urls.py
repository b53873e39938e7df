from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_index, name="index"),
    path("<int:agency_id>/", views.agency_duties, name="duties"),
    path("<int:agency_id>/export.xlsx", views.agency_duties_xlsx, name="duties-xlsx"),
]
