"""Text a member (or a visitor) types is shown as text everywhere it later appears.

Every text field of every form a member fills in the workspace, and of the answer page,
is sent through the real forms as a browser would, each holding markup that would break
out of an attribute and open a tag. Then the pages where that text can appear are
walked: the member workspace and the public site by following their links, and every
admin list, change and history page, as staff and as a superuser, plus the circulation
preview and the e-mails. A new field of those forms, or a new page showing it, is covered
without being named here.
"""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Contact, Recommendation
from publications.models import Publication
from publications.services import publication_approve
from secretariat.models import Circulation, ConceptPaper, Delivery
from secretariat.services.circulation import (
    answer_token,
    circulation_prepare,
    delivery_send,
)
from tests import factories as f
from tests.html import attrs, form_data, page
from tests.workspace.helpers import member_of, pdf_bytes

# E-mails are sent by a worker's job, run here in-process as it is enqueued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

RAW = re.compile(r"<x-h\d")  # a tag the payload opened: must never appear in markup
SHOWN = "&lt;x-h"  # the payload printed as text


def _payload(n: int) -> str:
    return f"\"'><x-h{n}>"


# Text inputs whose value has a grammar of its own, refused when it is not followed: they
# get a valid value (a DOI is stored as the bare identifier, never as markup).
STRUCTURED = {"doi": "10.5555/hostile-1"}


def _fill(data: dict, root, selector: str, counter: list[int]) -> dict:
    """Every text input and textarea of the form gets its own payload; e-mail and web
    address fields and identifiers get valid values; required selects their first real
    choice."""
    form = root.query(selector)
    for element in form.query_all("input, textarea, select"):
        node = element.etree_element
        name, kind = node.get("name"), (node.get("type") or "text").lower()
        tag = node.tag.rsplit("}", 1)[-1]
        if not name or name == "csrfmiddlewaretoken":
            continue
        if name in STRUCTURED:
            data[name] = [STRUCTURED[name]]
        elif tag == "textarea" or (tag == "input" and kind in ("text", "search", "tel")):
            counter[0] += 1
            data[name] = [_payload(counter[0])]
        elif tag == "input" and kind == "email":
            data[name] = [f"person{counter[0]}@example.org"]
        elif tag == "input" and kind == "url":
            data[name] = ["https://example.org/page"]
        elif tag == "input" and kind == "date":
            data[name] = ["2025-03-01"]
        elif tag == "select" and data.get(name) in (None, [""]):
            values = [o.get("value") for o in node.iter() if o.get("value")]
            data[name] = values[:1]
    return data


def _send(client, url: str, selector: str, counter, **files):
    root = page(client.get(url))
    data = _fill(form_data(root, selector), root, selector, counter)
    data.update(files)
    response = client.post(url, data)
    errors = [e.etree_element.text for e in page(response).query_all(".errorlist li")]
    assert response.status_code == 302, (url, errors)
    return response


@pytest.fixture
def hostile(client, cica, superuser, private_media):
    """Everything a member can write, written with markup, through the real pages."""
    counter = [0]
    member = member_of(cica, username="member-a", full_name="Aigerim", email="a@kaziss.kz")
    f.ActionPlanFactory(forum=cica.forum)
    client.force_login(member.user)
    _send(client, "/members/institute/", "main form", counter)
    _send(client, "/members/institute/contacts/new/", "main form", counter)
    _send(
        client,
        "/members/publications/new/",
        "main form",
        counter,
        pdf=SimpleUploadedFile("report.pdf", pdf_bytes()),
    )
    _send(client, "/members/recommend/", "main form", counter)
    client.logout()

    contact = Contact.objects.exclude(pk=member.pk).get()
    f.FocalPointFactory(contact=contact, forum=cica.forum)
    publication = Publication.objects.get()
    publication_approve(publication=publication, by=superuser)
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    client.force_login(cica.staff)
    circulate = reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])
    client.post(circulate, form_data(page(client.get(circulate)), "form#circulate-form"))
    circulation = Circulation.objects.get()
    circulation_prepare(circulation_id=circulation.pk)
    for pk in Delivery.objects.values_list("pk", flat=True):
        delivery_send(delivery_id=pk)
    delivery = Delivery.objects.get(contact=contact)
    client.logout()
    answer = reverse("secretariat:answer", args=[answer_token(delivery=delivery)])
    root = page(client.get(answer))
    data = _fill(form_data(root, "main form"), root, "main form", counter)
    data["attendance"] = ["attending"]
    assert client.post(answer, data).status_code == 302
    return {
        "member": member,
        "contact": contact,
        "publication": publication,
        "paper": paper,
        "answer": answer,
    }


def _is_markup(response) -> bool:
    kind = response.get("Content-Type", "")
    return response.status_code == 200 and ("html" in kind or "xml" in kind)


def _crawl(client, start: str, *, prefix: str, limit: int = 150) -> dict[str, str]:
    """Pages reachable by links from ``start`` under ``prefix`` (no query strings, no
    sign-out), as a reader clicking through them would see them."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.content.decode() if _is_markup(response) else ""
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in attrs(page(response), "a[href]", "href"):
            target = urldefrag(href)[0]
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.query:
                continue
            if parts.path.startswith(prefix) and "logout" not in parts.path:
                queue.append(parts.path)
    return seen


def _admin_pages(client) -> dict[str, str]:
    pages = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        pages[changelist] = client.get(changelist).content.decode()
        pks = list(model_admin.get_queryset(_request(client)).values_list("pk", flat=True)[:20])
        for pk in pks:
            for view in ("change", "history", "delete"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk])
                pages[url] = client.get(url).content.decode()
        if pks:  # the confirmation page of "Delete selected", which lists every row it takes
            answer = client.post(
                changelist, {"action": "delete_selected", ACTION_CHECKBOX_NAME: pks}
            )
            pages[f"{changelist}#delete_selected"] = answer.content.decode()
    for paper in ConceptPaper.objects.all():
        url = reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])
        pages[url] = client.get(url).content.decode()
    return pages


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = client.session and _user(client)
    return request


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def _raw(pages: dict[str, str]) -> dict[str, list[str]]:
    return {url: RAW.findall(html) for url, html in pages.items() if RAW.search(html)}


def test_member_text_is_never_markup_in_the_workspace(client, hostile):
    client.force_login(hostile["member"].user)

    pages = _crawl(client, "/members/", prefix="/members/")

    assert _raw(pages) == {}
    assert SHOWN in pages["/members/institute/"]
    assert SHOWN in pages["/members/publications/"]
    assert len(pages) >= 8


def test_member_text_is_never_markup_on_the_public_site(client, hostile):
    pages = _crawl(client, "/", prefix="/", limit=200)
    publication = hostile["publication"]
    extra = [
        publication.get_absolute_url(),
        "/publications/feed.atom",
        "/sitemap.xml",
        "/institutes/cica-institute/",
    ]
    for url in extra:
        response = client.get(url)
        pages[url] = response.content.decode() if _is_markup(response) else ""
    search = client.get("/publications/", {"q": _payload(99)})
    pages["search"] = search.content.decode()

    assert _raw(pages) == {}
    assert SHOWN in pages[publication.get_absolute_url()]
    assert SHOWN in pages["/institutes/cica-institute/"]
    assert SHOWN in pages["search"] or "&#x27;&gt;&lt;x-h99" in pages["search"]


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_member_text_is_never_markup_in_the_admin(client, hostile, cica, superuser, who):
    client.force_login(cica.staff if who == "staff" else superuser)

    pages = _admin_pages(client)

    assert _raw(pages) == {}
    shown_in = {url for url, html in pages.items() if SHOWN in html}
    for model in (Publication, Contact, Recommendation, Circulation):
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert any(url.startswith(changelist) for url in shown_in), model
    paper = hostile["paper"]
    assert reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]) in shown_in
    contact = hostile["contact"]
    assert reverse("admin:members_contact_delete", args=[contact.pk]) in shown_in
    contacts = reverse("admin:members_contact_changelist")
    assert f"{contacts}#delete_selected" in shown_in


def test_the_recipients_answer_page_shows_what_they_sent_as_text(client, hostile):
    html = client.get(hostile["answer"]).content.decode()

    assert RAW.findall(html) == []
    assert SHOWN in html


def test_member_text_in_e_mails_is_plain_text_on_single_header_lines(hostile):
    assert mail.outbox  # the secretariat's notices of the profile change, the circulation
    for message in mail.outbox:
        assert getattr(message, "alternatives", []) == []
        assert message.content_subtype == "plain"
        assert "\n" not in message.subject and "\r" not in message.subject
    contact = Contact.objects.get(focal_points__isnull=False, full_name__contains="<x-h")
    circulated = [m for m in mail.outbox if m.to == [contact.email]]
    assert len(circulated) == 1
    assert f"Dear {contact.full_name}," in circulated[0].body  # as written: it is text
