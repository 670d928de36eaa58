"""Mutual's records on the device: the one door through which the UI and the CLI reach data.

A thin repository over TinyDB (:mod:`networking_app.storage`). It keeps every
record in memory with a few indexes (uuid → document, email/phone/name → contact,
contact → meetings, a folded search text per contact), so that reads cost
microseconds and a write costs one journal append.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from .backups import Backups, decode_backup
from .followups import BUCKETS, QueueItem, bucket_index, sort_key
from .reflection import TrendPoint, point_for
from .errors import ImportFormatError, InvalidInputError, NotFoundError, SchemaTooNewError, StoreCorruptError, StoreError
from .links import card_problem
from .matching import FieldChange, identity_keys, merge_card, merge_into
from .migrations import SCHEMA_VERSION, migrate, schema_of
from .models import (
    INTRO_DISMISSED,
    INTRO_DRAFTED,
    NOTE_DONE,
    NOTE_MISSING,
    Intro,
    Card,
    Contact,
    Event,
    FollowUp,
    Meeting,
    MyCard,
    now_iso,
)
from .search import fold, query_terms
from .storage import JournaledStorage, MutualDB
from .store_index import TABLES as INDEXED_TABLES
from .store_index import Indexes

if TYPE_CHECKING:
    from .intros import Profile, Suggestion

R = TypeVar("R", MyCard, Event, Contact, Meeting, FollowUp, Intro)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def synchronized(method: F) -> F:
    """Run a public method under the store's lock, on indexes fresh from disk.

    The UI calls the store from worker threads; one lock keeps indexes coherent.
    """

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            self._fresh()
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]

TABLES: dict[type, str] = {
    MyCard: "cards",
    Event: "events",
    Contact: "contacts",
    Meeting: "meetings",
    FollowUp: "followups",
    Intro: "intros",
}
assert tuple(TABLES.values()) == INDEXED_TABLES, "store_index.TABLES must list the same tables"
STORE_FILE = "mutual.json"
MAX_IMPORT_CARDS = 50_000  # one import, one commit: bounds its time (~0.2 ms a card) and memory


class _Current:
    """Sentinel: "the event running now, if any"."""


CURRENT_EVENT: Any = _Current()
KEEP: Any = object()  # sentinel: leave this field as it is


@dataclass
class ScanResult:
    """What saving a scanned card did."""

    contact: Contact
    meeting: Meeting
    is_new_contact: bool
    is_new_meeting: bool
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportResult:
    """What importing a batch of cards did: all of it, in one commit."""

    added: int = 0
    merged: int = 0
    unchanged: int = 0
    contact_ids: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.merged + self.unchanged


@dataclass
class DeletedContact:
    """Everything a deletion removed, kept in memory so the session can undo it."""

    contact: Contact
    meetings: list[Meeting]
    followups: list[FollowUp]
    intros: list[Intro] = field(default_factory=list)


class Store:
    """Open with :meth:`Store.open`; close when done (or use it as a context manager)."""

    def __init__(self, db: MutualDB, folder: Path, today: Callable[[], date]) -> None:
        self.folder = folder
        self.today = today
        self.backups = Backups(folder / "backups")
        self._db = db
        self._storage: JournaledStorage = db.storage  # type: ignore[assignment]
        self._tables = {name: db.table(name) for name in ("meta", *TABLES.values())}
        self._mutex = threading.RLock()
        self._stale = True
        self._ix = Indexes()
        self._derived: dict[str, tuple[Any, Any]] = {}  # name -> (what it was computed from, value)
        self.notices: list[str] = []  # sentences to show once: what went wrong without stopping us
        self._storage.listeners.append(self._on_foreign_change)

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
            db = MutualDB(folder / STORE_FILE, lock_timeout=lock_timeout, **storage_options)
            tables = db.storage.read()
        except StoreCorruptError as exc:
            raise StoreCorruptError(exc.path, _reason(exc), backups.newest_good()) from None
        store = cls(db, folder, today)
        try:
            try:
                store._upgrade(tables)
                store._fresh()  # decodes every document once: a damaged one is found now
            except ValueError as exc:
                raise StoreCorruptError(db.storage.path, f"a record is damaged: {exc}", backups.newest_good()) from None
            if not store._storage.read_only:
                store._storage.remove_stale_temp_files()
            if not store._storage.native_layout and not store._storage.read_only:
                store._storage.fold_for_privacy()  # once: later opens load without parsing everything
            if daily_backup and not store._storage.read_only:
                store._backup_if_due()
        except BaseException:
            store.close()
            raise
        return store

    def _upgrade(self, tables: dict[str, Any]) -> None:
        version = schema_of(tables)
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{self._storage.path} was written by a newer Mutual (schema {version}); "
                "update Mutual to open it. It was not changed."
            )
        if not any(tables.get(name) for name in TABLES.values()) and version == 0:
            with self._storage.transaction():
                self._tables["meta"].upsert(
                    _doc1({"schema": SCHEMA_VERSION, "current_event_id": ""})
                )
            return
        if version < SCHEMA_VERSION:
            plain = self._storage.materialize()
            self.backups.create(plain, reason=f"before-schema-{SCHEMA_VERSION}")
            migrate(plain)
            with self._storage.transaction():
                self._storage.write(plain)  # one atomic rewrite of the migrated snapshot
            self._stale = True

    def _backup_if_due(self) -> None:
        """Today's backup, unless the disk refuses: then say so and carry on (the store is fine)."""
        if self.backups.due() and any(self._storage.read().get(t) for t in TABLES.values()):
            try:
                self.backup(reason="daily")
            except StoreError as exc:
                self.notices.append(f"Today's backup was not written: {exc}")

    def backup(self, reason: str = "") -> Path:
        """Write a backup of everything now and return its path."""
        with self._mutex:
            return self.backups.create(self._storage.materialize(), reason=reason)

    def restore(self, backup_file: Path) -> None:
        """Replace everything with a backup, all or nothing (a backup of now is kept first)."""
        self.restore_bytes(backup_file.read_bytes(), backup_file.name)

    def restore_bytes(self, data: bytes, source: str = "this file") -> None:
        """:meth:`restore` from a backup's bytes (e.g. from a file picker)."""
        tables = decode_backup(data, source)
        migrate(tables)
        with self._mutex:
            self.backup(reason="before-restore")
            with self._storage.transaction():
                self._storage.write(tables)
            self._stale = True

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes as one atomic commit: all of them reach the disk, or none."""
        with self._writing():
            yield

    def tables(self) -> dict[str, dict[str, Any]]:
        """Every table as plain dicts (for exports): a consistent copy, read under the lock."""
        with self._mutex:
            self._fresh()
            return self._storage.materialize()

    @synchronized
    def meetings_by_contact(self, contact_ids: Iterable[str]) -> dict[str, list[Meeting]]:
        """Each contact's meetings, newest first, in one call (exports of thousands of people)."""
        ix = self._ix
        found: dict[str, list[Meeting]] = {}
        for cid in contact_ids:
            meetings = [self._get(Meeting, mid) for mid in ix.meetings_by_contact.get(cid, ())]
            found[cid] = sorted(meetings, key=self._meeting_order, reverse=True)
        return found

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self._storage.path

    # -- plumbing: transactions, records, indexes --------------------------------------
    def _on_foreign_change(self, changed: object) -> None:
        self._stale = True  # another process wrote, or a failed commit was rolled back

    def _fresh(self) -> Indexes:
        """Indexes that reflect the disk (re-read if another process wrote)."""
        with self._mutex:
            tables = self._storage.read()  # notices other processes' commits
            if self._stale:
                self._ix = Indexes.build(tables)
                self._stale = False
            return self._ix

    @contextmanager
    def _writing(self) -> Iterator[Indexes]:
        with self._mutex, self._storage.transaction():
            yield self._fresh()

    def _data(self) -> dict[str, dict[str, Any]]:
        # Under the store's lock the storage's tables only change through this store.
        return self._storage._tables if self._storage._tables is not None else self._storage.cached()

    def _doc(self, kind: type[R], rid: str) -> dict[str, Any] | None:
        table = TABLES[kind]
        key = self._ix.keys[table].get(rid)
        return None if key is None else self._data()[table].get(key)

    def _get(self, kind: type[R], rid: str) -> R:
        doc = self._doc(kind, rid)
        if doc is None:
            raise NotFoundError(f"No {kind.__name__.lower()} with id {rid} exists.")
        return kind.from_doc(doc)

    def _all(self, kind: type[R]) -> list[R]:
        return [kind.from_doc(d) for d in self._data().get(TABLES[kind], {}).values()]

    def _put(self, record: R) -> R:
        """Insert or replace a record (in a write transaction) and index it."""
        table = TABLES[type(record)]
        ix = self._ix
        record.updated = now_iso()
        doc = record.to_doc()
        key = ix.keys[table].get(record.id)
        if key is None:
            ix.keys[table][record.id] = str(self._tables[table].insert(doc))
        else:
            ix.unindex(table, self._data()[table][key], self._data())
            self._tables[table].update(_replace_with(doc), doc_ids=[int(key)])
        ix.index(table, doc, self._data())
        return record

    def _delete(self, kind: type, rid: str) -> None:
        table = TABLES[kind]
        key = self._ix.keys[table].pop(rid, None)
        if key is not None:
            doc = self._data()[table][key]
            self._tables[table].remove(doc_ids=[int(key)])
            self._ix.unindex(table, doc, self._data())

    def _meta(self) -> dict[str, Any]:
        return dict(self._data().get("meta", {}).get("1", {}))

    def _set_meta(self, **values: Any) -> None:
        self._tables["meta"].update(values, doc_ids=[1])

    # -- my cards ----------------------------------------------------------------------------
    @synchronized
    def my_cards(self) -> list[MyCard]:
        return sorted(self._all(MyCard), key=lambda c: (not c.is_default, c.label.casefold()))

    @synchronized
    def default_card(self) -> MyCard | None:
        cards = self.my_cards()
        return cards[0] if cards else None

    def save_my_card(self, card: MyCard) -> MyCard:
        """Create or update one of my cards; the first one, or one marked default, is the default.

        Raises InvalidInputError when the card has no name or holds an address others cannot use.
        """
        problem = card_problem(card.full_name, card.emails, card.phones, card.urls)
        if problem:
            raise InvalidInputError(problem)
        with self._writing():
            others = [c for c in self._all(MyCard) if c.id != card.id]
            if not others:
                card.is_default = True
            if card.is_default:
                for other in others:
                    if other.is_default:
                        other.is_default = False
                        self._put(other)
            return self._put(card)

    def delete_my_card(self, card_id: str) -> None:
        with self._writing():
            was_default = self._get(MyCard, card_id).is_default
            self._delete(MyCard, card_id)
            rest = self._all(MyCard)
            if was_default and rest:
                rest[0].is_default = True
                self._put(rest[0])

    # -- events ---------------------------------------------------------------------------------
    @synchronized
    def events(self) -> list[Event]:
        """Every event, the newest first."""
        return sorted(self._all(Event), key=lambda e: (e.date or e.started_at[:10], e.started_at), reverse=True)

    @synchronized
    def event(self, event_id: str) -> Event:
        return self._get(Event, event_id)

    @synchronized
    def current_event(self) -> Event | None:
        current = self._meta().get("current_event_id", "")
        doc = self._doc(Event, current) if current else None
        event = Event.from_doc(doc) if doc else None
        return event if event and event.is_running else None

    @synchronized
    def find_event(self, name: str) -> Event:
        """The event called ``name`` (case-insensitive), or whose id starts with it (4+ characters).

        Two events may share a name (a yearly conference): the running one, else the newest, is
        meant, and the others stay reachable by id (``event list --json``).
        """
        wanted = fold(name.strip())
        named = [e for e in self.events() if fold(e.name.strip()) == wanted]
        if named:
            return next((e for e in named if e.is_running), named[0])
        key = name.strip().lower()
        by_id = [e for e in self.events() if len(key) >= 4 and e.id.startswith(key)]
        if len(by_id) == 1:
            return by_id[0]
        if by_id:
            raise NotFoundError(f"{len(by_id)} events have an id starting with {key}: give more of it.")
        raise NotFoundError(f"No event is called “{name}”. Start it with: event start \"{name}\".")

    def start_event(self, name: str, *, place: str = "", day: str = "", intention: str = "") -> Event:
        """Start a new event and make it the current one (a running one is ended)."""
        if not name.strip():
            raise InvalidInputError("An event needs a name.")
        event = Event(name=name.strip(), place=place.strip(), date=day or self.today().isoformat(), intention=intention.strip())
        with self._writing():
            self._end_current()
            self._put(event)
            self._set_meta(current_event_id=event.id)
        return event

    def switch_event(self, event_id: str) -> Event:
        """Make an event the current one again (reopening it if it had ended)."""
        with self._writing():
            event = self._get(Event, event_id)
            if self._meta().get("current_event_id") != event_id:
                self._end_current()
            event.ended_at = ""
            self._put(event)
            self._set_meta(current_event_id=event_id)
        return event

    def end_event(self) -> Event | None:
        """End the current event; returns it (for the reflection that follows)."""
        with self._writing():
            return self._end_current()

    def _end_current(self) -> Event | None:
        current = self._meta().get("current_event_id", "")
        self._set_meta(current_event_id="")
        doc = self._doc(Event, current) if current else None
        if not doc:
            return None
        event = Event.from_doc(doc)
        if event.is_running:
            event.ended_at = now_iso()
            self._put(event)
        return event

    def save_event(self, event: Event) -> Event:
        with self._writing():
            return self._put(event)

    # -- contacts and scans -------------------------------------------------------------------
    @synchronized
    def find_known(self, card: Card) -> Contact | None:
        """The contact a card belongs to: same email or phone, else same name and organisation."""
        ix = self._fresh()
        ix.build_identity(self._data())
        emails, phones, name_org = identity_keys(card)
        for key, index in [(e, ix.by_email) for e in emails] + [(p, ix.by_phone) for p in phones]:
            if key in index:
                return self._get(Contact, index[key])
        if name_org and name_org in ix.by_name_org:
            return self._get(Contact, ix.by_name_org[name_org])
        return None

    def record_scan(
        self,
        card: Card,
        *,
        event_id: str | None = CURRENT_EVENT,
        source: str = "scan",
        met_at: str | None = None,
    ) -> ScanResult:
        """Save a scanned card: a new contact, or a known one merged, plus the meeting.

        ``event_id`` defaults to the running event; ``None`` or "" means met at no event.
        Scanning someone twice at the same event keeps one meeting.
        """
        with self._writing():
            if event_id is CURRENT_EVENT:
                current = self.current_event()
                event_id = current.id if current else ""
            event_id = event_id or ""
            known = self.find_known(card)
            changes: list[FieldChange] = []
            if known:
                changes = merge_card(known, card)
                contact = self._put(known) if changes else known
            else:
                contact = self._put(Contact.from_card(card, source=source))
            meeting, is_new_meeting = self._meeting_for(contact.id, event_id, met_at)
        return ScanResult(contact, meeting, known is None, is_new_meeting, changes)

    def _meeting_for(self, contact_id: str, event_id: str, met_at: str | None) -> tuple[Meeting, bool]:
        if event_id:
            for meeting in self.meetings_of(contact_id):
                if meeting.event_id == event_id:
                    return meeting, False
        meeting = Meeting(contact_id=contact_id, event_id=event_id, met_at=met_at or now_iso())
        return self._put(meeting), True

    def add_contact(self, card: Card, *, source: str = "manual", tags: list[str] | None = None) -> Contact:
        """Add a contact without a meeting (e.g. typed in or imported)."""
        with self._writing():
            return self._put(Contact.from_card(card, source=source, tags=list(tags or [])))

    def import_cards(self, cards: Iterable[Card], *, source: str = "import", tags: Iterable[str] = ()) -> ImportResult:
        """Add cards from a file, deduplicated like scans, as one atomic commit.

        A card matching a known person (or an earlier card of the same file) is merged
        into them; nothing is half-imported if anything fails.
        """
        result = ImportResult()
        extra = list(tags)
        with self._writing():
            for count, card in enumerate(cards, 1):
                if count > MAX_IMPORT_CARDS:  # raising dooms the whole batch: nothing is written
                    raise ImportFormatError(f"This file holds more than {MAX_IMPORT_CARDS:,} cards; split it into "
                                            "smaller files. Nothing was imported.")
                known = self.find_known(card)
                if known is None:
                    contact = self._put(Contact.from_card(card, source=source, tags=list(extra)))
                    result.added += 1
                elif merge_card(known, card):
                    contact = self._put(known)
                    result.merged += 1
                else:
                    contact = known
                    result.unchanged += 1
                result.contact_ids.append(contact.id)
        return result

    @synchronized
    def contact(self, contact_id: str) -> Contact:
        return self._get(Contact, contact_id)

    @synchronized
    def contact_ids(self, *, event_id: str | None = None, query: str = "", tag: str = "") -> list[str]:
        """Ids of the contacts matching all filters, the most recently met first."""
        ix = self._ix
        ids = list(self._by_recency())  # a copy: callers may change their list
        terms = query_terms(query)
        if terms:
            ix.build_search(self._data())
            hits = ix.search(terms)
            ids = [c for c in ids if c in hits]
        if event_id is not None:
            met = set(ix.contacts_at(event_id))
            ids = [c for c in ids if c in met]
        wanted = fold(tag.strip())
        if wanted:
            ids = [cid for cid in ids if wanted in {fold(t) for t in self._doc(Contact, cid).get("tags", ())}]
        return ids

    def _by_recency(self) -> list[str]:
        """Every contact id, the most recently met first (else the latest edited); cached until a change.

        Filtering this order is a pass over 10,000 ids; sorting the hits of each search cost more.
        """
        def compute() -> list[str]:
            last_met, updated = self._ix.last_met, self._ix.updated
            return sorted(self._ix.keys["contacts"], key=lambda c: last_met.get(c) or updated.get(c, ""), reverse=True)

        return self._until_change("recency", compute)

    def _until_change(self, name: str, compute: Callable[[], T], *also: Any) -> T:
        """``compute()``, kept until the indexes change (any write, or another process's) or ``also`` does."""
        key = (self._ix, self._ix.version, *also)
        kept = self._derived.get(name)
        if kept is not None and kept[0] == key:
            return kept[1]  # type: ignore[no-any-return]
        value = compute()
        self._derived[name] = (key, value)
        return value

    @synchronized
    def contacts(
        self, *, event_id: str | None = None, query: str = "", tag: str = "", limit: int | None = None
    ) -> list[Contact]:
        """Contacts matching all filters, the most recently met first (``limit`` for a page)."""
        ids = self.contact_ids(event_id=event_id, query=query, tag=tag)
        return [self._get(Contact, cid) for cid in ids[:limit]]

    @synchronized
    def last_met(self, contact_id: str) -> str:
        return self._fresh().last_met.get(contact_id, "")

    def save_contact(self, contact: Contact) -> Contact:
        with self._writing():
            self._get(Contact, contact.id)
            return self._put(contact)

    def delete_contact(self, contact_id: str) -> DeletedContact:
        """Delete a person with their meetings and follow-ups, everywhere on disk.

        The journal still held their data, so it is folded into the snapshot at
        once: what is deleted is gone from the files, and from backups made after.
        """
        with self._writing():
            deleted = DeletedContact(
                self._get(Contact, contact_id),
                self.meetings_of(contact_id),
                [f for f in self._all(FollowUp) if f.contact_id == contact_id],
                [i for i in self._all(Intro) if contact_id in i.pair],  # drafts name them
            )
            for followup in deleted.followups:
                self._delete(FollowUp, followup.id)
            for meeting in deleted.meetings:
                self._delete(Meeting, meeting.id)
            for intro in deleted.intros:
                self._delete(Intro, intro.id)
            self._delete(Contact, contact_id)
        self._fold_for_privacy()
        return deleted

    def _fold_for_privacy(self) -> None:
        if not self._storage.fold_for_privacy():
            self.notices.append("The disk is full: the deletion is saved, and the deleted data will leave the "
                                "store's files as soon as there is room.")

    def undo_delete(self, deleted: DeletedContact) -> Contact:
        with self._writing():
            for record in (deleted.contact, *deleted.meetings, *deleted.followups, *deleted.intros):
                self._put(record)
        return deleted.contact

    # -- meetings and the "How can I help them?" note ----------------------------------------
    @synchronized
    def meeting(self, meeting_id: str) -> Meeting:
        return self._get(Meeting, meeting_id)

    @synchronized
    def meetings_of(self, contact_id: str) -> list[Meeting]:
        """A contact's meetings, the newest first."""
        ix = self._fresh()
        found = [self._get(Meeting, mid) for mid in ix.meetings_by_contact.get(contact_id, ())]
        return sorted(found, key=self._meeting_order, reverse=True)

    @synchronized
    def meetings_at(self, event_id: str) -> list[Meeting]:
        """The meetings of an event, in the order they happened."""
        ix = self._fresh()
        found = [self._get(Meeting, mid) for mid in ix.meetings_by_event.get(event_id, ())]
        return sorted(found, key=self._meeting_order)

    def _meeting_order(self, meeting: Meeting) -> tuple[str, int]:
        """When it happened; ties (the same millisecond) in the order they were saved."""
        return meeting.met_at, int(self._ix.keys["meetings"].get(meeting.id, "0"))

    def save_note(
        self,
        meeting_id: str,
        *,
        need: str | None = None,
        help: str | None = None,
        promise: str | None = None,
        follow_up: date | None = KEEP,
        channel: str | None = None,
    ) -> Meeting:
        """Save the "How can I help them?" note; ``None`` leaves a field as it is.

        ``follow_up`` is a due date, ``None`` for no follow-up, or left out to keep it.
        """
        with self._writing():
            meeting = self._get(Meeting, meeting_id)
            for name, value in (("need", need), ("help", help), ("promise", promise)):
                if value is not None:
                    setattr(meeting, name, value.strip())
            if follow_up is not KEEP:
                self._set_followup(meeting, follow_up, channel)
            # an empty note is not a note: the meeting stays in the notes inbox, unless a follow-up is set
            said = meeting.need or meeting.help or meeting.promise or self.followup_of(meeting.id)
            meeting.note_status = NOTE_DONE if said else NOTE_MISSING
            self._put(meeting)
        return meeting

    def note_contact(self, contact_id: str, **note: Any) -> Meeting:
        """Save a note on a contact's latest meeting (one at no event if they have none)."""
        with self._writing():
            meetings = self.meetings_of(contact_id)
            if not meetings:
                self._get(Contact, contact_id)
                meeting, _ = self._meeting_for(contact_id, "", None)
            else:
                meeting = meetings[0]
            return self.save_note(meeting.id, **note)

    # -- follow-ups --------------------------------------------------------------------------------
    @synchronized
    def followup_of(self, meeting_id: str) -> FollowUp | None:
        fid = self._fresh().followup_by_meeting.get(meeting_id)
        return self._get(FollowUp, fid) if fid else None

    @synchronized
    def followups(self, *, include_done: bool = False) -> list[FollowUp]:
        return [f for f in self._all(FollowUp) if include_done or not f.is_done]

    def _set_followup(self, meeting: Meeting, due: date | None, channel: str | None) -> None:
        existing = self.followup_of(meeting.id)
        if due is None:
            if existing and not existing.is_done:
                self._delete(FollowUp, existing.id)
            return
        followup = existing if existing and not existing.is_done else FollowUp(
            contact_id=meeting.contact_id, meeting_id=meeting.id
        )
        followup.due = due.isoformat()
        if channel is not None:
            followup.channel = channel
        self._put(followup)

    def complete_followup(self, followup_id: str) -> FollowUp:
        with self._writing():
            followup = self._get(FollowUp, followup_id)
            followup.done_at = now_iso()
            return self._put(followup)

    def reschedule_followup(self, followup_id: str, due: date) -> FollowUp:
        with self._writing():
            followup = self._get(FollowUp, followup_id)
            followup.due = due.isoformat()
            followup.done_at = ""
            return self._put(followup)

    def snooze_followup(self, followup_id: str, days: int) -> FollowUp:
        """Push a follow-up ``days`` after today, or after its due date if that is later."""
        with self._writing():
            followup = self._get(FollowUp, followup_id)
            base = max(self.today(), date.fromisoformat(followup.due)) if followup.due else self.today()
            return self.reschedule_followup(followup_id, base + timedelta(days=days))

    @synchronized
    def followup_queue(self, *, limit: int | None = None, suggestions: bool = True) -> list[QueueItem]:
        """The follow-up queue (see :mod:`networking_app.followups`), first ``limit`` rows.

        Ordered from the indexes alone; only the rows returned are read and decoded.
        """
        rows = self._queue_order()
        items = [self._queue_item(BUCKETS[b], self._doc(FollowUp, fid)) for b, _, _, fid in rows[:limit]]
        items.sort(key=sort_key)  # ties on the due date broken by name
        if suggestions and (limit is None or len(items) < limit):
            items += self._suggestions(None if limit is None else limit - len(items))
        return items

    def _queue_order(self) -> list[tuple[int, bool, str, str]]:
        """(bucket, not a promise, due, id) of every open follow-up, sorted; cached until a change or a new day
        (sorting 10,000 rows is most of the queue's 30 ms, and the tab is shown again and again)."""
        today = self.today()

        def compute() -> list[tuple[int, bool, str, str]]:
            bucket, promised = bucket_index(today), self._ix.promised
            return sorted((bucket(due), mid not in promised, due or "9999", fid)
                          for fid, (due, mid, _cid) in self._ix.open_followups.items())

        return self._until_change("queue", compute, today)

    def _queue_item(self, bucket: str, doc: dict[str, Any]) -> QueueItem:
        meeting = self._get(Meeting, doc["meeting_id"]) if self._doc(Meeting, doc["meeting_id"]) else None
        event_doc = self._doc(Event, meeting.event_id) if meeting and meeting.event_id else None
        return QueueItem(
            bucket,
            self._get(Contact, doc["contact_id"]),
            meeting,
            Event.from_doc(event_doc) if event_doc else None,
            FollowUp.from_doc(doc),
        )

    def _suggestions(self, limit: int | None) -> list[QueueItem]:
        """Meetings at ended events with no note and no follow-up: a nudge, not a nag.

        The most recently ended events first.
        """
        ix = self._ix
        ended = [Event.from_doc(doc) for doc in self._data().get("events", {}).values() if doc["ended_at"]]
        found: list[QueueItem] = []
        for event in sorted(ended, key=lambda e: e.ended_at, reverse=True):
            mids = [m for m in ix.meetings_by_event.get(event.id, ()) if m in ix.note_missing and m not in ix.followup_by_meeting]
            meetings = sorted((self._get(Meeting, m) for m in mids), key=lambda m: m.met_at, reverse=True)
            found += [QueueItem("suggested", self._get(Contact, m.contact_id), m, event, None) for m in meetings]
            if limit is not None and len(found) >= limit:
                break
        return found[:limit]

    # -- after the event: reflection --------------------------------------------------------------------
    @synchronized
    def event_to_reflect(self) -> Event | None:
        """The running event, else the one that ended last."""
        current = self.current_event()
        if current:
            return current
        ended = [e for e in self._all(Event) if e.ended_at]
        return max(ended, key=lambda e: e.ended_at) if ended else None

    @synchronized
    def notes_inbox(self, event_id: str) -> list[Meeting]:
        """The meetings of an event still missing their "How can I help them?" note."""
        return [m for m in self.meetings_at(event_id) if not m.has_note]

    def save_reflection(self, event_id: str, *, went_well: str, comfort: int, help_first: str) -> Event:
        if comfort not in range(0, 6):
            raise InvalidInputError("Comfort is a number from 1 to 5.")
        with self._writing():
            event = self._get(Event, event_id)
            event.went_well, event.comfort, event.help_first = went_well.strip(), comfort, help_first.strip()
            return self._put(event)

    @synchronized
    def trend(self, last: int = 8) -> list[TrendPoint]:
        """The last events with people met, notes done, help offered and comfort, oldest first."""
        events = [e for e in self._all(Event) if self._ix.meetings_by_event.get(e.id) or e.comfort]
        events.sort(key=lambda e: (e.date or e.started_at[:10], e.started_at))
        return [point_for(e, self.meetings_at(e.id)) for e in events[-last:]]

    # -- people: tags, merging -------------------------------------------------------------------------------
    def set_tags(self, contact_id: str, tags: list[str]) -> Contact:
        with self._writing():
            contact = self._get(Contact, contact_id)
            seen: dict[str, str] = {}
            for tag in tags:
                clean = " ".join(tag.split())[:40]
                if clean and fold(clean) not in seen:
                    seen[fold(clean)] = clean
            contact.tags = list(seen.values())
            return self._put(contact)

    @synchronized
    def all_tags(self) -> list[str]:
        """Every tag in use, the most used first."""
        counts: dict[str, int] = {}
        for doc in self._data().get("contacts", {}).values():
            for tag in doc.get("tags", ()):
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t.casefold()))

    def merge_contacts(self, keep_id: str, other_id: str) -> Contact:
        """Make two records of one person one: every meeting, note and follow-up is kept.

        Where both have a different value, the kept record's wins and the other's goes to
        its history; lists and tags are joined.
        """
        if keep_id == other_id:
            raise InvalidInputError("Choose two different people to merge.")
        with self._writing():
            keep, other = self._get(Contact, keep_id), self._get(Contact, other_id)
            merge_into(keep, other)
            for meeting in self.meetings_of(other_id):
                meeting.contact_id = keep_id
                self._put(meeting)
            for followup in [f for f in self._all(FollowUp) if f.contact_id == other_id]:
                followup.contact_id = keep_id
                self._put(followup)
            self._delete(Contact, other_id)
            merged = self._put(keep)
        self._fold_for_privacy()  # the other record's data leaves the files
        return merged

    # -- introductions --------------------------------------------------------------------------------------
    @synchronized
    def intro_profiles(self) -> list[Profile]:
        """Each contact's offers and seeking, plus what my notes say they need.

        Cached until the next change: the introductions screen asks more than once.
        """
        return self._until_change("profiles", self._build_profiles)

    def _build_profiles(self) -> list[Profile]:
        from .intros import Profile

        data = self._data()
        needs: dict[str, list[str]] = {}
        for doc in data.get("meetings", {}).values():
            if doc["need"]:
                needs.setdefault(doc["contact_id"], []).append(doc["need"])
        return [
            Profile(doc["id"], _display_name(doc), doc.get("offers", ""), doc.get("seeking", ""),
                    "\n".join(needs.get(doc["id"], ())))
            for doc in data.get("contacts", {}).values()
            if doc.get("offers") or doc.get("seeking") or doc["id"] in needs
        ]

    def suggest_intros(self, *, limit: int = 50) -> list[Suggestion]:
        """Pairs of my contacts where one's need meets another's offer, best first.

        Pairs already drafted or dismissed are left out.
        """
        from .intros import suggest_intros

        profiles = self.intro_profiles()
        handled = {intro.pair for intro in self._all_intros()}
        return suggest_intros(profiles, limit=limit, dismissed=handled)

    @synchronized
    def _all_intros(self) -> list[Intro]:
        return self._all(Intro)

    def intros(self) -> list[Intro]:
        """Drafted introductions, the newest first."""
        return sorted((i for i in self._all_intros() if i.status == INTRO_DRAFTED), key=lambda i: i.created, reverse=True)

    def dismiss_intro(self, suggestion: Suggestion) -> Intro:
        with self._writing():
            intro = Intro(seeker_id=suggestion.seeker_id, helper_id=suggestion.helper_id,
                          reasons=list(suggestion.reasons), status=INTRO_DISMISSED)
            return self._put(intro)

    def draft_intro(self, suggestion: Suggestion, *, me: str = "") -> Intro:
        """Turn a suggestion into two double-opt-in messages, kept until I send them."""
        from .intros import draft_intro_messages

        with self._writing():
            by_id = {p.id: p for p in self.intro_profiles()}
            seeker, helper = by_id[suggestion.seeker_id], by_id[suggestion.helper_id]
            to_seeker, to_helper = draft_intro_messages(seeker, helper, suggestion, me=me)
            intro = Intro(seeker_id=seeker.id, helper_id=helper.id, reasons=list(suggestion.reasons),
                          to_seeker=to_seeker, to_helper=to_helper)
            return self._put(intro)

    def delete_intro(self, intro_id: str) -> None:
        with self._writing():
            self._delete(Intro, intro_id)

    # -- statistics for the UI ---------------------------------------------------------------------------
    @synchronized
    def counts(self) -> dict[str, int]:
        return {name: len(self._data().get(name, {})) for name in TABLES.values()}


def _display_name(doc: dict[str, Any]) -> str:
    name = doc.get("formatted") or " ".join(p for p in (doc.get("given", ""), doc.get("family", "")) if p)
    return name or next(iter(doc.get("emails", [])), "") or "Unnamed contact"


def _reason(exc: StoreCorruptError) -> str:
    text = str(exc)
    start, end = text.find("("), text.rfind(")")
    return text[start + 1 : end] if 0 <= start < end else "unreadable"


def _doc1(values: dict[str, Any]) -> Any:
    from tinydb.table import Document

    return Document(values, doc_id=1)


def _replace_with(doc: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A TinyDB update that makes a stored document exactly ``doc`` (dropped keys too)."""

    def apply(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    return apply
