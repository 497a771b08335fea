"""The pages (README.md, docs/) against the code: every link and anchor resolves, every JSON
example is a valid frame or body, every Python example compiles and imports what exists and every
whole Python program runs against a real hub, every command names a real target, subcommand and
option, every `curl` example is answered by a real hub, and every setting is documented. (The
TypeScript examples are type-checked against the packed npm package by
frontend/tests/package/tarball.test.ts.)"""

from __future__ import annotations

import ast
import asyncio
import base64
import builtins
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from notifyhub.auth import issue_token
from notifyhub.fallback.push_payload import REDUCED_MEMBERS
from notifyhub.fallback.push_subscription import parse_subscription
from notifyhub.fallback.vapid import generate_vapid_key
from notifyhub.openapi import PublishResult, PushSubscriptionCreated, VapidPublicKey
from notifyhub.publishing import BatchPublishRequest, PublishRequest
from notifyhub.settings import Settings
from notifyhub_protocol import RefusalReason

from codegen.delivery import DELIVERY_KEY
from codegen.schemas import load_json

from tests.docs.markdown import PAGES, PROJECT_ROOT, Block, anchors, blocks, links, prose
from tests.support.hubs import NOTIFYHUB, SERVICE_KEY, hub_settings, serve_in_process
from tests.support.schemas import server_examples, validate_server_frame

DEV_SERVICE_KEY = "notifyhub-development-service-key"
USER_TOKEN = issue_token(hub_settings(), uuid.uuid4(), "learner@example.com", ttl_seconds=24 * 3600)
"""`$USER_TOKEN` of the pages: a user's JWT the test hubs accept."""
DOCUMENTED_HUB = "http://127.0.0.1:8080"
SHELL = ("sh", "bash", "console")
NOT_SETTINGS = {"NOTIFYHUB_URL", "NOTIFYHUB_SERVICE_KEY", "NOTIFYHUB_REQUIRE_REDIS", "NOTIFYHUB_TEST_REDIS_URL"}
"""Environment variables the pages may name that are not hub settings: the command line's and
the test suite's."""


def _page_id(page: Path) -> str:
    return str(page.relative_to(PROJECT_ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_link_resolves(page: Path) -> None:
    """A reader following a link lands on a file that exists, at a heading that exists."""
    broken = []
    for link in links(page):
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(link)
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(link)
    assert not broken, broken


def _check_json_example(document: Any) -> None:
    """Validate a JSON example as what it shows: a frame, a publish request or one of its answers,
    or a schema's delivery policy."""
    assert isinstance(document, dict), document
    if "payload_omitted" in document:  # a push's reduced form
        assert document["payload_omitted"] is True and document.keys() - {"payload_omitted"} <= set(REDUCED_MEMBERS)
        validate_server_frame({key: value for key, value in document.items() if key != "payload_omitted"}
                              | {"payload": server_examples()[document["type"]]["payload"]})
    elif {"endpoint", "keys"} <= document.keys():  # a browser's push subscription
        parse_subscription(json.dumps(document).encode(), allow_insecure=False)
    elif document.keys() == {"public_key"}:
        assert len(base64.urlsafe_b64decode(VapidPublicKey.model_validate(document).public_key + "=")) == 65
    elif document.keys() == {"id"}:  # a push subscription kept
        PushSubscriptionCreated.model_validate(document)
    elif {"type", "id", "timestamp"} <= document.keys():
        validate_server_frame(document)
    elif "requests" in document:
        BatchPublishRequest.model_validate(document)
    elif "message" in document:
        PublishRequest.model_validate(document)
    elif "error" in document:
        assert RefusalReason(document["error"]) and isinstance(document["detail"], str)
    elif "this_hub" in document:  # the operations console's hubs
        assert {"hub_id", "connections", "users", "seen"} == set(document["hubs"][0])
    elif document.keys() == {"user_id", "connections"}:  # the console's disconnect
        assert isinstance(document["connections"], int)
    elif "connections" in document:
        PublishResult.model_validate(document)
    elif DELIVERY_KEY in document:  # a schema's delivery policy, shown as its schema states it
        [schema] = [load_json(path) for path in (PROJECT_ROOT / "schemas" / "server").glob("*.json")
                    if load_json(path)["title"] == document["title"]]
        assert schema[DELIVERY_KEY] == document[DELIVERY_KEY]
    else:
        pytest.fail(f"a JSON example that is none of frame, request or answer: {document}")


@pytest.mark.parametrize("block", blocks("json"), ids=lambda block: block.id)
def test_json_examples_are_valid(block: Block) -> None:
    _check_json_example(json.loads(block.text))


@pytest.mark.parametrize("block", blocks("python"), ids=lambda block: block.id)
def test_python_examples_compile_and_import_what_exists(block: Block) -> None:
    """An example may use names of its reader's code (`book`), but what it imports must exist."""
    tree = ast.parse(block.text, filename=block.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = importlib.import_module(node.module)
            missing = [alias.name for alias in node.names if not hasattr(module, alias.name)]
            assert not missing, f"{node.module} has no {missing}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)


def _undefined_names(tree: ast.Module) -> set[str]:
    """Names a block reads but neither defines, imports nor gets from builtins: a fragment's."""
    bound = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
            bound |= {argument.arg for argument in ast.walk(node.args) if isinstance(argument, ast.arg)}
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)} - bound


SCRIPTS = [block for block in blocks("python") if not _undefined_names(ast.parse(block.text))]
"""The Python examples that are whole programs (the others are fragments of a reader's code)."""


@pytest.mark.parametrize("block", SCRIPTS, ids=lambda block: block.id)
async def test_python_programs_run_against_a_development_hub(block: Block, tmp_path: Path) -> None:
    """Each whole program of the pages runs to its end against a hub at its documented address,
    with the development service key (its own asserts included)."""
    script = tmp_path / "example.py"
    async with serve_in_process(hub_settings(service_keys=[SERVICE_KEY, DEV_SERVICE_KEY])) as hub:
        script.write_text(block.text.replace(DOCUMENTED_HUB, hub.base_url), encoding="utf-8")
        environment = {**os.environ, "NOTIFYHUB_URL": hub.base_url, "NOTIFYHUB_SERVICE_KEY": DEV_SERVICE_KEY}
        process = await asyncio.create_subprocess_exec(sys.executable, str(script), env=environment,
                                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode()


def _commands(block: Block) -> list[list[str]]:
    """The block's commands as words, continuation lines joined, comments and prompts dropped."""
    text = block.text
    if block.language == "console":  # a session: commands follow `$ `, the rest is their output
        text = "\n".join(re.findall(r"^\$ ((?:.*\\\n)*.*)$", text, re.MULTILINE))
    commands, pending = [], ""
    for line in text.replace("\\\n", " ").splitlines():
        pending += ("\n" if pending else "") + line.removeprefix("$ ")
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # a quotation still open: the command goes on on the next line
            continue
        if words:
            commands.append(words)
        pending = ""
    assert not pending, f"unclosed quotation in {block.id}"
    return commands


def _make_targets() -> set[str]:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))


def _help(subcommand: str) -> str:
    result = subprocess.run([str(NOTIFYHUB), subcommand, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("block", blocks(*SHELL), ids=lambda block: block.id)
def test_commands_name_real_targets_subcommands_and_options(block: Block) -> None:
    for words in _commands(block):
        words = [word for word in words if "=" not in word or word.startswith("-")]  # VAR=value prefixes
        if words[:1] == ["make"]:
            targets = [word for word in words[1:] if not word.startswith("-")]
            assert set(targets) <= _make_targets(), words
        if words[:1] == ["notifyhub"] and len(words) > 1:
            options = {word.split("=")[0] for word in words[2:] if word.startswith("--")}
            usage = _help(words[1])
            assert not [option for option in options if option not in usage], (words, usage)


def _curl_request(words: list[str], base_url: str) -> httpx.Request:
    """The request a documented `curl` command makes, aimed at base_url instead."""
    method, headers, body, url = "GET", {}, None, None
    arguments = iter(words[1:])
    for word in arguments:
        if word == "-X":
            method = next(arguments)
        elif word == "-H":
            name, _, value = next(arguments).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data"):
            body = next(arguments)
            method = "POST" if method == "GET" else method
        elif not word.startswith("-"):
            url = word
    assert url and url.startswith(DOCUMENTED_HUB), words
    return httpx.Request(method, base_url + url.removeprefix(DOCUMENTED_HUB), headers=headers, content=body)


def _substituted(text: str) -> str:
    """The shell's part: the service key and a user's token from the environment, a fresh key
    from uuidgen."""
    return (text.replace("$(uuidgen)", str(uuid.uuid4())).replace("$USER_TOKEN", USER_TOKEN)
            .replace("$NOTIFYHUB_SERVICE_KEY", SERVICE_KEY).replace("${NOTIFYHUB_SERVICE_KEY}", SERVICE_KEY))


CURL_EXAMPLES = [(block, words) for block in blocks(*SHELL) for words in _commands(
    Block(block.page, block.line, block.language, _substituted(block.text))) if words[:1] == ["curl"]]


@pytest.mark.parametrize("block,words", CURL_EXAMPLES, ids=[block.id for block, _ in CURL_EXAMPLES])
async def test_curl_examples_are_answered_by_a_hub(block: Block, words: list[str]) -> None:
    """Each `curl` example, sent to a development hub (with Web Push on), succeeds."""
    settings = hub_settings(service_keys=[SERVICE_KEY, DEV_SERVICE_KEY], vapid_private_key=generate_vapid_key()[0],
                            vapid_subject="mailto:ops@example.com")
    async with serve_in_process(settings) as hub:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.send(_curl_request(words, hub.base_url))
    assert response.status_code < 300, response.text
    if response.content:
        _check_json_example(response.json())


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    page = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    settings = {f"NOTIFYHUB_{name.upper()}" for name in Settings.model_fields}
    assert not [name for name in settings if name not in page]
    named = {name for page in PAGES for name in re.findall(r"NOTIFYHUB_[A-Z0-9_]*[A-Z0-9]", page.read_text())}
    assert named - settings <= NOT_SETTINGS, named - settings - NOT_SETTINGS
