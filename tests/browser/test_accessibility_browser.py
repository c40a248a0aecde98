"""axe-core over every public and member page and the main admin pages, in a real browser:
any violation of impact "serious" or "critical" fails, listed by page, rule and element.

axe-core comes from its npm package, pinned in tests/browser/axe/package-lock.json and
installed (``npm ci``) by the first test that needs it. Playwright injects it into every
page of a browser context as an init script, which the Content-Security-Policy does not
govern: the pages are audited under their production CSP exactly as served (a script tag
would need ``bypass_csp``, which would also let run whatever the CSP forbids a page, and
costs 0.2–0.6 s a page more). One test per role — the public visitor (in English, in
Russian and on a phone), a member, staff — so a failure says whose pages fail.
"""

import datetime
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from actionplans.models import ActionPlan, JointStatement, Meeting
from forums.models import Forum
from members.models import Institute
from publications.services import publication_approve
from secretariat.models import AnnualReport
from secretariat.seeding import seed_forums
from secretariat.services.circulation import answer_token
from tests import factories as f
from tests.workspace.helpers import pdf_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

AXE_DIR = Path(__file__).parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# axe.run's result reduced to what a failure message needs; START_AXE starts it and
# leaves the promise of that result in window.axeViolations, awaited when read.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""
START_AXE = f"() => {{ window.axeViolations = ({RUN_AXE})(); }}"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser build, installed from npm on first use (``npm ci``: the exact
    version of the lock file)."""
    if not AXE_SCRIPT.exists():
        completed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if completed.returncode != 0 or not AXE_SCRIPT.exists():
            pytest.fail(f"npm could not install axe-core:\n{completed.stderr}")
    return AXE_SCRIPT


def _world() -> dict:
    """Both real forums (the seed command) and around them what each kind of page shows:
    approved publications with a PDF, a member's submission, a meeting, a concept paper
    circulated to a member institute and answered, a recommendation, an annual report."""
    seed_forums()
    cica = Forum.objects.get(name__startswith="CICA")
    kca = Forum.objects.exclude(pk=cica.pk).get()
    plan = ActionPlan.objects.get(forum=cica)
    statement = JointStatement.objects.get(forum=kca)
    meeting = Meeting.objects.filter(forum=cica).first()
    institute = Institute.objects.filter(meetings_attended__forum=kca).order_by("pk").first()
    membership = f.MembershipFactory(forum=kca, institute=institute)
    theme = f.ThemeFactory(name="Energy transition", slug="energy-transition")

    publications = []
    for n, (title, language) in enumerate(
        [
            ("Water security in the Aral Sea basin", "en"),
            ("Безопасность в Центральной Азии", "ru"),
        ]
    ):
        publication = f.PublicationFactory(
            title=title,
            slug=f"publication-{n}",
            authors="Abenov, Nurlan\nKim, Ji-won",
            forum=kca,
            language=language,
            abstract="Transboundary water management in Central Asia.",
            keywords="water, Aral Sea",
            published_on=datetime.date(2024, 4, 1 + n),
        )
        publication.themes.set([theme])
        publication.institutes.set([institute])
        publication.file.save(f"publication-{n}.pdf", ContentFile(pdf_bytes(f"Publication {n}")))
        publications.append(publication_approve(publication=publication, by=None))

    member = f.UserFactory(username="member")
    contact = f.ContactFactory(
        institute=institute, user=member, full_name="Aigerim Sadykova", email="member@example.org"
    )
    f.FocalPointFactory(contact=contact, forum=kca)
    submission = f.PublicationFactory(
        title="Energy markets in Central Asia", forum=kca, status="submitted", submitted_by=member
    )
    submission.institutes.set([institute])
    submission.file.save("submission.pdf", ContentFile(pdf_bytes("Energy markets")))

    paper = f.ConceptPaperFactory(forum=kca, title="Concept paper of the first forum")
    circulation = f.CirculationFactory(paper=paper, subject="Concept paper of the first forum")
    circulation.pdf.save("sent.pdf", ContentFile(pdf_bytes("as sent")))
    delivery = f.DeliveryFactory(
        circulation=circulation,
        email=contact.email,
        name=contact.full_name,
        contact=contact,
        institute=institute,
    )
    f.AnswerFactory(delivery=delivery)
    f.RecommendationFactory(forum=kca, recommended_by=institute)
    report = AnnualReport.objects.create(forum=kca, year=2024, language="en")

    superuser = User.objects.create_superuser("root", "root@example.org", "x")
    return {
        "cica": cica,
        "kca": kca,
        "plan": plan,
        "statement": statement,
        "meeting": meeting,
        "institute": institute,
        "membership": membership,
        "publication": publications[0],
        "member": member,
        "contact": contact,
        "submission": submission,
        "paper": paper,
        "circulation": circulation,
        "delivery": delivery,
        "report": report,
        "superuser": superuser,
    }


def _public_pages(w: dict) -> list[tuple[str, int]]:
    kca, cica = w["kca"], w["cica"]
    pages = [
        reverse("home"),
        reverse("publications:catalogue"),
        reverse("publications:catalogue") + "?q=aral",
        reverse("publications:catalogue") + "?q=nothing-matches-this",
        w["publication"].get_absolute_url(),
        reverse("forums:list"),
        reverse("forums:detail", args=[kca.slug]),
        reverse("forums:detail", args=[cica.slug]),
        reverse("forums:meetings", args=[cica.slug]),
        reverse("forums:annual_report", args=[kca.slug, 2024]),
        reverse("forums:register", args=[kca.slug]),
        reverse("documents:register"),
        w["plan"].get_absolute_url(),
        w["statement"].get_absolute_url(),
        reverse("members:institute_list"),
        reverse("members:institute_detail", args=[w["institute"].slug]),
        reverse("account_login"),
        reverse("account_reset_password"),
        reverse("secretariat:answer", args=[answer_token(delivery=w["delivery"])]),
    ]
    prefix = "/ru" if translation.get_language() == "ru" else ""
    return [(path, 200) for path in pages] + [(f"{prefix}/no-such-page/", 404)]


def _member_pages(w: dict) -> list[tuple[str, int]]:
    pages = [
        reverse("workspace:dashboard"),
        reverse("workspace:awaiting_list"),
        reverse("workspace:institute"),
        reverse("workspace:contact_create"),
        reverse("workspace:contact_edit", args=[w["contact"].pk]),
        reverse("workspace:publication_list"),
        reverse("workspace:publication_create"),
        reverse("workspace:publication_edit", args=[w["submission"].pk]),
        reverse("workspace:publication_withdraw", args=[w["submission"].pk]),
        reverse("workspace:workshop_list"),
        reverse("workspace:recommend"),
        reverse("documents:register"),
        reverse("account_change_password"),
        reverse("account_email"),
    ]
    return [(path, 200) for path in pages]


# The main admin pages: (app, model, the world's row to change, its pages). An add page
# where autocompletes start empty (their most telling state); circulations are started
# from a concept paper, never added as such.
BOTH = ("changelist", "change")
ADMIN_MODELS = [
    ("members", "institute", "institute", BOTH),
    ("members", "contact", "contact", (*BOTH, "add")),
    ("members", "membership", "membership", (*BOTH, "add")),
    ("actionplans", "meeting", "meeting", (*BOTH, "add")),
    ("actionplans", "actionplan", "plan", BOTH),
    ("actionplans", "jointstatement", "statement", BOTH),
    ("secretariat", "conceptpaper", "paper", BOTH),
    ("secretariat", "circulation", "circulation", BOTH),
    ("publications", "publication", "submission", BOTH),
]


def _admin_pages(w: dict) -> list[tuple[str, int]]:
    pages = [reverse("admin:index")]
    for app, model, key, views in ADMIN_MODELS:
        for view in views:
            args = [w[key].pk] if view == "change" else []
            pages.append(reverse(f"admin:{app}_{model}_{view}", args=args))
    return [(path, 200) for path in pages]


def _audit(context, urls: list[tuple[str, int]]) -> list[str]:
    """What fails on each page: another status than expected, or a violation of impact
    serious or critical (the rule, what it asks, the first elements at fault). Two tabs
    take turns, so that one page loads while axe examines the one before."""
    tabs = [context.new_page(), context.new_page()]
    for tab in tabs:
        tab.set_default_timeout(15_000)
    problems: list[str] = []
    running = None
    for n, (url, status) in enumerate(urls):
        tab = tabs[n % 2]
        response = tab.goto(url)
        if response is None or response.status != status:
            problems.append(f"{url}: answered {response and response.status}, not {status}")
        else:
            tab.evaluate(START_AXE)
        if running:
            problems += _axe_result(*running)
        running = (tab, url) if response and response.status == status else None
    if running:
        problems += _axe_result(*running)
    return problems


def _axe_result(tab, url: str) -> list[str]:
    return [
        f"{url} [{v['impact']}] {v['id']}: {v['help']} — {', '.join(v['targets'][:5])}"
        for v in tab.evaluate("() => window.axeViolations")
        if v["impact"] in FAILING_IMPACTS
    ]


def _open_autocomplete(page) -> None:
    """An autocomplete field with its list open (select2's search box, its results)."""
    page.locator(".select2-selection--single").first.click()
    page.locator(".select2-search--dropdown .select2-search__field").wait_for()
    page.locator(".select2-results__option").first.wait_for()


def _add_inline_row(page) -> None:
    """A row added to a tabular inline whose fields include an autocomplete."""
    rows = page.locator("#memberships-group tr.form-row:not(.empty-form)")
    count = rows.count()
    page.locator("#memberships-group .add-row a").click()
    rows.nth(count).locator(".select2-container").first.wait_for()


def _after(page, url: str, action, what: str) -> list[str]:
    """The page at ``url`` once ``action`` has changed it."""
    page.goto(url)
    action(page)
    return [
        f"{url} ({what}) [{v['impact']}] {v['id']}: {v['help']} — {', '.join(v['targets'][:5])}"
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in FAILING_IMPACTS
    ]


def _sign_in(context, user, live_server) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


# Who looks, and how: (label, signed-in user's key, language, viewport).
VISITS = {
    "visitor": [
        ("English", None, "en", DESKTOP),
        ("Russian", None, "ru", DESKTOP),
        ("phone", None, "en", PHONE),
    ],
    "member": [("member", "member", "en", DESKTOP)],
    "staff": [("staff", "superuser", "en", DESKTOP)],
}


@pytest.mark.parametrize("role", list(VISITS))
def test_pages_have_no_serious_or_critical_axe_violations(
    role, browser, live_server, private_media, eager_celery, axe_script
):
    world = _world()
    problems = []
    for label, user, language, viewport in VISITS[role]:
        with translation.override(language):
            pages = {
                "visitor": _public_pages,
                "member": _member_pages,
                "staff": _admin_pages,
            }[role](world)
        context = browser.new_context(
            locale="ru-RU" if language == "ru" else "en-GB",
            viewport=viewport,
        )
        try:
            context.add_init_script(path=str(axe_script))
            if user:
                _sign_in(context, world[user], live_server)
            urls = [(f"{live_server.url}{path}", status) for path, status in pages]
            problems += [f"{label}: {problem}" for problem in _audit(context, urls)]
            if role == "staff":
                page = context.new_page()
                contact = f"{live_server.url}{reverse('admin:members_contact_add')}"
                forum = reverse("admin:forums_forum_change", args=[world["kca"].pk])
                problems += [
                    f"{label}: {problem}"
                    for problem in [
                        *_after(page, contact, _open_autocomplete, "autocomplete open"),
                        *_after(page, f"{live_server.url}{forum}", _add_inline_row, "row added"),
                    ]
                ]
        finally:
            context.close()

    assert problems == [], "\n".join(problems)
