"""Settings for the test suite: the production settings with a throwaway key.

Everything else (DATABASE_URL, CELERY_BROKER_URL, EMAIL_URL) still comes from the
environment, so the suite runs against the real PostgreSQL and Redis that CI names.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The address the portal publishes (core.urls): the test client's host, so that pages
# fetched with it print their own address; a test that needs another sets its own.
os.environ.setdefault("SITE_URL", "http://testserver")

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Files a test writes without choosing a folder go to a throwaway one, never the project's
# (a process started for a test, such as a Celery worker, is told its folders instead).
_FILES = Path(tempfile.mkdtemp(prefix="portal-tests-"))
if "MEDIA_ROOT" not in os.environ:
    MEDIA_ROOT = _FILES / "public"
if "PRIVATE_MEDIA_ROOT" not in os.environ:
    PRIVATE_MEDIA_ROOT = _FILES / "private"

# Serve static files from the finders: the suite does not run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The suite logs staff in with force_login; tests/members/test_accounts.py turns it on.
MFA_REQUIRED_FOR_STAFF = False

# The tests' OAI-PMH server (tests/oai_server.py) listens on 127.0.0.1.
HARVEST_ALLOW_PRIVATE_ADDRESSES = True
