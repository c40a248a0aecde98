from django.urls import path

from actionplans import feeds, views

app_name = "actionplans"

urlpatterns = [
    path("meetings.ics", feeds.meetings_ics, name="meetings_ics"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement_detail"),
]
