"""A URLconf with a view that fails, for tests/portal/test_error_reporting.py (run in a
process of its own)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view failed on purpose")


urlpatterns = [path("fail/", fail)]
