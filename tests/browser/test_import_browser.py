"""Staff import institutes in Chromium: a file with a bad row shows its error by line and
column and no confirm button; the corrected file shows a preview, and confirming it adds
the rows. The page breaks no Content-Security-Policy rule."""

import pytest

from members.models import Institute

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

BAD = b"name,short_name,country\nInstitute of World Economy,IWEP,KZ\nCentre for Asian Studies,,XX\n"
GOOD = (
    b"name,short_name,country\nInstitute of World Economy,IWEP,KZ\nCentre for Asian Studies,,UZ\n"
)


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#id_import_file", {"name": name, "mimeType": "text/csv", "buffer": data})
    page.select_option("#id_format", label="csv")
    with page.expect_navigation():
        page.click("input[type=submit][value=Submit]")


def test_staff_import_institutes_through_a_preview(live_server, page, sign_in, cica):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(cica.staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/members/institute/")

    page.click("a.import_link")
    _upload(page, "institutes.csv", BAD)

    assert page.locator("li.import-error-li").all_inner_texts() == [
        "Line 3, column “country”: Value 'XX' is not a valid choice."
    ]
    assert page.locator("input[name=confirm]").count() == 0
    page.screenshot(path="/tmp/impex-errors.png", full_page=True)

    _upload(page, "institutes.csv", GOOD)

    preview = page.locator("table.import-preview tr.new")
    assert preview.count() == 2
    page.screenshot(path="/tmp/impex-preview.png", full_page=True)
    assert Institute.objects.filter(name="Centre for Asian Studies").exists() is False

    with page.expect_navigation():
        page.click("input[name=confirm]")

    assert page.locator(".messagelist .success").inner_text() == (
        "Import finished: 2 new, 0 changed, 0 unchanged institutes."
    )
    assert set(Institute.objects.values_list("name", flat=True)) == {
        "CICA Institute",
        "Institute of World Economy",
        "Centre for Asian Studies",
    }
    assert problems == []
