"""The OpenAPI document passes the linters that clients use, and says the truth about who may call what.

openapi-spec-validator checks it against the OpenAPI 3.0 meta-schema here; Redocly's recommended rules run over
the same document in CI (`.ci/openapi-lint.sh`). The rules that caught real defects are checked here too, so a
change that breaks them fails without Node: a `nullable` beside no `type` (OpenAPI 3.0.3 says it has no effect),
an operation without a `security` entry, a server list that is missing, a Content-Disposition encoded whole as
RFC 2047.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from projectoffice.api.schema import nullable_with_type
from tests.events.factories import EventFactory
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def _schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _untyped_nullables(node: Any, path: str = "#") -> list[str]:
    if isinstance(node, list):
        return [found for i, item in enumerate(node) for found in _untyped_nullables(item, f"{path}/{i}")]
    if not isinstance(node, dict):
        return []
    here = [path] if node.get("nullable") and "type" not in node else []
    return here + [found for key, value in node.items() for found in _untyped_nullables(value, f"{path}/{key}")]


def test_the_document_passes_openapi_spec_validator() -> None:
    validate(_schema())


def test_openapi_spec_validator_refuses_a_broken_document() -> None:
    """The validator is not a rubber stamp: a response without its description is refused."""
    schema = _schema()
    operation = schema["paths"]["/api/v1/events"]["get"]
    del operation["responses"]["200"]["description"]
    with pytest.raises(OpenAPIValidationError):
        validate(schema)


def test_no_nullable_stands_without_a_type() -> None:
    assert _untyped_nullables(_schema()) == []


def test_nullable_references_enums_and_money_become_an_explicit_null_branch() -> None:
    result = {
        "components": {
            "schemas": {
                "NullEnum": {"enum": [None]},
                "A": {
                    "properties": {
                        "kind": {
                            "nullable": True,
                            "oneOf": [{"$ref": "#/x/Kind"}, {"$ref": "#/components/schemas/NullEnum"}],
                        },
                        "tender": {"nullable": True, "readOnly": True, "allOf": [{"$ref": "#/x/Tender"}]},
                        "money": {"nullable": True, "oneOf": [{"type": "string"}, {"type": "number"}]},
                        "snapshot": {"nullable": True},
                        "plain": {"type": "integer", "nullable": True},
                    }
                },
            }
        }
    }
    props = nullable_with_type(result, None, None, True)["components"]["schemas"]["A"]["properties"]
    null = {"type": "string", "nullable": True, "enum": [None]}
    assert props["kind"] == {"anyOf": [{"$ref": "#/x/Kind"}, null]}
    assert props["tender"] == {"readOnly": True, "anyOf": [{"$ref": "#/x/Tender"}, null]}
    assert props["money"] == {"anyOf": [{"type": "string"}, {"type": "number"}, null]}
    assert props["snapshot"] == {"type": "object", "additionalProperties": {}, "nullable": True}
    assert props["plain"] == {"type": "integer", "nullable": True}
    assert "NullEnum" not in result["components"]["schemas"]


def test_every_operation_states_its_security_and_the_document_its_server() -> None:
    schema = _schema()
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS and "security" not in operation
    ]
    assert missing == []
    assert schema["servers"] == [{"url": "/", "description": "Этот сайт"}]


def test_the_public_registration_reads_no_credentials_and_says_so() -> None:
    operation = _schema()["paths"]["/api/v1/events/{slug}/register"]["post"]
    assert operation["security"] == []
    assert "401" not in operation["responses"] and "403" not in operation["responses"]


def test_public_reads_of_one_object_answer_without_a_token_as_the_schema_says() -> None:
    schema = _schema()
    event = EventFactory()
    opportunity = OpportunityFactory()
    for path, url in [
        ("/api/v1/events/{slug}", f"/api/v1/events/{event.slug}"),
        ("/api/v1/opportunities/{id}", f"/api/v1/opportunities/{opportunity.pk}"),
        ("/api/v1/events", "/api/v1/events"),
        ("/api/v1/opportunities", "/api/v1/opportunities"),
    ]:
        assert Client().get(url).status_code == 200, url
        security = schema["paths"][path]["get"]["security"]
        assert {} in security and {"bearerAuth": []} in security, path  # a token is optional, not required


def test_the_documents_content_disposition_is_plain_ascii() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response["Content-Disposition"] == 'inline; filename="openapi.json"'
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"


def test_the_package_operation_documents_each_media_type_it_sends() -> None:
    responses = _schema()["paths"]["/api/v1/applications/{id}/package"]["get"]["responses"]
    assert set(responses["200"]["content"]) == {
        "application/pdf",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
