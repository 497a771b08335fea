"""The `notifyhub` command: serve, token, send."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError

from .auth import issue_token
from .settings import Settings

DEV_JWT_SECRET = "notifyhub-development-secret-not-for-production"
DEV_SERVICE_KEY = "notifyhub-development-service-key"
DEV_DEMO_DIR = Path(__file__).resolve().parents[2] / "frontend" / "demo" / "dist"
"""The built demo page in a source checkout (`npm run demo:build --workspace frontend`)."""


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise SystemExit(f"invalid settings:\n{exc}") from exc


def _dev_banner(settings: Settings) -> str:
    user_id = uuid.uuid4()
    token = issue_token(settings, user_id, "dev@example.com", ttl_seconds=24 * 3600)
    base = f"http://{settings.host}:{settings.port}"
    ws = f"ws://{settings.host}:{settings.port}/api/v1/ws"
    key = settings.service_keys[0].get_secret_value()
    demo = ""
    if settings.demo_dir is not None and (settings.demo_dir / "index.html").is_file():
        demo = ("\nOpen the demo page (the token is in the hash, never sent to a server):\n"
                f"  {base}/demo/#token={token}\n")
    return f"""
notifyhub development mode (do not use these credentials in production)
  user id:     {user_id}
  token:       {token}
  service key: {key}
{demo}
Open {base}/docs and paste this into its browser console (a page of the hub itself:
from about:blank or another site, browsers may block a connection to a local address):
  const ws = new WebSocket("{ws}", ["notifyhub.v1", "bearer.{token}"]);
  ws.onmessage = (event) => console.log(JSON.parse(event.data));

Then send that user a notification:
  curl -X POST {base}/api/v1/messages -H 'Authorization: Bearer {key}' \\
    -H 'Content-Type: application/json' \\
    -d '{{"user_ids": ["{user_id}"], "message": {{"type": "notification", "payload": {{"title": "Hello", "message": "It works", "level": "success"}}}}}}'
"""


def serve(args: argparse.Namespace) -> int:
    from .server import build_server

    overrides: dict[str, Any] = {"host": args.host, "port": args.port}
    if args.dev:
        env = os.environ
        if not env.get("NOTIFYHUB_JWT_SECRET"):
            overrides["jwt_secret"] = DEV_JWT_SECRET
        if not env.get("NOTIFYHUB_SERVICE_KEYS"):
            overrides["service_keys"] = [DEV_SERVICE_KEY]
        if not env.get("NOTIFYHUB_OPERATIONS_PUBLIC"):
            overrides["operations_public"] = True  # the demo page reads the stats
        if not env.get("NOTIFYHUB_DEMO_DIR") and (DEV_DEMO_DIR / "index.html").is_file():
            overrides["demo_dir"] = DEV_DEMO_DIR
    settings = _settings(**overrides)
    if not settings.jwt_secret.get_secret_value():
        raise SystemExit("NOTIFYHUB_JWT_SECRET is not set (or run `notifyhub serve --dev`)")
    if args.dev:
        print(_dev_banner(settings), flush=True)
    build_server(settings, log_level=args.log_level, access_log=args.access_log).run()
    return 0


def token(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.jwt_secret.get_secret_value():
        raise SystemExit("NOTIFYHUB_JWT_SECRET is not set")
    print(issue_token(settings, args.user_id, args.email, args.ttl))
    return 0


def send(args: argparse.Namespace) -> int:
    key = args.key or os.environ.get("NOTIFYHUB_SERVICE_KEY", "")
    if not key:
        raise SystemExit("give --key or set NOTIFYHUB_SERVICE_KEY")
    try:
        payload = json.loads(args.payload)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"--payload is not JSON: {exc}") from exc
    body: dict[str, Any] = {"message": {"type": args.type, "payload": payload}}
    if args.broadcast:
        body["broadcast"] = True
    else:
        body["user_ids"] = [str(u) for u in args.user_id]
    response = httpx.post(f"{args.url.rstrip('/')}/api/v1/messages", json=body,
                          headers={"Authorization": f"Bearer {key}"}, timeout=10)
    print(json.dumps(response.json(), indent=2))
    return 0 if response.status_code == 202 else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="notifyhub", description="Real-time notification hub.")
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="run the hub (settings from NOTIFYHUB_* variables)")
    run.add_argument("--host", help="interface to bind (NOTIFYHUB_HOST, default 127.0.0.1)")
    run.add_argument("--port", type=int, help="port to bind (NOTIFYHUB_PORT, default 8080)")
    run.add_argument("--dev", action="store_true",
                     help="use development credentials when none are set, serve the built demo "
                          "at /demo/ when there is one, and print a token")
    run.add_argument("--log-level", default="info", choices=["trace", "debug", "info", "warning", "error"])
    run.add_argument("--access-log", action="store_true", help="log every HTTP request (tokens redacted)")
    run.set_defaults(handler=serve)

    mint = commands.add_parser("token", help="print a signed client token (uses NOTIFYHUB_JWT_SECRET)")
    mint.add_argument("--user-id", type=uuid.UUID, required=True)
    mint.add_argument("--email", required=True)
    mint.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default 3600)")
    mint.set_defaults(handler=token)

    post = commands.add_parser("send", help="send a message through a hub's service API")
    post.add_argument("--url", default="http://127.0.0.1:8080", help="the hub's base URL")
    post.add_argument("--key", help="service key (default: NOTIFYHUB_SERVICE_KEY)")
    audience = post.add_mutually_exclusive_group(required=True)
    audience.add_argument("--user-id", type=uuid.UUID, action="append", help="recipient (repeatable)")
    audience.add_argument("--broadcast", action="store_true", help="send to every connection")
    post.add_argument("--type", required=True, help="message type, e.g. notification")
    post.add_argument("--payload", required=True, help="the payload as JSON")
    post.set_defaults(handler=send)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
