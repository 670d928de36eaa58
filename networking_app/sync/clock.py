"""Hybrid logical clocks: an order of changes that survives devices whose clocks disagree.

A stamp is ``WWWWWWWWWWWW-CCCC-DDDDDDDDDDDDDDDD``: wall time in milliseconds (12 hex digits),
a counter (4 hex digits) and the device id (16 hex digits). Stamps compare as text in the
order (wall, counter, device), every stamp a device makes is later than every stamp it has
seen, and no two devices make the same stamp: a total order of every change ever made.

A device whose clock runs ahead drags the others' stamps forward with it (that is what keeps
cause before effect); the drift is reported so the person can be told, never refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

_COUNTER_MAX = 0xFFFF
STAMP = re.compile(r"[0-9a-f]{12}-[0-9a-f]{4}-[0-9a-f]{16}\Z")
DEVICE_ID = re.compile(r"[0-9a-f]{16}\Z")
DRIFT_WARNING_MS = 5 * 60 * 1000  # Actual Budget refuses beyond 5 min; we only warn


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def make_stamp(wall: int, counter: int, device: str) -> str:
    return f"{wall:012x}-{counter:04x}-{device}"


@dataclass(frozen=True)
class Stamp:
    wall: int
    counter: int
    device: str

    @classmethod
    def parse(cls, text: str) -> Stamp:
        if not STAMP.match(text):
            raise ValueError(f"not a clock stamp: {text[:40]!r}")
        return cls(int(text[:12], 16), int(text[13:17], 16), text[18:])


class HybridClock:
    """One device's clock. ``last`` is persisted with the store so order survives restarts."""

    def __init__(self, device: str, last: str = "", now: Callable[[], int] | None = None) -> None:
        if not DEVICE_ID.match(device):
            raise ValueError(f"not a device id: {device!r}")
        self.device = device
        self._now = now or (lambda: wall_ms())  # looked up at each call: tests move the wall clock
        self._wall, self._counter = 0, 0
        if last:
            stamp = Stamp.parse(last)
            self._wall, self._counter = stamp.wall, stamp.counter

    @property
    def last(self) -> str:
        return make_stamp(self._wall, self._counter, self.device)

    def tick(self) -> str:
        """A new stamp for a change made here."""
        now = self._now()
        if now > self._wall:
            self._wall, self._counter = now, 0
        else:
            self._advance_counter()
        return self.last

    def observe(self, stamp: str) -> int:
        """Take in a stamp seen from another device; returns how far ahead of our clock it is (ms)."""
        seen = Stamp.parse(stamp)
        now = self._now()
        if seen.wall > self._wall or (seen.wall == self._wall and seen.counter > self._counter):
            self._wall, self._counter = seen.wall, seen.counter
        if now > self._wall:
            self._wall, self._counter = now, 0
        return seen.wall - now

    def _advance_counter(self) -> None:
        # After a far-ahead stamp the wall part stays ahead of real time and only the counter
        # moves: on overflow, borrow a millisecond instead of wrapping (order stays total).
        if self._counter >= _COUNTER_MAX:
            self._wall, self._counter = self._wall + 1, 0
        else:
            self._counter += 1


def stamp_time_ms(stamp: str) -> int:
    return int(stamp[:12], 16)
