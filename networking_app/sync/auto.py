"""Syncing by itself while the app is open: at start, shortly after each change, every 30 s.

One :class:`AutoSync` per store (the web mode serves several sessions from one store), on a
thread of its own: a sync never runs on the UI's event loop, and a slow or missing folder
never blocks a screen. Sessions listen for what each run did (to say what came in and to
show the new records); a run that fails is remembered as a sentence, never raised.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import MutualError
from ..store import Store
from ..store.records import Doc
from .engine import Progress, Sync, SyncReport
from .schema import SYNCED_TABLES

log = logging.getLogger(__name__)
EVERY_S = 30.0
AFTER_CHANGE_S = 2.0  # a burst of changes (a note typed, an import) goes out as one sync


@dataclass
class Outcome:
    """What the last run did: a report, or the sentence why it could not run."""

    report: SyncReport | None = None
    error: str = ""
    finished: float = 0.0  # time.time()


Listener = Callable[[Outcome], None]


class AutoSync:
    _running: dict[int, AutoSync] = {}
    _guard = threading.Lock()

    @classmethod
    def for_store(cls, store: Store) -> AutoSync:
        """The one scheduler of this store (started on first use)."""
        with cls._guard:
            found = cls._running.get(id(store))
            if found is None or found.store is not store:
                found = cls._running[id(store)] = cls(store)
                found.start()
            return found

    def __init__(self, store: Store, *, every: float = EVERY_S, after_change: float = AFTER_CHANGE_S) -> None:
        self.store = store
        self.every, self.after_change = every, after_change
        self.listeners: list[Listener] = []
        self.last = Outcome()
        self.progress: tuple[int, int] = (0, 0)
        self.busy = False
        self._wake = threading.Event()
        self._due = time.monotonic()  # at start
        self._stop = False
        self._lock = threading.Lock()  # one run at a time, whoever asks
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.store.records.listeners.append(self._on_write)
        self._thread = threading.Thread(target=self._loop, name="mutual-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        if self._on_write in self.store.records.listeners:
            self.store.records.listeners.remove(self._on_write)

    def _on_write(self, table: str, old: Doc | None, new: Doc | None, /, *, merged_into: str = "") -> None:
        if table in SYNCED_TABLES:  # (a sync's own changes are published silently: they do not come here)
            self._due = min(self._due, time.monotonic() + self.after_change)
            self._wake.set()

    def soon(self) -> None:
        """Sync now, off this thread (e.g. the person pressed "Sync now")."""
        self._due = time.monotonic()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop and not self.store.closed:
            wait = self._due - time.monotonic()
            if wait > 0:
                self._wake.wait(min(wait, self.every))
                self._wake.clear()
                continue
            self._due = time.monotonic() + self.every
            if self.enabled():
                self.run_now()

    def enabled(self) -> bool:
        try:
            return Sync(self.store).settings().enabled
        except Exception:  # noqa: BLE001 - an unreadable store is said by whoever uses it; we just wait
            return False

    def run_now(self, progress: Progress | None = None) -> Outcome:
        """One sync, here and now (the scheduler's thread, or a worker thread of the UI)."""
        with self._lock:
            self.busy = True
            self.progress = (0, 0)

            def report_progress(done: int, total: int) -> None:
                self.progress = (done, total)
                if progress:
                    progress(done, total)

            try:
                outcome = Outcome(report=Sync(self.store).run(report_progress))
            except MutualError as exc:
                outcome = Outcome(error=str(exc))
            except Exception as exc:  # a bug must not stop the app; say it plainly and log it
                log.exception("sync failed")
                outcome = Outcome(error=f"Syncing failed ({type(exc).__name__}); nothing was lost.")
            finally:
                self.busy = False
            outcome.finished = time.time()
            self.last = outcome
        for listener in list(self.listeners):
            try:
                listener(outcome)
            except Exception:  # noqa: BLE001 - a closed session's listener must not stop the others
                self.listeners.remove(listener)
        return outcome

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Be told of each run's outcome (from the sync thread); returns how to stop."""
        self.listeners.append(listener)

        def stop() -> None:
            if listener in self.listeners:
                self.listeners.remove(listener)

        return stop
