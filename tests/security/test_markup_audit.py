"""Every place that turns text into markup without escaping it is known and reviewed.

A new ``mark_safe``, ``|safe``, ``{% autoescape off %}`` or ``SafeString`` fails this test
until it is added below with the reason it cannot carry text someone typed; a
``format_html`` whose template is not a literal fails always (it escapes only its
arguments, so a template built from data is not escaped at all).
"""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def _project_folders() -> list[Path]:
    """Every installed app that is a folder of this repository, the project package and
    its templates: an app added later is audited without being named here."""
    folders = {
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == ROOT
    }
    return sorted(folders | {ROOT / "portal", ROOT / "templates"})


# (file, what) -> why it is safe
REVIEWED = {
    ("core/templatetags/structured_data.py", "mark_safe"): (
        "JSON-LD with every <, > and & escaped as json_script escapes them, so no text in it "
        "can close the data block (tests/publications/test_metadata.py tries)"
    ),
    ("publications/views.py", "mark_safe"): (
        "the facet sidebar's HTML, rendered by our own autoescaping template and read back "
        "from the cache under a generation-bound key"
    ),
    ("secretariat/reports.py", "mark_safe"): "joins SVG parts each built by format_html",
    ("secretariat/reports.py", "SafeString"): "the type of that SVG",
    ("secretariat/annual_report.py", "SafeString"): (
        "the type of the SVG charts reports.py builds (theme labels and counts escaped there)"
    ),
    ("templates/allauth/elements/fields.html", "|safe"): (
        "form help texts, written by developers (Django's password rules are a <ul>)"
    ),
}
PATTERNS = {
    "mark_safe": re.compile(r"\bmark_safe\b"),
    "SafeString": re.compile(r"\bSafeString\b"),
    "|safe": re.compile(r"\|\s*safe(seq)?\b"),
    "autoescape off": re.compile(r"{%\s*autoescape\s+off\s*%}"),
}


def _source_files():
    for folder in _project_folders():
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                yield path


def test_the_audit_reads_every_app_of_the_project():
    names = {folder.name for folder in _project_folders()}

    assert names >= {
        "actionplans", "core", "documents", "forums", "mail", "members", "portal",
        "publications", "secretariat", "templates", "website", "workspace",
    }  # fmt: skip


def test_every_unescaped_markup_is_reviewed():
    found = set()
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT).as_posix()
        for what, pattern in PATTERNS.items():
            if not pattern.search(text):
                continue
            if what == "autoescape off" and path.suffix == ".txt":
                continue  # plain-text e-mail templates, rendered through mail.outbox.render_text
            found.add((relative, what))
    assert found == set(REVIEWED)


def test_autoescape_off_is_only_in_text_templates_rendered_as_text():
    """Text templates may leave their words unescaped because what they render is never
    put into a page as markup: ``render_text`` returns a plain ``str``."""
    users = []
    for path in _source_files():
        if path.suffix != ".py":
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"render_to_string\(\s*f?[\"']([^\"']+\.txt)", text):
            users.append((path.relative_to(ROOT).as_posix(), match.group(1)))
    assert users == []


def test_format_html_templates_are_literals():
    offenders = []
    for path in _source_files():
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in ("format_html", "format_html_join"):
                continue
            template = node.args[1] if name == "format_html_join" else node.args[0]
            if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
