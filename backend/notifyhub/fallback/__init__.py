"""Fallback delivery: a message that no device of its user acknowledged within its type's
`x-delivery.fallback.after-seconds` goes out through the user's other channels (Web Push,
webhooks). `channel` names what a channel is; the scheduler decides when; each channel how."""
