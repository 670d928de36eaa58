"""A TinyDB storage whose writes cost what changed, and never lose a commit.

TinyDB's ``JSONStorage`` rewrites the whole file in place on every change: at
10,000 contacts that is ~300 ms a write, and a kill or a full disk in the middle
leaves an unreadable file (``../shared/store-notes.md``). Here the data lives in
two files next to each other:

``mutual.json``
    a snapshot in TinyDB's own JSON layout, only ever replaced atomically
    (temp file, fsync, rename, fsync of the folder);
``mutual.journal``
    an append-only log of the documents changed since that snapshot. One
    transaction is one line ``<crc32> <json ops>\\n``, fsynced before the
    transaction returns. A torn last line (a kill mid-append) fails its checksum
    and is ignored; it was never reported as saved.

When the journal grows past a share of the snapshot it is folded into a new
snapshot. Replaying a journal onto a snapshot that already holds it is harmless:
every op stores a whole document (or its absence), so a crash between the two
steps of that folding loses nothing.

A file lock around each transaction, plus re-reading what another process
appended, lets the app and the command line write the same store at once.
:class:`JournaledTable` is the TinyDB table that feeds this storage the exact
documents an operation touched, instead of TinyDB rebuilding whole tables.
"""

from __future__ import annotations

import errno
import gc
import os
import threading
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, cast

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from . import jsoncodec
from .durable_io import (
    PRIVATE_FILE,
    atomic_write,
    fsync_dir,
    fsync_file,
    make_private_dir,
    write_all,
)
from .errors import (
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
)

Tables = dict[str, dict[str, Any]]
Op = tuple[str, str | None]  # (table, doc key); key None means "clear the table"
ChangeListener = Callable[[set[tuple[str, str]] | None], None]

_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


class LazyTable(MutableMapping[str, dict[str, Any]]):
    """A table whose documents stay encoded (JSON bytes) until someone reads them.

    Parsed into dicts, 17 MB of JSON take ~55 MB of Python objects; kept as bytes they
    take little more than the file. Reading returns a fresh dict; only a transaction
    editing a document (:meth:`hot`) keeps the dict until it is committed and encoded.
    """

    __slots__ = ("_docs",)

    def __init__(self, docs: dict[str, bytes | dict[str, Any]] | None = None) -> None:
        self._docs: dict[str, bytes | dict[str, Any]] = docs if docs is not None else {}

    def __getitem__(self, key: str) -> dict[str, Any]:
        value = self._docs[key]
        return jsoncodec.loads(value) if isinstance(value, bytes) else value

    def hot(self, key: str) -> dict[str, Any]:
        """The document as a dict that stays in the table, to be edited in place."""
        value = self._docs[key]
        if isinstance(value, bytes):
            value = self._docs[key] = jsoncodec.loads(value)
        return value

    def encoded(self, key: str) -> bytes:
        value = self._docs[key]
        return value if isinstance(value, bytes) else jsoncodec.dumps(value)

    def cool(self, key: str, data: bytes) -> None:
        """Keep ``data`` (the document's JSON) instead of its dict."""
        if key in self._docs:
            self._docs[key] = data

    def __setitem__(self, key: str, doc: dict[str, Any]) -> None:
        self._docs[key] = doc

    def __delitem__(self, key: str) -> None:
        del self._docs[key]

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def clear(self) -> None:
        self._docs.clear()

    def plain(self) -> dict[str, dict[str, Any]]:
        return {key: self[key] for key in self._docs}

    def decoded_items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(key, document) for every document, decoding each once: the fast path for indexing."""
        loads = jsoncodec.loads
        for key, value in self._docs.items():
            yield key, (loads(value) if isinstance(value, bytes) else value)


def encode_snapshot(tables: Tables) -> bytes:
    """TinyDB's JSON layout with one document per line: plain TinyDB reads it, and Mutual
    can load it without parsing documents nobody asked for."""
    parts = [b"{"]
    names = list(tables)
    for index, name in enumerate(names):
        table = _lazy(tables[name])
        parts.append(jsoncodec.dumps(name) + b":{")
        parts.append(b",\n".join(jsoncodec.dumps(key) + b":" + table.encoded(key) for key in table))
        parts.append(b"}," if index < len(names) - 1 else b"}")
    parts.append(b"}")
    return b"\n".join(parts) + b"\n"


def decode_snapshot(raw: bytes) -> tuple[Tables, bool]:
    """Tables from a snapshot, and whether it was in Mutual's own line layout.

    The line layout is split without parsing documents; any other TinyDB JSON is parsed.
    """
    if raw.startswith(b"{\n"):
        try:
            tables = _split_lines(raw)
        except ValueError:  # an odd table or key name: the full parse below reads it
            tables = None
        if tables is not None:
            return tables, True
    data = jsoncodec.loads(raw)  # a store written by plain TinyDB, or by hand
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise ValueError("it does not hold TinyDB tables")
    return {name: LazyTable({k: jsoncodec.dumps(v) for k, v in docs.items()}) for name, docs in data.items()}, False


def _split_lines(raw: bytes) -> Tables | None:
    """Parse the one-document-per-line layout; None when the file is laid out otherwise.

    One ``partition`` per line, no JSON parsing: ~2 µs a document.
    """
    tables: Tables = {}
    docs: dict[str, bytes | dict[str, Any]] | None = None
    lines = raw.split(b"\n")
    if lines[0] != b"{" or lines[-1] != b"" or lines[-2] != b"}":
        return None
    for line in lines[1:-2]:
        key, _, body = line.partition(b'":')
        if docs is None:  # a table's opening line: "name":{
            if body != b"{" or key[:1] != b'"':
                return None
            docs = {}
            tables[jsoncodec.loads(key + b'"')] = LazyTable(docs)
        elif body[:1] == b"{" and key[:1] == b'"':
            name = key[1:]  # TinyDB's keys are digits: no JSON parse needed
            docs[name.decode() if name.isdigit() else jsoncodec.loads(key + b'"')] = (
                body[:-1] if body[-1:] == b"," else body)
        elif line in (b"}", b"},"):
            docs = None
        elif line:  # an empty table leaves an empty line
            return None
    return tables if docs is None else None


def _lazy(table: Any) -> LazyTable:
    return table if isinstance(table, LazyTable) else LazyTable(dict(table))


class JournaledStorage(Storage):
    """Snapshot + journal storage for TinyDB (see the module docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lock_timeout: float = 10.0,
        compact_min_bytes: int = 2 << 20,
        compact_ratio: float = 0.5,
    ) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_suffix(".journal")
        self.lock_path = self.path.with_suffix(".lock")
        self.lock_timeout = lock_timeout
        self.compact_min_bytes = compact_min_bytes
        self.compact_ratio = compact_ratio
        self.read_only = False
        self.native_layout = True  # False after loading a snapshot plain TinyDB wrote
        self.fold_pending = False  # deleted data still in the journal: fold at the next chance
        self.generation = 0  # bumped whenever data changed under our feet
        self.listeners: list[ChangeListener] = []
        self._mutex = threading.RLock()
        self._lock: FileLock | None = None
        self._tables: Tables | None = None
        self._staged: dict[Op, None] = {}
        self._depth = 0
        self._doomed = False
        self._snapshot_sig: tuple[int, int, int] | None = None
        self._journal_ino: int | None = None
        self._jpos = 0  # end of the last good journal record we applied
        self._jfd: int | None = None
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
            self._tables = {name: _lazy(docs) for name, docs in data.items()}
            self.generation += 1  # TinyDB tables must forget their cached next ids
            if self._depth:
                self._staged[("", None)] = None  # marks: rewrite the snapshot on commit
                return
            with self.transaction(sync=False):
                self._staged[("", None)] = None

    def materialize(self) -> dict[str, dict[str, Any]]:
        """Every table as plain dicts (for backups and migrations): decodes everything."""
        with self._mutex:
            return {name: _lazy(docs).plain() for name, docs in self.read().items()}

    def cached(self) -> Tables:
        """The tables as last loaded, without looking for other processes' changes."""
        with self._mutex:
            if self._tables is None:
                self._load_all()
            assert self._tables is not None
            return self._tables

    def close(self) -> None:
        with self._mutex:
            if self._jfd is not None:
                os.close(self._jfd)
                self._jfd = None

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
        """Record which documents of ``table`` the running transaction changed."""
        if self._depth == 0:
            raise RuntimeError("stage() outside a transaction")
        if cleared:
            for op in [op for op in self._staged if op[0] == table]:
                del self._staged[op]
            self._staged[(table, None)] = None
        for key in keys:
            self._staged[(table, key)] = None

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
    def _acquire(self) -> None:
        if self._lock is None:
            self._lock = FileLock(
                str(self.lock_path),
                timeout=self.lock_timeout,
                mode=PRIVATE_FILE,
                poll_interval=0.005,
                preserve_lock_file=True,  # deleting it on release races with a waiting process
            )
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreBusyError(
                "Another Mutual window or command has been saving for over "
                f"{self.lock_timeout:g} s; nothing was changed, try again."
            ) from None
        except OSError as exc:
            raise write_error(exc, self.lock_path) from exc

    def _release(self) -> None:
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    # -- committing ------------------------------------------------------------------
    def _commit(self) -> None:
        if not self._staged:
            return
        if ("", None) in self._staged:
            self._write_snapshot_or_rollback()
            return
        record = self._encode_record()
        start = self._jpos
        try:
            fd = self._journal_fd()
            write_all(fd, record, offset=start)
            if os.fstat(fd).st_size > start + len(record):
                os.ftruncate(fd, start + len(record))  # cut a torn tail left by a kill
            fsync_file(fd)
        except OSError as exc:
            self._undo_append(start)
            raise write_error(exc, self.journal_path) from exc
        self._jpos = start + len(record)
        if self.fold_pending:
            self._fold_quietly()
        self._maybe_compact()

    def _encode_record(self) -> bytes:
        """One journal line: ``[[table, key, doc or null], …]``; the touched documents,
        encoded once here, are kept encoded in memory too."""
        assert self._tables is not None
        ops = []
        for table, key in self._staged:
            name = jsoncodec.dumps(table)
            if key is None:
                ops.append(b"[" + name + b",null,null]")
                continue
            docs = self._tables.get(table)
            doc = docs.encoded(key) if docs is not None and key in docs else b"null"
            if doc != b"null":
                docs.cool(key, doc)  # type: ignore[union-attr]
            ops.append(b"[" + name + b"," + jsoncodec.dumps(key) + b"," + doc + b"]")
        payload = b"[" + b",".join(ops) + b"]"
        return b"%08x %s\n" % (zlib.crc32(payload), payload)

    def _undo_append(self, start: int) -> None:
        """After a failed append: cut what was written and reload what is on disk."""
        try:
            if self._jfd is not None:
                os.ftruncate(self._jfd, start)
        except OSError:
            pass  # a torn record left behind fails its checksum on the next read
        self._load_all()

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
    def _maybe_compact(self) -> None:
        assert self._snapshot_sig is not None
        limit = max(self.compact_min_bytes, int(self._snapshot_sig[1] * self.compact_ratio))
        if self._jpos <= limit:
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
        """Delete temp files of writes killed halfway (they may hold deleted data).

        Under the lock no snapshot is being written; a temp file whose process is gone is stale.
        """
        removed = 0
        with self._mutex:
            self._acquire()
            try:
                for folder in (self.path.parent, self.path.parent / "backups"):
                    for temp in folder.glob(".*.tmp") if folder.is_dir() else ():
                        if not _writer_alive(temp):
                            temp.unlink(missing_ok=True)
                            removed += 1
            finally:
                self._release()
        return removed

    def _write_snapshot(self) -> None:
        assert self._tables is not None
        atomic_write(self.path, encode_snapshot(self._tables))
        self._snapshot_sig = _signature(self.path.stat())
        fd = self._journal_fd()
        os.ftruncate(fd, 0)
        fsync_file(fd)
        self._jpos = 0

    # -- loading and syncing ------------------------------------------------------------
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

    def _load_all(self) -> None:
        tables = self._read_snapshot()
        ops, self._jpos = self._read_journal(0, locked=self._lock_held())
        self._tables = tables
        self._apply(ops)
        self.generation += 1
        self._notify(None)

    def _read_snapshot(self) -> Tables:
        try:
            with open(self.path, "rb") as f:
                raw = f.read()
                self._snapshot_sig = _signature(os.fstat(f.fileno()))
        except FileNotFoundError:
            raise StoreCorruptError(self.path, "the file is missing", None) from None
        except OSError as exc:
            raise StoreCorruptError(self.path, exc.strerror or str(exc), None) from exc
        gc_was_enabled = gc.isenabled()
        gc.disable()  # parsing builds many objects and no cycles: 1.7-2x faster
        try:
            tables, self.native_layout = decode_snapshot(raw)
            return tables
        except ValueError as exc:
            reason = "it is empty" if not raw.strip() else f"it is not valid JSON: {exc}"
            raise StoreCorruptError(self.path, reason, None) from None
        finally:
            if gc_was_enabled:
                gc.enable()

    def _read_journal(self, start: int, *, locked: bool) -> tuple[list[list[Any]], int]:
        """Good ops from ``start`` on, and where they end. A torn tail is skipped
        (and cut when we hold the lock); a bad record followed by good ones is corruption."""
        try:
            with open(self.journal_path, "rb") as f:
                self._journal_ino = os.fstat(f.fileno()).st_ino
                f.seek(start)
                data = f.read()
        except FileNotFoundError:
            self._journal_ino = None
            return [], 0
        ops: list[list[Any]] = []
        pos = 0
        while pos < len(data):
            end = data.find(b"\n", pos)
            parsed = _parse_record(data[pos:end]) if end >= 0 else None
            if parsed is None:
                self._check_torn_tail(data, pos, start)
                break
            ops.extend(parsed)
            pos = end + 1
        if pos < len(data) and locked:
            self._cut_journal(start + pos)
        return ops, start + pos

    def _check_torn_tail(self, data: bytes, pos: int, start: int) -> None:
        for line in data[pos:].split(b"\n")[1:]:
            if _parse_record(line) is not None:
                raise StoreCorruptError(
                    self.journal_path, f"a damaged record at byte {start + pos} is followed by good ones", None
                )

    def _cut_journal(self, size: int) -> None:
        try:
            fd = self._journal_fd()
            os.ftruncate(fd, size)
            fsync_file(fd)
        except OSError:
            pass  # harmless: the torn tail keeps failing its checksum

    def _sync(self, *, locked: bool) -> None:
        """Catch up with what another process committed since we last looked."""
        try:
            snap = _signature(self.path.stat())
        except OSError:
            snap = None
        try:
            jst = os.stat(self.journal_path)
            jino, jsize = jst.st_ino, jst.st_size
        except FileNotFoundError:
            jino, jsize = None, 0
        if snap != self._snapshot_sig or (jino != self._journal_ino and jsize) or jsize < self._jpos:
            self._reopen_journal_if_replaced(jino)
            self._load_all()
        elif jsize > self._jpos:
            ops, self._jpos = self._read_journal(self._jpos, locked=locked)
            if ops:
                changed = self._apply(ops)
                self.generation += 1
                self._notify(changed)

    def _reopen_journal_if_replaced(self, ino: int | None) -> None:
        if self._jfd is not None and (ino is None or os.fstat(self._jfd).st_ino != ino):
            os.close(self._jfd)
            self._jfd = None

    def _apply(self, ops: list[list[Any]]) -> set[tuple[str, str]] | None:
        assert self._tables is not None
        changed: set[tuple[str, str]] | None = set()
        for table, key, doc in ops:
            if key is None:
                self._tables[table] = LazyTable()
                changed = None
                continue
            docs = self._tables.setdefault(table, LazyTable())
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

    def _journal_fd(self) -> int:
        if self._jfd is None:
            existed = self.journal_path.exists()
            self._jfd = os.open(self.journal_path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
            self._journal_ino = os.fstat(self._jfd).st_ino
            if not existed:
                fsync_dir(self.path.parent)
        return self._jfd

    def _lock_held(self) -> bool:
        return self._lock is not None and self._lock.is_locked

    @property
    def journal_bytes(self) -> int:
        return self._jpos


def _writer_alive(temp: Path) -> bool:
    """Is the process named in ``.name.<pid>.tmp`` still running (and not us)?"""
    try:
        pid = int(temp.name.rsplit(".", 2)[-2])
    except (ValueError, IndexError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _signature(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _parse_record(line: bytes) -> list[list[Any]] | None:
    """The ops of one journal line, or None when it is torn or damaged."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(payload):
            return None
        ops = jsoncodec.loads(payload)
    except ValueError:
        return None
    return ops if isinstance(ops, list) else None


def write_error(exc: OSError, path: Path, what: str = "this change was not saved") -> StoreError:
    """The plain-sentence error for a failed write (full disk, read-only folder, other)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StoreFullError(f"The disk holding {path.parent} is full: {what}, everything saved before is intact.")
    if exc.errno in _READ_ONLY_ERRNOS:
        why = "it is read-only" if exc.errno == errno.EROFS else (exc.strerror or "permission denied").lower()
        return StoreReadOnlyError(f"Mutual cannot write to {path.parent} ({why}): {what}; your data is intact.")
    return StoreError(f"Mutual could not write to {path} ({exc.strerror or exc}): {what}.")


class _TrackedTable(MutableMapping[int, dict[str, Any]]):
    """The table TinyDB's updaters edit: a live view that records which keys they touched.

    A document read through it may be changed in place by TinyDB (``update``), so
    reading counts as touching: always correct, at worst a few extra bytes logged.
    """

    def __init__(self, raw: LazyTable, id_class: Callable[[str], int]) -> None:
        self._raw = raw
        self._id = id_class
        self.touched: dict[str, None] = {}
        self.cleared = False

    def __getitem__(self, doc_id: int) -> dict[str, Any]:
        key = str(doc_id)
        doc = self._raw.hot(key)
        self.touched[key] = None
        return doc

    def __setitem__(self, doc_id: int, doc: dict[str, Any]) -> None:
        key = str(doc_id)
        self._raw[key] = doc
        self.touched[key] = None

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        del self._raw[key]
        self.touched[key] = None

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (self._id(k) for k in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:
        self._raw.clear()
        self.touched.clear()
        self.cleared = True


class TransactionalStorage(Protocol):
    """What :class:`JournaledTable` needs of its storage: :class:`JournaledStorage`, or
    :class:`~networking_app.memory_storage.MemoryStorage` with the same transactions."""

    generation: int

    def read(self) -> Tables: ...

    def transaction(self) -> AbstractContextManager[Tables]: ...

    def stage(self, table: str, keys: list[str], cleared: bool = False) -> None: ...


class JournaledTable(Table):
    """A TinyDB table that edits documents in place and logs only those it touched.

    TinyDB's own ``_update_table`` copies the whole table twice per write (21 ms
    at 30,000 meetings, measured); this override keeps every public Table method
    and its semantics, at a cost proportional to the documents involved.
    """

    def __init__(self, storage: Storage, name: str, **kwargs: Any) -> None:
        kwargs.setdefault("cache_size", 0)
        super().__init__(storage, name, **kwargs)
        self._seen_generation = -1

    def _forget_if_stale(self) -> None:
        generation = getattr(self._storage, "generation", 0)
        if generation != self._seen_generation:
            self._next_id = None  # another process may have used the next ids
            self.clear_cache()
            self._seen_generation = generation

    def _read_table(self) -> Any:
        tables = self._storage.read()
        self._forget_if_stale()
        return (tables or {}).get(self.name, {})

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        storage = cast(TransactionalStorage, self._storage)
        with storage.transaction() as tables:
            self._forget_if_stale()
            raw = tables.get(self.name)
            if not isinstance(raw, LazyTable):
                raw = tables[self.name] = _lazy(raw or {})
            tracked = _TrackedTable(raw, self.document_id_class)
            try:
                updater(tracked)  # type: ignore[arg-type]
            finally:  # an updater failing halfway still dooms what it touched
                storage.stage(self.name, list(tracked.touched), cleared=tracked.cleared)
        self.clear_cache()

    # TinyDB picks the next doc id before it starts writing: do both under the lock,
    # after catching up with other processes, or two writers pick the same id.
    def insert(self, document: Any) -> int:
        with self._transaction():
            return super().insert(document)

    def insert_multiple(self, documents: Any) -> list[int]:
        with self._transaction():
            return super().insert_multiple(documents)

    def upsert(self, document: Any, cond: Any = None) -> list[int]:
        with self._transaction():
            return super().upsert(document, cond)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with cast(TransactionalStorage, self._storage).transaction():
            self._forget_if_stale()  # after catching up, before TinyDB picks an id
            yield


class MutualDB(TinyDB):
    """TinyDB wired to the journaled storage and tables."""

    table_class = JournaledTable
    default_storage_class = JournaledStorage
