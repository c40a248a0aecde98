"""A member's own text can never change what the secretariat circulates.

The probe: a member wrote form fields into their contact's name; the circulation page
printed the e-mail preview as markup inside its form, so the staff member's "Send" also
sent the attacker's fields (an extra recipient, a subject, a message).
"""

import datetime

import pytest
from django.urls import reverse

from secretariat.models import Circulation
from tests import factories as f
from tests.html import form_data, page
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db

INJECTED = (
    'Aigerim<input type="hidden" name="extra" value="attacker@evil.example">'
    '<input type="hidden" name="subject" value="Forged subject">'
    '<textarea name="message">Forged text</textarea>'
)


@pytest.fixture
def paper_with_hostile_focal_point(client, cica, private_media):
    member = member_of(cica, username="member-a", full_name="Member A", email="m@a.example")
    focal = f.FocalPointFactory(
        contact=f.ContactFactory(institute=cica.institute, full_name="Aigerim", email="fp@a.kz"),
        forum=cica.forum,
    )
    client.force_login(member.user)
    response = client.post(
        reverse("workspace:contact_edit", args=[focal.contact.pk]),
        {
            "honorific": "",
            "full_name": INJECTED,
            "position": "",
            "email": "fp@a.kz",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    meeting = f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(2031, 5, 1))
    return f.ConceptPaperFactory(forum=cica.forum, meeting=meeting, title="Concept paper")


def test_preview_shows_the_members_text_as_text_outside_the_form(
    client, cica, paper_with_hostile_focal_point
):
    paper = paper_with_hostile_focal_point
    client.force_login(cica.staff)

    response = client.get(reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]))

    assert response.status_code == 200
    root = page(response)
    assert form_data(root, "form#circulate-form").keys() == {
        "csrfmiddlewaretoken",
        "subject",
        "message",
        "recipients",
        "extra",
        "request_token",
    }
    assert form_data(root, "form#circulate-form")["extra"] == [""]
    preview = root.query("pre.email-preview").etree_element
    subject, body = (preview.text or "").split("\n\n", 1)
    assert subject == f"Subject: Concept paper: {paper.title}"
    assert body.startswith(f"Dear {INJECTED},")
    assert root.query("form#circulate-form pre.email-preview") is None


def test_sending_the_page_as_a_browser_would_sends_only_what_staff_chose(
    client, cica, paper_with_hostile_focal_point, django_capture_on_commit_callbacks
):
    paper = paper_with_hostile_focal_point
    client.force_login(cica.staff)
    url = reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])
    data = form_data(page(client.get(url)), "form#circulate-form")

    with django_capture_on_commit_callbacks():
        response = client.post(url, data)

    assert response.status_code == 302
    circulation = Circulation.objects.get()
    assert circulation.subject == "Concept paper: Concept paper"
    assert circulation.message == ""
    assert sorted(circulation.deliveries.values_list("email", flat=True)) == ["fp@a.kz"]
