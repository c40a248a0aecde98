"""The admin's home for staff (portal.admin_home): the models grouped by the secretariat's
work, and the counts of what waits for them, scoped to their forums, each a link to the
list that shows those rows."""

import pytest
from django.urls import reverse

from members.models import MemberChange
from publications.enums import PublicationStatus
from secretariat.enums import DeliveryStatus
from tests import factories as f
from tests.html import attrs, page, texts

pytestmark = pytest.mark.django_db


def test_the_models_are_grouped_by_the_secretariats_work(client, cica):
    client.force_login(cica.staff)
    root = page(client.get(reverse("admin:index")))

    assert texts(root, "#content-main .module caption") == [
        "Members",
        "Meetings and plans",
        "Documents and circulation",
        "Publications",
        "Forums and settings",
    ]
    assert texts(root, "#group-documents th[scope=row]") == [
        "Concept papers and notes",
        "Circulations",
        "Deliveries",
        "Answers",
        "Attachments",
        "Annual reports",
        "Kinds of document",
    ]


def test_what_waits_is_counted_in_the_users_forums_only(client, cica, kca):
    for forum, n in ((cica.forum, 2), (kca.forum, 5)):
        for _ in range(n):
            f.PublicationFactory(forum=forum, status=PublicationStatus.SUBMITTED)
    f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
    MemberChange.objects.create(forum=cica.forum, institute=cica.institute, summary="website")
    MemberChange.objects.create(forum=kca.forum, institute=kca.institute, summary="phone")
    circulation = f.CirculationFactory(paper=f.ConceptPaperFactory(forum=cica.forum))
    f.DeliveryFactory(circulation=circulation, status=DeliveryStatus.FAILED)
    client.force_login(cica.staff)

    root = page(client.get(reverse("admin:index")))

    assert texts(root, "#attention li") == [
        "2 publications await review",
        "1 member change not yet seen",
        "1 delivery failed",
    ]
    assert attrs(root, "#attention li a", "href") == [
        "/admin/publications/publication/?status__exact=submitted",
        "/admin/members/memberchange/?seen=no",
        "/admin/secretariat/delivery/?status__exact=failed",
    ]


def test_each_count_links_to_a_list_of_exactly_those_rows(client, cica):
    f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED, title="Waiting")
    f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED, title="Done")
    seen = MemberChange.objects.create(forum=cica.forum, institute=cica.institute, summary="a")
    seen.seen_at = seen.changed_at
    seen.save()
    MemberChange.objects.create(forum=cica.forum, institute=cica.institute, summary="b")
    client.force_login(cica.staff)

    for href in attrs(page(client.get(reverse("admin:index"))), "#attention li a", "href"):
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["cl"].result_count == 1, href


def test_nothing_waiting_says_so(client, cica):
    client.force_login(cica.staff)
    root = page(client.get(reverse("admin:index")))
    assert texts(root, "#attention p") == [
        "Nothing waits for you: no submissions to review, no failed deliveries, no changes unseen."
    ]


def test_the_home_is_in_russian_with_russian_plurals(client, cica):
    for _ in range(3):
        f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED)
    client.force_login(cica.staff)
    root = page(client.get("/ru" + reverse("admin:index")))
    assert texts(root, "#attention li") == ["3 публикации ждут рассмотрения"]


def test_the_home_costs_the_same_queries_for_1_or_30_rows_waiting(client, cica):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def waiting(n):
        for _ in range(n):
            f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED)
            MemberChange.objects.create(forum=cica.forum, institute=cica.institute, summary="x")

    client.force_login(cica.staff)
    waiting(1)
    client.get(reverse("admin:index"))  # sessions, content types: cached from here on
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:index"))
    waiting(29)
    with CaptureQueriesContext(connection) as thirty:
        root = page(client.get(reverse("admin:index")))

    assert texts(root, "#attention li")[:2] == [
        "30 publications await review",
        "30 member changes not yet seen",
    ]
    assert len(thirty) == len(one)
    # One count per kind of waiting row (eight), never one per row.
    assert len(thirty) == 13
