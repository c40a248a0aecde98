"""The catalogue's country facet follows an institute's country whoever writes it: the
admin, a service, a bulk update, a script; on PostgreSQL and on SQLite (``make run``).
The probe found re-indexing only in the admin's save."""

import textwrap

import pytest
from django.urls import reverse

from members.models import Institute
from publications.models import CatalogueFacet
from publications.services import catalogue_index
from tests import factories as f
from tests.html import form_data, page
from tests.portal.test_deploy import _manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(cica):
    kaziss = f.InstituteFactory(name="KazISS", slug="kaziss", country="KZ")
    partner = f.InstituteFactory(name="Partner", slug="partner", country="KR")
    joint = f.PublicationFactory(forum=cica.forum, status="approved", title="Joint")
    joint.institutes.set([kaziss, partner])
    alone = f.PublicationFactory(forum=cica.forum, status="approved", title="Alone")
    alone.institutes.set([kaziss])
    draft = f.PublicationFactory(forum=cica.forum, status="submitted", title="Draft")
    draft.institutes.set([kaziss])
    catalogue_index(publications=[joint, alone, draft])
    return kaziss, joint, alone, draft


def _countries() -> dict[str, list[str]]:
    rows = CatalogueFacet.objects.filter(name="country").order_by("publication__title", "value")
    result: dict[str, list[str]] = {}
    for title, value in rows.values_list("publication__title", "value"):
        result.setdefault(title, []).append(value)
    return result


def test_a_country_saved_in_code_is_indexed(indexed):
    kaziss, *_ = indexed
    assert _countries() == {"Alone": ["KZ"], "Joint": ["KR", "KZ"]}

    kaziss.country = "UZ"
    kaziss.save()

    assert _countries() == {"Alone": ["UZ"], "Joint": ["KR", "UZ"]}


def test_a_country_changed_by_a_bulk_update_is_indexed(indexed):
    Institute.objects.filter(slug="kaziss").update(country="TJ")

    assert _countries() == {"Alone": ["TJ"], "Joint": ["KR", "TJ"]}


def test_a_country_corrected_in_the_admin_is_indexed(client, cica, superuser, indexed):
    kaziss, *_ = indexed
    client.force_login(superuser)
    url = reverse("admin:members_institute_change", args=[kaziss.pk])
    data = form_data(page(client.get(url)), "form#institute_form")
    data["country"] = ["KG"]

    assert client.post(url, data).status_code == 302
    assert _countries() == {"Alone": ["KG"], "Joint": ["KG", "KR"]}


SQLITE_SCRIPT = textwrap.dedent(
    """
    from members.models import Institute
    from publications.models import CatalogueFacet
    from publications.services import catalogue_index
    from tests import factories as f
    forum = f.ForumFactory()
    institute = f.InstituteFactory(country="KZ")
    publication = f.PublicationFactory(forum=forum, status="approved")
    publication.institutes.set([institute])
    catalogue_index(publications=[publication])
    Institute.objects.filter(pk=institute.pk).update(country="UZ")
    print(list(CatalogueFacet.objects.filter(name="country").values_list("value", flat=True)))
    """
)


@pytest.mark.slow
def test_on_sqlite_too(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrated = _manage("migrate", "--noinput", DEBUG="1", DATABASE_URL=database)
    assert migrated.returncode == 0, migrated.stderr

    result = _manage("shell", "-c", SQLITE_SCRIPT, DEBUG="1", DATABASE_URL=database)

    assert result.stdout.strip().splitlines()[-1] == "['UZ']", result.stderr
