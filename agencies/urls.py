from django.urls import path

from . import autocomplete, edit_views, views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_index, name="index"),
    path("mine/", views.my_agency, name="mine"),
    path("autocomplete/", autocomplete.agency_autocomplete, name="autocomplete"),
    path("duplicates/", edit_views.duplicates, name="duplicates"),
    path("<int:agency_id>/", views.agency_duties, name="duties"),
    path("<int:agency_id>/export.xlsx", views.agency_duties_xlsx, name="duties-xlsx"),
    path("<int:agency_id>/contact/", views.agency_contact, name="contact"),
    path("<int:agency_id>/edit/", edit_views.agency_edit, name="edit"),
    path("<int:agency_id>/history/", edit_views.agency_history, name="history"),
    path("<int:agency_id>/merge/", edit_views.agency_merge, name="merge"),
    path("<int:agency_id>/aliases/add/", edit_views.alias_add, name="alias-add"),
    path("<int:agency_id>/aliases/<int:alias_id>/remove/", edit_views.alias_remove, name="alias-remove"),
    path("<int:agency_id>/aliases/<int:alias_id>/split/", edit_views.alias_split, name="alias-split"),
]
