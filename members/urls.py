from django.urls import path

from members import views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.invitation_open, name="accept"),
]
