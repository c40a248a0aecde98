"""seed_demo: clearly labelled synthetic institutes and approved publications whose PDFs
have a real text layer, found by full-text search, and removed again without touching
real data."""

import io
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify
from pypdf import PdfReader

from forums.models import Forum
from members.enums import MembershipStatus
from members.models import Institute, Membership, MembershipStatusChange
from publications.demo import demo_marker_of, demo_publications_create, demo_reset
from publications.enums import Language, PublicationStatus
from publications.models import CatalogueFacet, Publication
from publications.services import catalogue_index, pdf_text
from secretariat.seeding import seed_forums
from tests import factories as f

pytestmark = pytest.mark.django_db
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)

KCA = "korea-central-asia-think-tank-forum"
CICA = "cica-think-tank-forum"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Forums and themes (3); then in one savepoint (2): institutes and memberships (5) with
# their history rows (3), the count and the highest id (2), one chunk's publications with
# their history rows and two link tables (4) and catalogue_index's five queries in their
# own savepoint (7).
QUERIES = 26


@pytest.fixture
def private_storage(private_media):
    return storages["private"]


@pytest.fixture
def forums(db):
    seed_forums()
    return {forum.slug: forum for forum in Forum.objects.all()}


def _searched_text(publication: Publication) -> str:
    parts = [publication.title, publication.abstract, publication.authors, publication.keywords]
    return " ".join(parts).lower()


def _found(word: str) -> set[int]:
    query = SearchQuery(word, config="russian")
    return set(Publication.objects.filter(search_vector=query).values_list("pk", flat=True))


def test_seed_demo_adds_approved_synthetic_publications_with_their_facets(forums, private_storage):
    call_command("seed_demo", "--publications", "12", stdout=io.StringIO())

    publications = list(Publication.objects.prefetch_related("institutes"))
    assert len(publications) == 12
    assert {(p.status, p.is_synthetic) for p in publications} == {
        (PublicationStatus.APPROVED, True)
    }
    assert [p for p in publications if p.reviewed_at is None] == []
    assert CatalogueFacet.objects.filter(name="forum").count() == 12
    assert set(CatalogueFacet.objects.values_list("publication_id", flat=True)) == {
        p.pk for p in publications
    }
    admitted = set(
        Membership.objects.filter(status=MembershipStatus.ADMITTED).values_list(
            "forum_id", "institute_id"
        )
    )
    for publication in publications:
        institutes = publication.institutes.all()
        assert 1 <= len(institutes) <= 3
        assert [i.name for i in institutes if not i.is_synthetic] == []
        assert {(publication.forum_id, i.pk) for i in institutes} - admitted == set()


def test_synthetic_institutes_say_so_and_are_admitted_to_the_seeded_forums(forums, private_storage):
    demo_publications_create(count=3, seed=1, with_pdf=False)

    synthetic = list(Institute.objects.filter(is_synthetic=True))
    assert len(synthetic) == 12
    assert [i.name for i in synthetic if not i.name.endswith(" (synthetic)")] == []
    assert len({i.country.code for i in synthetic}) == 10
    memberships = Membership.objects.filter(institute__is_synthetic=True)
    assert set(memberships.values_list("status", flat=True)) == {MembershipStatus.ADMITTED}
    assert memberships.filter(forum=forums[CICA]).count() == 12
    assert memberships.filter(forum=forums[KCA]).count() == 8
    assert MembershipStatusChange.objects.filter(membership__in=memberships).count() == 20


def test_each_pdf_text_layer_is_the_extracted_text_with_a_body_only_marker(
    forums, private_storage, tmp_path
):
    demo_publications_create(count=12, seed=1)

    publications = list(Publication.objects.all())
    assert {p.language for p in publications} == {"en", "ru", "ko"}
    for publication in publications:
        assert private_storage.path(publication.file.name).startswith(str(tmp_path))
        with publication.file.open("rb") as handle:
            data = handle.read()
        text = pdf_text(data)
        assert text == publication.extracted_text
        assert text.split()[:3] in (
            ["SYNTHETIC", "DEMO", "DOCUMENT,"],
            ["СИНТЕТИЧЕСКИЙ", "ДЕМОНСТРАЦИОННЫЙ", "ДОКУМЕНТ,"],
        )
        marker = demo_marker_of(text)
        assert marker is not None
        assert marker not in _searched_text(publication)
        assert 1 <= len(PdfReader(io.BytesIO(data)).pages) <= 2
        if publication.language == Language.RUSSIAN:  # Cyrillic went in and came out
            assert " ".join(publication.title.split()) in " ".join(text.split())


def test_a_korean_item_keeps_hangul_in_its_metadata_and_off_the_page(forums, private_storage):
    demo_publications_create(count=12, seed=1)

    korean = list(Publication.objects.filter(language=Language.KOREAN))
    assert len(korean) == 3
    for publication in korean:
        assert HANGUL.search(publication.title)
        with publication.file.open("rb") as handle:
            reader = PdfReader(handle)
            assert reader.metadata.title == publication.title
        assert HANGUL.search(publication.extracted_text) is None
        # The page carries the English title the slug was made from instead.
        english = publication.slug.split("-", 2)[2]
        assert english in slugify(publication.extracted_text)


@needs_postgres
@pytest.mark.parametrize("with_pdf", [True, False])
def test_a_word_only_in_the_body_is_found_by_full_text_search(
    with_pdf, forums, private_storage, tmp_path
):
    demo_publications_create(count=8, seed=1, with_pdf=with_pdf)

    publications = list(Publication.objects.all())
    assert len(publications) == 8
    # Each PDF in the private storage, and (approved from the start) its public copy.
    assert len(list((tmp_path / "private").rglob("*.pdf"))) == (8 if with_pdf else 0)
    assert len(list((tmp_path / "public").rglob("*.pdf"))) == (8 if with_pdf else 0)
    for publication in publications:
        marker = demo_marker_of(publication.extracted_text)
        assert marker not in _searched_text(publication)
        assert _found(marker) == {publication.pk}


@needs_postgres
def test_a_russian_publication_is_found_by_another_form_of_a_word_of_its_abstract(
    forums, private_storage
):
    demo_publications_create(count=12, seed=1, with_pdf=False)

    russian = list(Publication.objects.filter(language=Language.RUSSIAN))
    assert len(russian) == 3
    for publication in russian:
        assert "сотрудничества" in publication.abstract
        # The instrumental form is nowhere in the row: only the stemmer can match it.
        assert "сотрудничеством" not in _searched_text(publication)
        assert "сотрудничеством" not in publication.extracted_text
    assert _found("сотрудничеством") == {p.pk for p in russian}


def test_reset_removes_every_synthetic_row_and_file_and_nothing_real(
    forums, private_storage, tmp_path, django_capture_on_commit_callbacks
):
    kaziss = Institute.objects.get(slug="kaziss")
    real = f.PublicationFactory(forum=forums[CICA], status=PublicationStatus.APPROVED)
    real.institutes.set([kaziss])
    catalogue_index(publications=[real])
    before = {
        "institutes": sorted(Institute.objects.values_list("slug", flat=True)),
        "memberships": sorted(Membership.objects.values_list("pk", flat=True)),
        "changes": sorted(MembershipStatusChange.objects.values_list("pk", flat=True)),
        "facets": sorted(CatalogueFacet.objects.values_list("name", "value")),
        "forums": sorted(Forum.objects.values_list("slug", flat=True)),
    }
    demo_publications_create(count=6, seed=1)
    assert len(list(tmp_path.rglob("*.pdf"))) == 12  # six PDFs and their six public copies
    real.institutes.add(Institute.objects.get(slug="demo-institute-2"))  # someone linked one
    catalogue_index(publications=[real])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--reset", "--publications", "0", stdout=io.StringIO())

    assert list(Publication.objects.values_list("pk", flat=True)) == [real.pk]
    assert list(real.institutes.values_list("slug", flat=True)) == ["kaziss"]
    after = {
        "institutes": sorted(Institute.objects.values_list("slug", flat=True)),
        "memberships": sorted(Membership.objects.values_list("pk", flat=True)),
        "changes": sorted(MembershipStatusChange.objects.values_list("pk", flat=True)),
        "facets": sorted(CatalogueFacet.objects.values_list("name", "value")),
        "forums": sorted(Forum.objects.values_list("slug", flat=True)),
    }
    assert after == before
    assert len(after["institutes"]) == 6
    assert list(tmp_path.rglob("*.pdf")) == []
    assert Publication.history.filter(is_synthetic=True).count() == 0
    assert Institute.history.filter(is_synthetic=True).count() == 0
    assert Membership.history.filter(decision__contains="seed_demo").count() == 0
    assert MembershipStatusChange.history.filter(note="Synthetic demo data").count() == 0


def test_reset_stops_when_real_data_depends_on_a_synthetic_institute(
    forums, private_storage, tmp_path, django_capture_on_commit_callbacks
):
    demo_publications_create(count=3, seed=1)
    f.ContactFactory(institute=Institute.objects.get(slug="demo-institute-1"))

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CommandError, match="used by real data"),
    ):
        call_command("seed_demo", "--reset", "--publications", "0", stdout=io.StringIO())

    assert Publication.objects.filter(is_synthetic=True).count() == 3
    assert Institute.objects.filter(is_synthetic=True).count() == 12
    assert len(list(tmp_path.rglob("*.pdf"))) == 6  # three PDFs and their public copies


def test_a_failed_run_writes_no_rows_and_leaves_no_files(forums, private_storage, tmp_path):
    real = f.PublicationFactory(forum=forums[CICA])

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        demo_publications_create(count=3, seed=1, with_pdf=False)
        slugs = list(Publication.objects.filter(is_synthetic=True).values_list("slug", flat=True))
        raise Rollback
    real.slug = slugs[2]  # the third of the same run will collide
    real.save()

    with pytest.raises(IntegrityError):
        demo_publications_create(count=3, seed=1)

    assert list(Publication.objects.values_list("pk", flat=True)) == [real.pk]
    assert Institute.objects.filter(is_synthetic=True).count() == 0
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_the_same_seed_gives_the_same_titles_and_another_seed_others(forums, private_storage):
    def titles() -> list[str]:
        return list(Publication.objects.order_by("pk").values_list("title", flat=True))

    demo_publications_create(count=10, seed=5, with_pdf=False)
    first = titles()
    demo_reset()
    demo_publications_create(count=10, seed=5, with_pdf=False)
    assert titles() == first
    demo_reset()
    demo_publications_create(count=10, seed=6, with_pdf=False)
    assert titles() != first


def test_a_second_run_adds_more_publications_and_reuses_the_institutes(forums, private_storage):
    demo_publications_create(count=5, seed=1)
    first = list(Publication.objects.order_by("pk").values_list("title", flat=True))
    demo_publications_create(count=5, seed=1)

    publications = Publication.objects.order_by("pk")
    assert publications.count() == 10
    assert len(set(publications.values_list("slug", flat=True))) == 10
    assert len(set(publications.values_list("file", flat=True))) == 10
    assert len({demo_marker_of(p.extracted_text) for p in publications}) == 10
    assert list(publications.values_list("title", flat=True)[5:]) != first
    assert Institute.objects.filter(is_synthetic=True).count() == 12
    assert Membership.objects.filter(institute__is_synthetic=True).count() == 20


def test_seed_demo_before_seed_forums_fails_clearly_and_writes_nothing(db, private_storage):
    with pytest.raises(CommandError, match=r"run `python manage\.py seed_forums` first"):
        call_command("seed_demo", "--publications", "3", stdout=io.StringIO())

    assert Institute.objects.count() == 0
    assert Publication.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite splits inserts by its parameter limit"
)
@pytest.mark.parametrize("count", [2, 40])
def test_the_number_of_queries_does_not_grow_with_the_number_of_publications(
    count, forums, private_storage, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        demo_publications_create(count=count, seed=1)

    assert Publication.objects.count() == count
