"""What the portal calls itself: ``PORTAL_NAME``, or its translated default when unset."""

from django.conf import settings
from django.utils.translation import gettext


def portal_name() -> str:
    return settings.PORTAL_NAME or gettext("Think Tank Forums")
