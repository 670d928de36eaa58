"""The TinyDB storage over a snapshot and a journal: transactions under a file lock, commits, folding.

``mutual.json`` is the snapshot (:mod:`.snapshot`), only ever replaced atomically;
``mutual.journal`` (:mod:`.journal`) holds the transactions committed since, each fsynced
before it returns. When the journal grows past a share of the snapshot it is folded into a
new snapshot. A file lock around each transaction, plus catching up with what another
process committed (:mod:`.mirror`), lets the app and the command line write the same store
at once.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from .. import jsoncodec
from ..durable_io import PRIVATE_FILE, atomic_write, make_private_dir, temp_file_writer
from ..errors import StoreBusyError, StoreCorruptError, StoreError, StoreReadOnlyError
from .journal import frame
from .lazy_table import LazyTable, Tables, as_lazy
from .mirror import FileMirror, signature
from .snapshot import snapshot_chunks
from .write_errors import write_error

Op = tuple[str, str | None]  # (table, doc key); key None means "clear the table"


BIG_COMMIT_DOCS = 20_000  # a commit rewriting at least this many documents, and most of the store, is a snapshot

class JournaledStorage(FileMirror, Storage):
    """Snapshot + journal storage for TinyDB (see the package docstring).

    Loading the files and catching up with other processes is :class:`FileMirror`'s part;
    this adds transactions, the lock, committing and folding.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lock_timeout: float = 10.0,
        compact_min_bytes: int = 2 << 20,
        compact_ratio: float = 0.5,
    ) -> None:
        super().__init__(Path(path))
        self.lock_path = self.path.with_suffix(".lock")
        self.lock_timeout = lock_timeout
        self.compact_min_bytes = compact_min_bytes
        self.compact_ratio = compact_ratio
        self.read_only = False
        self.fold_pending = False  # deleted data still in the journal: fold at the next chance
        self._mutex = threading.RLock()
        self._lock: FileLock | None = None
        self._staged: dict[Op, None] = {}
        self._depth = 0
        self._doomed = False
        self._prepare()

    # -- TinyDB's Storage interface ------------------------------------------
    def read(self) -> Tables:
        with self._mutex:
            if self._tables is None:
                self._load_all()
            elif self._depth == 0:
                self._sync(locked=False)
            assert self._tables is not None
            return self._tables

    def write(self, data: Tables) -> None:
        """Whole-database writes (TinyDB's ``drop_table``…): an atomic rewrite.

        :class:`JournaledTable` never calls this; it stages the documents it touched.
        """
        with self._mutex:
            self._tables = {name: as_lazy(docs) for name, docs in data.items()}  # type: ignore[misc]  # a LazyTable stands in for TinyDB's dict table
            self.generation += 1  # TinyDB tables must forget their cached next ids
            if self._depth:
                self._staged[("", None)] = None  # marks: rewrite the snapshot on commit
                return
            with self.transaction(sync=False):
                self._staged[("", None)] = None

    def materialize(self) -> dict[str, dict[str, Any]]:
        """Every table as plain dicts (for backups and migrations): decodes everything."""
        with self._mutex:
            return {name: as_lazy(docs).plain() for name, docs in self.read().items()}

    def cached(self) -> Tables:
        """The tables as last loaded, without looking for other processes' changes."""
        with self._mutex:
            if self._tables is None:
                self._load_all()
            assert self._tables is not None
            return self._tables

    def close(self) -> None:
        with self._mutex:
            self.journal.close()

    # -- transactions ----------------------------------------------------------
    @contextmanager
    def transaction(self, *, sync: bool = True) -> Iterator[Tables]:
        """Run a group of changes as one atomic, durable commit under the file lock.

        Nested transactions join the outermost one. An exception anywhere inside
        aborts the whole group: nothing of it reaches the disk.
        """
        with self._mutex:
            outer = self._depth == 0
            if outer:
                self._begin(sync)
            self._depth += 1
            try:
                yield self.read()
            except BaseException:
                self._doomed = True
                raise
            finally:
                self._depth -= 1
                if outer:
                    self._end()

    def stage(self, table: str, keys: Iterator[str] | list[str], cleared: bool = False) -> None:
        """Record which documents of ``table`` the running transaction changed; each is kept as
        its JSON from now on, ready for the commit."""
        if self._depth == 0:
            raise RuntimeError("stage() outside a transaction")
        if cleared:
            for op in [op for op in self._staged if op[0] == table]:
                del self._staged[op]
            self._staged[(table, None)] = None
        docs = self._tables.get(table) if self._tables is not None else None
        for key in keys:
            self._staged[(table, key)] = None
            if isinstance(docs, LazyTable) and key in docs:  # kept as its JSON from here, not as a dict
                docs.cool(key, docs.encoded(key))  # until the commit (a 50,000-card import: ~30 MB, not ~110)

    def _begin(self, sync: bool) -> None:
        if self.read_only:
            raise StoreReadOnlyError(
                f"Mutual cannot write to {self.path.parent} (it is read-only); "
                "your data is intact but this change was not saved."
            )
        self._acquire()
        try:
            if self._tables is None:
                self._load_all()
            elif sync:
                self._sync(locked=True)
        except BaseException:
            self._release()
            raise
        self._staged.clear()
        self._doomed = False

    def _end(self) -> None:
        try:
            if self._doomed:
                self._rollback()
            else:
                self._commit()
        finally:
            self._staged.clear()
            self._doomed = False
            self._release()

    # -- the lock ------------------------------------------------------------------
    def _file_lock(self) -> FileLock:
        if self._lock is None:
            self._lock = FileLock(
                str(self.lock_path),
                timeout=self.lock_timeout,
                mode=PRIVATE_FILE,
                poll_interval=0.005,
                preserve_lock_file=True,  # deleting it on release races with a waiting process
            )
        return self._lock

    def _acquire(self) -> None:
        try:
            self._file_lock().acquire()
        except Timeout:
            raise StoreBusyError(
                "Another Mutual window or command has been saving for over "
                f"{self.lock_timeout:g} s; nothing was changed, try again."
            ) from None
        except OSError as exc:
            raise write_error(exc, self.lock_path) from exc

    def _try_acquire(self) -> bool:
        """Take the lock if no one holds it, without waiting."""
        try:
            self._file_lock().acquire(timeout=0)
        except (Timeout, OSError):
            return False
        return True

    @contextmanager
    def _writers_held_off(self) -> Iterator[None]:
        with self._mutex:
            self._acquire()
            try:
                yield
            finally:
                self._release()

    def _release(self) -> None:
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    def _lock_held(self) -> bool:
        return self._lock is not None and self._lock.is_locked

    # -- committing ------------------------------------------------------------------
    def _commit(self) -> None:
        if not self._staged:
            return
        if ("", None) in self._staged:
            self._write_snapshot_or_rollback()
            return
        if self._rewrites_most():
            self._cool_staged()  # kept encoded in memory, as a journal line would have left them
            self._write_snapshot_or_rollback()  # one write instead of a huge journal line, then a fold
            return
        record = self._encode_record()
        try:
            self.journal.append(record)
        except OSError as exc:
            self._load_all()  # memory back to what is on disk
            raise write_error(exc, self.journal_path) from exc
        if self.fold_pending:
            self._fold_quietly()
        self._maybe_compact()

    def _rewrites_most(self) -> bool:
        """A commit touching most of the store (sync catching up, a big import) goes straight to a snapshot."""
        assert self._tables is not None
        staged = len(self._staged)
        return staged >= BIG_COMMIT_DOCS and 2 * staged >= sum(len(t) for t in self._tables.values())

    def _cool_staged(self) -> None:
        assert self._tables is not None
        for table, key in self._staged:
            docs = self._tables.get(table)
            if key is not None and isinstance(docs, LazyTable) and key in docs:
                docs.cool(key, docs.encoded(key))

    def _encode_record(self) -> bytes:
        """One journal line: ``[[table, key, doc or null], …]``; the touched documents,
        encoded once here, are kept encoded in memory too."""
        assert self._tables is not None
        ops = []
        names: dict[str, bytes] = {}  # a big commit (sync catching up) names a few tables many times
        for table, key in self._staged:
            name = names.get(table) or names.setdefault(table, jsoncodec.dumps(table))
            if key is None:
                ops.append(b"[" + name + b",null,null]")
                continue
            docs = cast("LazyTable | None", self._tables.get(table))  # every table here is lazy (read, write)
            doc = docs.encoded(key) if docs is not None and key in docs else b"null"
            if doc != b"null":
                docs.cool(key, doc)  # type: ignore[union-attr]
            quoted = b'"%s"' % key.encode() if key.isdigit() else jsoncodec.dumps(key)  # TinyDB's keys are digits
            ops.append(b"[" + name + b"," + quoted + b"," + doc + b"]")
        payload = b"[" + b",".join(ops) + b"]"
        return frame(payload)

    def _rollback(self) -> None:
        if self._staged:
            self._load_all()

    def _write_snapshot_or_rollback(self) -> None:
        try:
            self._write_snapshot()
        except OSError as exc:
            self._load_all()
            raise write_error(exc, self.path) from exc

    # -- compaction -----------------------------------------------------------------------
    @property
    def journal_bytes(self) -> int:
        return self.journal.end

    def _maybe_compact(self) -> None:
        assert self._snapshot_sig is not None
        limit = max(self.compact_min_bytes, int(self._snapshot_sig[1] * self.compact_ratio))
        if self.journal.end <= limit:
            return
        try:
            self._write_snapshot()
        except OSError:
            pass  # the journal still holds every commit; folding is retried later

    def compact(self) -> None:
        """Fold the journal into a new snapshot now (e.g. before a backup)."""
        with self.transaction():
            self._staged[("", None)] = None

    def fold_for_privacy(self) -> bool:
        """Fold now so deleted data leaves the files; if the disk refuses, try again at the next write.

        The deletion itself is already committed either way. Returns whether the fold happened.
        """
        try:
            self.compact()
        except StoreError:
            self.fold_pending = True
            return False
        self.fold_pending = False
        return True

    def _fold_quietly(self) -> None:
        try:
            self._write_snapshot()
            self.fold_pending = False
        except OSError:
            pass

    def remove_stale_temp_files(self) -> int:
        """Delete Mutual's own temp files of writes killed halfway (they may hold deleted data).

        Only regular files named as ours (:func:`~networking_app.durable_io.temp_path`) whose
        process is gone, in the data folder and ``backups/``: whatever else a shared folder holds
        is not ours to touch. Under the lock no snapshot is being written; when another process
        holds it, this is left for the next open rather than waited for.
        """
        removed = 0
        with self._mutex:
            if not self._try_acquire():
                return 0
            try:
                for folder in (self.path.parent, self.path.parent / "backups"):
                    for temp in self._own_stale_temp_files(folder):
                        with contextlib.suppress(OSError):
                            temp.unlink()
                            removed += 1
            finally:
                self._release()
        return removed

    def _own_stale_temp_files(self, folder: Path) -> Iterator[Path]:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            pid = temp_file_writer(entry.name)
            if pid is None and entry.name.startswith(f".{self.path.name}.") and entry.name.endswith(".tmp"):
                pid = _pid_in(entry.name[len(self.path.name) + 2 : -4])  # named before .mutual- prefixes
            with contextlib.suppress(OSError):
                if pid is not None and entry.is_file(follow_symlinks=False) and not _running(pid):
                    yield Path(entry.path)

    def _write_snapshot(self) -> None:
        assert self._tables is not None
        atomic_write(self.path, snapshot_chunks(self._tables))
        self._snapshot_sig = signature(self.path.stat())
        self.journal.empty()

    # -- first use ---------------------------------------------------------------------
    def _prepare(self) -> None:
        """Create the folder and an empty snapshot on first use; detect a read-only folder."""
        if self.path.exists():
            self.read_only = not os.access(self.path.parent, os.W_OK)
            return
        if self.journal_path.exists() and self.journal_path.stat().st_size:
            raise StoreCorruptError(
                self.path, f"it is missing but its journal {self.journal_path.name} exists", None
            )
        try:
            make_private_dir(self.path.parent)
            self._acquire()
            try:
                if not self.path.exists():
                    atomic_write(self.path, b"{}")
            finally:
                self._release()
        except OSError as exc:
            raise write_error(exc, self.path) from exc


def _pid_in(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 10 else None


def _running(pid: int) -> bool:
    """Is process ``pid`` still running (and not us: our own temp files are never left behind)?"""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # exists, owned by someone else; or a number we cannot ask about
    return True
