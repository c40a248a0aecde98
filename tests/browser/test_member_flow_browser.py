"""A focal point, invited by the secretariat, signs up, keeps the institute's profile and
submits a publication in a real browser; a staff user approves it in the admin and it then
appears in the public catalogue."""

import re

import pytest
from allauth.account.models import EmailAddress

from members.models import Institute
from members.services import invitation_send
from publications.models import Publication
from tests import factories as f
from tests.workspace.helpers import pdf_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "a long and unusual passphrase 42"


def test_focal_point_submits_and_staff_approves_into_the_catalogue(
    live_server, browser, page, private_media, smtp, cica, tmp_path, eager_celery
):
    contact = f.ContactFactory(
        institute=cica.institute, full_name="Aigerim Sadykova", email="aigerim@kaziss.kz"
    )
    invitation_send(contact=contact, by=cica.staff)
    [invitation_mail] = smtp.accepted
    path = re.search(r"https?://[^/]+(/invitation/\S+/)", invitation_mail.body).group(1)

    # The focal point accepts the invitation and chooses a password.
    page.goto(f"{live_server.url}{path}")
    page.wait_for_url("**/accounts/signup/")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("form[action='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    # … and signs in.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "aigerim@kaziss.kz")
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url("**/members/")  # a member lands in their workspace
    assert page.get_by_role("link", name="My institute").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == cica.institute.name

    # Edits the profile.
    page.get_by_role("link", name="Edit the institute's profile").click()
    page.fill("#id_description", "Research on security in Asia.")
    page.select_option(f"#id_focal_{cica.forum.pk}", label="Aigerim Sadykova")
    page.get_by_role("button", name="Save the profile").click()
    page.wait_for_url("**/members/institute/")
    assert page.locator(".notice-success").inner_text() == "The institute's profile was saved."
    assert Institute.objects.get(pk=cica.institute.pk).description == (
        "Research on security in Asia."
    )

    # Submits a publication with a PDF.
    pdf = tmp_path / "outlook.pdf"
    pdf.write_bytes(pdf_bytes("Asia Security Outlook 2025"))
    page.goto(f"{live_server.url}/members/publications/new/")
    page.fill("#id_title", "Asia Security Outlook 2025")
    page.fill("#id_authors", "Sadykova, Aigerim")
    page.select_option("#id_forum", label=cica.forum.name)
    page.select_option("#id_kind", value="security_outlook")
    page.fill("#id_published_on", "2025-03-01")
    page.fill("#id_abstract", "Risks and responses in the region.")
    page.set_input_files("#id_pdf", str(pdf))
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_url("**/members/publications/")
    assert page.locator(".submission-table tbody td").first.inner_text() == (
        "Asia Security Outlook 2025"
    )
    publication = Publication.objects.get()
    assert publication.status == "submitted"

    # A staff user approves it in the admin.
    staff = cica.staff
    staff.set_password(PASSWORD)
    staff.save()
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    admin = browser.new_context(locale="en-GB").new_page()
    admin.set_default_timeout(15_000)
    admin.goto(f"{live_server.url}/accounts/login/")
    admin.fill("#id_login", staff.email)
    admin.fill("#id_password", PASSWORD)
    admin.locator("form[action='/accounts/login/'] button[type=submit]").click()
    admin.wait_for_url("**/admin/")  # staff land in the admin

    # Before approving, they open the submitted PDF from its page in the admin.
    admin.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")
    assert "1 page" in admin.locator(".field-file_details").inner_text()
    with admin.expect_download() as opened:
        admin.locator(".field-file_details a").click()
    with open(opened.value.path(), "rb") as handle:
        assert handle.read() == pdf.read_bytes()

    admin.goto(f"{live_server.url}/admin/publications/publication/")
    admin.locator(f"input[name=_selected_action][value='{publication.pk}']").check()
    admin.select_option("select[name=action]", value="approve")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    assert admin.locator(".messagelist li").first.inner_text() == "1 publication approved."
    admin.context.close()

    # It is in the public catalogue, and anyone downloads its PDF (the public copy).
    page.goto(f"{live_server.url}/publications/")
    assert page.locator("ol.card-list h3").all_inner_texts() == ["Asia Security Outlook 2025"]
    page.get_by_role("link", name="Asia Security Outlook 2025").click()
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the PDF").click()
    with open(downloaded.value.path(), "rb") as handle:
        assert handle.read() == pdf.read_bytes()
