"""What the portal calls itself: ``PORTAL_NAME``, or its translated default when unset."""

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# Untranslated where a name must not change with the language (an iCalendar PRODID);
# settings.py, which cannot import this, spells it once more for allauth and MFA.
DEFAULT_NAME = gettext_noop("Think Tank Forums")


def portal_name() -> str:
    return settings.PORTAL_NAME or gettext(DEFAULT_NAME)


def portal_name_untranslated() -> str:
    return settings.PORTAL_NAME or DEFAULT_NAME
