"""Meetings as staff import and export them (CSV or Excel, ``core.spreadsheets``): the
forum by its slug, the host institute and participants by their full names, themes by
their slugs, only among what the importing user's secretariat may reach."""

from django.core.exceptions import ValidationError

from actionplans.forms import host_rotation_error
from actionplans.models import Meeting
from core.slugs import unique_slug
from core.spreadsheets import PortalResource, scoped_fk, scoped_m2m
from forums.models import Forum, Theme
from members.models import Institute


class MeetingResource(PortalResource):
    """A meeting is named by its slug; a row without one is a new meeting, its slug made
    from the title. The host is held to the forum's host rotation as on the admin's page
    (``host_rotation_error``)."""

    forum = scoped_fk("forum", Forum, "slug")
    host_institute = scoped_fk("host_institute", Institute, "name")
    participants = scoped_m2m("participants", Institute, "name")
    themes = scoped_m2m("themes", Theme, "slug")

    optional_key_columns = ("slug",)

    class Meta(PortalResource.Meta):
        model = Meeting
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "forum",
            "kind",
            "ordinal",
            "title",
            "status",
            "theme",
            "themes",
            "host_country",
            "host_institute",
            "host_rotation_override_reason",
            "place",
            "starts_on",
            "ends_on",
            "window_start",
            "window_end",
            "participants",
            "description",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("forum", "host_institute").prefetch_related(
            "participants", "themes"
        )

    def get_instance(self, instance_loader, row):
        if not str(row.get("slug") or "").strip():
            return None
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.slug and instance.title:
                instance.slug = unique_slug(
                    Meeting, instance.title, max_length=130, fallback="meeting"
                )
        if instance.forum_id and instance.host_country:
            error = host_rotation_error(
                meeting=instance, reason=instance.host_rotation_override_reason
            )
            if error:
                raise ValidationError({"host_rotation_override_reason": error})
