"""Opt-in event-loop lag monitor, for benchmarks: off unless ``MUTUAL_LOOP_MONITOR`` names a file.

Every Flet session shares one asyncio loop, so a handler that blocks it freezes
every session. With ``MUTUAL_LOOP_MONITOR=/path/lag.jsonl`` set, the first session
starts a task that asks to wake every 10 ms and records how late it woke. A
watchdog thread snapshots the loop thread's stack while it has not ticked for
40 ms (so a long block names its handler), and twice a second appends one JSON
line to the file: the running totals (ticks, max, p50/p99 lag in ms), the late
ticks (≥ 5 ms, each with the loop thread's CPU time over that wait) and the
stack snapshots since the previous line. Wall-clock times (``time.time()``) let
another process line these up with what it did.

When the variable is unset, :func:`start_if_enabled` returns at once and nothing runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
import traceback
from collections import Counter, deque
from typing import Any

ENV = "MUTUAL_LOOP_MONITOR"
INTERVAL = 0.010  # the tick asks to wake this often
LATE = 0.005  # ticks at least this late are listed one by one
STALL = 0.040  # the watchdog snapshots stacks when the loop has not ticked for this long
FLUSH = 0.5  # seconds between lines in the file

_started = False


def start_if_enabled() -> None:
    """Start the monitor on the running loop, once per process, if the variable is set."""
    global _started
    path = os.environ.get(ENV)
    if _started or not path:
        return
    _started = True
    _Monitor(path, asyncio.get_running_loop()).start()


class _Monitor:
    def __init__(self, path: str, loop: asyncio.AbstractEventLoop) -> None:
        self.path = path
        self.loop = loop
        self.hist: Counter[int] = Counter()  # every tick's lateness, in 0.1 ms buckets
        self.max_lag = 0.0
        self.late: deque[list[float]] = deque()  # [wall time of the late wake, lag ms, loop CPU ms]
        self.stalls: list[dict[str, Any]] = []
        self.last_tick = time.monotonic()
        self.loop_thread = threading.get_ident()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = self.loop.create_task(self._tick(time.monotonic(), time.thread_time()))
        threading.Thread(target=self._watch, name="loop-monitor", daemon=True).start()

    async def _tick(self, since: float, cpu: float) -> None:
        # The first wake is measured from creation, so what delays the task's first step counts too.
        # The loop thread's own CPU time between wakes tells a handler that ran (CPU ≈ lag) from
        # a loop that waited for a core or for the GIL (CPU ≪ lag).
        while True:
            await asyncio.sleep(INTERVAL)
            now, cpu_now = time.monotonic(), time.thread_time()
            lag = max(0.0, now - since - INTERVAL)
            self.hist[int(lag * 10_000)] += 1
            self.max_lag = max(self.max_lag, lag)
            if lag >= LATE:
                self.late.append([round(time.time(), 4), round(lag * 1000, 2), round((cpu_now - cpu) * 1000, 2)])
            self.last_tick, since, cpu = now, now, cpu_now

    # -- the watchdog thread ---------------------------------------------------------------
    def _watch(self) -> None:
        flushed = time.monotonic()
        stalled_for = 0.0  # the last_tick of the stall already snapshotted (one series per stall)
        snaps = 0
        while True:
            time.sleep(INTERVAL)
            now = time.monotonic()
            quiet = now - self.last_tick - INTERVAL
            if quiet >= STALL:
                if stalled_for != self.last_tick:
                    stalled_for, snaps = self.last_tick, 0
                if snaps < 4 and quiet >= STALL * (1 + snaps):  # at 40, 80, 120, 160 ms of silence
                    snaps += 1
                    self.stalls.append(self._snapshot(quiet))
            if now - flushed >= FLUSH:
                flushed = now
                self._flush()

    def _snapshot(self, quiet: float) -> dict[str, Any]:
        frames = sys._current_frames()
        me = threading.get_ident()
        loop_frame = frames.get(self.loop_thread)
        others = {}
        names = {t.ident: t.name for t in threading.enumerate()}
        for ident, frame in frames.items():
            if ident not in (self.loop_thread, me):
                top = traceback.extract_stack(frame)[-3:]
                others[names.get(ident, str(ident))] = [f"{f.filename}:{f.lineno} {f.name}" for f in top]
        stack: list[str] = []
        for f in traceback.extract_stack(loop_frame) if loop_frame else []:
            where = f"{f.filename}:{f.lineno} {f.name}"
            if stack and stack[-1].split(" ")[-1] == f.name and stack[-1].split(":")[0] == f.filename:
                stack[-1] = where + " (recursing)"  # one line per run of a recursive function
            else:
                stack.append(where)
        return {"at": round(time.time(), 4), "quiet_ms": round(quiet * 1000, 1), "loop_stack": stack,
                "other_threads": others}

    def _flush(self) -> None:
        late = [self.late.popleft() for _ in range(len(self.late))]
        stalls, self.stalls = self.stalls, []  # only this thread touches it
        buckets = sorted(self.hist.copy().items())
        n = sum(count for _, count in buckets)
        line = {
            "t": round(time.time(), 4), "ticks": n, "max_ms": round(self.max_lag * 1000, 2),
            "p50_ms": _quantile(buckets, n, 0.50), "p99_ms": _quantile(buckets, n, 0.99),
            "late": late, "stalls": stalls,
        }
        try:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")
        except OSError:
            pass


def _quantile(buckets: list[tuple[int, int]], n: int, q: float) -> float:
    """The q-quantile in ms of a 0.1 ms histogram (the bucket's upper edge)."""
    seen, wanted = 0, q * n
    for bucket, count in buckets:
        seen += count
        if seen >= wanted:
            return round((bucket + 1) / 10, 1)
    return 0.0
