"""The base classes every secretariat admin page is built on.

They make the tenancy rule hold wherever the admin reads or writes: lists, forms, inline
formsets, foreign-key choices, autocomplete, filters and object pages all see only what the
user's secretariat runs (``core.scoping``), and an object outside it answers 404 (or 403
on its history), whatever URL is typed. They also stamp the audit fields.
"""

import mimetypes
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import filters as countries_filters
from django_countries.fields import Country
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import guarded, lock_row
from core.files import CheckedFileInput, file_response
from core.history import related_history
from core.scoping import scope_for_staff, staff_forum_ids
from core.spreadsheets import SpreadsheetExportMixin
from core.workflow import workflow_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    class AdminMixinBase(admin.options.BaseModelAdmin[Any]):
        """What the mixins below are mixed into: ModelAdmins and inlines (only a ModelAdmin
        ever has its ``get_object`` called)."""

        def get_object(
            self, request: Any, object_id: str, from_field: str | None = None
        ) -> Any: ...

    _ModelAdminBase = admin.ModelAdmin[Any]
    _InlineBase = admin.options.InlineModelAdmin[Any, Any]
    _InlineFormSetBase = BaseInlineFormSet[Any, Any, Any]
else:
    AdminMixinBase = _ModelAdminBase = _InlineBase = _InlineFormSetBase = object

AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")

# Inlines that an upper app adds to a lower app's admin page (a forum's page shows its
# memberships, which the forums app cannot import): model -> inline classes.
_added_inlines: dict[type[models.Model], list[type[admin.options.InlineModelAdmin]]] = {}


def add_inline(model: type[models.Model], inline: type[admin.options.InlineModelAdmin]) -> None:
    """Shows ``inline`` on the admin page of ``model``, after the inlines its own admin
    declares; an app calls it from its ``admin`` module for a model of a lower app."""
    inlines = _added_inlines.setdefault(model, [])
    if inline not in inlines:
        inlines.append(inline)


def _manage_perm(model) -> str:
    return f"{model._meta.app_label}.manage_{model._meta.model_name}"


def _stamp(obj, user) -> None:
    if not getattr(obj, "pk", None) and hasattr(obj, "created_by_id"):
        obj.created_by = user
    if hasattr(obj, "updated_by_id"):
        obj.updated_by = user


class RowStateAdminMixin(_ModelAdminBase):
    """A ModelAdmin whose change page refuses to save over a change made since it was
    opened (``core.concurrency``): its form and its inline rows' forms are guarded, and
    the row is locked while the change is compared and written (the admin's change view
    is one transaction)."""

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and from_field is None:
            lock_row(self.model, unquote(object_id))
        return super().get_object(request, object_id, from_field)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return guarded(super().get_form(request, obj, change=change, **kwargs))


class ScopedAdminMixin(AdminMixinBase):
    """Scoping for ModelAdmins and inlines alike."""

    def get_queryset(self, request):
        return scope_for_staff(super().get_queryset(request), user=request.user)

    def get_object(self, request, object_id, from_field=None):
        """Another secretariat's row is simply not found (a 404, as for no row at all)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object, or it belongs to another secretariat's forum.")
        return obj

    def get_field_queryset(self, db, db_field, request):
        """Foreign-key and many-to-many choices come from the related admin's scoped
        queryset, so a forged id from another secretariat's forum fails validation."""
        related_model = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(related_model)
        if related_admin is not None and hasattr(related_model, "forum_scope"):
            return related_admin.get_queryset(request)
        if hasattr(related_model, "forum_scope"):
            return scope_for_staff(related_model._default_manager.using(db), user=request.user)
        return super().get_field_queryset(db, db_field, request)

    def get_readonly_fields(self, request, obj=None):
        """A workflow's status (and what only its transitions write) is never a form
        field: it changes through the model's services, offered as admin actions."""
        fields = super().get_readonly_fields(request, obj)
        workflow = workflow_of(self.model)
        if workflow is None:
            return fields
        return (*fields, *(name for name in workflow.read_only_fields if name not in fields))

    def _may_manage(self, request, obj) -> bool:
        """Object-level rule; inlines are asked about their parent object. Answered once
        per object and request: a change page asks it for every permission of the page and
        of each inline, and each answer is a query."""
        if obj is None:
            return True
        if obj.pk is None:
            return request.user.has_perm(_manage_perm(type(obj)), obj)
        answers = request.__dict__.setdefault("_may_manage_answers", {})
        key = (obj._meta.label, obj.pk)
        if key not in answers:
            answers[key] = request.user.has_perm(_manage_perm(type(obj)), obj)
        return answers[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)


def _foreign_forum_filter(request) -> bool:
    """Whether the list's query string filters by a forum the user's secretariat does not
    run (``…forum__id__exact``, the forum filters' parameter): such a list would be empty
    while its filter showed "All", as if nothing had been asked."""
    if request.user.is_superuser:
        return False
    allowed = {str(pk) for pk in staff_forum_ids(user=request.user)}
    return any(
        value not in allowed
        for key, values in request.GET.lists()
        if key.endswith("forum__id__exact")
        for value in values
    )


class SecretariatAdmin(
    RowStateAdminMixin, ScopedAdminMixin, SpreadsheetExportMixin, SimpleHistoryAdmin
):
    """The base of every ModelAdmin: scoped, audited, with change history, its list
    exported as filtered (``core.spreadsheets``), safe from lost updates
    (``RowStateAdminMixin``)."""

    list_per_page = 50
    show_full_result_count = False
    # Rows edited on this object's page whose changes its history page shows too:
    # ("app_label.Model", the field that points to this object, a heading).
    history_related: tuple[tuple[str, str, "StrOrPromise"], ...] = ()
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *AUDIT_FIELDS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            return (*fieldsets, (_("Record"), {"fields": AUDIT_FIELDS, "classes": ["collapse"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        _stamp(obj, request.user)
        super().save_model(request, obj, form, change)

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_added_inlines.get(self.model, ())]

    def get_changelist_instance(self, request):
        """A forum filter naming another secretariat's forum (or no forum) is the admin's
        "invalid filter" answer: the plain list with an error note, not an empty list
        that looks unfiltered."""
        if _foreign_forum_filter(request):
            raise IncorrectLookupParameters("forum")
        return super().get_changelist_instance(request)

    def history_view(self, request, object_id, extra_context=None):
        """Another secretariat's object (or a deleted one, which no scope can place) is
        simply not found for staff, as on every other admin page: a 403 would confirm
        that the id exists."""
        visible = self.get_queryset(request).filter(pk=unquote(object_id))
        if not request.user.is_superuser and not visible.exists():
            raise Http404("No such object, or it belongs to another secretariat's forum.")
        related = [
            related_history(
                model=apps.get_model(label), filters={field: unquote(object_id)}, title=title
            )
            for label, field, title in self.history_related
        ]
        context = {"related_histories": related, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version can be looked at, never restored: restoring writes every field
        of the old row at once, statuses included, past the services that own them
        (``SIMPLE_HISTORY_REVERT_DISABLED`` only hides the button)."""
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            _stamp(instance, request.user)
            self.save_inline_instance(request, instance)
        formset.save_m2m()

    def save_inline_instance(self, request, instance) -> None:
        """Saves one inline row through its inline's ``save_instance`` (which routes a
        model's writes through its service where it has one)."""
        for inline_class in self.get_inlines(request, None):
            if inline_class.model is type(instance) and issubclass(inline_class, ScopedInlineMixin):
                inline_class(self.model, self.admin_site).save_instance(request, instance)
                return
        instance.save()


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option is labelled from the row's own related object
    when the inline's queryset has already loaded it (``select_related``), instead of one
    query per row; a value the row does not hold (a form sent back with errors) is looked
    up as usual."""

    labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if any(v not in self.labels for v in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        if chosen:
            options.append(self.create_option(name, chosen[0], self.labels[chosen[0]], True, 1))
        return [(None, options, 0)]


class _RowsFormSetMixin(_InlineFormSetBase):
    """An inline formset whose rows share one evaluation of each select's choices (Django
    runs a field's queryset again for every row it renders) and label their autocompletes
    from the related objects they already hold."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, LabelledAutocompleteSelect):
                model_field = form.instance._meta.get_field(name)
                if form.instance.pk and model_field.is_cached(form.instance):
                    related = model_field.get_cached_value(form.instance)
                    if related is not None:
                        widget.labels = {str(related.pk): field.label_from_instance(related)}
            elif not isinstance(widget, AutocompleteSelect) and not isinstance(
                field.widget, forms.HiddenInput
            ):
                if name not in shared:
                    shared[name] = list(cast(Iterable[Any], field.choices))
                field.widget.choices = shared[name]


class ScopedInlineMixin(ScopedAdminMixin, _InlineBase):
    def save_instance(self, request, instance) -> None:
        """Saves one row of this inline; override to route the write through a service."""
        instance.save()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        """Rows sharing their choices; each row's form refuses to save over a change made
        to it since the page was opened (``core.concurrency``)."""
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (_RowsFormSetMixin, formset), {"form": guarded(formset.form)})


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ScopedStackedInline(ScopedInlineMixin, admin.StackedInline):
    extra = 0


class CountryFilter(countries_filters.CountryFilter):
    """Offers only the countries present in the rows the user may see (the library's
    filter reads the unscoped table, which would leak other secretariats' countries)."""

    def lookup_choices(self, changelist):
        codes = (
            changelist.root_queryset.order_by().values_list(self.field_path, flat=True).distinct()
        )
        return sorted(
            ((code, Country(code).name) for code in codes if code), key=lambda c: str(c[1])
        )


def apply_transition(
    model_admin,
    request,
    queryset,
    service: Callable[..., object],
    done: "StrOrPromise",
    **kwargs,
) -> int:
    """Runs ``service(<model name>=row, by=user, **kwargs)`` for every selected row the
    user may manage (the changelist's queryset is already scoped); a row whose status does
    not allow it is reported by name and left as it is. Reports how many were changed with
    ``done`` (a message with ``%(n)d``) and returns that number."""
    name = model_admin.model._meta.model_name
    changed = 0
    for obj in queryset:
        if not request.user.has_perm(_manage_perm(type(obj)), obj):
            continue
        try:
            service(**{name: obj}, by=request.user, **kwargs)
        except ValidationError as exc:  # the move is not allowed, or the row is not ready
            model_admin.message_user(
                request,
                _("%(object)s: %(reason)s") % {"object": obj, "reason": " ".join(exc.messages)},
                messages.WARNING,
            )
        else:
            changed += 1
    if changed:
        model_admin.message_user(request, done % {"n": changed}, messages.SUCCESS)
    return changed


def transition_action(
    *, name: str, description: "StrOrPromise", service: Callable[..., object], done: "StrOrPromise"
):
    """An admin action that moves the selected rows through ``service``
    (``apply_transition``), reporting with ``done``."""

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        apply_transition(model_admin, request, queryset, service, done)

    action.__name__ = name
    return action


def transition_form_action(
    *,
    name: str,
    description: "StrOrPromise",
    form_class: type[forms.Form],
    service: Callable[..., object],
    done: "StrOrPromise",
    intro: "StrOrPromise",
    submit: "StrOrPromise",
    **fixed,
):
    """An admin action whose transition needs something from the user (a reason, a
    decision's date): the first click shows the selected rows and ``form_class`` on an
    intermediate page; sending it calls ``service`` for each row (``apply_transition``)
    with the form's cleaned data as keywords, plus ``fixed``."""

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            apply_transition(
                model_admin, request, queryset, service, done, **fixed, **form.cleaned_data
            )
            return None
        context = {
            **model_admin.admin_site.each_context(request),
            "title": description,
            "intro": intro,
            "submit": submit,
            "opts": model_admin.model._meta,
            "form": form,
            "objects": queryset,
            # The name the changelist posted: the one Django will look the action up by.
            "action": request.POST.get("action", name),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/transition_form.html", context)

    action.__name__ = name
    return action


class CheckedFileWidget(CheckedFileInput, AdminFileWidget):
    """The admin's file input for a file kept in private storage: its link goes to a view
    that checks permission (``url_for(file)``)."""


def file_size(file) -> str:
    """A stored file's size for people, or that it is missing from its storage."""
    try:
        return filesizeformat(file.storage.size(file.name))
    except Exception:  # a folder's OSError, an object store's own "not found"
        return gettext("missing from the storage")


def file_summary(file, *, url: str, details: str = ""):
    """A stored file as staff see it on an object's page: its name linked to ``url`` (a
    view that checks permission), its size, and ``details`` (already safe)."""
    if not file:
        return "—"
    return format_html(
        '<a href="{}">{}</a> · {}{}', url, PurePosixPath(file.name).name, file_size(file), details
    )


def pdf_details(*, pages: int | None, preview: str):
    """For ``file_summary``'s ``details``: a PDF's number of pages and the start of its
    text, each only if it was read (a file stored before they were kept, or one that is
    not a PDF, shows its size alone)."""
    return format_html(
        "{}{}",
        ngettext(" · %(n)d page", " · %(n)d pages", pages) % {"n": pages} if pages else "",
        format_html('<blockquote class="file-preview">{}…</blockquote>', preview)
        if preview
        else "",
    )


class PrivateFileAdminMixin(_ModelAdminBase):
    """A ModelAdmin whose objects carry a file in private storage (``private_file_field``):
    ``<object>/file/`` (``admin:<app>_<model>_file``) serves it, as an attachment, to
    users who may view the object, found through the scoped ``get_object``."""

    private_file_field = "file"

    def private_file_name(self, obj) -> str:
        return PurePosixPath(getattr(obj, self.private_file_field).name).name

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/file/",
                self.admin_site.admin_view(self.private_file_view),
                name=f"{opts.app_label}_{opts.model_name}_file",
            ),
            *super().get_urls(),
        ]

    def private_file_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        file = getattr(obj, self.private_file_field)
        if not self.has_view_permission(request, obj) or not file:
            raise Http404
        name = self.private_file_name(obj)
        return file_response(
            file.open("rb"),
            filename=name,
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        )
