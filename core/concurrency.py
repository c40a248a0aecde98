"""No lost updates: a form refuses to save over a change made since it was opened.

A page with forms carries one hidden input, ``_row_state`` (``{% row_state %}``), holding
for every saved row its forms edit a digest of each field's value as the page showed it
(signed, so it cannot be edited by hand into something else). When the page is sent, each
guarded form (``RowStateGuard``) compares those digests with the row as it is now: where
another person changed a field since, nothing is saved; the form is shown again with their
values in the fields they changed, the sender's own changes kept, a note saying what
changed, by whom and when, and a fresh ``_row_state`` (docs/adr/0033). A form sent without
``_row_state`` (a script, an old page) is not guarded.

Fields are compared, not the whole row: a change to a field the form does not show (a
status a transition moved, a PDF a worker rendered) is no conflict, because a form writes
only its own fields onto the row as it is when saved.
"""

import contextlib
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from allauth.account.utils import user_display
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, router, transaction
from django.forms.formsets import BaseFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.forms.boundfield import BoundField

ROW_STATE = "_row_state"
_SALT = "core.concurrency.row-state"
_OPENED = "@"


def _canonical(value: Any) -> str:
    """One spelling for a value whether it comes from a row (a form's initial value) or
    from a cleaned form field: a related row and its id, a date and its ISO form, a text
    with Windows or Unix line ends, "" and None are the same."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, File):
        return f"file:{value.name or ''}"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return "[" + ",".join(sorted(_canonical(item) for item in value)) + "]"
    return str(value).replace("\r\n", "\n").strip()


def digest(value: Any) -> str:
    return hashlib.sha256(_canonical(value).encode()).hexdigest()[:16]


def _guarded_names(form: forms.BaseForm) -> Iterator[str]:
    """The fields a person edits: not a disabled one, a password, or a hidden one (a row's
    id, a one-time token made afresh for every page)."""
    for name, field in form.fields.items():
        widget = field.widget
        if not (field.disabled or widget.is_hidden or isinstance(widget, forms.PasswordInput)):
            yield name


def form_state(form: forms.BaseForm) -> dict[str, str]:
    """Each field's digest as the form shows it unsent: its initial value, which a model
    form takes from its row (and which a form built on a row just read is the row's
    current state)."""
    return {name: digest(form[name].initial) for name in _guarded_names(form)}


def row_key(form: forms.BaseForm) -> str | None:
    """The saved row a form edits, as ``app_label.model:pk``; None for a form that makes a
    new row (nothing to overwrite) or edits no row."""
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None or instance._state.adding:
        return None
    return f"{instance._meta.label_lower}:{instance.pk}"


def _forms(items: Iterable[Any]) -> Iterator[forms.BaseForm]:
    for item in items:
        if item is None:
            continue
        if isinstance(item, forms.BaseForm):
            yield item
        elif isinstance(item, BaseFormSet):
            yield from item.forms
        elif hasattr(item, "formset"):  # the admin's InlineAdminFormSet
            yield from item.formset.forms
        elif hasattr(item, "form"):  # the admin's AdminForm
            yield item.form
        else:
            yield from _forms(item)


def page_state(*items: Any) -> str:
    """The signed value of ``_row_state`` for a page showing ``items`` (forms, formsets,
    the admin's form and inline formsets, or lists of them)."""
    states: dict[str, Any] = {_OPENED: timezone.now().isoformat()}
    for form in _forms(items):
        key = row_key(form)
        if key is not None:
            states[key] = form_state(form)
    return signing.dumps(states, salt=_SALT, compress=True)


def _opened_states(data: Any) -> dict[str, Any]:
    raw = data.get(ROW_STATE) if data is not None else None
    if not raw or not isinstance(raw, str):
        return {}
    try:
        states = signing.loads(raw, salt=_SALT)
    except signing.BadSignature:
        return {}
    return states if isinstance(states, dict) else {}


def _sent_as_it_is(form: forms.BaseForm, name: str, current: str) -> bool:
    """Whether the form sends ``name`` as the row now holds it: the same change made twice
    (a double click sends the page again; two people typed the same) is no conflict."""
    return name in form.cleaned_data and digest(form.cleaned_data[name]) == current


def _changed_by_sender(form: forms.BaseForm, name: str, opened: str) -> bool:
    field = form.fields[name]
    if name not in form.cleaned_data:
        return True  # not valid: the sender typed something there
    if isinstance(field, forms.FileField):
        # An empty file input keeps the stored file, whichever it now is.
        return field.has_changed(form[name].initial, form[name].data)
    return digest(form.cleaned_data[name]) != opened


def _widget_data(widget: forms.Widget, name: str, value: Any) -> dict[str, list[str]] | None:
    """What a browser sends for ``widget`` showing ``value`` (already prepared by its
    field): {data key: values}; an empty list drops the key. None for a file input, whose
    stored file stays as it is."""
    if isinstance(widget, forms.FileInput):
        return None
    if isinstance(widget, forms.MultiWidget):
        parts = (value if isinstance(value, list | tuple) else widget.decompress(value)) or []
        suffixes = cast(Any, widget).widgets_names
        data: dict[str, list[str]] = {}
        for sub, suffix, part in zip(widget.widgets, suffixes, parts, strict=False):
            data |= _widget_data(sub, name + suffix, part) or {}
        return data
    if isinstance(widget, forms.CheckboxInput):
        return {name: ["on"] if widget.check_test(value) else []}
    if getattr(widget, "allow_multiple_selected", False):
        return {name: [str(item) for item in value or ()]}
    formatted = widget.format_value(value)
    return {name: ["" if formatted is None else str(formatted)]}


def _show_current(form: forms.BaseForm, names: Iterable[str]) -> None:
    """Puts the row's current values of ``names`` into the form's sent data, so the form
    shown again holds them where the sender changed nothing."""
    data = cast(Any, form.data).copy()
    for name in names:
        bound = form[name]
        values = _widget_data(
            bound.field.widget, bound.html_name, bound.field.prepare_value(bound.initial)
        )
        for key, value in (values or {}).items():
            if hasattr(data, "setlist"):
                data.setlist(key, value)
            elif value:
                data[key] = value[-1]
            else:
                data.pop(key, None)
    form.data = data


def _display(bound: "BoundField") -> str:
    """A field's current value as a person reads it, shortened."""
    value, field = bound.initial, cast(Any, bound.field)
    if isinstance(field, forms.ModelMultipleChoiceField):
        rows = (
            value
            if isinstance(value, list | tuple)
            else cast(Any, field.queryset).filter(pk__in=value or ())
        )
        text = ", ".join(field.label_from_instance(row) for row in rows)
    elif isinstance(field, forms.ModelChoiceField):
        if value not in (None, "") and not isinstance(value, models.Model):
            value = cast(Any, field.queryset).filter(pk=value).first()
        text = field.label_from_instance(value) if value is not None else ""
    elif isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in _flat(cast(Iterable[Any], field.choices))}
        text = str(labels.get(str(value), value if value is not None else ""))
    elif isinstance(value, bool):
        text = _("yes") if value else _("no")
    elif isinstance(value, File):
        text = (value.name or "").rsplit("/", 1)[-1]
    elif isinstance(value, datetime.datetime):
        text = date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value,
            "SHORT_DATETIME_FORMAT",
        )
    elif isinstance(value, datetime.date):
        text = date_format(value, "SHORT_DATE_FORMAT")
    else:
        text = "" if value is None else str(value)
    return Truncator(text).chars(160) if text else _("(empty)")


def _flat(choices: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield key, label


def _who_changed(
    instance: models.Model, since: datetime.datetime | None
) -> tuple[str, datetime.datetime | None]:
    """Who changed ``instance`` after ``since``, and when last: from its history where it
    keeps one, else its "last changed by"."""
    names: list[str] = []
    when = None
    history = getattr(instance, "history", None)
    if history is not None and since is not None:
        for record in (
            history.filter(history_date__gt=since)
            .select_related("history_user")
            .order_by("-history_date")[:20]
        ):
            when = when or record.history_date
            name = _person(record.history_user)
            if name not in names:
                names.append(name)
    if not names:
        names.append(_person(getattr(instance, "updated_by", None)))
        when = getattr(instance, "updated_at", None)
    return ", ".join(names), when


def _person(user: Any) -> str:
    """A person as the portal names them (``ACCOUNT_USER_DISPLAY``: a contact's name)."""
    return _("someone else") if user is None else user_display(user)


def check_row_state(form: forms.BaseForm) -> None:
    """Refuses ``form`` (a non-field error, and one on each field both sides changed) when
    a field of its row changed since the page was opened; the form then shows the row's
    current values where the sender changed nothing. Call it from ``clean()``, before the
    form writes its values onto the row."""
    key = row_key(form)
    states = _opened_states(form.data)
    opened = states.get(key) if key is not None else None
    if not isinstance(opened, dict):
        return
    current = form_state(form)
    theirs = [
        name
        for name, value in current.items()
        if name in opened and opened[name] != value and not _sent_as_it_is(form, name, value)
    ]
    if not theirs:
        return
    mine = {name for name in theirs if _changed_by_sender(form, name, opened[name])}
    since = None
    with contextlib.suppress(ValueError, TypeError):
        since = datetime.datetime.fromisoformat(states.get(_OPENED, ""))
    who, when = _who_changed(form.instance, since)  # type: ignore[attr-defined]
    labels = "; ".join(
        _("%(field)s: “%(value)s”")
        % {"field": capfirst(form.fields[name].label or name), "value": _display(form[name])}
        for name in theirs
    )
    values = {
        "who": who,
        "when": date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT") if when else "—",
        "fields": labels,
    }
    message = (
        _(
            "Not saved: while you were editing, %(who)s changed this (%(when)s): %(fields)s. "
            "The form now shows their version of what you did not change, with your own "
            "changes kept. Check it and save again."
        )
        % values
    )
    _show_current(form, [name for name in theirs if name not in mine])
    form.add_error(None, message)
    for name in theirs:
        if name in mine:
            form.add_error(
                name,
                _(
                    "%(who)s changed this to “%(value)s” while you were editing. Your "
                    "version is shown: keep it or take theirs, then save again."
                )
                % {"who": who, "value": _display(form[name])},
            )


def lock_row(model: type[models.Model], pk: Any) -> None:
    """Locks row ``pk`` of ``model`` until the transaction ends, so a change being sent
    is compared with the page as opened and written before anyone else's; nothing for
    something that is no id (the view answers 404 for it), nor outside a transaction (an
    admin page of its own that writes through services, which lock what they change)."""
    if not transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        return
    with contextlib.suppress(ValueError, ValidationError):
        list(model._default_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


class RowStateGuard(forms.BaseForm):
    """A form that refuses to save over changes made since it was opened
    (``check_row_state``); its template renders ``{% row_state form %}``."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        check_row_state(self)
        return cleaned


def guarded(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """``form_class`` with ``RowStateGuard`` in front (itself if it has it already)."""
    if issubclass(form_class, RowStateGuard):
        return form_class
    return type(
        form_class.__name__, (RowStateGuard, form_class), {"__module__": form_class.__module__}
    )
