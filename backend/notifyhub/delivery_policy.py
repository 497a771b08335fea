"""What a type's delivery policy (its schema's `x-delivery`, in the generated registry) asks of a
publish: live or durable, and the key a message supersedes earlier ones by. No I/O."""

from __future__ import annotations

from collections.abc import Mapping

from notifyhub_protocol import DURABLE, SERVER_MESSAGE_TYPES, DeliveryPolicy
from pydantic import BaseModel

Policies = Mapping[str, DeliveryPolicy]
"""Each message type's policy, by its `type` string."""


def schema_policies() -> dict[str, DeliveryPolicy]:
    """The policies the schemas state."""
    return {name: known.delivery for name, known in SERVER_MESSAGE_TYPES.items()}


def policy_of(policies: Policies, message_type: str) -> DeliveryPolicy:
    return policies.get(message_type, DURABLE)


def conflation_key(policy: DeliveryPolicy, message_type: str, payload: BaseModel) -> str | None:
    """`<type>:<value of the policy's field>`, which a message shares with the ones it supersedes;
    None when the type is not conflated. A UUID field gives its canonical form, so two spellings
    of one id are one key."""
    if policy.conflate_by is None:
        return None
    return f"{message_type}:{getattr(payload, policy.conflate_by)}"
