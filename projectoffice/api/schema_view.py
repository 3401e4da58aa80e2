"""The view that serves the OpenAPI document (apart from schema.py, which the schema generator imports)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularJSONAPIView


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI document; its file name is plain ASCII, so Content-Disposition needs no encoding."""

    def _get_filename(self, request: Any, version: Any) -> str:
        return "openapi.json"
