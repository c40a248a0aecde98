"""Staff import and export of the admin's lists as CSV and Excel (django-import-export).

Every list exports as filtered (``SpreadsheetExportMixin``, part of every
``SecretariatAdmin``), foreign keys by a natural value (a forum's slug, an institute's
name), never an id. Imports (``SpreadsheetImportMixin``, on the admins that name their
resources) are checked in full first: a dry run in a transaction that is rolled back,
whose preview lists each row's errors by line and column; confirming is possible only
when no row has an error, runs once per preview (a one-time token), and writes nothing
if any row fails then. Foreign keys are looked up among the rows the user's secretariat
may reach (``core.scoping``), so a row naming another secretariat's forum is an error of
that row. Rows are validated with ``full_clean`` and saved with the importing user and
"Imported from <file>" in their history. See docs/adr/0017-staff-import-and-export.md.
"""

import secrets
import zipfile
from io import BytesIO
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import tablib
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import MultipleObjectsReturned, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm
from import_export.tmp_storages import CacheStorage

from core.scoping import scope_for_staff

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _AdminBase = Any
else:
    _AdminBase = object

# An import is read and checked inside the request (the preview must answer at once):
# these bound what one file may cost.
IMPORT_MAX_ROWS = 2000
IMPORT_MAX_MB = 50
# More rows than this are not exported in one request: narrow the list's filters.
EXPORT_MAX_ROWS = 20000
# How long a checked file waits for its confirmation.
PREVIEW_SECONDS = 3600

# Columns never exported by a list's generic export: search internals, text read from
# files, secrets, and what only the workers use.
NOT_EXPORTED = frozenset(
    {
        "search_vector",
        "search_head",
        "extracted_text",
        "token_hash",
        "claim_token",
        "request_token",
        "pdf_preview",
        "pdf_fingerprint",
        "body",
        "text",
        "html",
        "password",
    }
)


def natural_key_field(model: type[models.Model]) -> str | None:
    """The column a row of ``model`` is named by in a spreadsheet: a user by e-mail, else
    a unique slug or name; None where there is none (the row's text is written)."""
    if model is get_user_model():
        return "email"
    for name in ("slug", "name"):
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if getattr(field, "unique", False):
            return name
    return None


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Exports a related row by its natural value (``natural_key_field``) or its text."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if self.field == "pk":
            return str(value)
        return super().render(value, obj, **kwargs)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number 12 comes as 12.0
    return str(value).strip()


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key named by ``field`` and looked up only among the rows the importing
    user's secretariat may reach: any other value is this column's error."""

    user: Any = None  # set by the resource, per import

    def get_queryset(self, value, row, *args, **kwargs):
        return scope_for_staff(self.model._default_manager.all(), user=self.user)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return super().clean(text, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                gettext("No %(model)s “%(value)s” among those your secretariat may use.")
                % {"model": self.model._meta.verbose_name, "value": text}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                gettext("“%(value)s” names more than one %(model)s.")
                % {"model": self.model._meta.verbose_name, "value": text}
            ) from None


class ScopedManyToManyWidget(widgets.ManyToManyWidget):
    """Several related rows in one cell, separated by ``;`` (names may hold commas), each
    looked up among those the user's secretariat may reach; an unknown one is an error."""

    user: Any = None

    def __init__(self, model, field="pk", **kwargs):
        super().__init__(model, separator=";", field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [part.strip() for part in _text(value).split(self.separator) if part.strip()]
        if not names:
            return self.model._default_manager.none()
        found = scope_for_staff(self.model._default_manager.all(), user=self.user).filter(
            **{f"{self.field}__in": names}
        )
        known = {str(getattr(obj, self.field)) for obj in found}
        missing = [name for name in names if name not in known]
        if missing:
            raise ValueError(
                gettext("No %(model)s “%(value)s” among those your secretariat may use.")
                % {"model": self.model._meta.verbose_name, "value": "”, “".join(missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(str(getattr(related, self.field)) for related in value.all())


class CountryWidget(widgets.CharWidget):
    """A country by its ISO code, whatever its case."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).upper()

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class TextWidget(widgets.CharWidget):
    """Text as typed, without surrounding spaces; an empty cell is an empty string."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)


class FlagWidget(widgets.BooleanWidget):
    """Yes or no: 1/0, true/false, yes/no (any case); an empty cell is no."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).lower()
        if text in ("", "0", "false", "no", "n"):
            return False
        if text in ("1", "true", "yes", "y"):
            return True
        raise ValueError(gettext("Give 1 or 0 (yes or no), not “%(value)s”.") % {"value": text})


def scoped_fk(attribute: str, model: type[models.Model], field: str) -> ie_fields.Field:
    return ie_fields.Field(
        attribute=attribute, column_name=attribute, widget=ScopedForeignKeyWidget(model, field)
    )


def scoped_m2m(attribute: str, model: type[models.Model], field: str) -> ie_fields.Field:
    return ie_fields.Field(
        attribute=attribute, column_name=attribute, widget=ScopedManyToManyWidget(model, field)
    )


class PreviewDiff(resources.Diff):
    """The preview's cells as the library shows them (what a row adds in ``<ins>``, what
    it removes in ``<del>``), every piece of text escaped, and no inline style (the
    Content-Security-Policy forbids them: admin.css colours them)."""

    def as_html(self):
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            old, new = ("" if self.new else str(old)), str(new)
            if old == new:
                cells.append(escape(new))
                continue
            removed = format_html("<del>{}</del>", old) if old else ""
            added = format_html("<ins>{}</ins>", new) if new else ""
            cells.append(format_html("{}{}", removed, added))
        return cells


class PortalResource(resources.ModelResource):
    """The base of the portal's import resources: scoped to the importing user, rows
    validated with ``full_clean``, audit fields and history stamped."""

    # Key columns a file may leave out (every row is then new).
    optional_key_columns: tuple[str, ...] = ()

    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if hasattr(field.widget, "user"):
                field.widget.user = user

    @classmethod
    def get_diff_class(cls):
        return PreviewDiff

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.__class__.__name__ == "CountryField":
            return CountryWidget
        if f.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
            return TextWidget
        if f.get_internal_type() == "BooleanField":
            return FlagWidget
        return super().widget_from_django_field(f, default)

    def get_queryset(self):
        return scope_for_staff(self._meta.model._default_manager.all(), user=self.user)

    def before_import(self, dataset, **kwargs):
        if len(dataset) > IMPORT_MAX_ROWS:
            raise ValueError(
                gettext("The file has %(n)d rows; import at most %(max)d at a time.")
                % {"n": len(dataset), "max": IMPORT_MAX_ROWS}
            )
        if dataset.headers:
            dataset.headers = [_text(header) for header in dataset.headers]
        for name in self.optional_key_columns:
            if name not in (dataset.headers or []):
                dataset.append_col([""] * len(dataset), header=name)

    def get_instance(self, instance_loader, row):
        """The existing row the file's key columns name, among those the user may reach;
        a key naming nothing they may reach is the error of its column."""
        errors = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name not in row:
                return None
            try:
                field.clean(row)
            except (ValueError, KeyError) as exc:
                errors[field.column_name] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        """Each column's error, the many-to-many ones' too (the library checks those only
        when it saves them, after validation)."""
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user") or self.user
        if hasattr(instance, "updated_by_id"):
            if instance.pk is None:
                instance.created_by = user
            instance.updated_by = user
        instance._history_user = user
        file_name = PurePosixPath(kwargs.get("file_name") or "").name
        instance._change_reason = (gettext("Imported from %(file)s") % {"file": file_name})[:100]


def export_resource_for(model: type[models.Model]) -> type[resources.ModelResource]:
    """A list's generic export: every column of the model but ``NOT_EXPORTED`` and the
    files, foreign keys by their natural value; read in one query (``select_related``)."""
    names = []
    related = []
    custom = {}
    for field in model._meta.concrete_fields:
        if field.name in NOT_EXPORTED or isinstance(field, models.FileField):
            continue
        names.append(field.name)
        if field.is_relation:
            related.append(field.name)
            target = field.related_model
            assert isinstance(target, type)  # a concrete field's relation: a model
            custom[field.name] = ie_fields.Field(
                attribute=field.name,
                column_name=field.name,
                widget=NaturalKeyWidget(target, natural_key_field(target) or "pk"),
            )

    class GenericExportResource(resources.ModelResource):
        def filter_export(self, queryset, **kwargs):
            return queryset.select_related(*related)

    return resources.modelresource_factory(
        model,
        resource_class=GenericExportResource,
        meta_options={"fields": names, "export_order": names},
        custom_fields=custom,
    )


FORMATS = [base_formats.CSV, base_formats.XLSX]

_FORMULA_START = ("=", "+", "@", "\t", "\r")


def escape_formula(value):
    """``value`` as a spreadsheet shows it as text: a string that would be run as a
    formula (``=``, ``+``, ``@``, a tab or return, or ``-`` not starting a number) gets a
    leading apostrophe; anything else is returned as it is."""
    if isinstance(value, str) and (
        value.startswith(_FORMULA_START) or (value.startswith("-") and not _is_number(value))
    ):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def escape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """The dataset with text that a spreadsheet would run as a formula (what a member
    typed: "=HYPERLINK(…)") turned into text by a leading apostrophe."""
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append([escape_formula(value) for value in row])
    return escaped


class SpreadsheetExportMixin(ExportMixin, _AdminBase):
    """Export of the list as filtered (search, filters, the user's scope) to CSV or
    Excel, for whoever may view the list."""

    export_form_class = ExportForm  # the library's other form needs inline scripts
    export_formats = FORMATS

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def init_change_list_template(self):
        """The list's own template (``admin/<app>/<model>/change_list.html``), where it has
        one, stays the page the export button is added to."""
        if not getattr(self, "change_list_template", None):
            opts = self.model._meta
            self.change_list_template = select_template(
                [
                    f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                    f"admin/{opts.app_label}/change_list.html",
                    "admin/change_list.html",
                ]
            ).template.name
        super().init_change_list_template()

    def get_export_resource_classes(self, request):
        classes = getattr(self, "export_resource_classes", None) or self.resource_classes
        return list(classes) or [export_resource_for(self.model)]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        return escape_formulae(dataset)

    def export_action(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        changelist = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"
        )
        try:
            queryset = self.get_export_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(f"{changelist}?e=1")
        if request.method == "POST":
            count = queryset.order_by().count()
            if count > EXPORT_MAX_ROWS:
                messages.error(
                    request,
                    gettext(
                        "%(n)d rows are too many to export at once (at most %(max)d): "
                        "narrow the list with its filters or a search."
                    )
                    % {"n": count, "max": EXPORT_MAX_ROWS},
                )
                query = request.GET.urlencode()
                return HttpResponseRedirect(f"{changelist}?{query}" if query else changelist)
        return super().export_action(request)


class ImportFileForm(ImportForm):
    """The library's upload form, with a size limit."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > IMPORT_MAX_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(limit)d MB; split it.") % {"limit": IMPORT_MAX_MB},
                code="too_large",
            )
        return upload


class PreviewStorage(CacheStorage):
    """The checked file, kept in the cache (shared by every web process) until it is
    confirmed, for an hour at most."""

    CACHE_LIFETIME = PREVIEW_SECONDS
    CACHE_PREFIX = "import-preview-"

    def save(self, data):
        self.name = secrets.token_hex(16)
        super().save(data)


def _owner_key(token: str) -> str:
    return f"import-confirm-{token}"


class ZipWithAttachments(base_formats.Format):
    """A ZIP holding one CSV or Excel file and the files its rows name (PDFs), read into
    ``dataset.attachments`` (file name -> bytes) for the resource."""

    MAX_ENTRIES = 500
    MAX_TOTAL_MB = 200

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return "zip"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "zip"

    def get_content_type(self):
        return "application/zip"

    def can_import(self):
        return True

    def can_export(self):
        return False

    def create_dataset(self, in_stream):
        with zipfile.ZipFile(BytesIO(in_stream)) as archive:
            entries = [i for i in archive.infolist() if not i.is_dir()]
            too_big = sum(i.file_size for i in entries) > self.MAX_TOTAL_MB * 1024 * 1024
            if len(entries) > self.MAX_ENTRIES or too_big:
                raise ValueError(
                    gettext("The ZIP holds more than %(n)d files or %(mb)d MB.")
                    % {"n": self.MAX_ENTRIES, "mb": self.MAX_TOTAL_MB}
                )
            tables = [
                i for i in entries if PurePosixPath(i.filename).suffix.lower() in (".csv", ".xlsx")
            ]
            if len(tables) != 1:
                raise ValueError(gettext("The ZIP must hold exactly one CSV or Excel file."))
            table = tables[0]
            data = archive.read(table)
            if table.filename.lower().endswith(".csv"):
                dataset = base_formats.CSV().create_dataset(data.decode("utf-8-sig"))
            else:
                dataset = base_formats.XLSX().create_dataset(data)
            dataset.attachments = {
                PurePosixPath(i.filename).name: archive.read(i) for i in entries if i is not table
            }
        return dataset


class SpreadsheetImportMixin(ImportMixin, _AdminBase):
    """Import from CSV or Excel for staff who may add and change the model's rows.

    The file is checked first (nothing written) and kept for its confirmation under a
    random token bound to the user and the model; confirming claims the token (an atomic
    delete), so a second submit of the same confirmation imports nothing."""

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_form_class = ImportFileForm
    import_template_name = "admin/import_export/portal_import.html"
    import_formats = FORMATS
    tmp_storage_class = PreviewStorage
    import_error_display = ("message",)

    import_zip_help: "StrOrPromise" = ""

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_import_context_data(self, **kwargs):
        return {"import_max_rows": IMPORT_MAX_ROWS, "import_zip_help": self.import_zip_help}

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        kwargs.pop("form", None)
        kwargs.pop("request", None)
        return {**kwargs, "use_transactions": True, "rollback_on_validation_errors": True}

    def _label(self) -> str:
        return self.model._meta.label_lower

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            cache.set(
                _owner_key(initial["import_file_name"]),
                (request.user.pk, self._label()),
                PREVIEW_SECONDS,
            )
        return initial

    def _url(self, name: str) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{name}")

    def process_import(self, request, **kwargs):
        if request.method != "POST":
            return HttpResponseRedirect(self._url("import"))
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        token = confirm_form.data.get("import_file_name", "")
        owner = cache.get(_owner_key(token)) if confirm_form.is_valid() else None
        data = cache.get(PreviewStorage.CACHE_PREFIX + token) if owner else None
        claimed = (
            owner == (request.user.pk, self._label())
            and data is not None
            and cache.delete(_owner_key(token))
        )
        if not claimed:
            messages.warning(
                request,
                gettext(
                    "This import was already confirmed, or its preview has expired: nothing "
                    "more was imported. Upload the file again to check and import it."
                ),
            )
            return HttpResponseRedirect(self._url("import"))
        cache.delete(PreviewStorage.CACHE_PREFIX + token)
        try:
            input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](
                encoding=self.from_encoding
            )
            dataset = input_format.create_dataset(data)
        except (IndexError, ValueError):
            messages.error(request, gettext("The file could not be read again: upload it anew."))
            return HttpResponseRedirect(self._url("import"))
        result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            # The data changed since the preview; the transaction was rolled back.
            messages.error(request, gettext("Nothing was imported: some rows now fail."))
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Import"),
                "opts": self.model._meta,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                "result": result,
                "import_error_display": self.import_error_display,
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return self.process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext(
                "Import finished: %(new)d new, %(changed)d changed, %(same)d unchanged %(model)s."
            )
            % {
                "new": totals["new"],
                "changed": totals["update"],
                "same": totals["skip"],
                "model": self.model._meta.verbose_name_plural,
            },
        )
