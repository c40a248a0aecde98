"""One demo publication's readable part (title, abstract, authors, keywords, body) and its PDF."""

import datetime
import logging
import random
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.text import slugify
from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF

from forums.models import Forum, Theme
from members.models import Institute
from publications.demo.vocabulary import (
    ABSTRACTS,
    ANGLES,
    BODY,
    COUNTRY_NAMES,
    JOURNALS,
    KINDS,
    LABEL,
    LANGUAGES,
    MARKER_SENTENCE,
    PEOPLE,
    REGIONS,
    SYLLABLES,
    TITLES,
    TOPICS,
)
from publications.enums import Language, PublicationKind, PublicationStatus
from publications.models import Publication

FONT = "fonts/NotoSans-Regular.ttf"
# What reaches a page: Latin, Cyrillic and punctuation. Noto Sans has no Hangul, so a Korean
# item's page is in English and its Korean title only in the PDF's metadata.
PAGE_CHARACTERS = [*range(0x20, 0x250), *range(0x400, 0x530), *range(0x2000, 0x2070), 0x2116]


@dataclass
class Draft:
    number: int
    publication: Publication
    institutes: list[Institute]
    theme_ids: list[int]
    lines: list[str]  # the document: label, heading, byline, then the paragraphs
    pdf_title: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def demo_marker(number: int) -> str:
    """A made-up word, different for every demo publication number, written only in the
    body of that publication (never in its title, abstract, authors or keywords)."""
    parts = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
        if not number:
            break
    return "zar" + "".join(parts)


def demo_marker_of(text: str) -> str | None:
    """The marker word in a demo publication's body text, if there is one."""
    match = re.search(r"(?:code word|кодовым словом) (zar[a-z]+)", text)
    return match.group(1) if match else None


def _topic(theme: Theme) -> tuple[str, str, str, tuple[str, ...], tuple[str, ...]]:
    if theme.slug in TOPICS:
        return TOPICS[theme.slug]
    ru = theme.name_ru or theme.name
    return (theme.name, ru, theme.name, (theme.name.lower(),), (ru.lower(),))


def draft_build(
    *,
    text: random.Random,
    links: random.Random,
    number: int,
    forums: Sequence[Forum],
    members: dict[int, list[Institute]],
    themes: Sequence[Theme],
) -> Draft:
    """One publication's unsaved row and document. ``text`` decides everything readable, so
    the same seed gives the same titles whatever institutes exist; ``links`` picks the forum
    and the institutes (1–3 of the forum's members)."""
    language = text.choices(list(LANGUAGES), weights=list(LANGUAGES.values()))[0]
    kind = text.choices(list(KINDS), weights=[weight for _, weight in KINDS.values()])[0]
    chosen = text.sample(list(themes), k=min(len(themes), text.randint(1, 3)))
    en, ru, ko, en_keywords, ru_keywords = _topic(chosen[0])
    region = text.choice(REGIONS)
    angle = text.choice(ANGLES)
    published_on = datetime.date(2015, 1, 1) + datetime.timedelta(days=text.randrange(4018))
    y2 = published_on.year
    y1 = y2 - text.randint(3, 10)
    people = text.sample(PEOPLE, k=text.randint(1, 4))
    words: dict[str, dict[str, str | int]] = {
        "en": {"topic": en, "topic_l": en.lower(), "region": region[0], "angle": angle[0]},
        "ru": {"topic": ru, "region_in": region[2], "angle": angle[1]},
        "ko": {"topic": ko, "region": region[3], "angle": angle[2]},
    }
    for values in words.values():
        values.update(y1=y1, y2=y2, year=text.randint(y1, y2), kind=KINDS[kind][0])
    title = text.choice(TITLES[language]).format(**words[language])
    if language == Language.ENGLISH:
        en_title = title
    else:  # for the slug, and the page of a Korean item
        en_title = text.choice(TITLES["en"]).format(**words["en"])
    abstract = " ".join(text.choice(options) for options in ABSTRACTS[language])
    cyrillic = language == Language.RUSSIAN
    if language == Language.KOREAN:
        keywords = [ko, region[3]]
    elif cyrillic:
        keywords = [ru, *ru_keywords, region[1]]
    else:
        keywords = [en, *en_keywords, region[0].removeprefix("the ")]
    body = "ru" if cyrillic else "en"
    # Every sentence once before any comes again; seven paragraphs of three to five.
    sentences = cycle(text.sample(BODY[body], k=len(BODY[body])))
    sizes = [text.randint(3, 5) for _ in range(7)]
    reviewed = datetime.datetime.combine(
        published_on + datetime.timedelta(days=text.randint(1, 40)),
        datetime.time(10),
        tzinfo=datetime.UTC,
    )

    forum = links.choice(forums)
    candidates = members[forum.pk]
    institutes = links.sample(candidates, k=min(len(candidates), links.randint(1, 3)))
    # django-stubs types a CountryField as str; django-countries reads it as a Country.
    country = COUNTRY_NAMES[institutes[0].country.code]  # type: ignore[attr-defined]
    words[body].update(country=country[0], country_in=country[1], country_from=country[2])
    paragraphs = [" ".join(islice(sentences, n)).format(**words[body]) for n in sizes]
    paragraphs[3] += " " + MARKER_SENTENCE[body].format(demo_marker(number))
    names = ", ".join(f"{p[3]} {p[2]}" if cyrillic else f"{p[1]} {p[0]}" for p in people)
    byline = f"{names}. {'; '.join(i.name for i in institutes)}. {published_on}."

    publication = Publication(
        title=title,
        slug=f"demo-{number}-{slugify(en_title)}"[:160].rstrip("-"),
        authors="\n".join(f"{p[2]}, {p[3]}" if cyrillic else f"{p[0]}, {p[1]}" for p in people),
        forum=forum,
        kind=kind,
        language=language,
        published_on=published_on,
        container_title=JOURNALS[number % len(JOURNALS)] if kind == PublicationKind.ARTICLE else "",
        abstract=abstract.format(**words[language]),
        keywords=", ".join(keywords),
        status=PublicationStatus.APPROVED,
        reviewed_at=min(reviewed, timezone.now()),
        # The OAI-PMH datestamp, which PostgreSQL's triggers would set (and then move as
        # the institutes are linked); given here so that `make run` (SQLite, no triggers)
        # has records to harvest too.
        public_changed_at=min(reviewed, timezone.now()).replace(microsecond=0),
        is_synthetic=True,
    )
    return Draft(
        number=number,
        publication=publication,
        institutes=institutes,
        theme_ids=[theme.pk for theme in chosen],
        lines=[LABEL[body], title if cyrillic else en_title, byline, *paragraphs],
        pdf_title=title,
    )


class PdfWriter:
    """Renders drafts as one- or two-page A4 PDFs with a real text layer.

    Lines are broken here, with word widths cached across documents, rather than by
    ``multi_cell``, which is ten times slower on long paragraphs."""

    def __init__(self, *, font_path: str) -> None:
        self.font_path = font_path
        self.widths: dict[tuple[float, str], float] = {}

    def render(self, draft: Draft) -> bytes:
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_creation_date(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
        pdf.set_title(draft.pdf_title)
        pdf.set_author("; ".join(draft.publication.author_list))
        pdf.set_creator("seed_demo (synthetic demo data)")
        pdf.add_font("NotoSans", "", self.font_path)
        pdf.add_page()
        room = pdf.w - pdf.l_margin - pdf.r_margin
        y = pdf.t_margin
        label, heading, byline, *paragraphs = draft.lines
        blocks = [(label, 8.5), (heading, 15), (byline, 9.5)] + [(p, 10.5) for p in paragraphs]
        for block, size in blocks:
            pdf.set_font("NotoSans", size=size)
            leading = size * 0.5
            for line in self._lines(pdf, block, size=size, room=room):
                y += leading
                if y > pdf.h - pdf.b_margin:
                    pdf.add_page()
                    y = pdf.t_margin + leading
                pdf.text(pdf.l_margin, y, line)
            y += leading * 0.8
        return bytes(pdf.output())

    def _lines(self, pdf: FPDF, text: str, *, size: float, room: float) -> list[str]:
        widths = self.widths
        if (size, " ") not in widths:
            widths[size, " "] = pdf.get_string_width(" ")
        space = widths[size, " "]
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        for word in text.split():
            if (size, word) not in widths:
                widths[size, word] = pdf.get_string_width(word)
            width = widths[size, word]
            if line and used + space + width > room:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += (space if line else 0.0) + width
            line.append(word)
        lines.append(" ".join(line))
        return lines


@contextmanager
def pdf_writer() -> Iterator[PdfWriter]:
    """A writer for one run. fpdf2 parses the whole font again for every document, so the
    shipped Noto Sans is first cut down to the characters that reach a page (about 2.5
    times faster per document); fontTools' INFO chatter about subsetting is silenced."""
    source = finders.find(FONT)
    if not source:
        raise FileNotFoundError(f"static/{FONT} is missing")
    log = logging.getLogger("fontTools")
    level = log.level
    log.setLevel(logging.WARNING)
    try:
        with tempfile.TemporaryDirectory(prefix="seed-demo-") as folder:
            path = Path(folder) / "NotoSans-page.ttf"
            options = subset.Options()
            options.layout_features = []
            options.hinting = False
            options.notdef_outline = True
            options.name_IDs = ["*"]  # keeps the copyright and licence entries
            font = TTFont(source)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=PAGE_CHARACTERS)
            subsetter.subset(font)
            font.save(path)
            yield PdfWriter(font_path=str(path))
    finally:
        log.setLevel(level)
