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
