"""Slugs for new rows, shared by the apps (forums is imported by all of them)."""

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int, fallback: str) -> str:
    """A slug of ``text`` (cut to ``max_length``, ``fallback`` when nothing is left) that no
    row of ``model`` has yet: "-2", "-3", … is appended until it is free."""
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
