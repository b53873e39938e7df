"""The agency register: editing an agency's name, kind and aliases, splitting and merging, its 变更记录.

An agency's 任务清单 and the agency index are plans' pages (plans/urls.py), under /agencies/ too.
"""

from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("duplicates/", views.duplicates, name="duplicates"),
    path("<int:agency_id>/contact/", views.agency_contact, name="contact"),
    path("<int:agency_id>/edit/", views.agency_edit, name="edit"),
    path("<int:agency_id>/history/", views.agency_history, name="history"),
    path("<int:agency_id>/merge/", views.agency_merge, name="merge"),
    path("<int:agency_id>/aliases/add/", views.alias_add, name="alias-add"),
    path("<int:agency_id>/aliases/<int:alias_id>/remove/", views.alias_remove, name="alias-remove"),
    path("<int:agency_id>/aliases/<int:alias_id>/split/", views.alias_split, name="alias-split"),
]
