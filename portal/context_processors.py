from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_from_path


def portal(request: HttpRequest) -> dict:
    """The portal's name, and the current URL without its language prefix (what the
    language switcher hands to ``set_language`` so it can translate it)."""
    path = request.get_full_path()
    language = get_language_from_path(request.path_info)
    if language and path.startswith(f"/{language}/"):
        path = path[len(language) + 1 :]
    return {"portal_name": settings.PORTAL_NAME, "language_neutral_path": path}
