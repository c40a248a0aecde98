"""What the API writes of each resource: the fields its public page shows, nothing more
(no contacts, e-mail addresses, phone numbers, notes, review fields or internal ids of
other secretariats' work). Every URL is absolute, from ``SITE_URL``, never from the
request's Host header."""

from typing import Any
from urllib.parse import quote, urlsplit

from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from actionplans.models import ActionPlan, JointStatement, Meeting
from core.urls import absolute_url
from forums.models import Forum
from members.models import Institute
from publications.models import Publication


def absolute(url: str) -> str:
    """``url`` as it is if it names its host (a file on an object store or CDN), else on
    ``SITE_URL``."""
    return url if urlsplit(url).scheme else absolute_url(url)


def api_url(name: str, lookup: Any) -> str:
    return absolute_url(reverse(f"api:{name}-detail", args=[lookup]))


def public_file_url(file: FieldFile | None) -> str | None:
    return absolute(file.url) if file else None


class ForumRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Forum
        fields = ["id", "slug", "name", "name_ru", "short_name"]


class FrameworkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_ru = serializers.CharField()
    short_name = serializers.CharField()
    website = serializers.CharField()


class SecretariatSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_ru = serializers.CharField()


class ForumSerializer(serializers.ModelSerializer):
    framework = FrameworkSerializer()
    secretariat = SecretariatSerializer()
    member_count = serializers.IntegerField(help_text="Admitted member institutes.")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Forum
        fields = [
            "id",
            "slug",
            "name",
            "name_ru",
            "short_name",
            "short_name_ru",
            "framework",
            "secretariat",
            "description",
            "description_source",
            "founded_on",
            "founding_document",
            "cadence",
            "hosting_principle",
            "admission_rule",
            "orientation",
            "website",
            "member_count",
            "url",
            "web_url",
        ]

    def get_url(self, forum: Forum) -> str:
        return api_url("forum", forum.slug)

    def get_web_url(self, forum: Forum) -> str:
        return absolute_url(reverse("forums:detail", kwargs={"slug": forum.slug}))


class InstituteRefSerializer(CountryFieldMixin, serializers.ModelSerializer):
    class Meta:
        model = Institute
        fields = ["id", "slug", "name", "short_name", "country"]


class MembershipSerializer(serializers.Serializer):
    forum = ForumRefSerializer()
    is_founding_member = serializers.BooleanField()
    decided_on = serializers.DateField(
        allow_null=True, help_text="The date of admission, where it is known."
    )


class InstituteSerializer(CountryFieldMixin, serializers.ModelSerializer):
    memberships = MembershipSerializer(
        many=True, source="public_memberships", help_text="Admitted memberships only."
    )
    logo_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Institute
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "country",
            "kind",
            "parent_authority",
            "description",
            "website",
            "logo_url",
            "memberships",
            "url",
            "web_url",
        ]

    def get_logo_url(self, institute: Institute) -> str | None:
        return public_file_url(institute.public_logo)

    def get_url(self, institute: Institute) -> str:
        return api_url("institute", institute.slug)

    def get_web_url(self, institute: Institute) -> str:
        return absolute_url(reverse("members:institute_detail", kwargs={"slug": institute.slug}))


class MeetingSerializer(CountryFieldMixin, serializers.ModelSerializer):
    forum = ForumRefSerializer()
    host_institute = serializers.SerializerMethodField()
    is_tentative = serializers.BooleanField(
        help_text="Known only by a window of dates (window_start to window_end)."
    )
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "status",
            "theme",
            "forum",
            "place",
            "host_country",
            "host_institute",
            "starts_on",
            "ends_on",
            "window_start",
            "window_end",
            "is_tentative",
            "url",
            "web_url",
        ]

    def get_host_institute(self, meeting: Meeting) -> str | None:
        """The host institute's name, as the meeting's card shows it."""
        return meeting.host_institute.name if meeting.host_institute else None

    def get_url(self, meeting: Meeting) -> str:
        return api_url("meeting", meeting.slug)

    def get_web_url(self, meeting: Meeting) -> str:
        path = reverse("forums:meetings", kwargs={"slug": meeting.forum.slug})
        return absolute_url(f"{path}#meeting-{meeting.slug}")


class _DocumentSerializer(serializers.ModelSerializer):
    forum = ForumRefSerializer()
    kind = serializers.CharField(
        source="category_slug", help_text="The kind of document (its slug in the register)."
    )
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Its original language, then its versions'."
    )
    pdf_url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    def get_pdf_url(self, document: ActionPlan | JointStatement) -> str | None:
        """The current PDF's public copy, where the register offers one."""
        if not document.has_current_pdf:
            return None
        return public_file_url(document.public_pdf)

    def get_web_url(self, document: ActionPlan | JointStatement) -> str:
        return absolute_url(document.get_absolute_url())


class ActionPlanSerializer(_DocumentSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "document_symbol",
            "kind",
            "forum",
            "year",
            "language",
            "languages",
            "adopting_body",
            "adopted_at",
            "adopted_on",
            "heading_en",
            "heading_ru",
            "preamble",
            "source",
            "pdf_url",
            "url",
            "web_url",
        ]

    def get_url(self, plan: ActionPlan) -> str:
        return api_url("action-plan", plan.pk)


class SignatureSerializer(serializers.Serializer):
    name = serializers.CharField(source="institute.name")
    country = serializers.CharField(source="institute.country")


class JointStatementSerializer(_DocumentSerializer):
    meeting = serializers.SerializerMethodField()
    participating_institutions = SignatureSerializer(many=True, source="signature_list")
    url = serializers.SerializerMethodField()

    class Meta:
        model = JointStatement
        fields = [
            "id",
            "slug",
            "title",
            "document_symbol",
            "kind",
            "forum",
            "meeting",
            "place",
            "adopted_on",
            "published_on",
            "language",
            "languages",
            "source",
            "text",
            "participating_institutions",
            "pdf_url",
            "url",
            "web_url",
        ]

    def get_meeting(self, statement: JointStatement) -> str | None:
        """The title of the meeting that adopted it."""
        return statement.meeting.title if statement.meeting else None

    def get_url(self, statement: JointStatement) -> str:
        return api_url("joint-statement", statement.slug)


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    name_ru = serializers.CharField()


class PublicationSerializer(serializers.ModelSerializer):
    authors = serializers.ListField(child=serializers.CharField(), source="author_list")
    forum = ForumRefSerializer()
    institutes = InstituteRefSerializer(many=True)
    themes = ThemeSerializer(many=True)
    link = serializers.CharField(source="url", help_text="The publisher's page, if any.")
    doi_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "slug",
            "title",
            "subtitle",
            "authors",
            "kind",
            "language",
            "published_on",
            "container_title",
            "publisher",
            "abstract",
            "keywords",
            "forum",
            "institutes",
            "themes",
            "doi",
            "doi_url",
            "isbn",
            "link",
            "pdf_url",
            "url",
            "web_url",
        ]

    def get_doi_url(self, publication: Publication) -> str | None:
        return f"https://doi.org/{quote(publication.doi, safe='/')}" if publication.doi else None

    def get_pdf_url(self, publication: Publication) -> str | None:
        """The PDF's stable address on the site (it sends the reader to the file)."""
        if not publication.public_file:
            return None
        return absolute_url(reverse("publications:download", kwargs={"slug": publication.slug}))

    def get_url(self, publication: Publication) -> str:
        return api_url("publication", publication.slug)

    def get_web_url(self, publication: Publication) -> str:
        return absolute_url(publication.get_absolute_url())
