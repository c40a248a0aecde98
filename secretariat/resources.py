"""What a circulation's deliveries and answers export as (CSV or Excel,
``core.spreadsheets``): whom it went to, how the sending went, and what they answered.
Read-only: deliveries and answers are written by the circulation's services alone."""

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.text import slugify
from import_export import fields, resources

from core.spreadsheets import FORMATS, escape_formulae
from secretariat.models import Answer, Delivery

if TYPE_CHECKING:
    _AdminBase = Any
else:
    _AdminBase = object


def _name(obj) -> str:
    return obj.name if obj is not None else ""


class DeliveryResource(resources.ModelResource):
    circulation = fields.Field(attribute="circulation__subject", column_name="circulation")
    institute = fields.Field(column_name="institute")
    status = fields.Field(column_name="status")

    class Meta:
        model = Delivery
        fields = (
            "circulation",
            "name",
            "organisation",
            "institute",
            "email",
            "status",
            "attempts",
            "sent_at",
            "last_error",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("circulation", "institute")

    def dehydrate_institute(self, delivery):
        return _name(delivery.institute)

    def dehydrate_status(self, delivery):
        return str(delivery.get_status_display())


class AnswerResource(resources.ModelResource):
    circulation = fields.Field(
        attribute="delivery__circulation__subject", column_name="circulation"
    )
    name = fields.Field(attribute="delivery__name", column_name="name")
    organisation = fields.Field(attribute="delivery__organisation", column_name="organisation")
    institute = fields.Field(column_name="institute")
    email = fields.Field(attribute="delivery__email", column_name="email")
    attendance = fields.Field(column_name="attendance")
    channel = fields.Field(column_name="channel")
    answered_at = fields.Field(attribute="updated_at", column_name="answered_at")

    class Meta:
        model = Answer
        fields = (
            "circulation",
            "name",
            "organisation",
            "institute",
            "email",
            "attendance",
            "attendees",
            "remarks",
            "channel",
            "answered_at",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("delivery__circulation", "delivery__institute")

    def dehydrate_institute(self, answer):
        return _name(answer.delivery.institute)

    def dehydrate_attendance(self, answer):
        return str(answer.get_attendance_display())

    def dehydrate_channel(self, answer):
        return str(answer.get_channel_display())


CIRCULATION_EXPORTS: dict[str, tuple[type[resources.ModelResource], str]] = {
    "deliveries": (DeliveryResource, "circulation"),
    "answers": (AnswerResource, "delivery__circulation"),
}


class CirculationExportMixin(_AdminBase):
    """``<circulation>/export/<deliveries|answers>/<csv|xlsx>/`` on the circulation's
    admin page: its deliveries or answers as a file, for staff who may view it (found
    through the scoped ``get_object``, so another secretariat's is not found)."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/export/<str:what>/<str:extension>/",
                self.admin_site.admin_view(self.circulation_export_view),
                name="secretariat_circulation_export",
            ),
            *super().get_urls(),
        ]

    def circulation_export_view(self, request, object_id, what, extension):
        circulation = self.get_object(request, object_id)
        formats = {f().get_extension(): f() for f in FORMATS}
        if (
            what not in CIRCULATION_EXPORTS
            or extension not in formats
            or not self.has_view_permission(request, circulation)
        ):
            raise Http404
        resource_class, lookup = CIRCULATION_EXPORTS[what]
        queryset = resource_class._meta.model.objects.filter(**{lookup: circulation}).order_by("pk")
        file_format = formats[extension]
        dataset = escape_formulae(resource_class().export(queryset))
        response = HttpResponse(
            file_format.export_data(dataset), content_type=file_format.get_content_type()
        )
        name = slugify(circulation.subject)[:60] or "circulation"
        response["Content-Disposition"] = f'attachment; filename="{name}-{what}.{extension}"'
        return response
