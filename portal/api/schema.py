"""How the OpenAPI schema describes what every view of a kind shares."""

from drf_spectacular.openapi import AutoSchema

from portal.api.responses import errors


class PortalAutoSchema(AutoSchema):
    def _get_parameters(self):
        """An optional query parameter sent empty (``?status=``) counts as not sent: DRF's
        serializers and ``portal.api.pagination`` read it so, and the schema says so."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        """A paginated list also answers 400 for a bad ``page_size`` and 404 for a page that is
        not there (``portal.api.pagination``), whatever else its view documents.

        Done here because ``extend_schema(responses=...)`` replaces the response serializers
        wholesale."""
        bodies = super()._get_response_bodies(direction)
        if self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            for code, answer in errors(400, 404).items():
                if str(code) not in bodies:
                    bodies[str(code)] = self._get_response_for_code(
                        answer, str(code), direction=direction
                    )
        return bodies
