import pytest
from django.test import Client
from django.urls import get_resolver
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid_and_lists_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    paths = set(schema["paths"])
    for expected in [
        "/api/v1/auth/token",
        "/api/v1/organisations",
        "/api/v1/organisations/{id}",
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/move",
        "/api/v1/projects/{id}/stage-moves",
        "/api/v1/classifiers/okved2",
        "/api/v1/classifiers/okved2/{code}",
        "/api/v1/classifiers/okpd2",
        "/api/v1/classifiers/regions",
    ]:
        assert expected in paths
    assert set(schema["paths"]["/api/v1/organisations"]) >= {"get", "post"}
    assert "delete" not in schema["paths"]["/api/v1/projects/{id}"]
    assert schema["components"]["securitySchemes"]


def test_schema_documents_the_error_shape(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("ErrorDetail")
    responses = schema["paths"]["/api/v1/projects/{id}/move"]["post"]["responses"]
    assert {"201", "403", "404", "409"} <= set(responses)


def test_every_api_route_is_in_the_schema(client: Client) -> None:
    schema_paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    assert len(schema_paths) >= len([p for p in api.url_patterns if "openapi" not in str(p.pattern)])
