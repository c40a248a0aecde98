"""A record's datestamp (``Publication.public_changed_at``, kept by the triggers of
publications migration 0010) moves with every change of what the public sees of it,
whoever writes it, and never for a publication that was never public."""

import datetime

import pytest

from publications.enums import PublicationStatus
from publications.models import Publication
from publications.services import (
    publication_approve,
    publication_return,
    publication_update,
    publication_withdraw,
)
from tests import factories as f

OLD = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def datestamp(publication: Publication) -> datetime.datetime | None:
    return Publication.objects.values_list("public_changed_at", flat=True).get(pk=publication.pk)


def aged(publication: Publication) -> Publication:
    Publication.objects.filter(pk=publication.pk).update(public_changed_at=OLD)
    publication.refresh_from_db()
    return publication


@pytest.fixture
def member_a(cica):
    return f.UserFactory(username="member-a")


@pytest.fixture
def public(cica):
    publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
    publication.institutes.set([cica.institute])
    return aged(publication)


def test_a_submitted_publication_has_no_datestamp_until_approved(cica):
    publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED)
    assert datestamp(publication) is None
    publication.title = "Changed while submitted"
    publication.save()
    assert datestamp(publication) is None
    publication_approve(publication=publication, by=cica.staff)
    stamped = datestamp(publication)
    assert stamped is not None and stamped > OLD
    assert stamped.microsecond == 0


def test_returned_and_withdrawn_without_approval_never_get_one(cica, member_a):
    publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED)
    publication_return(publication=publication, by=cica.staff, reason="Missing abstract.")
    assert datestamp(publication) is None
    publication_withdraw(publication=publication, by=member_a)
    assert datestamp(publication) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Asia Security Outlook, revised"),
        ("abstract", "A new abstract."),
        ("authors", "Ivanov, Ivan"),
        ("doi", "10.1234/new"),
        ("published_on", datetime.date(2024, 6, 1)),
        ("language", "ru"),
    ],
)
def test_an_edit_of_what_a_public_record_shows_moves_its_datestamp(public, field, value):
    setattr(public, field, value)
    public.save()  # as the admin's change form saves it
    assert datestamp(public) > OLD


def test_an_edit_of_what_no_record_shows_leaves_it(public):
    public.extracted_text = "the PDF's text, read again"
    public.page_count = 12
    public.save()
    assert datestamp(public) == OLD


def test_returning_an_approved_publication_makes_a_deleted_record_with_a_new_datestamp(
    public, cica, member_a
):
    publication_return(publication=public, by=cica.staff, reason="Wrong file.")
    returned = datestamp(public)
    assert returned > OLD
    aged(public)
    # The member edits it (submitted again, not public) and withdraws it: still the same
    # deleted record, its datestamp unmoved.
    public.refresh_from_db()
    publication_update(
        publication=public,
        institute=public.institutes.get(),
        data={"title": "Corrected"},
        pdf=None,
        by=member_a,
    )
    assert datestamp(public) == OLD
    publication_withdraw(publication=public, by=member_a)
    assert datestamp(public) == OLD


def test_linking_an_institute_or_theme_moves_it(public, kca):
    public.institutes.add(kca.institute)
    assert datestamp(public) > OLD
    aged(public).themes.add(f.ThemeFactory())
    assert datestamp(public) > OLD


@pytest.mark.parametrize("rename", ["institute", "forum", "theme"])
def test_renaming_what_a_record_names_moves_it(public, cica, rename):
    theme = f.ThemeFactory()
    public.themes.add(theme)
    aged(public)
    untouched = aged(f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED))
    named = {"institute": cica.institute, "forum": cica.forum, "theme": theme}[rename]
    named.name = f"{named.name} (renamed)"
    named.save()
    assert datestamp(public) > OLD
    # A forum's rename moves all its records; the others name only what they link.
    assert (datestamp(untouched) > OLD) == (rename == "forum")
