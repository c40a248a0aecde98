"""Where files the public must not reach are kept (submitted, not yet approved PDFs).

The location is read from ``PRIVATE_MEDIA_ROOT`` when first used and again whenever the
setting changes, like Django's own storage does with ``MEDIA_ROOT``; files are never given
a URL: they are served, when they may be, only through views that check permission.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="portal.storage.PrivateMediaStorage")
class PrivateMediaStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")
