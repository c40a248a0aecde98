"""The OpenAPI description of every operation's answers, the errors included: a list
answers 400 to a parameter it refuses (the reasons by parameter), a single row 404 when
there is no such public row, and any operation 429 over the rate limit."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

Detail = inline_serializer("Detail", {"detail": serializers.CharField()})
Reasons = inline_serializer(
    "Reasons",
    {
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


class PublicApiSchema(AutoSchema):
    def get_response_serializers(self) -> Any:
        found = super().get_response_serializers()
        if isinstance(found, dict):
            return found
        responses: dict[int, Any] = {200: found, 429: Detail}
        if self._is_list_view(found):
            responses[400] = Reasons
        else:
            responses[404] = Detail
        return responses
