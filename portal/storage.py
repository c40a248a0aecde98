"""Where the portal keeps files: a public storage (``default``) whose files anyone may
fetch by URL, and a private one (``private``) whose files have no URL at all and are
served only by views that check permission (docs/adr/0010).

Locally both are folders (``MEDIA_ROOT``, ``PRIVATE_MEDIA_ROOT``); scaled out, both are
buckets of an S3-compatible object store (``MEDIA_STORAGE=s3``), the public one readable
by anyone (a CDN can sit in front of it), the private one by nobody but the portal.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from storages.backends.s3 import S3Storage

PRIVATE_NO_URL = "Private files have no URL; serve them through a view that checks permission."


@deconstructible(path="portal.storage.PrivateMediaStorage")
class PrivateMediaStorage(FileSystemStorage):
    """The private folder. The location is read from ``PRIVATE_MEDIA_ROOT`` when first used
    and again whenever the setting changes, like Django's own storage does with
    ``MEDIA_ROOT``."""

    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        # FileSystemStorage keeps its ``location`` argument there; the stubs leave it out.
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)  # type: ignore[attr-defined]

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(PRIVATE_NO_URL)


class PrivateS3Storage(S3Storage):
    """The private bucket: no URL, not even a presigned one; views stream its files."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(PRIVATE_NO_URL)


# Files members uploaded download as attachments, wherever they are served from.
ATTACHMENT_PREFIXES = ("publications/",)
# Public files may be cached, briefly: a file taken off the public site (a statement
# unpublished, a publication returned) is gone from the portal at once, and from browsers'
# and proxies' caches within five minutes (purge a CDN for anything more urgent).
PUBLIC_CACHE_CONTROL = "public, max-age=300"


class PublicS3Storage(S3Storage):
    """The public bucket: plain URLs (no signature), cacheable; members' uploads are sent
    as attachments (``Content-Disposition`` kept on the object)."""

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        parameters.setdefault("CacheControl", PUBLIC_CACHE_CONTROL)
        if name.startswith(ATTACHMENT_PREFIXES):
            parameters.setdefault("ContentDisposition", "attachment")
        return parameters
