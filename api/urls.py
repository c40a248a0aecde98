from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views

app_name = "api"

router = SimpleRouter()
router.register("v1/forums", views.ForumViewSet, basename="forum")
router.register("v1/institutes", views.InstituteViewSet, basename="institute")
router.register("v1/meetings", views.MeetingViewSet, basename="meeting")
router.register("v1/action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("v1/joint-statements", views.JointStatementViewSet, basename="joint-statement")
router.register("v1/publications", views.PublicationViewSet, basename="publication")

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    *router.urls,
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
