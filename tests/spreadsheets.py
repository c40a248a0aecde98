"""Real CSV, Excel and ZIP files for the import tests, and the two steps of the admin's
import (the checked preview, then the confirmation) driven with the test client."""

import csv
import io
import re
import zipfile

import openpyxl
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# The import form's format choices, in the order of core.spreadsheets.FORMATS.
CSV, XLSX, ZIP = "0", "1", "2"


def csv_file(rows: list[list], name: str = "rows.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_file(rows: list[list], name: str = "rows.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def zip_file(files: dict[str, bytes], name: str = "rows.zip") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/zip")


def import_url(model: str) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_import")


def preview(client, model: str, upload, file_format: str):
    """Sends the file to the import page: the checked preview (nothing written)."""
    return client.post(
        import_url(model), {"resource": "0", "format": file_format, "import_file": upload}
    )


def confirm_data(response) -> dict:
    """The hidden fields of the preview's confirmation form."""
    form = response.context["confirm_form"]
    return {name: form.initial[name] for name in form.fields}


def confirm(client, model: str, data: dict):
    app, name = model.split(".")
    return client.post(reverse(f"admin:{app}_{name}_process_import"), data)


def errors_shown(response) -> list[str]:
    """The import errors the page lists, as text, in order."""
    html = response.content.decode()
    items = re.findall(r'<li class="import-error-li">(.*?)</li>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def exported(response, file_format: str = "csv") -> list[dict]:
    """The rows of an export response."""
    if file_format == "csv":
        data = tablib.Dataset().load(response.content.decode("utf-8"), format="csv")
    else:
        data = tablib.Dataset().load(io.BytesIO(response.content), format="xlsx")
    return [dict(row) for row in data.dict]
