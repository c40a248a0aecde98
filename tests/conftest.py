"""Role fixtures shared by the suite: two secretariats, each running one forum with one
member institute, and a staff user of each, plus a superuser."""

from dataclasses import dataclass

import pytest

from portal.celery import app as celery_app
from tests import factories as f
from tests.smtp import SmtpSink


@dataclass
class Tenant:
    secretariat: object
    forum: object
    institute: object
    staff: object


def _tenant(name: str) -> Tenant:
    secretariat = f.SecretariatFactory(name=f"{name} Secretariat", slug=f"{name.lower()}-sec")
    forum = f.ForumFactory(
        name=f"{name} Think Tank Forum", slug=f"{name.lower()}-ttf", secretariat=secretariat
    )
    institute = f.InstituteFactory(name=f"{name} Institute", slug=f"{name.lower()}-institute")
    f.MembershipFactory(institute=institute, forum=forum)
    staff = f.StaffUserFactory(username=f"{name.lower()}-staff")
    secretariat.staff.add(staff)
    return Tenant(secretariat=secretariat, forum=forum, institute=institute, staff=staff)


@pytest.fixture
def set_today(monkeypatch):
    """``set_today(date)`` makes ``date`` the portal's today: everything that asks what day
    it is goes through ``django.utils.timezone.localdate``. For pages whose content depends
    on the day (a planned meeting whose dates have passed), tested on a day of their own."""
    from django.utils import timezone

    def set_to(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return set_to


@pytest.fixture
def cica(db) -> Tenant:
    return _tenant("CICA")


@pytest.fixture
def kca(db) -> Tenant:
    return _tenant("KCA")


@pytest.fixture
def cica_staff(cica):
    return cica.staff


@pytest.fixture
def kca_staff(kca):
    return kca.staff


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def log_in_as(client, cica, kca, superuser):
    """Signs ``client`` in as one of: "anonymous" (nobody), "member" (a login with no staff
    rights), "cica" or "kca" (that secretariat's staff), "superuser"."""

    def log_in(who: str) -> None:
        users = {
            "member": lambda: f.UserFactory(username="member"),
            "cica": lambda: cica.staff,
            "kca": lambda: kca.staff,
            "superuser": lambda: superuser,
        }
        if who != "anonymous":
            client.force_login(users[who]())

    return log_in


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English: a request to a /ru/ page leaves Russian active in the
    thread, which would otherwise leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def private_media(settings, tmp_path):
    """Private files (publication PDFs) go to a temporary folder for the test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def eager_celery():
    """Tasks run in this process when enqueued, as in ``make run``: the real task, without
    a worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, on loopback, for the whole run (tests/s3.py)."""
    from tests.s3 import S3Server

    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server, tmp_path):
    """Files in two fresh buckets of the S3 server, as ``MEDIA_STORAGE=s3`` keeps them."""
    from types import SimpleNamespace

    public, private = s3_server.new_buckets()
    settings.STORAGES = s3_server.storages(public, private, settings.STORAGES["staticfiles"])
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "unused-private"
    settings.MEDIA_ROOT = tmp_path / "unused-public"
    return SimpleNamespace(server=s3_server, public=public, private=private)


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that Django's SMTP backend sends to (in this
    process: a worker process is told its EMAIL_URL instead, tests/faults)."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield sink
    sink.stop()


# Fixtures that start a real part: a test using one is marked for it (`make test-fast`
# leaves out browser, worker and slow tests).
MARKS_BY_FIXTURE = {
    "workers": ("worker", "slow"),
    "live_server": ("slow",),
    "smtp": ("smtp",),
    "transactional_db": ("slow",),
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in set(item.fixturenames) & set(MARKS_BY_FIXTURE):
            for mark in MARKS_BY_FIXTURE[fixture]:
                item.add_marker(mark)
