"""Text answers (pages, XML, calendars) go out gzip-compressed to clients that ask for it;
files keep their bytes and their length; the catalogue's page cache is unaffected."""

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.publications.test_catalogue import publish
from tests.workspace.helpers import member_of, pdf_bytes

pytestmark = pytest.mark.django_db
GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def catalogue(cica):
    for i in range(30):
        publish(title=f"Water report {i}", forum=cica.forum, institutes=[cica.institute])


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/publications/", "text/html; charset=utf-8"),
        ("/sitemap.xml?section=publications", "application/xml"),
        ("/meetings.ics", "text/calendar; charset=utf-8"),
    ],
)
def test_a_text_answer_is_gzip_when_asked_and_not_otherwise(client, catalogue, url, content_type):
    forum = f.ForumFactory()
    for i in range(20):
        f.MeetingFactory(forum=forum, starts_on=datetime.date.today() + datetime.timedelta(i))
    plain = client.get(url)
    compressed = client.get(url, headers=GZIP)

    assert plain["Content-Type"] == compressed["Content-Type"] == content_type
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    assert compressed["Content-Length"] == str(len(compressed.content))


def test_a_conditional_request_still_matches_a_compressed_answer(client, catalogue):
    url = "/sitemap.xml?section=publications"
    compressed = client.get(url, headers=GZIP)
    assert compressed["ETag"].startswith('W/"')  # weak: the bytes are not the stored ones

    again = client.get(url, headers={**GZIP, "if-none-match": compressed["ETag"]})

    assert again.status_code == 304


def test_a_file_download_is_not_compressed(client, cica, private_media):
    publication = f.PublicationFactory(forum=cica.forum)
    publication.institutes.set([cica.institute])
    publication.file.save("paper.pdf", ContentFile(pdf_bytes("x" * 2000)))
    client.force_login(member_of(cica, username="member").user)

    response = client.get(f"/members/publications/{publication.pk}/pdf/", headers=GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert response["Content-Length"] == str(len(body))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_cache_serves_compressed_and_plain_visitors_alike(client, cica, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": "test-compression",
        }
    }
    cache.clear()
    try:
        for i in range(30):
            publish(title=f"Water report {i}", forum=cica.forum, institutes=[cica.institute])
        first = client.get("/publications/", headers=GZIP)
        with CaptureQueriesContext(connection) as queries:
            cached = client.get("/publications/", headers=GZIP)
            plain = client.get("/publications/")

        assert len(queries) == 2  # each: only the catalogue's generation
        assert cached["Content-Encoding"] == "gzip"
        assert gzip.decompress(cached.content) == gzip.decompress(first.content)
        assert plain.content == gzip.decompress(first.content)
        assert "Content-Encoding" not in plain
    finally:
        cache.clear()
