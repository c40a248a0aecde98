"""What the portal calls itself: ``PORTAL_NAME`` (never empty: settings fall back to the
default name), the default translated into the page's language."""

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# Untranslated where a name must not change with the language (an iCalendar PRODID);
# settings.py, which cannot import this, spells it once more.
DEFAULT_NAME = gettext_noop("Think Tank Forums")


def portal_name_untranslated() -> str:
    """The configured name; the default one when the setting is blank (tests and older
    settings modules may still set it so)."""
    return settings.PORTAL_NAME.strip() or DEFAULT_NAME


def portal_name() -> str:
    name = portal_name_untranslated()
    return gettext(name) if name == DEFAULT_NAME else name
