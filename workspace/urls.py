"""The member workspace's URLs, under ``/members/`` (namespace ``workspace``)."""

from django.urls import path

from workspace.views import (
    awaiting_list,
    contact_edit,
    dashboard,
    institute_edit,
    institute_harvest,
    institute_logo,
    publication_edit,
    publication_file,
    publication_list,
    publication_withdraw_view,
    recommend,
    workshop_list,
    workshop_volunteer,
)

app_name = "workspace"

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("documents/", awaiting_list, name="awaiting_list"),
    path("institute/", institute_edit, name="institute"),
    path("institute/logo/", institute_logo, name="institute_logo"),
    path("institute/harvesting/", institute_harvest, name="institute_harvest"),
    path("institute/contacts/new/", contact_edit, name="contact_create"),
    path("institute/contacts/<int:pk>/", contact_edit, name="contact_edit"),
    path("publications/", publication_list, name="publication_list"),
    path("publications/new/", publication_edit, name="publication_create"),
    path("publications/<int:pk>/edit/", publication_edit, name="publication_edit"),
    path("publications/<int:pk>/pdf/", publication_file, name="publication_file"),
    path(
        "publications/<int:pk>/withdraw/",
        publication_withdraw_view,
        name="publication_withdraw",
    ),
    path("workshops/", workshop_list, name="workshop_list"),
    path("workshops/<int:pk>/volunteer/", workshop_volunteer, name="workshop_volunteer"),
    path("recommend/", recommend, name="recommend"),
]
