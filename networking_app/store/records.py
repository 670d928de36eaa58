"""The one place where the store's records are read and written.

:class:`Records` holds the storage, its TinyDB tables, the lock and the in-memory
indexes. Every write of every kind of record goes through :meth:`Records.put` and
:meth:`Records.delete` (the store's settings through :meth:`Records.set_meta`, whole
tables through :meth:`Records.replace_all`), and each one is told to the
:class:`WriteListener` callables in :attr:`Records.listeners`, inside its transaction:
that is where a change can be recorded (e.g. for sync) without touching the domain code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar, cast

from tinydb.storages import Storage
from tinydb.table import Document

from ..errors import NotFoundError
from ..models import Contact, Event, FollowUp, Intro, Meeting, MyCard, now_iso
from ..storage import ChangeListener, JournaledTable, Tables
from .indexes import TABLES as INDEXED_TABLES
from .indexes import Indexes

Doc = dict[str, Any]


class Record(Protocol):
    """What every record is (see :mod:`networking_app.models`): an id, a time of change, a document."""

    id: str
    updated: str

    def to_doc(self) -> Doc: ...

    @classmethod
    def from_doc(cls, doc: Doc) -> Self: ...


R = TypeVar("R", bound=Record)
T = TypeVar("T")

TABLES: dict[type, str] = {
    MyCard: "cards",
    Event: "events",
    Contact: "contacts",
    Meeting: "meetings",
    FollowUp: "followups",
    Intro: "intros",
}
assert tuple(TABLES.values()) == INDEXED_TABLES, "indexes.TABLES must list the same tables"
META = "meta"  # one document (id 1): the schema version, the current event, this device's sync settings
DEVICE_LOCAL = "sync_"  # tables named so belong to this device (sync's state): never backed up nor restored
DEVICE_SETTINGS = ("sync",)  # meta entries that are this device's own
ALL_REPLACED = "*"  # the table a listener is told when every table was replaced at once


class WriteListener(Protocol):
    """Told of each write inside its transaction: ``(table, old document, new document)``.

    ``old`` is None for a new record, ``new`` None for a deleted one; ``table`` is
    :data:`ALL_REPLACED` (both None) when a restore or a migration replaced everything.
    A contact deleted because it was merged into another says which (``merged_into``).
    Raising dooms the transaction. The documents are the store's: read them, keep copies.
    """

    def __call__(self, table: str, old: Doc | None, new: Doc | None, /, *, merged_into: str = "") -> None: ...


class RecordStorage(Protocol):
    """What the store needs of a storage: :class:`~networking_app.storage.JournaledStorage`
    on disk, or :class:`~networking_app.memory_storage.MemoryStorage`."""

    path: Path
    read_only: bool
    generation: int
    listeners: list[ChangeListener]  # told when the tables changed under us (another process, a rollback)

    def read(self) -> Tables: ...

    def write(self, data: Tables) -> None: ...

    def transaction(self) -> AbstractContextManager[Tables]: ...

    def stage(self, table: str, keys: list[str], cleared: bool = False) -> None: ...

    def materialize(self) -> dict[str, dict[str, Any]]: ...

    def compact(self) -> None: ...

    def fold_for_privacy(self) -> bool: ...

    def close(self) -> None: ...


class Records:
    """The storage, its tables and indexes, under one lock (see the module docstring).

    Reads assume the caller holds :attr:`mutex` and called :meth:`fresh` (the
    repositories' ``synchronized`` methods do); writes run inside :meth:`writing`.
    """

    def __init__(self, storage: RecordStorage) -> None:
        self.storage = storage
        self.mutex = threading.RLock()
        self.listeners: list[WriteListener] = []
        self.ix = Indexes()
        self.data: Tables = {}  # the storage's tables as of the last fresh()
        tinydb_storage = cast(Storage, storage)  # TinyDB's tables take any storage with transactions
        self._tables = {name: JournaledTable(tinydb_storage, name) for name in (META, *TABLES.values())}
        self._stale = True
        self._derived: dict[str, tuple[Any, Any]] = {}  # name -> (what it was computed from, value)
        storage.listeners.append(self._on_foreign_change)

    # -- freshness and transactions ------------------------------------------------------
    def _on_foreign_change(self, changed: object) -> None:
        self._stale = True  # another process wrote, or a failed commit was rolled back

    def fresh(self) -> Indexes:
        """Indexes that reflect the disk (re-read if another process wrote)."""
        with self.mutex:
            tables = self.storage.read()  # notices other processes' commits
            self.data = tables  # under the lock, the tables only change through us
            if self._stale:
                self.ix = Indexes.build(tables)
                self._stale = False
            return self.ix

    @contextmanager
    def writing(self) -> Iterator[Indexes]:
        """One atomic commit under the lock; nested, it joins the outer one."""
        with self.mutex, self.storage.transaction():
            yield self.fresh()

    def until_change(self, name: str, compute: Callable[[], T], *also: Any) -> T:
        """``compute()``, kept until the indexes change (any write, or another process's) or ``also`` does."""
        key = (self.ix, self.ix.version, *also)
        kept = self._derived.get(name)
        if kept is not None and kept[0] == key:
            return cast(T, kept[1])
        value = compute()
        self._derived[name] = (key, value)
        return value

    # -- reading ---------------------------------------------------------------------------
    def doc(self, kind: type[R], rid: str) -> Doc | None:
        table = TABLES[kind]
        key = self.ix.keys[table].get(rid)
        return None if key is None else self.data[table].get(key)

    def get(self, kind: type[R], rid: str) -> R:
        doc = self.doc(kind, rid)
        if doc is None:
            raise NotFoundError(f"No {kind.__name__.lower()} with id {rid} exists.")
        return kind.from_doc(doc)

    def docs(self, kind: type) -> Iterable[Doc]:
        return self.data.get(TABLES[kind], {}).values()

    def all(self, kind: type[R]) -> list[R]:
        return [kind.from_doc(d) for d in self.docs(kind)]

    def count(self, kind: type) -> int:
        return len(self.data.get(TABLES[kind], {}))

    def where(self, kind: type[R], fields: tuple[str, ...], value: str) -> list[R]:
        """The records of ``kind`` with ``value`` in any of ``fields``: from an index where one is kept."""
        table = TABLES[kind]
        ids: dict[str, None] = {}
        unindexed = []
        for name in fields:
            index = self.ix.by_field(table, name)
            if index is None:
                unindexed.append(name)
            else:
                ids.update(dict.fromkeys(index.get(value, ())))
        found = [self.get(kind, rid) for rid in ids]
        if unindexed:
            found += [kind.from_doc(d) for d in self.docs(kind)
                      if d["id"] not in ids and any(d.get(name) == value for name in unindexed)]
        return found

    def meta(self) -> Doc:
        return dict(self.data.get(META, {}).get("1", {}))

    # -- writing (inside writing()) --------------------------------------------------------
    def put(self, record: R) -> R:
        """Insert or replace a record and index it."""
        table = TABLES[type(record)]
        ix, data = self.ix, self.data
        record.updated = now_iso()
        doc = record.to_doc()
        key = ix.keys[table].get(record.id)
        old = None
        if key is None:
            ix.keys[table][record.id] = str(self._tables[table].insert(doc))
        else:
            old = data[table][key]
            ix.unindex(table, old, data)
            if self.listeners:
                old = dict(old)  # the stored dict may be edited in place below
            self._tables[table].update(_replace_with(doc), doc_ids=[int(key)])
        ix.index(table, doc, data)
        if self.listeners:
            self._tell(table, old, doc)
        return record

    def delete(self, kind: type, rid: str, *, merged_into: str = "") -> None:
        """Delete a record; ``merged_into``: it was another record of the same person (contacts)."""
        table = TABLES[kind]
        key = self.ix.keys[table].pop(rid, None)
        if key is not None:
            doc = self.data[table][key]
            self._tables[table].remove(doc_ids=[int(key)])
            self.ix.unindex(table, doc, self.data)
            if self.listeners:
                self._tell(table, doc, None, merged_into=merged_into)

    def publish(self, table: str, rid: str, doc: Doc | None) -> bool:
        """Store a record exactly as another device's changes left it (None: not shown), telling
        no listener: it is not a change made here. Returns whether anything changed."""
        ix, data = self.ix, self.data
        key = ix.keys[table].get(rid)
        old = None if key is None else data[table].get(key)
        if old == doc:
            return False
        if old is not None:
            ix.unindex(table, old, data)
        if doc is None:
            del ix.keys[table][rid]
            self._tables[table].remove(doc_ids=[int(key)])  # type: ignore[arg-type]
            return True
        if key is None:
            ix.keys[table][rid] = str(self._tables[table].insert(doc))
        else:
            self._tables[table].update(_replace_with(doc), doc_ids=[int(key)])
        ix.index(table, doc, data)
        return True

    def publish_many(self, table: str, docs: dict[str, Doc | None]) -> int:
        """:meth:`publish` for many records of one table at once; returns how many changed."""
        ix, data = self.ix, self.data
        keys, stored = ix.keys[table], data.get(table) or {}
        replace: dict[int, Doc] = {}
        insert: list[tuple[str, Doc]] = []
        remove: list[int] = []
        shown: list[Doc] = []
        for rid, doc in docs.items():
            key = keys.get(rid)
            old = None if key is None else stored.get(key)
            if old == doc:
                continue
            if old is not None:
                ix.unindex(table, old, data)
            if doc is None:
                del keys[rid]
                remove.append(int(key))  # type: ignore[arg-type]
                continue
            shown.append(doc)
            if key is None:
                insert.append((rid, doc))
            else:
                replace[int(key)] = doc
        if not (replace or insert or remove):
            return 0
        new_ids = self._tables[table].write_many(replace, [doc for _, doc in insert], remove)
        for (rid, _), doc_id in zip(insert, new_ids, strict=False):
            keys[rid] = str(doc_id)
        for doc in shown:
            ix.index(table, doc, data)
        return len(replace) + len(insert) + len(remove)

    def local_table(self, name: str) -> JournaledTable:
        """A table of this device's own (sync's state), written in the same transactions as records."""
        if name not in self._tables:
            self._tables[name] = JournaledTable(cast(Storage, self.storage), name)
        return self._tables[name]

    def set_meta(self, **values: Any) -> None:
        """Change the store's settings (``schema``, ``current_event_id``)."""
        old = self.data.get(META, {}).get("1")
        if old is None:
            new = dict(values)
            self._tables[META].upsert(Document(new, doc_id=1))
        else:
            old, new = dict(old), {**old, **values}
            self._tables[META].update(values, doc_ids=[1])
        if self.listeners:
            self._tell(META, old, new)

    def replace_all(self, tables: Tables) -> None:
        """Every table at once (a restore, a migration): one atomic rewrite of the storage.

        This device's own tables and settings stay as they are unless ``tables`` holds them.
        """
        with self.mutex, self.storage.transaction():
            current = self.storage.read()
            tables = dict(tables)
            for name, docs in current.items():
                if name.startswith(DEVICE_LOCAL) and name not in tables:
                    tables[name] = docs
            settings = {k: v for k, v in self.meta().items() if k in DEVICE_SETTINGS}
            if settings and META in tables:
                meta = dict(tables[META])
                meta["1"] = {**settings, **dict(meta.get("1", {}))}
                tables[META] = meta
            self.storage.write(tables)
            self._stale = True
            self._tell(ALL_REPLACED, None, None)

    def _tell(self, table: str, old: Doc | None, new: Doc | None, *, merged_into: str = "") -> None:
        for listener in list(self.listeners):
            if merged_into:
                listener(table, old, new, merged_into=merged_into)
            else:
                listener(table, old, new)


def shareable(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The tables without what belongs to this device alone (for backups and exports)."""
    out = {name: docs for name, docs in tables.items() if not name.startswith(DEVICE_LOCAL)}
    if META in out and "1" in out[META]:
        out[META] = {**out[META], "1": {k: v for k, v in out[META]["1"].items() if k not in DEVICE_SETTINGS}}
    return out


def _replace_with(doc: Doc) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update that makes a stored document exactly ``doc`` (dropped keys too)."""

    def apply(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    return apply
