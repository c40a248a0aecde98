from django.urls import path

from secretariat import views

app_name = "secretariat"

urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/pdf/", views.answer_pdf, name="answer_pdf"),
]
