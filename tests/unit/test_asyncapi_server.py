"""The server an AsyncAPI document names, from the address a request arrived on, without a socket."""

from __future__ import annotations

from notifyhub.asyncapi import generated_document, served_address, served_document


def test_an_ipv6_listener_is_named_in_brackets() -> None:
    """A hub bound to an IPv6 address names it as `[addr]:port`, a host a client can dial."""
    server = served_address(None, {"server": ("::1", 8443), "scheme": "http"})
    assert (server["host"], server["protocol"]) == ("[::1]:8443", "ws")


def test_a_tls_listener_is_named_wss() -> None:
    """A request that came over TLS gives the scheme `wss`."""
    assert served_address(None, {"server": ("10.0.0.5", 443), "scheme": "https"})["protocol"] == "wss"


def test_a_public_url_without_a_path_has_no_pathname() -> None:
    """`ws://host:port` names that host and port and no path prefix."""
    assert served_address("ws://hub.internal:9000", {"server": ("0.0.0.0", 8080), "scheme": "http"}) == {
        "host": "hub.internal:9000", "protocol": "ws", "description": "NOTIFYHUB_PUBLIC_URL"}


def test_the_served_document_keeps_everything_but_the_servers() -> None:
    """Only `servers` differs from the generated document: channels and messages are untouched."""
    document = served_document("wss://notify.example.com", {"server": ("127.0.0.1", 1), "scheme": "http"})
    assert {**document, "servers": None} == {**generated_document(), "servers": None}
    assert list(document["servers"]) == ["notifyhub"]
