"""The store's files mirrored in memory: loading them, and catching up with other processes.

Another process may append to the journal or fold it into a new snapshot at any time. One
``stat`` of each file tells whether it did: what it appended is replayed, anything else
(a new snapshot, a replaced or shortened journal) is loaded afresh. Listeners hear which
documents changed (None: anything may have), and :attr:`FileMirror.generation` moves on so
TinyDB tables forget the next ids they cached.

Reading needs no lock, and never waits for a writer; it sees one state that existed. A fold
replaces the snapshot (rename) and then removes the journal, which is never emptied in place
(:mod:`.journal`). So a pair read without the lock is consistent when the snapshot read is
still the one on disk after the journal was read: then no fold finished in between, and the
journal read was this snapshot's own (appended to only at its end, so what was read is a
prefix of its commits), or the previous one, already folded into it and never written again
(replaying it whole changes nothing). Otherwise the pair is read again. The snapshot stays
open until that check, so its inode cannot be reused by a newer one meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from .. import collector, jsoncodec
from ..errors import StoreCorruptError
from .journal import Journal, Ops
from .lazy_table import LazyTable, Tables, as_lazy
from .snapshot import decode_snapshot

Signature = tuple[int, int, int]
ChangeListener = Callable[[set[tuple[str, str]] | None], None]
OPTIMISTIC_READS = 20  # reads of the pair without the lock before keeping writers out for one


def signature(st: os.stat_result) -> Signature:
    """What tells one version of a file from the next: inode, size and modification time."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class FileMirror:
    """The tables a snapshot and its journal hold, kept in step with the two files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.journal_path = path.with_suffix(".journal")
        self.journal = Journal(self.journal_path)
        self.native_layout = True  # False after loading a snapshot plain TinyDB wrote
        self.generation = 0  # bumped whenever data changed under our feet
        self.listeners: list[ChangeListener] = []
        self._tables: Tables | None = None
        self._snapshot_sig: Signature | None = None

    def _load_all(self) -> None:
        """Read both files afresh: on first use, after a fold, and to drop what a failed or
        aborted commit left in memory. Without the lock, until the pair read belongs together."""
        for _ in range(OPTIMISTIC_READS):
            pair = self._read_pair(locked=self._lock_held())
            if pair is not None:
                break
        else:  # folds kept landing mid-read: read once more, keeping writers out for that moment
            with self._writers_held_off():
                pair = self._read_pair(locked=True)
        assert pair is not None
        self._tables, ops = pair
        self._apply(ops)
        self.generation += 1
        self._notify(None)

    def _read_pair(self, *, locked: bool) -> tuple[Tables, Ops] | None:
        """The snapshot's tables and its journal's ops, or None when a fold landed between the two reads."""
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            raise StoreCorruptError(self.path, "the file is missing", None) from None
        except OSError as exc:
            raise StoreCorruptError(self.path, exc.strerror or str(exc), None) from exc
        with f:
            try:
                raw = f.read()
                sig = signature(os.fstat(f.fileno()))
            except OSError as exc:
                raise StoreCorruptError(self.path, exc.strerror or str(exc), None) from exc
            try:
                ops = self.journal.read(0, locked=locked)
            except StoreCorruptError:
                if locked or self._snapshot_unchanged(sig):
                    raise
                return None  # a fold was rewriting the journal under us (Windows): read again
            if not locked and not self._snapshot_unchanged(sig):
                return None
        assert ops is not None
        tables = self._decode_snapshot(raw)
        self._snapshot_sig = sig
        return tables, ops

    def _snapshot_unchanged(self, sig: Signature) -> bool:
        try:
            return signature(self.path.stat()) == sig
        except OSError:
            return False

    def _decode_snapshot(self, raw: bytes) -> Tables:
        try:
            with collector.paused():  # parsing builds many objects and no cycles: 1.7-2x faster
                tables, self.native_layout = decode_snapshot(raw)
            return tables
        except ValueError as exc:
            reason = "it is empty" if not raw.strip() else f"it is not valid JSON: {exc}"
            raise StoreCorruptError(self.path, reason, None) from None

    def _sync(self, *, locked: bool) -> None:
        """Catch up with what another process committed since we last looked."""
        try:
            snap = signature(self.path.stat())
        except OSError:
            snap = None
        journal = self.journal
        jino, jsize = journal.on_disk()
        if snap != self._snapshot_sig or (jino != journal.ino and jsize) or jsize < journal.end:
            journal.reopen_if_replaced(jino)
            self._load_all()
        elif jsize > journal.end:
            self._read_on(locked=locked)

    def _read_on(self, *, locked: bool) -> None:
        """Replay what was appended to the journal since we last read it.

        Without the lock, it counts only if the journal read was still our snapshot's: the same
        file, and the snapshot not replaced by the time it was read. Else everything is read afresh.
        """
        assert self._snapshot_sig is not None
        sig = self._snapshot_sig
        try:
            ops = self.journal.read(self.journal.end, locked=locked, same_file=True)
        except StoreCorruptError:
            if locked or self._snapshot_unchanged(sig):
                raise
            ops = None
        if ops is None or (not locked and not self._snapshot_unchanged(sig)):
            self._load_all()
        elif ops:
            changed = self._apply(ops)
            self.generation += 1
            self._notify(changed)

    def _apply(self, ops: Ops) -> set[tuple[str, str]] | None:
        """Replay journal ops onto the tables: the documents changed, or None when a table was cleared."""
        assert self._tables is not None
        changed: set[tuple[str, str]] | None = set()
        for table, key, doc in ops:
            if key is None:
                self._tables[table] = LazyTable()  # type: ignore[assignment]  # a LazyTable stands in for TinyDB's dict
                changed = None
                continue
            docs = as_lazy(self._tables.setdefault(table, LazyTable()))  # type: ignore[arg-type]  # as above
            if doc is None:
                docs.pop(key, None)
            else:
                docs._docs[key] = jsoncodec.dumps(doc)
            if changed is not None:
                changed.add((table, key))
        return changed

    def _notify(self, changed: set[tuple[str, str]] | None) -> None:
        for listener in list(self.listeners):
            listener(changed)

    def _lock_held(self) -> bool:
        """Whether we hold the writers' lock, and so may cut a torn journal tail."""
        return False

    def _writers_held_off(self) -> AbstractContextManager[object]:
        """The writers' lock, for a read that could not otherwise see the files stand still."""
        return nullcontext()
