"""Putting a backup back when the store itself cannot be opened (a damaged data file).

``Store.open`` refuses a damaged store and names the newest good backup; restoring that backup
must then be possible without repairing anything by hand. The backup is checked whole first
(refused: nothing moves); then, under the writers' lock, the damaged files are moved, never
deleted, into a ``damaged-<time>/`` folder beside them, and an empty store can be opened for
the restore to fill.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from ..backups import load_backup, read_backup
from ..durable_io import PRIVATE_FILE, fsync_dir, make_private_dir
from ..errors import StoreBusyError, StoreError

if TYPE_CHECKING:
    from .store import Store


def set_damaged_files_aside(data_file: Path, backup: bytes, source: str, *, lock_timeout: float = 10.0) -> Path:
    """Check ``backup`` whole, then move ``data_file`` and its journal into a new ``damaged-…``
    folder beside them (under the store's lock); returns that folder."""
    load_backup(backup, source)  # a backup that would be refused is refused before anything moves
    folder = data_file.parent
    aside = folder / f"damaged-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    lock = FileLock(str(data_file.with_suffix(".lock")), timeout=lock_timeout, mode=PRIVATE_FILE,
                    preserve_lock_file=True)
    try:
        with lock:
            make_private_dir(aside)
            for path in (data_file, data_file.with_suffix(".journal")):
                if path.exists():
                    os.replace(path, aside / path.name)  # same folder, same disk: a rename, nothing copied
            fsync_dir(aside)
            fsync_dir(folder)
    except Timeout:
        raise StoreBusyError("Another Mutual window or command is using the data; nothing was restored, "
                             "try again once it is closed.") from None
    except OSError as exc:
        raise StoreError(f"Mutual could not set the damaged files aside ({exc.strerror or exc}); "
                         "nothing was restored.") from None
    return aside


def set_aside_for(folder: Path, backup: Path) -> tuple[bytes, Path]:
    """Read ``backup`` (no further than a backup can be), then set the store's damaged files aside
    for it (:func:`set_damaged_files_aside`); returns its bytes and where the damaged files went."""
    from .store import STORE_FILE

    data = read_backup(backup)
    return data, set_damaged_files_aside(folder / STORE_FILE, data, backup.name)


def put_back(folder: Path, backup: Path) -> tuple[Store, Path]:
    """The app's "Put back the newest good backup": the damaged files set aside, the backup restored
    into a fresh store; returns the open store and where the damaged files are."""
    from .store import Store

    data, aside = set_aside_for(folder, backup)
    store = Store.open(folder)
    store.restore_bytes(data, backup.name)
    return store, aside
