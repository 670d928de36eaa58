"""The store: opening the records on disk (or in memory), their schema, backups and restores.

A :class:`Store` hands out one repository per kind of record (``store.people``,
``store.events``, ``store.meetings``, ``store.followups``, ``store.cards``,
``store.intros``); they all read and write through ``store.records``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..backups import Backups, load_backup, read_backup_file
from ..errors import SchemaTooNewError, StoreCorruptError, StoreError
from ..memory_storage import MemoryStorage
from ..migrations import SCHEMA_VERSION, migrate, schema_of
from ..storage import JournaledStorage
from .cards import Cards
from .events import Events
from .followups import Followups
from .intros import Intros
from .meetings import Meetings
from .people import People
from .records import TABLES, Records, RecordStorage, shareable
from .sync_recorder import Recorder

STORE_FILE = "mutual.json"


class Store:
    """Open with :meth:`Store.open` (or :meth:`Store.in_memory`); close when done (or use it as a context manager)."""

    def __init__(self, storage: RecordStorage, folder: Path, *, today: Callable[[], date] = date.today) -> None:
        self.folder = folder  # the data folder: the store's files on disk, and its backups
        self.today = today
        self.backups = Backups(folder / "backups")
        self.records = Records(storage)
        self.sync_recorder = Recorder(self.records)  # records nothing until sync is set up
        self.records.listeners.append(self.sync_recorder)
        self.notices: list[str] = []  # sentences to show once: what went wrong without stopping us
        self.auto_backup = False  # daily and before-change backups (Store.open's daily_backup)
        self.closed = False
        self._storage = storage
        self.people = People(self)
        self.events = Events(self)
        self.meetings = Meetings(self)
        self.followups = Followups(self)
        self.cards = Cards(self)
        self.intros = Intros(self)

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        today: Callable[[], date] = date.today,
        lock_timeout: float = 10.0,
        daily_backup: bool = True,
        **storage_options: Any,
    ) -> Store:
        """Open (or create) the store in ``folder``: check its schema, migrate, back up.

        A store that cannot be read is never touched: the error names the file
        and the newest backup that reads back whole.
        """
        backups = Backups(folder / "backups")
        try:
            storage = JournaledStorage(folder / STORE_FILE, lock_timeout=lock_timeout, **storage_options)
            tables = storage.read()
        except StoreCorruptError as exc:
            raise StoreCorruptError(exc.path, _reason(exc), backups.newest_good()) from None
        store = cls(storage, folder, today=today)
        try:
            try:
                store._upgrade(tables)
                store.records.fresh()  # decodes every document once: a damaged one is found now
            except ValueError as exc:
                raise StoreCorruptError(storage.path, f"a record is damaged: {exc}", backups.newest_good()) from None
            if not storage.read_only:
                storage.remove_stale_temp_files()
            if not storage.native_layout and not storage.read_only:
                storage.fold_for_privacy()  # once: later opens load without parsing everything
            store.auto_backup = daily_backup and not storage.read_only
            if store.auto_backup:
                store._backup_if_due()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def in_memory(cls, folder: Path, *, today: Callable[[], date] = date.today) -> Store:
        """A store whose records live in this process only; backups, if any are made, go to ``folder``."""
        store = cls(MemoryStorage(), folder, today=today)
        store._upgrade(store._storage.read())
        return store

    def _upgrade(self, tables: dict[str, Any]) -> None:
        version = schema_of(tables)
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{self._storage.path} was written by a newer Mutual (schema {version}); "
                "update Mutual to open it. It was not changed."
            )
        if not any(tables.get(name) for name in TABLES.values()) and version == 0:
            with self.records.writing():
                self.records.set_meta(schema=SCHEMA_VERSION, current_event_id="")
            return
        if version < SCHEMA_VERSION:  # under the lock, like a restore: no write lands between backup and rewrite
            with self.records.mutex, self._storage.transaction():
                plain = self._storage.materialize()
                if schema_of(plain) < SCHEMA_VERSION:  # another process may have migrated it meanwhile
                    self.backups.create(plain, reason=f"before-schema-{SCHEMA_VERSION}")
                    migrate(plain)
                    self.records.replace_all(plain)  # one atomic rewrite of the migrated snapshot

    def close(self) -> None:
        self.closed = True
        self._storage.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self._storage.path

    # -- backups --------------------------------------------------------------------------
    def _backup_if_due(self) -> None:
        """Today's backup, unless the disk refuses: then say so and carry on (the store is fine)."""
        if self.backups.due() and any(self._storage.read().get(t) for t in TABLES.values()):
            try:
                self.backup(reason="daily")
            except StoreError as exc:
                self.notices.append(f"Today's backup was not written: {exc}")

    def backup_if_due(self, reason: str = "daily", every: timedelta = timedelta(days=1)) -> None:
        """A backup unless one was made within ``every`` (automatic backups only, see ``auto_backup``).

        The app asks every few minutes (a first session starts empty and may run for days), and
        before a merge or a delete with ``every`` of an hour: ten changes in a row must not rotate
        the daily backups away. A disk that refuses is said once, never raised.
        """
        if not self.auto_backup or not self.backups.due(every):
            return
        with self.records.mutex:
            if not any(self._storage.read().get(t) for t in TABLES.values()):
                return
            try:
                self.backup(reason=reason)
            except StoreError as exc:
                self.notices.append(f"The backup was not written: {exc}")

    def backup(self, reason: str = "") -> Path:
        """Write a backup of everything now and return its path.

        It reads one state that existed, without waiting for writers (see ``storage.mirror``).
        """
        with self.records.mutex:
            return self.backups.create(shareable(self._storage.materialize()), reason=reason)

    def restore(self, backup_file: Path) -> Path:
        """Replace everything with a backup, all or nothing; returns the backup of what was there before."""
        return self.restore_bytes(read_backup_file(backup_file), backup_file.name)

    def restore_bytes(self, data: bytes, source: str = "this file") -> Path:
        """:meth:`restore` from a backup's bytes (e.g. from a file picker).

        The backup is checked whole first (:func:`~networking_app.backups.load_backup`): refused,
        nothing is touched. Then, under the writers' lock from the first read to the replace, what
        is there now is backed up and replaced: every write acknowledged before the restore is in
        that backup, every one after it in the store.
        """
        tables = load_backup(data, source)
        with self.records.mutex, self._storage.transaction():
            kept = self.backups.create(self._storage.materialize(), reason="before-restore")
            self.records.replace_all(tables)
        return kept

    # -- everything at once ------------------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes as one atomic commit: all of them reach the disk, or none."""
        with self.records.writing():
            yield

    def tables(self) -> dict[str, dict[str, Any]]:
        """Every table as plain dicts (for exports): a consistent copy, read under the lock."""
        with self.records.mutex:
            self.records.fresh()
            return shareable(self._storage.materialize())

    def counts(self) -> dict[str, int]:
        """How many records of each kind, by table name."""
        records = self.records
        with records.mutex:
            records.fresh()
            return {name: records.count(kind) for kind, name in TABLES.items()}

    def fold_for_privacy(self) -> None:
        """After a deletion: fold the journal so the deleted data leaves the files (or say it will)."""
        if not self._storage.fold_for_privacy():
            self.notices.append("The disk is full: the deletion is saved, and the deleted data will leave the "
                                "store's files as soon as there is room.")


def _reason(exc: StoreCorruptError) -> str:
    text = str(exc)
    start, end = text.find("("), text.rfind(")")
    return text[start + 1 : end] if 0 <= start < end else "unreadable"
