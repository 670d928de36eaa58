"""Turning this device's writes into operations: stamped, checked like everyone's, applied here first.

A local write is put through the same checks and the same merge rules as one from another
device (encode, decode, apply), so what this device shows is exactly what every other
device will show once it has the same operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .clock import HybridClock
from .ops import Change, Op, change_between, decode, encode
from .replica import Applied, Replica


class LocalWriter:
    def __init__(self, replica: Replica, clock: HybridClock, next_seq: int) -> None:
        self.replica = replica
        self.clock = clock
        self.next_seq = next_seq
        self.written: list[tuple[Op, bytes]] = []  # since the caller last took them

    @property
    def device(self) -> str:
        return self.clock.device

    def record(self, change: Change) -> tuple[Op, Applied]:
        op = change.stamped(self.device, self.next_seq, self.clock.tick())
        wire = encode(op)
        op = decode(wire)  # the same cleaning as everyone else's
        self.next_seq += 1
        self.written.append((op, wire))
        return op, self.replica.apply([op])

    def record_many(self, changes: list[Change]) -> Applied:
        """:meth:`record` for many changes, applied here in one batch."""
        ops = []
        for change in changes:
            op = change.stamped(self.device, self.next_seq, self.clock.tick())
            wire = encode(op)
            op = decode(wire)
            self.next_seq += 1
            self.written.append((op, wire))
            ops.append(op)
        return self.replica.apply(ops)

    def write(self, table: str, rid: str, new: dict[str, Any] | None) -> Applied | None:
        """Record the change from what is shown now to ``new`` (None: delete)."""
        change = change_between(table, rid, self.replica.document(table, rid), new)
        return None if change is None else self.record(change)[1]

    def take(self) -> list[tuple[Op, bytes]]:
        written, self.written = self.written, []
        return written


def observe_all(clock: HybridClock, ops: list[Op], warn: Callable[[str, int], None] | None = None) -> None:
    """Let the clock see remote stamps, so this device's next writes come after them."""
    for op in ops:
        ahead = clock.observe(op.clock)
        if warn is not None:
            warn(op.origin, ahead)
