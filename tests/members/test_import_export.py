"""Staff import institutes, contacts, focal points and memberships from real CSV and Excel
files through the admin's two steps (a checked preview, then a confirmation), and export
the lists as filtered: only their secretariat's rows, nothing written while a row fails."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from members.enums import MembershipStatus
from members.models import Contact, FocalPoint, Institute, Membership, MembershipStatusChange
from tests import factories as f
from tests.spreadsheets import (
    CSV,
    XLSX,
    confirm,
    confirm_data,
    csv_file,
    errors_shown,
    exported,
    preview,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

FILES = {CSV: csv_file, XLSX: xlsx_file}
INSTITUTES = [
    ["name", "short_name", "country", "kind", "website"],
    ["Institute of World Economy", "IWEP", "kz", "research_centre", "https://iwep.example.org"],
    ["Centre for Asian Studies", "", "UZ", "", ""],
]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_clean_file_previews_then_imports_with_the_user_in_the_history(client, cica, file_format):
    client.force_login(cica.staff)

    shown = preview(client, "members.institute", FILES[file_format](INSTITUTES), file_format)

    assert shown.status_code == 200
    assert errors_shown(shown) == []
    assert Institute.objects.filter(name="Centre for Asian Studies").exists() is False

    done = confirm(client, "members.institute", confirm_data(shown))

    assert done.status_code == 302
    assert done["Location"] == "/admin/members/institute/"
    assert _messages(done) == ["Import finished: 2 new, 0 changed, 0 unchanged institutes."]
    iwep = Institute.objects.get(name="Institute of World Economy")
    assert (iwep.short_name, iwep.slug, iwep.country.code, iwep.kind) == (
        "IWEP",
        "institute-of-world-economy",
        "KZ",
        "research_centre",
    )
    assert (iwep.created_by, iwep.updated_by) == (cica.staff, cica.staff)
    extension = "csv" if file_format == CSV else "xlsx"
    assert [
        (h.history_type, h.history_user, h.history_change_reason) for h in iwep.history.all()
    ] == [("+", cica.staff, f"Imported from rows.{extension}")]


def test_a_row_naming_an_existing_institute_changes_it_and_an_unchanged_one_is_left(client, cica):
    client.force_login(cica.staff)
    rows = [
        ["name", "short_name", "country"],
        ["CICA Institute", "CI", "KZ"],
        ["Institute of World Economy", "", "KZ"],
    ]
    f.InstituteFactory(name="Institute of World Economy", slug="iwe", short_name="", country="KZ")

    shown = preview(client, "members.institute", csv_file(rows), CSV)
    done = confirm(client, "members.institute", confirm_data(shown))

    assert _messages(done) == ["Import finished: 0 new, 1 changed, 1 unchanged institutes."]
    assert Institute.objects.get(name="CICA Institute").short_name == "CI"
    assert Institute.objects.count() == 2  # the tenant's and the one above


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_file_with_bad_rows_writes_nothing_and_names_each_error_by_line_and_column(
    client, cica, file_format
):
    client.force_login(cica.staff)
    rows = [
        ["name", "short_name", "country", "kind", "website"],
        ["Institute of World Economy", "IWEP", "KZ", "", ""],
        ["Centre for Asian Studies", "", "XX", "think_tank", ""],
        ["Analytical Centre", "", "UZ", "", "not a web address"],
    ]

    shown = preview(client, "members.institute", FILES[file_format](rows), file_format)

    assert shown.status_code == 200
    assert errors_shown(shown) == [
        "Line 3, column “country”: Value &#x27;XX&#x27; is not a valid choice.",
        "Line 3, column “kind”: Value &#x27;think_tank&#x27; is not a valid choice.",
        "Line 4, column “website”: Enter a valid URL.",
    ]
    assert "confirm_form" not in shown.context
    assert b'name="confirm"' not in shown.content
    assert Institute.objects.filter(name="Institute of World Economy").exists() is False
    assert Institute.history.filter(name="Institute of World Economy").exists() is False


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_file_naming_another_secretariats_forum_is_refused_and_writes_nothing(
    client, cica, kca, file_format
):
    client.force_login(cica.staff)
    newcomer = f.InstituteFactory(name="Institute of World Economy", slug="iwe")
    rows = [
        ["institute", "forum", "status"],
        ["Institute of World Economy", "cica-ttf", "recommended"],
        ["Institute of World Economy", "kca-ttf", "recommended"],
        ["KCA Institute", "cica-ttf", "recommended"],
    ]
    before = set(Membership.objects.values_list("pk", flat=True))

    shown = preview(client, "members.membership", FILES[file_format](rows), file_format)

    assert errors_shown(shown) == [
        "Line 3, column “forum”: No forum “kca-ttf” among those your secretariat may use.",
        "Line 4, column “institute”: No institute “KCA Institute” among those your "
        "secretariat may use.",
    ]
    assert "confirm_form" not in shown.context
    assert set(Membership.objects.values_list("pk", flat=True)) == before
    assert newcomer.memberships.exists() is False
    assert MembershipStatusChange.objects.filter(membership__institute=newcomer).exists() is False


def test_memberships_import_through_the_service_starting_their_status_history(client, cica):
    client.force_login(cica.staff)
    f.InstituteFactory(name="Institute of World Economy", slug="iwe")
    rows = [
        ["institute", "forum", "status", "recommended_by", "decision"],
        ["Institute of World Economy", "cica-ttf", "", "CICA Institute", "Letter of 2 May"],
    ]

    shown = preview(client, "members.membership", xlsx_file(rows), XLSX)
    confirm(client, "members.membership", confirm_data(shown))

    membership = Membership.objects.get(institute__name="Institute of World Economy")
    assert (membership.forum, membership.status, membership.recommended_by) == (
        cica.forum,
        MembershipStatus.RECOMMENDED,
        cica.institute,
    )
    assert list(membership.status_changes.values_list("status", "note", "created_by")) == [
        ("recommended", "Letter of 2 May", cica.staff.pk)
    ]


def test_an_import_cannot_change_a_memberships_status(client, cica):
    client.force_login(cica.staff)
    rows = [["institute", "forum", "status"], ["CICA Institute", "cica-ttf", "suspended"]]

    shown = preview(client, "members.membership", csv_file(rows), CSV)

    assert errors_shown(shown) == [
        "Line 2, column “status”: A membership&#x27;s status changes only by a decision (the "
        "actions of the memberships&#x27; list)."
    ]
    assert Membership.objects.get(institute=cica.institute).status == MembershipStatus.ADMITTED


def test_contacts_and_focal_points_import_by_institute_and_address(client, cica):
    client.force_login(cica.staff)
    contacts = [
        ["institute", "full_name", "position", "email", "is_active"],
        ["CICA Institute", "Aigerim Sadykova", "Director", "a.sadykova@example.org", "yes"],
    ]
    shown = preview(client, "members.contact", csv_file(contacts), CSV)
    confirm(client, "members.contact", confirm_data(shown))
    focal_points = [
        ["institute", "contact", "forum", "since"],
        ["CICA Institute", "a.sadykova@example.org", "cica-ttf", "2024-03-01"],
    ]
    shown = preview(client, "members.focalpoint", xlsx_file(focal_points), XLSX)
    confirm(client, "members.focalpoint", confirm_data(shown))

    contact = Contact.objects.get(email="a.sadykova@example.org")
    assert (contact.institute, contact.full_name, contact.is_active) == (
        cica.institute,
        "Aigerim Sadykova",
        True,
    )
    point = FocalPoint.objects.get(contact=contact)
    assert (point.forum, str(point.since)) == (cica.forum, "2024-03-01")


def test_confirming_the_same_preview_twice_imports_once(client, cica):
    client.force_login(cica.staff)
    shown = preview(client, "members.institute", csv_file(INSTITUTES), CSV)
    data = confirm_data(shown)

    confirm(client, "members.institute", data)
    again = confirm(client, "members.institute", data)

    assert again.status_code == 302
    assert again["Location"] == "/admin/members/institute/import/"
    assert _messages(again)[-1] == (
        "This import was already confirmed, or its preview has expired: nothing more was "
        "imported. Upload the file again to check and import it."
    )
    assert Institute.objects.filter(name="Institute of World Economy").count() == 1
    assert Institute.history.filter(name="Institute of World Economy").count() == 1


def test_another_user_cannot_confirm_a_preview(client, cica, kca):
    client.force_login(cica.staff)
    data = confirm_data(preview(client, "members.institute", csv_file(INSTITUTES), CSV))

    client.force_login(kca.staff)
    refused = confirm(client, "members.institute", data)

    assert refused["Location"] == "/admin/members/institute/import/"
    assert Institute.objects.filter(name="Institute of World Economy").exists() is False


def test_import_needs_the_permission_to_add_and_change(client, cica):
    viewer = f.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_institute"))
    cica.secretariat.staff.add(viewer)
    client.force_login(viewer)

    page = client.get(reverse("admin:members_institute_import"))
    sent = preview(client, "members.institute", csv_file(INSTITUTES), CSV)
    listing = client.get(reverse("admin:members_institute_changelist"))

    assert (page.status_code, sent.status_code) == (403, 403)
    assert b"/admin/members/institute/import/" not in listing.content
    assert b"/admin/members/institute/export/" in listing.content
    assert Institute.objects.filter(name="Institute of World Economy").exists() is False


def test_the_export_is_the_list_as_filtered_and_only_the_users_forums(client, cica, kca):
    recommended = f.InstituteFactory(name="Institute of World Economy", slug="iwe")
    f.MembershipFactory(
        institute=recommended, forum=cica.forum, status=MembershipStatus.RECOMMENDED
    )
    f.MembershipFactory(
        institute=f.InstituteFactory(name="Korea Institute"),
        forum=kca.forum,
        status=MembershipStatus.RECOMMENDED,
    )
    client.force_login(cica.staff)
    url = reverse("admin:members_membership_export") + "?status__exact=recommended"

    response = client.post(url, {"format": "0", "resource": "0"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert exported(response) == [
        {
            "institute": "Institute of World Economy",
            "forum": "cica-ttf",
            "status": "recommended",
            "is_founding_member": "0",
            "recommended_by": "",
            "decided_on": "2024-01-15",
            "decision": "",
            "notes": "",
        }
    ]


def test_the_excel_export_of_a_list_without_a_resource_of_its_own(client, cica, kca):
    f.StateContactFactory(forum=cica.forum, organisation="Ministry of Foreign Affairs")
    f.StateContactFactory(forum=kca.forum, organisation="Embassy in Seoul")
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:members_statecontact_export"), {"format": "1", "resource": "0"}
    )

    rows = exported(response, "xlsx")
    assert [(row["forum"], row["organisation"]) for row in rows] == [
        ("cica-ttf", "Ministry of Foreign Affairs")
    ]
    assert "created_by" in rows[0] and "id" in rows[0]


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(client, cica):
    cica.institute.short_name = "=HYPERLINK(1)"
    cica.institute.save()
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:members_institute_export") + "?q=CICA", {"format": "0", "resource": "0"}
    )

    assert [row["short_name"] for row in exported(response)] == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize("n", [1, 30])
def test_the_export_reads_a_fixed_number_of_queries(client, cica, django_assert_num_queries, n):
    for _ in range(n):
        f.MembershipFactory(forum=cica.forum, institute=f.InstituteFactory())
    client.force_login(cica.staff)
    url = reverse("admin:members_membership_export")
    client.get(reverse("admin:members_membership_changelist"))  # session, permissions warm

    with django_assert_num_queries(9):
        response = client.post(url, {"format": "0", "resource": "0"})

    assert len(exported(response)) == n + 1


def test_a_row_failing_at_confirmation_rolls_back_the_whole_import(client, cica):
    client.force_login(cica.staff)
    first = f.InstituteFactory(name="Institute of World Economy", slug="iwe")
    second = f.InstituteFactory(name="Centre for Asian Studies", slug="cas")
    rows = [
        ["institute", "forum", "status"],
        [first.name, "cica-ttf", "recommended"],
        [second.name, "cica-ttf", "recommended"],
    ]
    data = confirm_data(preview(client, "members.membership", csv_file(rows), CSV))
    # Between the preview and the confirmation, the second institute is admitted.
    f.MembershipFactory(institute=second, forum=cica.forum, status=MembershipStatus.ADMITTED)

    failed = confirm(client, "members.membership", data)

    assert failed.status_code == 200
    assert _messages(failed) == ["Nothing was imported: some rows now fail."]
    assert errors_shown(failed) == [
        "Line 3, column “status”: A membership&#x27;s status changes only by a decision (the "
        "actions of the memberships&#x27; list)."
    ]
    assert first.memberships.exists() is False


def test_the_preview_shows_the_files_text_as_text(client, cica):
    client.force_login(cica.staff)
    rows = [["name", "country"], ['<img src=x onerror="alert(1)"> Institute', "KZ"]]

    shown = preview(client, "members.institute", csv_file(rows), CSV)

    assert b'<img src=x onerror="alert(1)">' not in shown.content
    assert b"<ins>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Institute</ins>" in shown.content
