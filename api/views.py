"""The public, read-only JSON API (docs/adr/0023-public-api.md): the resources the
public site shows, read through the site's own selectors, in keyset pages."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.filters import InstituteFilter, MeetingFilter
from api.pagination import Key, KeysetOrder, parse_date, parse_int, parse_text
from api.schema import Detail, Reasons
from api.serializers import (
    ActionPlanSerializer,
    ForumSerializer,
    InstituteSerializer,
    JointStatementSerializer,
    MeetingSerializer,
    PublicationSerializer,
)
from core.urls import absolute_url
from publications.enums import Language, PublicationKind
from publications.filters import MAX_QUERY_LENGTH, MAX_VALUES, CatalogueFilter

SLUG = r"[-a-zA-Z0-9_]{1,160}"
ID = r"[0-9]{1,18}"
BY_ID = Key("id", parse_int)


class InDefaultLanguage:
    """Answers in the portal's default language whatever the client's Accept-Language,
    so that every link in the answer is the one canonical address of its page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PublicViewSet(InDefaultLanguage, viewsets.ReadOnlyModelViewSet):
    """A read-only resource: a list in keyset pages and one row by its slug."""

    lookup_field = "slug"
    lookup_value_regex = SLUG
    keyset: KeysetOrder


class ForumViewSet(PublicViewSet):
    """Every forum, by name."""

    serializer_class = ForumSerializer
    keyset = KeysetOrder([Key("name", parse_text), BY_ID])

    def get_queryset(self):
        return selectors.api_forums()


class InstituteViewSet(PublicViewSet):
    """The institutes the public site shows (an admitted member of a forum, or an author
    of an approved publication), by name: their public profile only."""

    serializer_class = InstituteSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InstituteFilter
    keyset = KeysetOrder([Key("name", parse_text), BY_ID])

    def get_queryset(self):
        return selectors.api_institutes()


class MeetingViewSet(PublicViewSet):
    """The meetings the public site lists (planned, postponed and held; never
    cancelled), latest first; those still without a date first."""

    serializer_class = MeetingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeetingFilter
    keyset = KeysetOrder([Key("sort_date", parse_date), BY_ID], descending=True)

    def get_queryset(self):
        return selectors.api_meetings()


class ActionPlanViewSet(PublicViewSet):
    """Adopted action plans (the register of official documents), latest adopted first."""

    serializer_class = ActionPlanSerializer
    lookup_field = "pk"
    lookup_value_regex = ID
    keyset = KeysetOrder([Key("adopted_on", parse_date), BY_ID], descending=True)

    def get_queryset(self):
        return selectors.api_action_plans()


class JointStatementViewSet(PublicViewSet):
    """Published joint statements (the register of official documents), newest first."""

    serializer_class = JointStatementSerializer
    keyset = KeysetOrder([Key("adopted_on", parse_date), BY_ID], descending=True)

    def get_queryset(self):
        return selectors.api_joint_statements()


def _repeated(name: str, items: dict[str, Any], description: str) -> OpenApiParameter:
    """A facet parameter as the catalogue takes it: repeated, at most MAX_VALUES times."""
    return OpenApiParameter(
        name,
        {"type": "array", "items": items, "maxItems": MAX_VALUES},
        explode=True,
        style="form",
        description=description,
    )


ID_ITEMS = {"type": "integer", "minimum": 0, "maximum": 999_999_999_999}
YEAR = {"type": "integer", "minimum": 1900, "maximum": 2100}
CATALOGUE_PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        description="Words of the title, authors, keywords, abstract or text (all required; "
        "the last may be the start of a word), as the catalogue's search.",
    ),
    _repeated("forum", ID_ITEMS, "Forum ids."),
    _repeated("institute", ID_ITEMS, "Institute ids."),
    _repeated("theme", ID_ITEMS, "Theme ids."),
    _repeated(
        "country",
        {"type": "string", "enum": [code for code, _name in countries]},
        "Countries of its institutes (ISO 3166 codes).",
    ),
    _repeated("kind", {"type": "string", "enum": PublicationKind.values}, "Kinds."),
    _repeated("language", {"type": "string", "enum": Language.values}, "Languages."),
    _repeated("year", YEAR, "Years of publication."),
    OpenApiParameter("year_min", YEAR, description="Published in this year or later."),
    OpenApiParameter("year_max", YEAR, description="Published in this year or earlier."),
]


# The catalogue's own filters take these (described here: its custom fields tell no
# types to the schema generator).
@extend_schema_view(list=extend_schema(parameters=CATALOGUE_PARAMETERS, filters=False))
class PublicationViewSet(PublicViewSet):
    """The catalogue: approved publications only, newest first, with the catalogue's
    own filters and search (``q``, ``forum``, ``institute``, ``country``, ``kind``,
    ``theme``, ``language``, ``year``, ``year_min``, ``year_max``; facet parameters
    repeat: ``theme=3&theme=7``)."""

    serializer_class = PublicationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CatalogueFilter
    keyset = KeysetOrder([Key("published_on", parse_date), BY_ID], descending=True)

    def get_queryset(self):
        return selectors.api_publications()


RESOURCES = {
    "forums": "forum",
    "institutes": "institute",
    "meetings": "meeting",
    "action-plans": "action-plan",
    "joint-statements": "joint-statement",
    "publications": "publication",
}


class IndexView(InDefaultLanguage, APIView):
    """Where everything is: each resource's list, the schema and its interactive docs."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "Index",
                {
                    "resources": serializers.DictField(child=serializers.URLField()),
                    "schema": serializers.URLField(),
                    "docs": serializers.URLField(),
                },
            ),
            400: Reasons,
            429: Detail,
        }
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "resources": {
                    name: absolute_url(reverse(f"api:{basename}-list"))
                    for name, basename in RESOURCES.items()
                },
                "schema": absolute_url(reverse("api:schema")),
                "docs": absolute_url(reverse("api:docs")),
            }
        )


@api_view(["GET", "HEAD"])
@schema(None)
def not_found(request: Request, path: str = "") -> Response:
    """Any other address under /api/: a JSON 404, as the API's own are."""
    raise NotFound


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), its start-up
    script a separate request: the page runs under the site's Content-Security-Policy,
    which allows no inline script or style."""

    template_name = "api/swagger_ui.html"
    template_name_js = "api/swagger_ui.js"
    url_name = "api:schema"
