"""The OpenAPI document (`GET /openapi.json`): the service API's request and answer models, the
keys that open each route, and each route's refusals. No I/O.

The routes read their bodies themselves (strictly, with JSON-pointer errors), so FastAPI does not
see the models: `install_openapi` adds their JSON Schemas to `components/schemas`. A refusal's
`error` is the generated `RefusalReason` and its status is the one `schemas/` gives that reason,
so the document cannot drift from the codes the hub answers with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Annotated, Any
from uuid import UUID

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from notifyhub_protocol import REFUSAL_STATUS, RefusalReason
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema, models_json_schema

from .fallback.push_subscription import PushSubscriptionRequest, PushUnsubscribeRequest
from .publishing import BatchPublishRequest, PublishRequest

REF_TEMPLATE = "#/components/schemas/{model}"

SERVICE_KEY = "serviceKey"
"""The security scheme of the service API: `Authorization: Bearer <one of NOTIFYHUB_SERVICE_KEYS>`."""

OPERATIONS_KEY = "operationsKey"
"""The security scheme of the operations endpoints: `Authorization: Bearer <operations key>`."""

USER_TOKEN = "userToken"
"""The security scheme of the routes a browser calls for its user: `Authorization: Bearer <the
user's JWT>`, the token the WebSocket takes."""

SECURITY_SCHEMES = {
    USER_TOKEN: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "The user's JWT (the one the WebSocket takes), as `Authorization: Bearer <jwt>`."},
    SERVICE_KEY: {"type": "http", "scheme": "bearer",
                  "description": "One of `NOTIFYHUB_SERVICE_KEYS`, as `Authorization: Bearer <key>`."},
    OPERATIONS_KEY: {"type": "http", "scheme": "bearer",
                     "description": "One of `NOTIFYHUB_OPERATIONS_KEYS` (a service key works too), as "
                                    "`Authorization: Bearer <key>`; not needed when "
                                    "`NOTIFYHUB_OPERATIONS_PUBLIC` is true."},
}


class PublishResult(BaseModel):
    """What the hub did with one message: its id, its type, and the connections it reached."""

    id: UUID = Field(description="The id the hub gave the message (the same for a repeated Idempotency-Key).")
    type: str = Field(description="The message's `type`.")
    connections: Annotated[int, Field(ge=0, description="Connections the message was written to, across "
                                                        "hubs; 0 when no recipient is online.")]


class BatchPublishResult(BaseModel):
    """One result per request of the batch, in order."""

    results: list[PublishResult]


class FieldError(BaseModel):
    """One failing field of an invalid body."""

    pointer: str = Field(description="JSON pointer to the field in the body, e.g. `/message/payload/progress`.")
    message: str = Field(description="What is wrong, for a person.")
    type: str = Field(description="The kind of failure, e.g. `missing`, `too_long`, `extra_forbidden`.")


class Refusal(BaseModel):
    """A refused request: `error` says why (one status per reason), `detail` says more."""

    model_config = ConfigDict(extra="allow")

    error: RefusalReason
    detail: str


def _optional(description: str) -> Any:
    """A field the body may leave out (never `null`)."""
    return Field(default=None, description=description, json_schema_extra=lambda schema: schema.pop("default"))


class InvalidRequestRefusal(Refusal):
    """422: `invalid_message` lists each failing field; `idempotency_key_reused` has no `errors`."""

    errors: list[FieldError] | SkipJsonSchema[None] = _optional("With `invalid_message`: each failing field.")


class HandshakeRefusal(Refusal):
    """400 to a handshake or its auth-check: `unsupported_subprotocol` lists the versions the hub
    speaks in `supported`; `ambiguous_token` has no `supported`."""

    supported: list[str] | SkipJsonSchema[None] = _optional(
        "With `unsupported_subprotocol`: the subprotocols the hub speaks, e.g. `notifyhub.v1`.")


class BatchRefusal(Refusal):
    """503 or 504 to a batch: the requests done before the backend failed."""

    results: list[PublishResult] = Field(description="The results of the requests done, in order.")
    accepted: Annotated[int, Field(ge=0, description="How many requests were done: with 504, the one after "
                                                     "them may have been sent too.")]


class Presence(BaseModel):
    """Whether a user is online, and on how many connections, across every hub."""

    user_id: UUID
    online: bool
    connections: Annotated[int, Field(ge=0)]


class VapidPublicKey(BaseModel):
    """The key a browser subscribes with: `PushManager.subscribe({applicationServerKey})`."""

    public_key: str = Field(description="The hub's VAPID public key: the uncompressed P-256 point (65 bytes), "
                                        "base64url without padding.")


class PushSubscriptionCreated(BaseModel):
    """The subscription kept: the same id for the same endpoint, on every hub."""

    id: str = Field(description="The subscription's id (derived from its endpoint).")


DOCUMENTED_MODELS: tuple[type[BaseModel], ...] = (
    PublishRequest, BatchPublishRequest, PublishResult, BatchPublishResult, FieldError, Refusal,
    InvalidRequestRefusal, HandshakeRefusal, BatchRefusal, Presence, PushSubscriptionRequest,
    PushUnsubscribeRequest, VapidPublicKey, PushSubscriptionCreated)


def model_schemas() -> dict[str, dict[str, Any]]:
    """Every documented model's JSON Schema by name, with the models they use (`$defs` hoisted)."""
    keyed = [(model, "validation") for model in DOCUMENTED_MODELS]
    _, top = models_json_schema(keyed, ref_template=REF_TEMPLATE)
    return top.get("$defs", {})


def ref(model: type[BaseModel] | str) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model if isinstance(model, str) else model.__name__)}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route that reads a body of model itself."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref(model)}}}}


REFUSAL_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`: the key to send", "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "Seconds to wait before repeating the request",
                          "schema": {"type": "string"}}},
}
REFUSAL_HEADERS[504] = REFUSAL_HEADERS[503]
"""The headers every refusal of a status carries."""


def refusal_responses(reasons: Iterable[RefusalReason], descriptions: dict[int, str],
                      models: dict[int, type[Refusal]] | None = None) -> dict[int | str, dict[str, Any]]:
    """A route's responses for the refusals it gives: one per status (from `REFUSAL_STATUS`),
    whose `error` is one of that status's reasons. models names a Refusal subclass by status."""
    by_status: dict[int, list[str]] = defaultdict(list)
    for reason in reasons:
        by_status[REFUSAL_STATUS[reason]].append(reason.value)
    responses: dict[int | str, dict[str, Any]] = {}
    for status, names in sorted(by_status.items()):
        model = (models or {}).get(status, Refusal)
        schema = {"allOf": [ref(model), {"properties": {"error": {"enum": names}}}]}
        reasons_text = ", ".join(f"`{name}`" for name in names)
        responses[status] = {"description": f"{descriptions[status]} (`error`: {reasons_text})",
                             "content": {"application/json": {"schema": schema}}}
        if status in REFUSAL_HEADERS:
            responses[status]["headers"] = REFUSAL_HEADERS[status]
    return responses


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` add the documented models and the security schemes to FastAPI's
    document. Raises ValueError if a model's name clashes with a schema FastAPI made."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes)
            components = document.setdefault("components", {})
            schemas = components.setdefault("schemas", {})
            for name, schema in model_schemas().items():
                if schemas.get(name, schema) != schema:
                    raise ValueError(f"two schemas named {name!r} in the OpenAPI document")
                schemas[name] = schema
            components["securitySchemes"] = SECURITY_SCHEMES
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
