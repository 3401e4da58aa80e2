"""The OpenAPI schema states every error an operation can answer, and which operations need no login.

Errors are derived from what the operation is, not written by hand on each view:
400 where there is a body or a query to refuse; 401 where a token is read (a wrong one is refused even on
public reads); 403 where a rule may refuse, and on writes that a session cookie may make without a CSRF token;
404 where the path names an object or a list is paged; 415 where a body is parsed; 429 where a throttle
applies. Operations add their own (409, a 404 for an object named in the query) with @extend_schema.
An operation that reads no credentials at all (the public registration) says so with `security: []`.

`nullable_with_type` rewrites what drf-spectacular writes for nullable references, enums and the
number-or-text money fields (`nullable` beside `oneOf`/`allOf` and no `type`, which OpenAPI 3.0.3 says has no
effect) into an `anyOf` with an explicit null branch, so every linter and validator reads null as allowed.
"""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular import openapi
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny

from projectoffice.api.serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "Запрос не прошёл проверку",
    401: "Нет токена или он неверен",
    403: "Недостаточно прав",
    404: "Объект или страница не найдены",
    409: "Конфликт с текущим состоянием объекта",
    415: "Неподдерживаемый тип содержимого",
    429: "Слишком много запросов",
}


def allows_anonymous(view: Any, method: str) -> bool:
    """Whether every permission of the view lets an anonymous visitor use `method`."""
    for permission in view.get_permissions():
        anonymous_methods = getattr(permission, "anonymous_methods", None)
        if anonymous_methods is None:
            if not isinstance(permission, AllowAny):
                return False
        elif method not in anonymous_methods:
            return False
    return True


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and "security" not in operation:
            operation["security"] = []  # no credentials are read: stated, not left to a global default
        return operation

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if auths and {} not in auths and allows_anonymous(self.view, self.method):
            auths.append({})
        return auths

    def error_statuses(self) -> set[int]:
        statuses: set[int] = set()
        authenticators = self.view.get_authenticators()
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if has_body or has_query:
            statuses.add(400)
        if authenticators:
            statuses.add(401)
        csrf = self.method not in SAFE_METHODS and any(isinstance(a, SessionAuthentication) for a in authenticators)
        if csrf or not allows_anonymous(self.view, self.method):
            statuses.add(403)
        paged = self._is_list_view() and self._get_paginator() is not None
        if "{" in self.path or paged:
            statuses.add(404)
        if has_body and self.get_request_serializer() is not None:
            statuses.add(415)
        if self.view.get_throttles():
            statuses.add(429)
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            if str(status) not in responses:
                response = self._get_response_for_code(ErrorSerializer, str(status), direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[status]
                responses[str(status)] = response
        return responses


NULL_ONLY = {"type": "string", "nullable": True, "enum": [None]}
COMBINERS = ("oneOf", "anyOf", "allOf")


def _is_null_enum(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("$ref", "").endswith("/NullEnum")


def _typed_nullable(schema: dict[str, Any]) -> None:
    """`nullable` without `type` → `anyOf` of the non-null branches and an explicit null branch."""
    branches: list[Any] = []
    for combiner in COMBINERS:
        branches += [b for b in schema.pop(combiner, []) if not _is_null_enum(b)]
    schema.pop("nullable")
    if branches:
        schema["anyOf"] = [*branches, dict(NULL_ONLY)]
    else:  # free JSON (a frozen report's snapshot): an object or null
        schema.update({"type": "object", "additionalProperties": {}, "nullable": True})


def _walk(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("nullable") and "type" not in node:
            _typed_nullable(node)
        for value in node.values():
            _walk(value)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def nullable_with_type(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (config/settings.py SPECTACULAR_SETTINGS)."""
    _walk(result)
    schemas = result.get("components", {}).get("schemas", {})
    if "NullEnum" in schemas and "/NullEnum" not in json.dumps(result, default=str):
        del schemas["NullEnum"]
    return result
