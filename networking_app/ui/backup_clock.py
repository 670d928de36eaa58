"""Today's backup while the app stays open: the store backs up when it opens, and a session
(a first one above all, which starts with nothing to back up) may run for days.

One daemon thread per store, whatever the number of sessions: every few minutes it asks the
store for its daily backup, which is made only when none was made that day.
"""

from __future__ import annotations

import logging
import threading

from ..store import Store

log = logging.getLogger(__name__)
EVERY_S = 600.0

_started: dict[int, Store] = {}
_guard = threading.Lock()


def keep_backed_up(store: Store, every: float = EVERY_S) -> None:
    """Start the store's backup clock (once per store; later calls do nothing)."""
    with _guard:
        if _started.get(id(store)) is store:
            return
        _started[id(store)] = store
    threading.Thread(target=_tick, args=(store, every), name="mutual-backups", daemon=True).start()


def _tick(store: Store, every: float) -> None:
    stop = threading.Event()
    while not stop.wait(every) and not store.closed:
        try:
            store.backup_if_due()
        except Exception:  # a backup is a safety net: never a reason for the app to fail
            log.exception("the daily backup failed")
