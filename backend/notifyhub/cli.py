"""The `notifyhub` command: serve, token, send, vapid.

`token` and `send` need only the base package; `serve` needs `notifyhub[server]`. Every failure
the user can mend is reported in one line on stderr, with exit code 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .client import DEFAULT_URL, SERVICE_KEY_VARIABLE, URL_VARIABLE, HubClient, HubError
from .frames import ROOT, pointer_errors

if TYPE_CHECKING:
    from .settings import Settings

DEV_JWT_SECRET = "notifyhub-development-secret-not-for-production"
DEV_SERVICE_KEY = "notifyhub-development-service-key"
DEV_DEMO_DIR = Path(__file__).resolve().parents[2] / "frontend" / "demo" / "dist"
"""The built demo page in a source checkout (`npm run demo:build --workspace frontend`)."""
SERVER_MODULES = frozenset({"fastapi", "starlette", "uvicorn", "uvloop", "httptools", "websockets",
                            "prometheus_client", "redis", "swagger_ui_bundle", "pywebpush", "py_vapid", "http_ece",
                            "cryptography"})
"""What `notifyhub[server]` adds to the base package: missing, `serve` says what to install."""


def _settings(**overrides: Any) -> Settings:
    from .settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise SystemExit(f"invalid settings:\n{exc}") from exc


def _dev_banner(settings: Settings, port: int) -> str:
    from .auth import issue_token

    user_id = uuid.uuid4()
    token = issue_token(settings, user_id, "dev@example.com", ttl_seconds=24 * 3600)
    base = f"http://{settings.host}:{port}"
    ws = f"ws://{settings.host}:{port}/api/v1/ws"
    key = settings.service_keys[0].get_secret_value()
    command = _this_command()
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
Open the operations console with the service key: {base}/console/

Open {base}/docs and paste this into its browser console (a page of the hub itself:
from about:blank or another site, browsers may block a connection to a local address):
  const ws = new WebSocket("{ws}", ["notifyhub.v1", "bearer.{token}"]);
  ws.onmessage = (event) => console.log(JSON.parse(event.data));

Then send that user a notification:
  {command} send --dev --url {base} --user-id {user_id} --type notification \\
    --payload '{{"title": "Hello", "message": "It works", "level": "success"}}'
or with curl:
  curl -X POST {base}/api/v1/messages -H 'Authorization: Bearer {key}' \\
    -H 'Content-Type: application/json' \\
    -d '{{"user_ids": ["{user_id}"], "message": {{"type": "notification", "payload": {{"title": "Hello", "message": "It works", "level": "success"}}}}}}'

A token for another user:
  {command} token --dev --user-id <uuid> --email <address>
"""


def _this_command() -> str:
    """How the user ran this command (`.venv/bin/notifyhub` under `make run`), to repeat it."""
    invoked = sys.argv[0] if sys.argv else ""
    return invoked if Path(invoked).name == "notifyhub" else "notifyhub"


def _build_server(settings: Settings, args: argparse.Namespace) -> Any:
    try:
        from .server import build_server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVER_MODULES:
            raise
        raise SystemExit(f"notifyhub serve: the hub is not installed here ({exc.name} is missing): "
                         "pip install 'notifyhub[server]'") from exc
    return build_server(settings, log_level=args.log_level, access_log=args.access_log)


def serve(args: argparse.Namespace) -> int:
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
    server = _build_server(settings, args)
    try:
        server.bind()  # before the banner: a taken port is reported alone
    except OSError as exc:
        raise SystemExit(f"notifyhub serve: cannot listen on {settings.host}:{settings.port}: "
                         f"{exc.strerror or exc}") from exc
    if args.dev:
        print(_dev_banner(settings, server.port), flush=True)
    server.run()
    return 0


def token(args: argparse.Namespace) -> int:
    from .auth import issue_token

    dev_secret = args.dev and not os.environ.get("NOTIFYHUB_JWT_SECRET")
    settings = _settings(jwt_secret=DEV_JWT_SECRET if dev_secret else None)
    if not settings.jwt_secret.get_secret_value():
        raise SystemExit("notifyhub token: NOTIFYHUB_JWT_SECRET is not set "
                         "(or use --dev for a hub started with `notifyhub serve --dev` or `make run`)")
    print(issue_token(settings, args.user_id, args.email, args.ttl))
    return 0


def send(args: argparse.Namespace) -> int:
    key = args.key or os.environ.get(SERVICE_KEY_VARIABLE) or (DEV_SERVICE_KEY if args.dev else "")
    if not key:
        raise SystemExit(f"notifyhub send: give --key, set {SERVICE_KEY_VARIABLE}, or use --dev")
    draft = _draft(args.type, args.payload)
    try:
        with HubClient(args.url, key) as client:
            sent = client.broadcast(draft) if args.broadcast else client.send(args.user_id, draft)
    except (HubError, ValueError) as exc:
        raise SystemExit(f"notifyhub send: {_one_line(str(exc))}") from exc
    print(json.dumps({"id": str(sent.id), "type": sent.type, "connections": sent.connections}, indent=2))
    return 0


def vapid(args: argparse.Namespace) -> int:
    try:
        from .fallback.vapid import generate_vapid_key
    except ModuleNotFoundError as exc:
        raise SystemExit(f"notifyhub vapid: py-vapid is not installed here ({exc.name} is missing): "
                         "pip install 'notifyhub[server]'") from exc
    private_key, public_key = generate_vapid_key()
    print(f"NOTIFYHUB_VAPID_PRIVATE_KEY={private_key}\n"
          f"# the public key browsers subscribe with (GET /api/v1/push/vapid-public-key serves it):\n"
          f"# {public_key}")
    return 0


def _draft(message_type: str, payload: str) -> Any:
    """The draft `send` posts, validated here so that a mistake is named before any request."""
    from notifyhub_protocol import OUTGOING_MESSAGE_ADAPTER

    try:
        document = {"type": message_type, "payload": json.loads(payload)}
    except json.JSONDecodeError as exc:
        raise SystemExit(f"notifyhub send: --payload is not JSON: {exc}") from exc
    try:
        return OUTGOING_MESSAGE_ADAPTER.validate_python(document)
    except ValidationError as exc:
        problems = "; ".join(f"{e['pointer'] or '/'}: {e['message']}" for e in pointer_errors(exc, ROOT))
        raise SystemExit(f"notifyhub send: invalid message: {problems}") from exc


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
    mint.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default: %(default)s)")
    mint.add_argument("--dev", action="store_true",
                      help="sign with the development secret of `notifyhub serve --dev` and `make run` "
                           "when NOTIFYHUB_JWT_SECRET is not set")
    mint.set_defaults(handler=token)

    post = commands.add_parser("send", help="send a message through a hub's service API")
    post.add_argument("--url", default=os.environ.get(URL_VARIABLE) or DEFAULT_URL,
                      help=f"the hub's base URL (default: {URL_VARIABLE}, else %(default)s)")
    post.add_argument("--key", help=f"service key (default: {SERVICE_KEY_VARIABLE}, or the development key with --dev)")
    post.add_argument("--dev", action="store_true",
                      help="use the development service key of `notifyhub serve --dev` and `make run` "
                           f"when neither --key nor {SERVICE_KEY_VARIABLE} is given")
    audience = post.add_mutually_exclusive_group(required=True)
    audience.add_argument("--user-id", type=uuid.UUID, action="append", help="recipient (repeatable)")
    audience.add_argument("--broadcast", action="store_true", help="send to every connection")
    post.add_argument("--type", required=True, help="message type, e.g. notification")
    post.add_argument("--payload", required=True, help="the payload as JSON")
    post.set_defaults(handler=send)

    keys = commands.add_parser("vapid", help="print a new VAPID key pair for Web Push (keep the private key secret)")
    keys.set_defaults(handler=vapid)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
