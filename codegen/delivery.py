"""The `x-delivery` keyword of a message schema: how the hub delivers its type.

```json
"x-delivery": {"mode": "durable", "conflate-by": "book_id",
               "fallback": {"after-seconds": 300, "channels": ["push", "webhook"]}}
```

Every part is optional; a schema without the keyword is `durable`, unconflated, without fallback.
See docs/delivery.md, "Delivery policy per type", for what each part promises a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DELIVERY_KEY = "x-delivery"
MODES = ("durable", "live")
"""`durable`: seq, history, replay (the default). `live`: only the connections open at the time."""
CHANNELS = ("push", "webhook")
"""The user's other channels a fallback may go out through."""
MAX_FALLBACK_SECONDS = 86_400
"""The longest a fallback may wait for an acknowledgement: one day, well within the history's
default 72 hours, so the message is still kept when its fallback is due."""
KEY_TYPES = ("string", "integer")
"""JSON types a conflation key may have: values that compare exactly."""


class DeliveryError(ValueError):
    """An `x-delivery` keyword the hub could not honour; the message says what and why."""


@dataclass(frozen=True)
class Fallback:
    after_seconds: int
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    """One type's delivery policy, as its schema states it."""

    mode: str = "durable"
    conflate_by: str | None = None
    fallback: Fallback | None = None

    def as_json(self) -> dict[str, Any]:
        """The keyword as written in full, defaults included (AsyncAPI shows it so)."""
        document: dict[str, Any] = {"mode": self.mode}
        if self.conflate_by is not None:
            document["conflate-by"] = self.conflate_by
        if self.fallback is not None:
            document["fallback"] = {"after-seconds": self.fallback.after_seconds,
                                    "channels": list(self.fallback.channels)}
        return document

    def summary(self) -> str:
        """One sentence for people: `durable; conflated by `book_id`; ...`."""
        parts = [self.mode]
        if self.conflate_by is not None:
            parts.append(f"only the latest per `{self.conflate_by}` is replayed")
        if self.fallback is not None:
            parts.append(f"unacknowledged after {self.fallback.after_seconds} s, also sent by "
                         + " and ".join(self.fallback.channels))
        return "Delivery: " + "; ".join(parts) + "."


DURABLE = Delivery()


def parse_delivery(schema: dict[str, Any], payload: dict[str, Any] | None, sent_by_services: bool) -> Delivery:
    """The delivery policy a message schema states.

    Raises DeliveryError naming the part of the keyword that is wrong and what is allowed.
    """
    if DELIVERY_KEY not in schema:
        return DURABLE
    if not sent_by_services:
        raise DeliveryError(f"{DELIVERY_KEY} is for types services send; the hub sends `x-origin: hub` "
                            "types itself, to one connection")
    keyword = schema[DELIVERY_KEY]
    if not isinstance(keyword, dict):
        raise DeliveryError(f"{DELIVERY_KEY} must be an object, not {keyword!r}")
    _only(keyword, {"mode", "conflate-by", "fallback"}, DELIVERY_KEY)
    mode = keyword.get("mode", "durable")
    if mode not in MODES:
        raise DeliveryError(f"{DELIVERY_KEY}.mode {mode!r} is not one of {', '.join(MODES)}")
    conflate_by = keyword.get("conflate-by")
    fallback = _fallback(keyword["fallback"]) if "fallback" in keyword else None
    if mode == "live" and conflate_by is not None:
        raise DeliveryError(f"{DELIVERY_KEY}: a live type keeps no history, so there is nothing to conflate "
                            "(drop conflate-by or make it durable)")
    if mode == "live" and fallback is not None:
        raise DeliveryError(f"{DELIVERY_KEY}: a live type has no seq and is never acknowledged, so no "
                            "fallback can wait for an acknowledgement (drop fallback or make it durable)")
    if conflate_by is not None:
        _check_key(conflate_by, payload or {})
    return Delivery(mode, conflate_by, fallback)


def _only(node: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(node) - allowed)
    if unknown:
        raise DeliveryError(f"{where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _fallback(node: Any) -> Fallback:
    where = f"{DELIVERY_KEY}.fallback"
    if not isinstance(node, dict):
        raise DeliveryError(f"{where} must be an object with after-seconds and channels, not {node!r}")
    _only(node, {"after-seconds", "channels"}, where)
    after = node.get("after-seconds")
    if isinstance(after, bool) or not isinstance(after, int) or not 1 <= after <= MAX_FALLBACK_SECONDS:
        raise DeliveryError(f"{where}.after-seconds must be a whole number of seconds from 1 to "
                            f"{MAX_FALLBACK_SECONDS}, not {after!r}")
    channels = node.get("channels")
    if (not isinstance(channels, list) or not channels or len(set(map(str, channels))) != len(channels)
            or any(channel not in CHANNELS for channel in channels)):
        raise DeliveryError(f"{where}.channels must list one or more of {', '.join(CHANNELS)}, each once, "
                            f"not {channels!r}")
    return Fallback(after, tuple(channels))


def _check_key(name: Any, payload: dict[str, Any]) -> None:
    where = f"{DELIVERY_KEY}.conflate-by"
    properties = payload.get("properties", {})
    if not isinstance(name, str) or name not in properties:
        raise DeliveryError(f"{where} {name!r} is not a payload field (fields: {', '.join(properties)})")
    if name not in payload.get("required", []):
        raise DeliveryError(f"{where} {name!r} must be a required payload field: a message without it "
                            "would have no key")
    if properties[name].get("type") not in KEY_TYPES:
        raise DeliveryError(f"{where} {name!r} must be a {' or '.join(KEY_TYPES)} field, "
                            f"not {properties[name].get('type')!r}")
