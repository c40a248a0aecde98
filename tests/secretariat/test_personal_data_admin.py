"""The admin pages of a contact's personal data: the export download, the erasure page
(GET shows the plan and changes nothing; a confirmed POST erases once), who may use them,
and that their queries do not grow with the person's rows."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Contact, ContactErasure
from secretariat.models import Delivery
from tests import factories as f
from tests.html import attrs, page, texts

pytestmark = pytest.mark.django_db

NAME = "Aigerim Sultanova"


def _export_url(contact) -> str:
    return reverse("admin:members_contact_personal_data_export", args=[contact.pk])


def _erase_url(contact) -> str:
    return reverse("admin:members_contact_personal_data_erase", args=[contact.pk])


def _contact(institute) -> Contact:
    return Contact.objects.create(institute=institute, full_name=NAME, email="as@kaziss.example")


CONFIRMED = {"reason": "Her request of 2 December 2026", "confirm": "aigerim  sultanova"}


def test_the_contact_page_offers_export_and_erasure_to_its_staff(client, cica):
    contact = _contact(cica.institute)
    client.force_login(cica.staff)

    response = client.get(reverse("admin:members_contact_change", args=[contact.pk]))

    assert attrs(page(response), ".object-tools a.personal-data-export", "href") == [
        _export_url(contact)
    ]
    assert attrs(page(response), ".object-tools a.personal-data-erase", "href") == [
        _erase_url(contact)
    ]
    assert texts(page(response), ".personal-data-note") == []


def test_the_export_is_a_json_file_of_the_person(client, cica):
    contact = _contact(cica.institute)
    client.force_login(cica.staff)

    response = client.get(_export_url(contact))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="contact-{contact.pk}-personal-data.json"'
    )
    assert response["Cache-Control"] == ("no-store, max-age=0, no-cache, must-revalidate, private")
    data = json.loads(response.content)
    assert (data["contact"]["full_name"], data["contact"]["email"]) == (NAME, "as@kaziss.example")


def test_the_erasure_page_shows_the_plan_and_changes_nothing(client, cica):
    contact = _contact(cica.institute)
    client.force_login(cica.staff)

    root = page(client.get(_erase_url(contact)))

    assert texts(root, ".plan-kept li")[-1] == (
        "The record of this erasure: who, when, why and how many rows; no personal data: 1"
    )
    assert attrs(root, "#erasure-form input[name=csrfmiddlewaretoken]", "type") == ["hidden"]
    contact.refresh_from_db()
    assert (contact.full_name, contact.history.count(), ContactErasure.objects.count()) == (
        NAME,
        1,
        0,
    )


def test_a_wrong_confirmation_erases_nothing(client, cica):
    contact = _contact(cica.institute)
    client.force_login(cica.staff)

    response = client.post(_erase_url(contact), {**CONFIRMED, "confirm": "Someone else"})

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == ["This is not the contact's full name."]
    contact.refresh_from_db()
    assert (contact.full_name, ContactErasure.objects.count()) == (NAME, 0)


def test_a_double_click_erases_once(client, cica):
    contact = _contact(cica.institute)
    client.force_login(cica.staff)

    first = client.post(_erase_url(contact), CONFIRMED, follow=True)
    second = client.post(_erase_url(contact), CONFIRMED, follow=True)

    assert [str(m) for m in first.context["messages"]] == [
        "The contact's personal data was erased."
    ]
    assert [str(m) for m in second.context["messages"]] == [
        "This contact's personal data has already been erased."
    ]
    contact.refresh_from_db()
    assert contact.full_name == f"Erased contact {contact.pk}"
    assert list(ContactErasure.objects.values_list("contact", "erased_by", "reason")) == [
        (contact.pk, cica.staff.pk, "Her request of 2 December 2026")
    ]
    assert contact.history.count() == 1


@pytest.mark.parametrize(
    ("who", "export_status", "erase_status"),
    [
        ("anonymous", 302, 302),
        ("member", 302, 302),
        ("kca", 404, 404),
        ("cica", 200, 302),
        ("superuser", 200, 302),
    ],
)
def test_who_may_export_and_erase(client, log_in_as, cica, who, export_status, erase_status):
    contact = _contact(cica.institute)
    log_in_as(who)

    exported = client.get(_export_url(contact))
    erased = client.post(_erase_url(contact), CONFIRMED)

    assert (exported.status_code, erased.status_code) == (export_status, erase_status)
    if export_status != 200:
        assert NAME not in exported.content.decode()
        assert NAME not in erased.content.decode()
    if who in ("anonymous", "member"):
        assert erased["Location"].startswith(reverse("admin:login"))
    contact.refresh_from_db()
    was_erased = erase_status == 302 and who in ("cica", "superuser")
    assert (contact.full_name == NAME, ContactErasure.objects.count()) == (
        not was_erased,
        int(was_erased),
    )


def test_a_contact_shared_with_another_secretariat_is_left_to_a_superuser(
    client, cica, kca, superuser
):
    """Her institute is a member of both forums: the CICA staff see her, but erasing
    would reach the KCA's records too."""
    f.MembershipFactory(institute=cica.institute, forum=kca.forum)
    contact = _contact(cica.institute)
    client.force_login(cica.staff)

    page_response = client.get(reverse("admin:members_contact_change", args=[contact.pk]))
    assert attrs(page(page_response), ".object-tools a.personal-data-erase", "href") == []
    assert texts(page(page_response), ".personal-data-note") == [
        "This person's records reach a forum of another secretariat: only the portal's "
        "operator (a superuser) can export or erase their personal data."
    ]
    assert client.get(_export_url(contact)).status_code == 403
    assert client.post(_erase_url(contact), CONFIRMED).status_code == 403
    contact.refresh_from_db()
    assert (contact.full_name, ContactErasure.objects.count()) == (NAME, 0)

    client.force_login(superuser)
    assert client.post(_erase_url(contact), CONFIRMED).status_code == 302
    assert ContactErasure.objects.count() == 1


def _queries(client, url, method="get") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("n", [1, 30])
def test_the_pages_queries_do_not_grow_with_the_persons_rows(client, cica, n):
    contact = _contact(cica.institute)
    for i in range(n):
        delivery = f.DeliveryFactory(
            circulation=f.CirculationFactory(paper=f.ConceptPaperFactory(forum=cica.forum)),
            contact=contact,
            email="as@kaziss.example",
            status="sent",
            sent_at=timezone.now(),
        )
        f.AnswerFactory(delivery=delivery, attendees=f"{NAME}, {i}")
    assert Delivery.objects.count() == n
    client.force_login(cica.staff)

    assert (_queries(client, _export_url(contact)), _queries(client, _erase_url(contact))) == (
        EXPORT_QUERIES,
        ERASE_PAGE_QUERIES,
    )


# Session and user, scope, the rule's three forum queries, then the rows of each kind.
EXPORT_QUERIES = 22
ERASE_PAGE_QUERIES = 27
