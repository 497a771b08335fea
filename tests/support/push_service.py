"""A push service on loopback: the receiving side of Web Push (RFC 8030), as a browser's push
service would be, for the hub's `PushChannel` to push to.

It hands out subscriptions, each with its own P-256 key pair and 16-byte authentication secret,
as a browser makes them (`FakeSubscription.json()` is `PushSubscription.toJSON()`), and answers
a POST to a subscription's endpoint 201 with a `Location` once it has:
- verified the VAPID `Authorization: vapid t=<jwt>, k=<key>` (ES256 with `k`, `aud` the
  endpoint's origin, `exp` in the future and at most 24 hours ahead, a `sub`), and that `k` is
  the hub's key when one was given;
- checked `TTL` and `Content-Encoding: aes128gcm`, and a body of at most 4096 bytes;
- decrypted the body with the subscription's private key and secret (http_ece).
A request failing a check is answered 400/403/413 and kept in `refused`; every request is kept in
`requests`, and what was decrypted in `delivered`. `program` sets the next answers of one
subscription (404, 410, 429 with Retry-After, 500, a slow answer) before the default 201.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import http_ece
import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

MAX_BODY_BYTES = 4096
MAX_VAPID_LIFETIME_SECONDS = 24 * 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def browser_keys() -> dict[str, str]:
    """`keys` of a browser's subscription: a fresh P-256 public key and authentication secret."""
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}


@dataclass(frozen=True)
class Reply:
    """One programmed answer: a status, its headers, and how long to wait before giving it."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class FakeSubscription:
    """A browser's subscription: its endpoint at the service, and the keys the browser keeps."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    expiration_ms: float | None = None

    @property
    def p256dh(self) -> str:
        return b64url(self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                                 serialization.PublicFormat.UncompressedPoint))

    def json(self) -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives the page."""
        return {"endpoint": self.endpoint, "expirationTime": self.expiration_ms,
                "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)}}

    def new_keys(self) -> None:
        """What a browser does when it renews a subscription's keys at the same endpoint."""
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)


@dataclass(frozen=True)
class Arrival:
    """One request to a subscription's endpoint, and the status it was answered."""

    endpoint: str
    status: int
    headers: dict[str, str]
    at: float


@dataclass(frozen=True)
class Delivered:
    """A push accepted: the plaintext decrypted with the subscription's keys, and the VAPID claims."""

    endpoint: str
    payload: bytes
    headers: dict[str, str]
    claims: dict[str, Any]
    vapid_key: str


class PushService:
    """The service's state; `serve_push_service` runs it on a free loopback port."""

    def __init__(self, hub_public_key: str | None = None) -> None:
        self.base_url = ""
        self.hub_public_key = hub_public_key
        self.subscriptions: dict[str, FakeSubscription] = {}
        self.requests: list[Arrival] = []
        self.delivered: list[Delivered] = []
        self.refused: list[tuple[str, str]] = []
        self._programs: dict[str, deque[Reply]] = {}
        self._changed = asyncio.Condition()

    def subscribe(self, expiration_ms: float | None = None) -> FakeSubscription:
        """A new subscription at this service, as `PushManager.subscribe()` makes one."""
        endpoint = f"{self.base_url}/push/{uuid.uuid4().hex}"
        subscription = FakeSubscription(endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16),
                                        expiration_ms)
        self.subscriptions[endpoint] = subscription
        return subscription

    def program(self, subscription: FakeSubscription, *replies: Reply) -> None:
        """The next answers to requests for subscription, in order; then 201 again."""
        self._programs.setdefault(subscription.endpoint, deque()).extend(replies)

    def requests_to(self, subscription: FakeSubscription) -> list[Arrival]:
        return [arrival for arrival in self.requests if arrival.endpoint == subscription.endpoint]

    def delivered_to(self, subscription: FakeSubscription) -> list[Delivered]:
        return [push for push in self.delivered if push.endpoint == subscription.endpoint]

    async def wait_for_requests(self, count: int, timeout: float = 10.0) -> None:
        """Until `count` requests arrived in all. Raises TimeoutError."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.requests) >= count)

    async def receive(self, request: Request) -> Response:
        endpoint = f"{self.base_url}{request.url.path}"
        body = await request.body()
        headers = {name.lower(): value for name, value in request.headers.items()}
        reply = self._next_reply(endpoint)
        if reply.delay:
            await asyncio.sleep(reply.delay)  # the service being slow is what is tested
        if reply.status == 201:
            reply = self._accept(endpoint, headers, body)
        async with self._changed:
            self.requests.append(Arrival(endpoint, reply.status, headers, time.monotonic()))
            self._changed.notify_all()
        return Response(status_code=reply.status, headers=reply.headers)

    def _next_reply(self, endpoint: str) -> Reply:
        program = self._programs.get(endpoint)
        if endpoint not in self.subscriptions:
            return Reply(404)
        return program.popleft() if program else Reply(201)

    def _accept(self, endpoint: str, headers: dict[str, str], body: bytes) -> Reply:
        """201 with a Location for a push that passes every check, else the refusal."""
        subscription = self.subscriptions[endpoint]
        try:
            claims, key = self._verify_vapid(endpoint, headers.get("authorization", ""))
        except ValueError as exc:
            return self._refuse(endpoint, 403, f"VAPID: {exc}")
        if not headers.get("ttl", "").isdigit():
            return self._refuse(endpoint, 400, "TTL missing")
        if headers.get("content-encoding") != "aes128gcm":
            return self._refuse(endpoint, 400, "Content-Encoding is not aes128gcm")
        if len(body) > MAX_BODY_BYTES:
            return self._refuse(endpoint, 413, f"{len(body)} bytes")
        try:
            payload = http_ece.decrypt(body, private_key=subscription.private_key, auth_secret=subscription.auth,
                                       version="aes128gcm")
        except Exception as exc:  # noqa: BLE001 - whatever fails to decrypt is refused and recorded
            return self._refuse(endpoint, 400, f"decryption failed: {exc!r}")
        self.delivered.append(Delivered(endpoint, payload, headers, claims, key))
        return Reply(201, {"Location": f"{self.base_url}/message/{uuid.uuid4().hex}"})

    def _refuse(self, endpoint: str, status: int, why: str) -> Reply:
        self.refused.append((endpoint, why))
        return Reply(status)

    def _verify_vapid(self, endpoint: str, authorization: str) -> tuple[dict[str, Any], str]:
        """The VAPID claims and key of a header (RFC 8292 section 3). Raises ValueError."""
        scheme, _, parameters = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"scheme {scheme!r}")
        values = dict(part.strip().split("=", 1) for part in parameters.split(",") if "=" in part)
        token, key = values.get("t", ""), values.get("k", "")
        if self.hub_public_key is not None and key != self.hub_public_key:
            raise ValueError("not the hub's key")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(key))
        parts = urlsplit(endpoint)
        try:
            claims = jwt.decode(token, public_key, algorithms=["ES256"], audience=f"{parts.scheme}://{parts.netloc}",
                                options={"require": ["exp", "aud", "sub"]})
        except jwt.PyJWTError as exc:
            raise ValueError(str(exc)) from exc
        if claims["exp"] > time.time() + MAX_VAPID_LIFETIME_SECONDS:
            raise ValueError("exp more than 24 hours ahead")
        return claims, key


@contextlib.asynccontextmanager
async def serve_push_service(hub_public_key: str | None = None) -> AsyncIterator[PushService]:
    """A push service on a free loopback port, stopped on exit."""
    service = PushService(hub_public_key)
    app = Starlette(routes=[Route("/push/{token}", service.receive, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.config.load()
    server.lifespan = server.config.lifespan_class(server.config)
    await server.startup(sockets=[sock])
    main_loop = asyncio.create_task(server.main_loop())
    service.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        yield service
    finally:
        server.should_exit = True
        server.force_exit = True  # a slow answer still pending is not waited for
        await main_loop
        await server.shutdown(sockets=[sock])
