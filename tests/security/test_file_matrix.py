"""Every kind of file, in every state, reaches exactly who may see it: once with files in
local folders, once in the buckets of a real S3 API (moto's server on loopback).

Users: anonymous, a member of the owning institute (A), a member of another institute
(B), staff of the owning secretariat, staff of the other one, a superuser. Each file is
tried through every address that serves it; the statuses are written out below. Then the
public storage is listed: it holds exactly the copies of what is public (and logos), and
no private file has any storage URL.
"""

import datetime
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from actionplans.services import plan_adopt, statement_adopt, statement_publish
from documents.services import document_render
from members.services import institute_profile_update
from publications.services import (
    publication_approve,
    publication_return,
    publication_withdraw,
)
from secretariat.recipients import Recipient
from secretariat.services.circulation import (
    answer_token,
    circulation_prepare,
    circulation_start,
    paper_mark_ready,
)
from tests import factories as f
from tests.workspace.helpers import member_of, pdf_bytes

pytestmark = pytest.mark.django_db
USERS = ("anonymous", "member A", "member B", "staff", "other staff", "superuser")

# What each user gets from an address: (anonymous, member A, member B, staff, other staff,
# superuser). 302 is "sign in first".
EVERYONE = (200, 200, 200, 200, 200, 200)
NOBODY = (404, 404, 404, 404, 404, 404)
ADMIN = (302, 302, 302, 200, 404, 200)
WORKSPACE = (302, 200, 404, 403, 403, 403)
# A candidate institute belongs to no forum yet: any secretariat may be about to admit it.
ADMIN_OF_ANY_SECRETARIAT = (302, 302, 302, 200, 200, 200)


@pytest.fixture(params=["local", "s3"])
def storage(request, settings, tmp_path):
    """The files in folders, or in the buckets of the S3 server."""
    if request.param == "local":
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
        settings.MEDIA_ROOT = tmp_path / "public"
        return None
    return request.getfixturevalue("s3_storage")


def _world(cica, kca, superuser, run_on_commit):
    member_a = member_of(cica, username="member-a", email="a@cica.example")
    member_b = member_of(kca, username="member-b", email="b@kca.example")
    world = {"users": {"member A": member_a.user, "member B": member_b.user}}
    candidate = f.InstituteFactory(slug="candidate")  # not admitted anywhere yet
    with run_on_commit(execute=True):
        for institute in (cica.institute, candidate):
            institute_profile_update(
                institute=institute,
                data={"logo": ContentFile(_png(), name=f"{institute.slug}.png")},
                by=superuser,
            )
    cica.institute.refresh_from_db()
    candidate.refresh_from_db()
    world["candidate"] = candidate

    def publication(state):
        item = f.PublicationFactory(forum=cica.forum, slug=f"report-{state}", title=state)
        item.institutes.set([cica.institute])
        item.file.save(f"report-{state}.pdf", ContentFile(pdf_bytes(state)))
        with run_on_commit(execute=True):
            if state in ("approved", "returned"):
                item = publication_approve(publication=item, by=superuser)
            if state == "returned":
                item = publication_return(publication=item, by=superuser, reason="Too short")
            if state == "withdrawn":
                item = publication_withdraw(publication=item, by=member_a.user)
        item.refresh_from_db()
        return item

    world["publication"] = {s: publication(s) for s in ("submitted", "approved", "returned")}
    world["publication"]["withdrawn"] = publication("withdrawn")

    def statement(state):
        item = f.JointStatementFactory(
            forum=cica.forum, slug=f"statement-{state}", adopted_on=datetime.date(2024, 1, 5)
        )
        with run_on_commit(execute=True):
            document_render(document_type="statement", object_id=item.pk)
            if state in ("adopted", "published"):
                item = statement_adopt(jointstatement=item, by=superuser)
            if state == "published":
                item = statement_publish(jointstatement=item, by=superuser)
        item.refresh_from_db()
        return item

    world["statement"] = {s: statement(s) for s in ("draft", "adopted", "published")}

    def plan(state):
        item = f.ActionPlanFactory(
            forum=cica.forum,
            year=2020 + len(state),
            document_symbol=f"SOC/{state}",
            adopted_on=datetime.date(2024, 6, 27),
        )
        with run_on_commit(execute=True):
            document_render(document_type="actionplan", object_id=item.pk)
            if state == "adopted":
                plan_adopt(actionplan=item, by=superuser)
        item.refresh_from_db()
        return item

    world["plan"] = {s: plan(s) for s in ("draft", "adopted")}

    def unsent_paper(state):
        item = f.ConceptPaperFactory(forum=cica.forum, title=f"Paper {state}")
        f.ConceptPaperAttachmentFactory(
            paper=item, title="Annex", file=ContentFile(pdf_bytes(state), name="annex.pdf")
        )
        with run_on_commit(execute=True):
            document_render(document_type="conceptpaper", object_id=item.pk)
            if state == "ready":
                paper_mark_ready(conceptpaper=item, by=superuser)
        item.refresh_from_db()
        return item

    world["unsent paper"] = {s: unsent_paper(s) for s in ("draft", "ready")}
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    world["attachment"] = f.ConceptPaperAttachmentFactory(
        paper=paper, title="Budget", file=ContentFile(pdf_bytes("budget"), name="budget.pdf")
    )
    with run_on_commit(execute=False):
        circulation = circulation_start(
            paper=paper, recipients=[Recipient(email="fp@cica.example")], subject="Water", by=None
        )
    circulation_prepare(circulation_id=circulation.pk)
    circulation.refresh_from_db()
    paper.refresh_from_db()
    world["paper"], world["circulation"] = paper, circulation
    world["token"] = answer_token(delivery=circulation.deliveries.get())
    return world


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _admin(model: str, obj, view: str = "pdf") -> str:
    return reverse(f"admin:{model}_{view}", args=[obj.pk])


def _get(client: Client, url: str) -> int:
    """The status a browser ends with: redirects to the portal's own pages followed, a
    redirect to the object store followed over HTTP (anonymously: buckets know no
    users); a redirect to the sign-in page is 302."""
    if url.startswith("http://127.0.0.1"):
        return _fetch(url)
    response = client.get(url)
    while response.status_code == 302:
        location = response["Location"]
        if "login" in location:
            return 302
        if location.startswith("http://127.0.0.1"):
            return _fetch(location)
        response = client.get(location)
    if response.status_code == 200:
        b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code


def _fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_file_reaches_exactly_who_may_see_it(
    storage, cica, kca, superuser, django_capture_on_commit_callbacks
):
    world = _world(cica, kca, superuser, django_capture_on_commit_callbacks)
    pubs, statements, plans = world["publication"], world["statement"], world["plan"]
    cases = {
        **{
            f"publication {state}, its public address": (
                reverse("publications:download", args=[p.slug]),
                EVERYONE if state == "approved" else NOBODY,
            )
            for state, p in pubs.items()
        },
        **{
            f"publication {state}, in the admin": (
                _admin("publications_publication", p, "file"),
                ADMIN,
            )
            for state, p in pubs.items()
        },
        **{
            f"publication {state}, in the workspace": (
                reverse("workspace:publication_file", args=[p.pk]),
                WORKSPACE,
            )
            for state, p in pubs.items()
        },
        **{
            f"statement {state}, in the admin": (
                _admin("actionplans_jointstatement", s, "pdf_download"),
                ADMIN,
            )
            for state, s in statements.items()
        },
        **{
            f"plan {state}, in the admin": (
                _admin("actionplans_actionplan", p, "pdf_download"),
                ADMIN,
            )
            for state, p in plans.items()
        },
        "concept paper, in the admin": (
            _admin("secretariat_conceptpaper", world["paper"], "pdf_download"),
            ADMIN,
        ),
        "circulated copy, in the admin": (
            _admin("secretariat_circulation", world["circulation"], "pdf"),
            ADMIN,
        ),
        "circulated copy, by the recipient's link": (
            reverse("secretariat:answer_pdf", args=[world["token"]]),
            EVERYONE,
        ),
        "circulated copy, by a forged link": (
            reverse("secretariat:answer_pdf", args=[world["token"][:-2] + "xx"]),
            NOBODY,
        ),
        "own logo, in the workspace": (
            reverse("workspace:institute_logo"),
            (302, 200, 404, 403, 403, 403),
        ),
        "attachment, in the admin": (
            _admin("secretariat_conceptpaperattachment", world["attachment"], "file"),
            ADMIN,
        ),
        **{
            f"concept paper {state}, in the admin": (
                _admin("secretariat_conceptpaper", paper, "pdf_download"),
                ADMIN,
            )
            for state, paper in world["unsent paper"].items()
        },
        **{
            f"attachment of a paper {state}, in the admin": (
                _admin("secretariat_conceptpaperattachment", paper.attachments.get(), "file"),
                ADMIN,
            )
            for state, paper in world["unsent paper"].items()
        },
        **{
            f"implementation report of the plan {state}, in the admin": (
                _admin("actionplans_actionplan", p, "implementation_report_pdf"),
                ADMIN,
            )
            for state, p in plans.items()
        },
        "logo, in the admin": (_admin("members_institute", cica.institute, "file"), ADMIN),
        "logo of an institute admitted nowhere, in the admin": (
            _admin("members_institute", world["candidate"], "file"),
            ADMIN_OF_ANY_SECRETARIAT,
        ),
    }
    public_copies = {
        "approved publication": pubs["approved"].public_file,
        "published statement": statements["published"].public_pdf,
        "adopted plan": plans["adopted"].public_pdf,
        "logo": cica.institute.public_logo,
    }
    logins = {
        "anonymous": None,
        **world["users"],
        "staff": cica.staff,
        "other staff": kca.staff,
        "superuser": superuser,
    }

    found, expected = {}, {}
    for user_name in USERS:
        client = Client()
        if logins[user_name] is not None:
            client.force_login(logins[user_name])
        for case, (url, statuses) in cases.items():
            found[(case, user_name)] = _get(client, url)
            expected[(case, user_name)] = statuses[USERS.index(user_name)]
        for case, file in public_copies.items():
            found[(f"{case}, public copy", user_name)] = _get(client, file.url)
            expected[(f"{case}, public copy", user_name)] = 200
    assert {k: (found[k], expected[k]) for k in found if found[k] != expected[k]} == {}

    # The public storage holds the copies of what is public, and nothing else.
    year = datetime.date.today().year
    assert _public_names(storage) == sorted(
        [
            f"publications/{year}/report-approved.pdf",
            f"documents/{year}/statement-published-v1.pdf",
            f"documents/{year}/soc-adopted-v1.pdf",
            "institutes/logos/cica-institute.png",
        ]
    )
    # No private file has a storage URL, not even a signed one.
    private_files = [p.file for p in pubs.values()] + [
        *(s.pdf for s in statements.values()),
        *(p.pdf for p in plans.values()),
        world["paper"].pdf,
        world["circulation"].pdf,
        world["attachment"].file,
        *(paper.pdf for paper in world["unsent paper"].values()),
        *(paper.attachments.get().file for paper in world["unsent paper"].values()),
        cica.institute.logo,
        world["candidate"].logo,
    ]
    for file in private_files:
        with pytest.raises(ValueError, match="Private files have no URL"):
            file.url  # noqa: B018
    # And on the object store, nobody gets them by the bucket's plain address either.
    if storage is not None:
        plain = [f"{storage.server.url}/{storage.private}/{file.name}" for file in private_files]
        assert {url: _fetch(url) for url in plain} == dict.fromkeys(plain, 403)
        # What the bucket answers with the public copies: cacheable, members' uploads as
        # attachments (they cannot act in the page of whoever opens them).
        head = storage.server.client().head_object
        upload = head(Bucket=storage.public, Key=pubs["approved"].public_file.name)
        statement = head(Bucket=storage.public, Key=statements["published"].public_pdf.name)
        assert (upload["CacheControl"], upload["ContentDisposition"]) == (
            "public, max-age=300",
            "attachment",
        )
        assert statement["CacheControl"] == "public, max-age=300"
        assert "ContentDisposition" not in statement


def _public_names(storage) -> list[str]:
    if storage is not None:
        return storage.server.keys(storage.public)
    public = storages["default"]
    names = []

    def walk(folder: str) -> None:
        folders, files = public.listdir(folder)
        names.extend(f"{folder}/{name}".lstrip("/") for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    walk("")
    return sorted(names)
