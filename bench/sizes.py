"""How big each run is: `smoke` (the test, seconds), `quick` (about 3 min), `full` (`make bench`, about 16 min)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    rounds: int
    fanout_sizes: tuple[int, ...]
    """A: connections opened (and idle memory measured) per session, one session per size."""
    broadcast_sizes: tuple[int, ...]
    """B: sizes at which one broadcast is timed."""
    broadcasts_per_round: int
    working_connections: int
    """C, D, E run in the session of this size."""
    sustained_messages: int
    targeted_single: int
    targeted_batched: int
    batch_size: int
    in_process_messages: int
    replay_messages: int
    """F: at most ~5,000: a longer replay overflows the hub's 1 MB send queue (closed with 4000)."""
    replay_rounds: int
    two_hub_connections: int
    two_hub_messages: int
    flood_connections: int
    """H: connections flooding the server while D's single sends are timed again."""
    connections_per_user: int = 2
    """Every user holds this many connections (tabs)."""
    publishers: int = 8
    """Targeted publish requests in flight at once (a service's workers), each publisher owning a
    share of the users so that every user's messages keep one order; broadcasts go one at a time."""
    step_timeout_seconds: float = 60.0
    warm_up_connections: int = 200
    """Opened, sent to and closed before a server's first measurement (see scenarios/warm_up.py);
    few, since the memory they leave behind counts as the server's own before A opens its N."""
    warm_up_messages: int = 2000
    """Targeted sends of the warm-up, singly and again in batches."""


SIZES = {
    "smoke": Sizes(rounds=1, fanout_sizes=(40,), broadcast_sizes=(40,), broadcasts_per_round=1,
                   working_connections=40, sustained_messages=20, targeted_single=20, targeted_batched=20,
                   batch_size=10, in_process_messages=20, replay_messages=50, replay_rounds=1,
                   two_hub_connections=20, two_hub_messages=10, flood_connections=2,
                   step_timeout_seconds=10.0, warm_up_connections=10, warm_up_messages=20, publishers=2),
    "quick": Sizes(rounds=1, fanout_sizes=(1000,), broadcast_sizes=(1000,), broadcasts_per_round=3,
                   working_connections=1000, sustained_messages=100, targeted_single=3000,
                   targeted_batched=10000, batch_size=200, in_process_messages=10000, replay_messages=5000,
                   replay_rounds=2, two_hub_connections=500, two_hub_messages=500, flood_connections=4),
    "full": Sizes(rounds=3, fanout_sizes=(1000, 5000, 10000), broadcast_sizes=(1000, 5000, 10000),
                  broadcasts_per_round=3, working_connections=1000, sustained_messages=200,
                  targeted_single=6000, targeted_batched=20000, batch_size=200, in_process_messages=10000,
                  replay_messages=5000, replay_rounds=3, two_hub_connections=1000, two_hub_messages=1000,
                  flood_connections=8),
}
