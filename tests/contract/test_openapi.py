"""The OpenAPI document of the HTTP API: valid, self-contained, and typed from the real models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from notifyhub.app import create_app
from notifyhub.openapi import OPERATIONS_KEY, REF_TEMPLATE, SERVICE_KEY
from notifyhub.publishing import BatchPublishRequest, PublishRequest
from notifyhub_protocol import REFUSAL_STATUS, RefusalReason
from openapi_spec_validator import validate

from tests.support.hubs import hub_settings

PUBLISH_PATHS = ("/api/v1/messages", "/api/v1/messages/batch")
PUBLISH_STATUSES = {"202", "400", "401", "413", "422", "503", "504"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app(hub_settings()).openapi()


def refs(node: Any) -> Iterator[str]:
    """Every `$ref` in a document, and every schema a discriminator's mapping names."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            elif key == "discriminator":
                yield from value.get("mapping", {}).values()
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(document: dict[str, Any], reference: str) -> Any:
    """The node a local reference (`#/a/b~1c`) points to; KeyError when there is none."""
    assert reference.startswith("#/"), f"{reference} is not a reference inside the document"
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_document_is_valid_openapi(document) -> None:
    """Tools that read /openapi.json (client generators, Swagger UI) accept it."""
    validate(document)


def test_every_reference_resolves(document) -> None:
    """Swagger UI shows no "Could not resolve reference" error: every $ref points into the document."""
    found = sorted(set(refs(document)))
    assert "#/components/schemas/PublishRequest" in found
    missing = []
    for reference in found:
        try:
            resolve(document, reference)
        except KeyError:
            missing.append(reference)
    assert not missing, missing


@pytest.mark.parametrize(("path", "model"), [(PUBLISH_PATHS[0], PublishRequest), (PUBLISH_PATHS[1], BatchPublishRequest)])
def test_publish_bodies_are_described_by_the_request_models(document, path, model) -> None:
    """A service reads the exact body the hub validates, every message type included."""
    body = document["paths"][path]["post"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == {"$ref": REF_TEMPLATE.format(model=model.__name__)}
    expected = model.model_json_schema(ref_template=REF_TEMPLATE)
    defs = expected.pop("$defs")
    schemas = document["components"]["schemas"]
    assert schemas[model.__name__] == expected
    for name, schema in defs.items():
        assert schemas[name] == schema, name


def test_service_routes_ask_for_the_service_key(document) -> None:
    """Swagger UI's Authorize button sends the key the routes need, as a bearer token."""
    schemes = document["components"]["securitySchemes"]
    assert schemes[SERVICE_KEY] == {**schemes[SERVICE_KEY], "type": "http", "scheme": "bearer"}
    assert schemes[OPERATIONS_KEY] == {**schemes[OPERATIONS_KEY], "type": "http", "scheme": "bearer"}
    for path in PUBLISH_PATHS:
        assert document["paths"][path]["post"]["security"] == [{SERVICE_KEY: []}]
    assert document["paths"]["/api/v1/presence/{user_id}"]["get"]["security"] == [{SERVICE_KEY: []}]
    assert document["paths"]["/api/v1/ws/stats"]["get"]["security"] == [{OPERATIONS_KEY: []}, {SERVICE_KEY: []}]


@pytest.mark.parametrize("path", PUBLISH_PATHS)
def test_publish_answers_are_typed(document, path) -> None:
    """Each answer a publish gets is documented with a schema, the 202 included."""
    responses = document["paths"][path]["post"]["responses"]
    assert PUBLISH_STATUSES <= set(responses)
    for status in PUBLISH_STATUSES:
        assert responses[status]["content"]["application/json"]["schema"], status
    result = "PublishResult" if path == PUBLISH_PATHS[0] else "BatchPublishResult"
    assert responses["202"]["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{result}"}
    assert set(document["components"]["schemas"]["PublishResult"]["required"]) == {"id", "type", "connections"}
    invalid = resolve(document, responses["422"]["content"]["application/json"]["schema"]["allOf"][0]["$ref"])
    field_error = resolve(document, invalid["properties"]["errors"]["items"]["$ref"])
    assert set(field_error["required"]) == {"pointer", "message", "type"}


def test_refusal_reasons_are_the_generated_ones(document) -> None:
    """A refusal's `error` is one of schemas/' reasons, under the status schemas/ gives it."""
    schemas = document["components"]["schemas"]
    assert schemas["RefusalReason"]["enum"] == [reason.value for reason in RefusalReason]
    assert schemas["Refusal"]["properties"]["error"] == {"$ref": "#/components/schemas/RefusalReason"}
    assert set(schemas["Refusal"]["required"]) == {"error", "detail"}
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                for part in schema.get("allOf", [])[1:]:
                    for reason in part["properties"]["error"]["enum"]:
                        assert REFUSAL_STATUS[RefusalReason(reason)] == int(status), (path, method, reason)
                        checked += 1
    assert checked >= 2 * len(PUBLISH_STATUSES - {"202"})
