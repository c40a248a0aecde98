"""The OpenAPI description of every operation's answers, the errors included: 400 for a
request refused (the reasons by parameter, or in ``detail``), 404 when there is no such
public row, 429 over the rate limit."""

from typing import Any

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

Detail = inline_serializer("Detail", {"detail": serializers.CharField()})
Reasons = inline_serializer(
    "Reasons",
    {
        "detail": serializers.CharField(required=False),
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


class PublicApiSchema(AutoSchema):
    def get_response_serializers(self) -> Any:
        found = super().get_response_serializers()
        if isinstance(found, dict):
            return found
        responses: dict[int, Any] = {200: found, 400: Reasons, 429: Detail}
        if not self._is_list_view(found):
            responses[404] = Detail
        return responses


def servers_from_site_url(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """The one server is the portal at ``SITE_URL`` (read as the schema is made, not
    as the settings were loaded), never the host a request named."""
    result["servers"] = [{"url": settings.SITE_URL.rstrip("/")}]
    return result
