"""Staff import meetings from a real Excel or CSV file: forum by slug, host institute and
participants by name, among what their secretariat may reach."""

import pytest

from actionplans.models import Meeting
from tests import factories as f
from tests.spreadsheets import (
    CSV,
    XLSX,
    confirm,
    confirm_data,
    csv_file,
    errors_shown,
    preview,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

HEADER = ["forum", "kind", "title", "starts_on", "ends_on", "place", "participants"]


def test_meetings_import_with_their_participants_and_a_slug_from_the_title(client, cica):
    other = f.InstituteFactory(name="Institute of World Economy", slug="iwe")
    rows = [
        HEADER,
        [
            "cica-ttf",
            "workshop",
            "Workshop on water",
            "2024-09-12",
            "2024-09-13",
            "Almaty",
            "CICA Institute; Institute of World Economy",
        ],
    ]
    client.force_login(cica.staff)

    shown = preview(client, "actionplans.meeting", xlsx_file(rows), XLSX)
    confirm(client, "actionplans.meeting", confirm_data(shown))

    meeting = Meeting.objects.get(title="Workshop on water")
    assert (meeting.slug, meeting.forum, meeting.place, str(meeting.starts_on)) == (
        "workshop-on-water",
        cica.forum,
        "Almaty",
        "2024-09-12",
    )
    assert set(meeting.participants.all()) == {cica.institute, other}
    assert [(h.history_user, h.history_change_reason) for h in meeting.history.all()] == [
        (cica.staff, "Imported from rows.xlsx")
    ]


def test_meetings_of_another_secretariats_forum_or_with_bad_dates_are_refused(client, cica, kca):
    rows = [
        HEADER,
        ["kca-ttf", "roundtable", "Seoul roundtable", "2024-11-20", "", "Seoul", ""],
        ["cica-ttf", "workshop", "Workshop", "2024-09-12", "2024-09-01", "", "KCA Institute"],
    ]
    client.force_login(cica.staff)

    shown = preview(client, "actionplans.meeting", csv_file(rows), CSV)

    assert errors_shown(shown) == [
        "Line 2, column “forum”: No forum “kca-ttf” among those your secretariat may use.",
        "Line 3, column “participants”: No institute “KCA Institute” among those your "
        "secretariat may use.",
        "Line 3: Constraint “meeting_dates_in_order” is violated.",
    ]
    assert Meeting.objects.exists() is False
