"""The store's side of sync: its state kept in tables of the store, changes recorded as they are made.

Four tables of the store belong to this device alone and never travel (nor go into backups):
``sync_states`` (what this device knows of every record, :mod:`.state`), ``sync_merges`` (which
contacts went into which), ``sync_outbox`` (operations made here and not yet written to the
folder) and ``sync_peers`` (how far each log in the folder was read). The settings (device id
and name, folder, clock) are the ``sync`` entry of the store's meta document. Everything is
written in the store's own transactions: a change and its operation reach the disk together.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..jsoncodec import loads
from ..storage import JournaledTable, LazyTable
from ..sync.clock import HybridClock
from ..sync.local import LocalWriter
from ..sync.ops import Change, change_between
from ..sync.replica import Key, Replica
from ..sync.schema import CONTACT_REFERENCES, SYNCED_TABLES
from ..sync.state import RecordState, state_id
from .records import ALL_REPLACED, Records, _replace_with

STATES, MERGES, OUTBOX, PEERS = "sync_states", "sync_merges", "sync_outbox", "sync_peers"
LOCAL_TABLES = (STATES, MERGES, OUTBOX, PEERS)
_REFERENCE = re.compile(rb'"(?:contact_id|seeker_id|helper_id)":"([0-9A-Za-z_-]{1,64})"')


class KeyedTable:
    """Documents addressed by their own ``id`` (always their first key), in a table of the store.

    The id → document key map is built from the encoded documents without parsing them, the
    first time it is needed, and rebuilt when the store reloaded (another process wrote).
    """

    def __init__(self, records: Records, name: str) -> None:
        self.records = records
        self.name = name
        self.table: JournaledTable = records.local_table(name)
        self._keys: dict[str, str] = {}
        self._built_for: object = None

    def _docs(self) -> Any:
        return self.records.data.get(self.name) or {}

    def keys(self) -> dict[str, str]:
        if self._built_for is not self.records.ix:
            docs = self._docs()
            self._keys = {_id_of(docs, key): key for key in docs}
            self._built_for = self.records.ix
        return self._keys

    def get(self, rid: str) -> dict[str, Any] | None:
        key = self.keys().get(rid)
        return None if key is None else self._docs().get(key)

    def put(self, doc: dict[str, Any]) -> None:
        keys = self.keys()
        key = keys.get(doc["id"])
        if key is None:
            keys[doc["id"]] = str(self.table.insert(doc))
        else:
            self.table.update(_replace_with(doc), doc_ids=[int(key)])

    def put_many(self, docs: list[dict[str, Any]]) -> None:
        if len(docs) == 1:
            self.put(docs[0])
            return
        keys = self.keys()
        replace = {int(keys[d["id"]]): d for d in docs if d["id"] in keys}
        insert = [d for d in docs if d["id"] not in keys]
        for doc, doc_id in zip(insert, self.table.write_many(replace, insert, []), strict=True):
            keys[doc["id"]] = str(doc_id)

    def delete(self, rid: str) -> None:
        key = self.keys().pop(rid, None)
        if key is not None:
            self.table.remove(doc_ids=[int(key)])

    def delete_many(self, rids: list[str]) -> None:
        keys = self.keys()
        gone = [int(keys.pop(rid)) for rid in rids if rid in keys]
        if gone:
            self.table.write_many({}, [], gone)

    def ids(self) -> list[str]:
        return list(self.keys())

    def values(self) -> Iterator[dict[str, Any]]:
        docs = self._docs()
        yield from (docs[key] for key in list(docs))

    def raw(self) -> Iterator[bytes]:
        docs = self._docs()
        for key in list(docs):
            yield docs.encoded(key) if isinstance(docs, LazyTable) else b""

    def __len__(self) -> int:
        return len(self._docs())


def _id_of(docs: Any, key: str) -> str:
    raw = docs.encoded(key) if isinstance(docs, LazyTable) else None
    if raw is not None and raw.startswith(b'{"id":"'):
        end = raw.find(b'"', 7)
        if end > 0 and b"\\" not in raw[7:end]:
            return raw[7:end].decode()
    return str(docs[key]["id"])


class StoreBackend:
    """:class:`~networking_app.sync.replica.Backend` on the store's tables (see the module docstring)."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.states = KeyedTable(records, STATES)
        self.merge_table = KeyedTable(records, MERGES)
        self._referrers: dict[str, set[Key]] | None = None
        self._referrers_for: object = None

    def load(self, table: str, rid: str) -> RecordState | None:
        doc = self.states.get(state_id(table, rid))
        return None if doc is None else RecordState.from_doc(doc)

    def save(self, states: list[RecordState]) -> None:
        self.states.put_many([state.to_doc() for state in states])
        merged = [{"id": s.rid, "c": s.merge_clock, "into": s.merge_into} for s in states if s.merge_into]
        if merged:
            self.merge_table.put_many(merged)
        if self._referrers is not None:
            for state in states:
                for name in CONTACT_REFERENCES.get(state.table, ()):
                    value = state.fields().get(name, ("", ""))[1]
                    if value:
                        self._referrers.setdefault(value, set()).add((state.table, state.rid))

    def publish(self, docs: dict[Key, dict[str, Any] | None]) -> None:
        by_table: dict[str, dict[str, dict[str, Any] | None]] = {}
        for (table, rid), doc in docs.items():
            by_table.setdefault(table, {})[rid] = doc
        for table, found in by_table.items():
            self.records.publish_many(table, found)

    def merges(self) -> dict[str, tuple[str, str]]:
        return {doc["id"]: (doc["c"], doc["into"]) for doc in self.merge_table.values()}

    def empty(self) -> bool:
        if len(self.states):
            return False
        self._referrers, self._referrers_for = {}, self.records.ix  # nothing to scan: kept from here on
        return True

    def referrers(self, contact_id: str) -> Iterable[Key]:
        if self._referrers is None or self._referrers_for is not self.records.ix:
            self._referrers, self._referrers_for = self._index_referrers(), self.records.ix
        return list(self._referrers.get(contact_id, ()))

    def _index_referrers(self) -> dict[str, set[Key]]:
        """Every contact id written in a meeting's, follow-up's or introduction's state (a superset:
        an old value too; recomputing one record too many changes nothing)."""
        found: dict[str, set[Key]] = {}
        prefixes = tuple(b'{"id":"' + t.encode() + b"/" for t in CONTACT_REFERENCES)
        for raw in self.states.raw():
            if raw.startswith(prefixes):
                table, _, rid = loads(raw[6:raw.find(b'"', 7) + 1]).partition("/")
                for match in _REFERENCE.finditer(raw):
                    found.setdefault(match.group(1).decode(), set()).add((table, rid))
        return found


@dataclass
class Settings:
    """This device's sync settings (the ``sync`` entry of the store's meta document)."""

    device: str = ""
    name: str = ""
    instance: str = ""  # tells two devices apart that were restored from one backup
    folder: str = ""
    clock: str = ""
    next_seq: int = 1
    written: int = 0  # the last operation this device wrote to its log…
    written_clock: str = ""  # …and its clock: a different one on disk means another writer
    last_sync: str = ""  # ISO time of the last sync that ran (kept to the minute or so)
    reconcile: bool = False  # the records changed without being recorded (a restore): compare them
    publish: bool = False  # a new sync folder: everything this device knows goes into it as a snapshot

    @classmethod
    def of(cls, meta: dict[str, Any]) -> Settings:
        raw = meta.get("sync")
        if not isinstance(raw, dict):
            return cls()
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        return cls(**known)

    def to_meta(self) -> dict[str, Any]:
        return dict(vars(self))

    @property
    def enabled(self) -> bool:
        return bool(self.device and self.folder)


def new_device_id() -> str:
    return secrets.token_hex(8)


class Recorder:
    """The write listener that turns each write of a record into an operation (see the module docstring)."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.backend = StoreBackend(records)
        self.replica = Replica(self.backend)
        self.outbox = KeyedTable(records, OUTBOX)

    def settings(self) -> Settings:
        return Settings.of(self.records.meta())

    def __call__(self, table: str, old: dict[str, Any] | None, new: dict[str, Any] | None, /, *,
                 merged_into: str = "") -> None:
        if table == ALL_REPLACED:
            self._flag_reconcile()
            return
        if table not in SYNCED_TABLES:
            return
        settings = self.settings()
        if not settings.enabled:
            return
        rid = (new or old or {}).get("id", "")
        if merged_into:
            change: Change | None = Change("contacts", rid, merge_into=merged_into)
        else:
            change = change_between(table, rid, self.replica.document(table, rid) if old is not None else None, new)
        if change is not None:
            self.record([change], settings)

    def record(self, changes: list[Change], settings: Settings | None = None) -> None:
        """Stamp, apply here and queue for the folder: in the running transaction."""
        settings = settings or self.settings()
        self.replica._merges = None  # another process may have merged since
        writer = LocalWriter(self.replica, HybridClock(settings.device, settings.clock), settings.next_seq)
        writer.record_many(changes)
        self.outbox.put_many([{"id": f"{op.seq:012d}", "op": loads(wire)} for op, wire in writer.take()])
        settings.clock, settings.next_seq = writer.clock.last, writer.next_seq
        self.records.set_meta(sync=settings.to_meta())

    def _flag_reconcile(self) -> None:
        settings = self.settings()
        if settings.enabled:
            settings.reconcile = True
            self.records.set_meta(sync=settings.to_meta())

    def reconcile(self) -> int:
        """Record whatever differs between the records and what sync knows of them (a first
        sync of an existing store, a restore): every record becomes, or stays, what it is here."""
        changes: list[Change] = []
        replica, data, keys = self.replica, self.records.data, self.records.ix.keys
        for table in SYNCED_TABLES:
            docs = data.get(table) or {}
            present = set()
            for rid, key in keys[table].items():
                present.add(rid)
                doc = docs[key]
                change = change_between(table, rid, replica.document(table, rid), doc)
                if change is not None:
                    changes.append(change)
            for sid in self.backend.states.ids():
                t, _, rid = sid.partition("/")
                if t == table and rid not in present and replica.shown(t, rid):
                    changes.append(Change(t, rid, delete=True))
        settings = self.settings()
        settings.reconcile = False
        if changes:
            self.record(changes, settings)
        else:
            self.records.set_meta(sync=settings.to_meta())
        return len(changes)
