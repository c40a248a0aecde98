"""Conditional GET decided before anything is rendered."""

import datetime
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

# (ETag, Last-Modified), or None when the data cannot tell (then the view answers as usual).
Validators = tuple[str, datetime.datetime] | None


def conditional(validators: Callable[..., Validators]):
    """Answers 304 Not Modified without calling the view when the client holds the
    current version, and gives a rendered answer these validators (replacing any the view
    set, so that the ones a client sends back are the ones compared here).

    Unlike ``django.views.decorators.http.condition``, ``validators`` is called once and
    returns both headers, so they can come from one query."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            found = validators(request, *args, **kwargs)
            if found is None or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            etag, changed = found
            timestamp = int(changed.timestamp())
            response = get_conditional_response(request, etag=etag, last_modified=timestamp)
            if response is None:
                response = view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                response["ETag"] = etag
                response["Last-Modified"] = http_date(timestamp)
            return response

        return wrapper

    return decorator
