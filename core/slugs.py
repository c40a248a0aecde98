"""Slugs for new rows, shared by the apps (forums is imported by all of them)."""

import re

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify

# Russian and Central Asian Cyrillic as the portal's citation keys and addresses have
# always spelled it (BGN/PCGN-like: "zh", "kh", "ts", "shch", "iu", "ia"); anyascii, which
# covers every other script (Hangul, Chinese), would spell a few letters differently, and
# keys and slugs already given must not change.
_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
        "я": "ia", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
        "һ": "h", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ҳ": "h", "ҷ": "j", "ӣ": "i",
        "ӯ": "u", "ў": "u",
    }
)  # fmt: skip


def ascii_text(text: str) -> str:
    """``text`` in lower-case ASCII: Cyrillic by the table above, any other script
    romanised by anyascii ("한국" → "hanguk", "中亚" → "zhongya")."""
    return anyascii(text.lower().translate(_CYRILLIC)).lower()


def ascii_words(text: str) -> list[str]:
    """The words of ``text`` in ASCII letters and digits, punctuation dropped."""
    return [w for w in (re.sub(r"[^a-z0-9]", "", word) for word in ascii_text(text).split()) if w]


def ascii_slug(text: str) -> str:
    """A slug of ``text`` in any script: "Стратегическое партнёрство" →
    "strategicheskoe-partnerstvo", where ``slugify`` alone gives nothing."""
    return slugify(ascii_text(text))


def unique_slug(model: type[models.Model], text: str, *, max_length: int, fallback: str) -> str:
    """A slug of ``text`` in ASCII, whatever its script (cut to ``max_length``,
    ``fallback`` when nothing is left) that no row of ``model`` has yet: "-2", "-3", … is
    appended until it is free."""
    base = ascii_slug(text)[:max_length].strip("-") or fallback
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
