"""The PDFs of the real documents, read back as text, and the renderer's refusal to read
anything but the project's own stylesheet."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weasyprint.urls import URLFetcher

from actionplans.models import ActionPlan, JointStatement, JointStatementTranslation
from documents import rendering
from documents.enums import DocumentType
from documents.rendering import RefusedURLError, StaticFilesOnlyFetcher, html_to_pdf
from documents.services import document_pdf_bytes
from secretariat.seeding import seed_forums
from secretariat.seeding.data import ACTIVITIES, INSTITUTES, STATEMENT_PARAGRAPHS
from tests import factories as f
from tests.secretariat.pdftools import normalise, pdf_fonts, pdf_text

KOREAN = "한국-중앙아시아 싱크탱크 포럼"
HEADING_RU = "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ"
HOSTILE = (
    '<img src="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/x.png">',
    "<style>@import url(https://example.org/x.css);</style>",
)


class SpyFetcher(StaticFilesOnlyFetcher):
    """The renderer's own fetcher, noting every URL WeasyPrint asks for."""

    def __init__(self):
        super().__init__()
        self.answered: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except RefusedURLError:
            self.refused.append(url)
            raise
        self.answered.append(url)
        return response


def _stylesheet_url() -> str:
    return (rendering.static_dir() / "pdf" / "document.css").as_uri()


def test_seeded_joint_statement_pdf_holds_its_text_and_the_six_institutions(db):
    seed_forums()
    statement = JointStatement.objects.get()

    text = pdf_text(document_pdf_bytes(document_type="statement", object_id=statement.pk))

    assert text.startswith(
        "Joint Statement on Launching the Korea–Central Asia Think Tank Forum "
        "Seoul, 20 November 2023 On November 20, 2023, the Korea-Central Asia"
    )
    for paragraph in STATEMENT_PARAGRAPHS:
        assert normalise(paragraph) in text
    institutions = " ".join(
        f"{number}. {institute['name']}" for number, institute in enumerate(INSTITUTES, 1)
    )
    assert text.endswith(f"Participating institutions {institutions}")


def test_seeded_action_plan_prints_both_headings_and_korean_with_an_embedded_cjk_font(db, tmp_path):
    seed_forums()
    plan = ActionPlan.objects.get()
    ActionPlan.objects.filter(pk=plan.pk).update(preamble=f"{plan.preamble}\n\n{KOREAN}")

    pdf = document_pdf_bytes(document_type="actionplan", object_id=plan.pk)

    text = pdf_text(pdf)
    assert text.startswith(
        "SOC/2024-II/DEC/2 27 June 2024 "
        "CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA "
        f"{HEADING_RU} Senior Officials Committee Astana, 27 June 2024 "
        "Annual Action Plan of the CICA Think Tank Forum for 2024 "
        "The following activities will be implemented to strengthen exchanges among CICA "
        f"Think Tank Forum (TTF) members in 2024: {KOREAN} 1. The Twelfth CICA"
    )
    for activity in ACTIVITIES:
        assert f"{activity['number']}. {normalise(activity['text'])}" in text
    assert pdf_fonts(pdf, tmp_path) == {
        "Noto-Sans": ("yes", "yes", "yes"),
        "Noto-Sans-Bold": ("yes", "yes", "yes"),
        "Noto-Sans-CJK-KR": ("yes", "yes", "yes"),
    }


def test_markup_in_a_document_is_printed_as_text_and_fetches_nothing(db, monkeypatch):
    statement = f.JointStatementFactory(
        title="<b>Statement</b>", text="\n\n".join(HOSTILE), place="<i>Seoul</i>"
    )
    f.SignatoryFactory(statement=statement, institute__name='<img src="/static/x.png">')
    spy = SpyFetcher()
    monkeypatch.setattr(rendering, "StaticFilesOnlyFetcher", lambda: spy)

    text = pdf_text(document_pdf_bytes(document_type="statement", object_id=statement.pk))

    assert text == (
        f"<b>Statement</b> <i>Seoul</i> {' '.join(HOSTILE)} "
        'Participating institutions 1. <img src="/static/x.png">'
    )
    assert (spy.answered, spy.refused) == ([_stylesheet_url()], [])


def test_renderer_refuses_every_url_but_the_projects_stylesheet():
    static = rendering.static_dir()
    html = f"""<!DOCTYPE html><html><head>
        <link rel="stylesheet" href="pdf/document.css">
        <link rel="stylesheet" href="file://{static}/%2e%2e/portal/settings.py">
        <style>@import url(https://example.org/x.css);</style>
        </head><body>
        <img src="file:///etc/passwd">
        <img src="http://127.0.0.1:9/x.png">
        <img src="pdf/../../manage.py">
        <img src="file://localhost/etc/hostname">
        <img src="file://example.org{static}/img/favicon.svg">
        <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
        <p>Text</p></body></html>"""
    spy = SpyFetcher()

    pdf = html_to_pdf(html, url_fetcher=spy)

    assert pdf.startswith(b"%PDF-")
    assert spy.answered == [_stylesheet_url()]
    assert sorted(spy.refused) == sorted(
        [
            f"file://{static}/%2e%2e/portal/settings.py",
            "https://example.org/x.css",
            "file:///etc/passwd",
            "http://127.0.0.1:9/x.png",
            f"file://{static.parent}/manage.py",
            "file://localhost/etc/hostname",
            f"file://example.org{static}/img/favicon.svg",
            "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
        ]
    )


def test_a_symbolic_link_out_of_static_is_refused(settings, tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.css").write_text("body { color: red }")
    (tmp_path / "static" / "inside.css").write_text("body { color: blue }")
    (tmp_path / "static" / "link.css").symlink_to(tmp_path / "secret.css")
    settings.BASE_DIR = tmp_path
    fetcher = StaticFilesOnlyFetcher()

    assert fetcher.fetch((tmp_path / "static" / "inside.css").as_uri()).read() == (
        b"body { color: blue }"
    )
    with pytest.raises(RefusedURLError):
        fetcher.fetch((tmp_path / "static" / "link.css").as_uri())


# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def http_server(monkeypatch):
    """A web server on loopback that notes every request it receives."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            is_css = self.path.endswith(".css")
            body = b"p { color: red }" if is_css else PNG
            self.send_response(200)
            self.send_header("Content-Type", "text/css" if is_css else "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_nothing_is_fetched_from_the_network(db, http_server):
    url, requests = http_server
    html = f"""<!DOCTYPE html><html><head>
        <link rel="stylesheet" href="{url}/style.css">
        <style>@import url({url}/import.css); body {{ background: url({url}/bg.png) }}</style>
        </head><body><img src="{url}/x.png"><p>Text</p></body></html>"""
    statement = f.JointStatementFactory(text=f'<img src="{url}/field.png">')

    html_to_pdf(html)
    document_pdf_bytes(document_type=DocumentType.STATEMENT, object_id=statement.pk)

    assert requests == []
    # The same HTML with WeasyPrint's own fetcher does reach the server.
    html_to_pdf(html, url_fetcher=URLFetcher())
    assert sorted(requests) == ["/bg.png", "/import.css", "/style.css", "/x.png"]


def test_statement_text_blocks_turn_dash_paragraphs_into_one_list():
    blocks = rendering.text_blocks(
        "Intro:\n\n– one\n\n– two\nstill two?\n\n– three\n– four\n\nEnd."
    )

    assert blocks == [
        rendering.TextBlock(text="Intro:"),
        rendering.TextBlock(items=["one"]),
        rendering.TextBlock(text="– two\nstill two?"),
        rendering.TextBlock(items=["three", "four"]),
        rendering.TextBlock(text="End."),
    ]


def test_statement_prints_its_second_language_after_the_signatories(db):
    statement = f.JointStatementFactory(title="Joint Statement", text="The representatives agreed.")
    JointStatementTranslation.objects.create(
        statement=statement,
        language="ru",
        is_official=True,
        title="Совместное заявление",
        text="Представители договорились:\n\n– встречаться ежегодно.",
    )
    f.SignatoryFactory(statement=statement, institute__name="Korea Foundation")

    text = pdf_text(document_pdf_bytes(document_type="statement", object_id=statement.pk))

    assert text == (
        "Joint Statement The representatives agreed. "
        "Participating institutions 1. Korea Foundation "
        "Совместное заявление Представители договорились: – встречаться ежегодно."
    )


def test_statement_without_second_language_has_no_such_section(db):
    statement = f.JointStatementFactory(title="Joint Statement", text="Agreed.")

    text = pdf_text(document_pdf_bytes(document_type="statement", object_id=statement.pk))

    assert text == "Joint Statement Agreed."


# --- An accessible, described PDF ------------------------------------------------------------


def _pdfinfo(pdf: bytes, tmp_path) -> dict[str, str]:
    import subprocess

    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in output.splitlines() if ":" in line)
    }


def _page_text(pdf: bytes, page: int, tmp_path) -> str:
    import subprocess

    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
    ).stdout


def _languages(pdf: bytes) -> list[tuple[str, str]]:
    """(structure type, language) of every tagged element that names its language."""
    import io

    from pypdf import PdfReader

    found: list[tuple[str, str]] = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/Lang" in node:
                found.append((str(node.get("/S")), str(node["/Lang"])))
            if node.get("/K") is not None:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.django_db
def test_the_seeded_statement_is_tagged_titled_authored_and_dated(tmp_path):
    seed_forums()
    statement = JointStatement.objects.get()

    info = _pdfinfo(document_pdf_bytes(document_type="statement", object_id=statement.pk), tmp_path)

    assert info["Tagged"] == "yes"
    assert info["Title"] == "Joint Statement on Launching the Korea–Central Asia Think Tank Forum"
    assert info["Author"] == statement.forum.secretariat.name
    assert info["CreationDate"].endswith(str(__import__("datetime").date.today().year) + " UTC")


@pytest.mark.django_db
def test_each_language_section_is_marked_with_its_language():
    seed_forums()
    plan = ActionPlan.objects.get()
    statement = f.JointStatementFactory()
    JointStatementTranslation.objects.create(
        statement=statement, language="ru", title="Совместное заявление", text="Текст."
    )

    plan_languages = _languages(document_pdf_bytes(document_type="actionplan", object_id=plan.pk))
    statement_languages = _languages(
        document_pdf_bytes(document_type="statement", object_id=statement.pk)
    )

    assert ("/P", "en") in plan_languages and ("/P", "ru") in plan_languages
    assert ("/Sect", "ru") in statement_languages


@pytest.mark.django_db
def test_the_symbol_runs_at_the_head_of_every_page_but_the_first(tmp_path):
    seed_forums()
    plan = ActionPlan.objects.get()
    pdf = document_pdf_bytes(document_type="actionplan", object_id=plan.pk)

    pages = int(_pdfinfo(pdf, tmp_path)["Pages"])
    heads = [_page_text(pdf, page, tmp_path).strip().splitlines()[0].strip() for page in (1, 2)]

    assert pages >= 2
    assert heads[0] == "SOC/2024-II/DEC/2"  # the decision's own symbol line, not a head
    assert heads[1] == "SOC/2024-II/DEC/2"
    assert _page_text(pdf, 1, tmp_path).count("SOC/2024-II/DEC/2") == 1
