import datetime

import pytest

from publications.enums import PublicationStatus
from tests import factories as f
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db


def test_doi_is_unique_but_may_be_blank():
    f.PublicationFactory(doi="")
    f.PublicationFactory(doi="")
    f.PublicationFactory(doi="10.1000/xyz")
    with refused_by("publication_doi_unique"):
        f.PublicationFactory(doi="10.1000/xyz")


@pytest.mark.parametrize("day", [datetime.date(1899, 12, 31), datetime.date(2101, 1, 1)])
def test_publication_date_is_in_range(day):
    with refused_by("publication_date_range"):
        f.PublicationFactory(published_on=day)


def test_a_returned_publication_says_why():
    with refused_by("publication_returned_has_reason"):
        f.PublicationFactory(status=PublicationStatus.RETURNED, return_reason="")


def test_an_unknown_status_is_refused():
    with refused_by("publication_status_valid"):
        f.PublicationFactory(status="published")


def test_publication_slug_is_unique():
    f.PublicationFactory(slug="asia-security-outlook-2024")
    with refused_by("slug"):
        f.PublicationFactory(slug="asia-security-outlook-2024")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://doi.org/10.5555/12345678", "10.5555/12345678"),
        ("http://dx.doi.org/10.5555/aso.2024", "10.5555/aso.2024"),
        ("doi: 10.1000/xyz ", "10.1000/xyz"),
        (" 10.1234/ABC.5", "10.1234/ABC.5"),
    ],
)
def test_a_doi_is_kept_as_the_doi_itself_however_it_was_pasted(typed, kept):
    publication = f.PublicationFactory.build(forum=f.ForumFactory(), doi=typed)
    publication.full_clean()
    assert publication.doi == kept


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["https://example.org/paper", "12345", "10.12/short"])
def test_what_is_not_a_doi_is_refused_on_the_doi_field(typed):
    from django.core.exceptions import ValidationError

    publication = f.PublicationFactory.build(forum=f.ForumFactory(), doi=typed)
    with pytest.raises(ValidationError) as refused:
        publication.full_clean()
    assert refused.value.message_dict["doi"] == [
        "Enter a DOI such as 10.5555/12345678 (a doi.org link is accepted too)."
    ]


@pytest.mark.django_db
def test_the_migration_strips_resolvers_and_leaves_a_clash_alone():
    import importlib

    from django.apps import apps

    from publications.models import Publication

    migration = importlib.import_module("publications.migrations.0010_doi_without_resolver")
    linked = f.PublicationFactory(doi="https://doi.org/10.5555/a")
    f.PublicationFactory(doi="10.5555/b")
    clash = f.PublicationFactory(doi="doi:10.5555/b")

    migration.strip_resolvers(apps, None)

    assert Publication.objects.get(pk=linked.pk).doi == "10.5555/a"
    assert Publication.objects.get(pk=clash.pk).doi == "doi:10.5555/b"
