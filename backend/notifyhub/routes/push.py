"""`/api/v1/push/`: the VAPID public key and a user's push subscriptions (fallback/push_api.py
answers; these routes read the request and describe it in the OpenAPI document). Browsers call
them from the app's origin: cors.py answers their preflights."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from notifyhub_protocol import RefusalReason

from ..answers import Answer
from ..fallback.push_api import SUBSCRIPTIONS_PATH, VAPID_PUBLIC_KEY_PATH, PushApi
from ..fallback.push_subscription import PushSubscriptionRequest, PushUnsubscribeRequest
from ..openapi import (USER_TOKEN, InvalidRequestRefusal, PushSubscriptionCreated, VapidPublicKey, json_body, ref,
                       refusal_responses)
from ..service_api import declared_length
from .services import read_body

router = APIRouter()

TOKEN_REFUSALS = (
    RefusalReason.MISSING_TOKEN, RefusalReason.MALFORMED_TOKEN, RefusalReason.INVALID_SIGNATURE,
    RefusalReason.DISALLOWED_ALGORITHM, RefusalReason.TOKEN_EXPIRED, RefusalReason.TOKEN_NOT_YET_VALID,
    RefusalReason.MISSING_CLAIM, RefusalReason.INVALID_CLAIM, RefusalReason.INVALID_AUDIENCE,
    RefusalReason.INVALID_ISSUER, RefusalReason.NOT_CONFIGURED)
"""Why a user's token is refused (401)."""

ORIGIN_REFUSAL = (RefusalReason.ORIGIN_NOT_ALLOWED,)

SUBSCRIBE_REFUSALS = (*TOKEN_REFUSALS, RefusalReason.AMBIGUOUS_TOKEN, *ORIGIN_REFUSAL, RefusalReason.PUSH_NOT_CONFIGURED,
                      RefusalReason.TOO_MANY_PUSH_SUBSCRIPTIONS, RefusalReason.BODY_TOO_LARGE,
                      RefusalReason.INVALID_MESSAGE, RefusalReason.BACKEND_UNAVAILABLE)
UNSUBSCRIBE_REFUSALS = tuple(reason for reason in SUBSCRIBE_REFUSALS
                             if reason is not RefusalReason.TOO_MANY_PUSH_SUBSCRIPTIONS)

DESCRIPTIONS = {
    400: "Several `Authorization: Bearer` headers: the hub will not choose one",
    401: "Missing or refused user token (`Authorization: Bearer <jwt>`)",
    403: "A browser origin not in NOTIFYHUB_ALLOWED_ORIGINS",
    404: "Web Push is off: the hub has no NOTIFYHUB_VAPID_PRIVATE_KEY",
    409: "The user already has NOTIFYHUB_MAX_PUSH_SUBSCRIPTIONS_PER_USER subscriptions",
    413: "Body larger than NOTIFYHUB_PUSH_MAX_BODY_BYTES",
    422: "Invalid body: `errors` names each failing field by JSON pointer (an endpoint that is not "
         "https or names a private address, keys of the wrong length, an expirationTime past)",
    503: "The backend (Redis) is unreachable; nothing was changed (see `Retry-After`)",
}


def _response(answer: Answer) -> Response:
    if answer.status == 204:
        return Response(status_code=204, headers=answer.headers or None)
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers or None)


def _documented(refusals: tuple[RefusalReason, ...], answers: dict[int, Any], body: Any = None) -> dict[str, Any]:
    extra: dict[str, Any] = {"security": [{USER_TOKEN: []}]}
    if body is not None:
        extra.update(json_body(body))
    return {"response_model": None, "openapi_extra": extra,
            "responses": {**answers, **refusal_responses(refusals, DESCRIPTIONS, {422: InvalidRequestRefusal})}}


def _created(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(PushSubscriptionCreated)}}}


async def _answer(request: Request, act: Callable[[PushApi, UUID, bytes | None], Awaitable[Answer]]) -> Response:
    api: PushApi = request.app.state.push_api
    user = api.refuse_head(request.headers, declared_length(request.headers.get("content-length")))
    if isinstance(user, Answer):
        return _response(user)
    body = await read_body(request, api.max_body_bytes)
    return _response(await act(api, user, body))


@router.get(VAPID_PUBLIC_KEY_PATH, response_model=None, responses={
    200: {"description": "The key to subscribe with", "content": {"application/json": {"schema": ref(VapidPublicKey)}}},
    **refusal_responses((RefusalReason.PUSH_NOT_CONFIGURED, *ORIGIN_REFUSAL), DESCRIPTIONS)})
async def vapid_public_key(request: Request) -> Response:
    """The hub's VAPID public key, for `PushManager.subscribe({applicationServerKey})`. Public:
    no token needed."""
    return _response(request.app.state.push_api.public_key())


@router.post(SUBSCRIPTIONS_PATH, status_code=201, **_documented(SUBSCRIBE_REFUSALS, {
    201: _created("A new subscription, kept"),
    200: _created("The user already had this endpoint: its keys and expiry were replaced, the id is the same")},
    PushSubscriptionRequest))
async def subscribe(request: Request) -> Response:
    """Keep a browser's push subscription (`PushSubscription.toJSON()`) for the token's user.
    Idempotent: the same endpoint again answers 200 with the same id."""
    return await _answer(request, PushApi.subscribe)


@router.delete(SUBSCRIPTIONS_PATH, status_code=204, **_documented(UNSUBSCRIBE_REFUSALS, {
    204: {"description": "The subscription is gone (also when there was none)"}}, PushUnsubscribeRequest))
async def unsubscribe(request: Request) -> Response:
    """Forget the token's user's subscription with this endpoint."""
    return await _answer(request, PushApi.unsubscribe)
