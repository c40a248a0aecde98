"""Institutes, contacts, focal points and memberships as staff import and export them
(CSV or Excel, ``core.spreadsheets``): related rows by name, never by id, and only those
the importing user's secretariat may reach."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export import fields

from core.slugs import unique_slug
from core.spreadsheets import PortalResource, ScopedForeignKeyWidget, scoped_fk
from forums.models import Forum
from members.enums import MembershipStatus
from members.models import Contact, FocalPoint, Institute, Membership
from members.rules import may_reroute_contact
from members.services import membership_save


class InstituteResource(PortalResource):
    """An institute is named by its full name; its slug is made from the name when the
    file leaves it empty."""

    class Meta(PortalResource.Meta):
        model = Institute
        import_id_fields = ("name",)
        fields = (
            "name",
            "short_name",
            "slug",
            "country",
            "kind",
            "parent_authority",
            "description",
            "website",
            "email",
            "phone",
            "address",
        )
        export_order = fields

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.slug and instance.name:
                instance.slug = unique_slug(
                    Institute, instance.name, max_length=110, fallback="institute"
                )


class ContactResource(PortalResource):
    """A contact is named by its institute and e-mail (a contact without an address is
    always new). Whether it is active decides where circulations go: it changes only for
    staff who run every forum the contact is a focal point of, as in the admin."""

    institute = scoped_fk("institute", Institute, "name")

    class Meta(PortalResource.Meta):
        model = Contact
        import_id_fields = ("institute", "email")
        fields = ("institute", "honorific", "full_name", "position", "email", "phone", "is_active")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("institute")

    def get_instance(self, instance_loader, row):
        if not str(row.get("email") or "").strip():
            try:
                self.fields["institute"].clean(row)
            except ValueError as exc:
                raise ValidationError({"institute": str(exc)}) from None
            return None
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        was_active = instance.is_active if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if (
            instance.pk
            and was_active != instance.is_active
            and not may_reroute_contact(self.user, Contact.objects.get(pk=instance.pk))
        ):
            raise ValidationError(
                {
                    "is_active": gettext(
                        "This contact is the focal point of another secretariat's forum: "
                        "only its secretariat may change this."
                    )
                }
            )


class ContactByEmailWidget(ScopedForeignKeyWidget):
    """A contact named by its e-mail among the contacts of the row's institute."""

    def get_queryset(self, value, row, *args, **kwargs):
        return super().get_queryset(value, row).filter(institute__name=(row or {}).get("institute"))


class FocalPointResource(PortalResource):
    """A focal point: the contact (its e-mail, at the institute of the ``institute``
    column) and the forum (its slug)."""

    contact = fields.Field(
        attribute="contact", column_name="contact", widget=ContactByEmailWidget(Contact, "email")
    )
    institute = fields.Field(column_name="institute", readonly=True)
    forum = scoped_fk("forum", Forum, "slug")

    class Meta(PortalResource.Meta):
        model = FocalPoint
        import_id_fields = ("contact", "forum")
        fields = ("contact", "institute", "forum", "since")
        export_order = ("institute", "contact", "forum", "since")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("contact__institute", "forum")

    def dehydrate_institute(self, focal_point):
        return focal_point.contact.institute.name


class MembershipResource(PortalResource):
    """A membership: institute (its name) and forum (its slug). A new one starts
    recommended or admitted (a founding member), as on the admin's page; an existing one
    keeps its status, which changes only by a decision (the list's actions). Saved through
    ``membership_save``, which starts its status history."""

    institute = scoped_fk("institute", Institute, "name")
    forum = scoped_fk("forum", Forum, "slug")
    recommended_by = scoped_fk("recommended_by", Institute, "name")

    class Meta(PortalResource.Meta):
        model = Membership
        import_id_fields = ("institute", "forum")
        fields = (
            "institute",
            "forum",
            "status",
            "is_founding_member",
            "recommended_by",
            "decided_on",
            "decision",
            "notes",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("institute", "forum", "recommended_by")

    def import_instance(self, instance, row, **kwargs):
        status = instance.status if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if status is None:
            instance.status = instance.status or MembershipStatus.RECOMMENDED
            if instance.status not in Membership.workflow.initial:
                raise ValidationError(
                    {
                        "status": gettext(
                            "A new membership starts recommended, or admitted (a founding member)."
                        )
                    }
                )
        elif instance.status != status:
            raise ValidationError(
                {
                    "status": gettext(
                        "A membership's status changes only by a decision (the actions of "
                        "the memberships' list)."
                    )
                }
            )

    def do_instance_save(self, instance, is_create):
        membership_save(membership=instance, by=self.user)
