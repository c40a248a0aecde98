"""Answers a client already has are not sent again: every GET answer carries an ETag (the
views that can tell cheaply set their own), and a request that names it gets 304."""

import pytest

from tests.publications.test_catalogue import publish

pytestmark = pytest.mark.django_db


# Committed writes: the feeds' validators come from the catalogue's generation, which
# changes when a write commits (publications.feeds.feed_validators).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("url", ["/publications/feed.atom", "/publications/forum/{slug}/feed.atom"])
def test_a_feed_answers_conditional_requests_until_it_changes(client, cica, url):
    url = url.format(slug=cica.forum.slug)
    publish(title="Water report", forum=cica.forum, institutes=[cica.institute])
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]

    unchanged = client.get(url, headers={"if-none-match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304

    publish(title="Energy report", forum=cica.forum, institutes=[cica.institute])
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert b"Energy report" in changed.content


def test_a_page_answers_conditional_requests(client, cica):
    first = client.get(f"/forums/{cica.forum.slug}/")

    again = client.get(f"/forums/{cica.forum.slug}/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304


def test_a_compressed_answer_is_matched_by_its_weak_etag(client, cica):
    publish(title="Water report", forum=cica.forum, institutes=[cica.institute])
    headers = {"accept-encoding": "gzip"}
    compressed = client.get("/publications/feed.atom", headers=headers)
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"].startswith('W/"')

    again = client.get(
        "/publications/feed.atom", headers={**headers, "if-none-match": compressed["ETag"]}
    )

    assert again.status_code == 304
