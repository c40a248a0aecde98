"""Publications as staff import and export them (``core.spreadsheets``): CSV or Excel, or
a ZIP holding the CSV or Excel file and the PDFs its ``file`` column names. Imported
publications start submitted, like any other, and are approved in the list."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields

from core.files import save_with_file
from core.slugs import unique_slug
from core.spreadsheets import PortalResource, scoped_fk, scoped_m2m
from forums.models import Forum, Theme
from members.models import Institute
from publications.models import Publication
from publications.services import catalogue_index, publication_file_changed
from publications.validators import read_pdf_upload

ZIP_HELP = _(
    "To attach PDFs, upload a ZIP holding the CSV or Excel file and the PDFs, each named "
    "in the “file” column of its row. Each PDF is checked as an upload on the publication's "
    "page is."
)


class PublicationResource(PortalResource):
    """A publication is named by its slug; a row without one is a new publication, its
    slug made from the title. Its status is shown, never imported (it changes only by the
    list's actions)."""

    forum = scoped_fk("forum", Forum, "slug")
    institutes = scoped_m2m("institutes", Institute, "name")
    themes = scoped_m2m("themes", Theme, "slug")
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    file = fields.Field(column_name="file", readonly=True)

    optional_key_columns = ("slug",)

    class Meta(PortalResource.Meta):
        model = Publication
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "subtitle",
            "authors",
            "forum",
            "institutes",
            "kind",
            "language",
            "published_on",
            "container_title",
            "publisher",
            "abstract",
            "keywords",
            "themes",
            "url",
            "doi",
            "isbn",
            "status",
            "file",
        )
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.attachments: dict[str, bytes] = {}

    def filter_export(self, queryset, **kwargs):
        return (
            queryset.select_related("forum")
            .prefetch_related("institutes", "themes")
            .defer("extracted_text", "search_vector", "search_head")
        )

    def dehydrate_file(self, publication):
        return f"{publication.slug}.pdf" if publication.file else ""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.attachments = getattr(dataset, "attachments", {})

    def get_instance(self, instance_loader, row):
        if not str(row.get("slug") or "").strip():
            return None
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "institutes" not in errors and not str(row.get("institutes") or "").strip():
            errors["institutes"] = [gettext("Name at least one institute.")]
        name = str(row.get("file") or "").strip()
        if name:
            data = self.attachments.get(name)
            if data is None:
                errors["file"] = [gettext("The ZIP holds no file “%(name)s”.") % {"name": name}]
            else:
                try:
                    read_pdf_upload(ContentFile(data, name=name))
                except ValidationError as exc:
                    errors["file"] = exc.messages
                else:
                    instance._import_pdf = data
        if not instance.slug and instance.title:
            instance.slug = unique_slug(
                Publication, instance.title, max_length=140, fallback="publication"
            )
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if getattr(instance, "_import_pdf", None) is not None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """The PDF is stored only by the real import, never by the preview (files are not
        rolled back with the transaction)."""
        self.before_save_instance(instance, row, **kwargs)
        pdf = getattr(instance, "_import_pdf", None)
        if pdf is not None and not kwargs.get("dry_run"):
            old_name = "" if is_create else instance.file.name
            save_with_file(
                instance, "file", ContentFile(pdf, name=f"{instance.slug}.pdf"), old_name=old_name
            )
        else:
            instance.save()
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if kwargs.get("dry_run"):
            return
        catalogue_index(publications=[instance])
        if getattr(instance, "_import_pdf", None) is not None:
            publication_file_changed(publication=instance)
