"""What a push carries: the message envelope itself, or a reduced form when it is too large for
one push record, and the `Topic` that lets a push replace an undelivered one. No I/O."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

PUSH_BODY_BYTES = 4096
"""The largest push body push services must accept (RFC 8030 section 7.2; RFC 8291 section 4)."""
AES128GCM_HEADER_BYTES = 86
"""The aes128gcm header of a Web Push body: salt (16), record size (4), key id length (1) and the
sender's public key (65) (RFC 8188 section 2.1, RFC 8291 section 4)."""
RECORD_OVERHEAD_BYTES = 17
"""A record's padding delimiter (1) and AES-GCM tag (16)."""
MAX_PLAINTEXT_BYTES = PUSH_BODY_BYTES - AES128GCM_HEADER_BYTES - RECORD_OVERHEAD_BYTES
"""3993: the largest envelope sent whole (RFC 8291 section 4 gives the same figure; a test
encrypts it with pywebpush and measures the body)."""

REDUCED_MEMBERS = ("type", "id", "timestamp", "seq")
"""What the reduced form keeps of an envelope: enough for the service worker to show that a
message of this type arrived and to fetch it (by `seq`, through the WebSocket's replay)."""


def push_payload(envelope: bytes, limit: int = MAX_PLAINTEXT_BYTES) -> bytes:
    """The envelope as it is when it fits limit, else its reduced form:
    `{"type", "id", "timestamp", "seq", "payload_omitted": true}` (`seq` only when the envelope
    has one). Raises ValueError for an envelope that is not a JSON object."""
    if len(envelope) <= limit:
        return envelope
    document = json.loads(envelope)
    if not isinstance(document, dict):
        raise ValueError("an envelope is a JSON object")
    reduced = {member: document[member] for member in REDUCED_MEMBERS if member in document}
    return json.dumps({**reduced, "payload_omitted": True}, separators=(",", ":")).encode()


def push_topic(message_id: str) -> str:
    """The `Topic` header of a message's pushes (RFC 8030 section 5.4: at most 32 characters of
    the base64url alphabet): the id's 32 hex digits when it is a UUID, else a digest of it. A push
    sent again with the same topic replaces one the service has not delivered yet."""
    try:
        return uuid.UUID(message_id).hex
    except ValueError:
        return base64.urlsafe_b64encode(hashlib.sha256(message_id.encode()).digest()[:24]).decode()
