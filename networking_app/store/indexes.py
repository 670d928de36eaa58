"""The store's in-memory indexes: what makes reads cost microseconds.

Built from the tables when a store opens (and again after another process wrote),
then kept current by the store's own writes. What the first screens need is built at
open; the rest on first use, so opening stays fast: the meetings' indexes (three or four
meetings a person: half of opening the store) when a meeting is first looked up or
written, email/phone/name lookups on the first scan, the folded search text on the
first search, the introductions index on the first question about introductions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from sys import intern
from typing import TYPE_CHECKING, Any

from ..matching import email_key, name_key, phone_key
from ..models import NOTE_DONE, full_name_of
from ..search import search_fold

if TYPE_CHECKING:
    from ..intros.index import IntroIndex
    from ..intros.text_model import Profile

TABLES = ("cards", "events", "contacts", "meetings", "followups", "intros")


class Indexes:
    """In-memory lookups, rebuilt from the tables at open and after a foreign change,
    kept up to date by the store's own writes."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = _Keys(self, {t: {} for t in TABLES})
        # identity lookups: key -> the contacts holding it (several: possible duplicates, shared phones)
        self.by_email: dict[str, list[str]] = defaultdict(list)
        self.by_phone: dict[str, list[str]] = defaultdict(list)  # the last digits; matching.same_phone decides
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_uid: dict[str, list[str]] = defaultdict(list)
        self.blob: dict[str, str] = {}  # contact id -> folded card and note text
        self._meetings_by_contact: dict[str, list[str]] = defaultdict(list)
        self._meetings_by_event: dict[str, list[str]] = defaultdict(list)
        self.followup_by_meeting: dict[str, str] = {}
        self._last_met: dict[str, str] = {}
        self.updated: dict[str, str] = {}
        self.open_followups: dict[str, tuple[str, str, str]] = {}  # id -> (due, meeting, contact)
        self._promised: set[str] = set()  # meetings where I promised something
        self._note_missing: set[str] = set()  # meetings still without their note
        self._unindexed_meetings: Any = None  # the meetings table, until its indexes are first needed
        self.give_and_take: set[str] = set()  # contacts whose card says what they offer or seek
        self.tags: Counter[str] = Counter()  # tag -> how many contacts carry it
        self.intros: IntroIndex | None = None  # built on the first question about introductions
        self.intros_stale: set[str] = set()  # contacts whose profile changed since the intro index saw them
        self._intros_todo: list[str] = []  # contacts not indexed for introductions yet, the next last
        self.version = 0  # bumped on every change the store makes: caches compare it
        self.searchable = False  # blobs are built on the first search
        self.identified = False  # email/phone/name indexes are built on the first lookup

    @classmethod
    def build(cls, tables: dict[str, Any]) -> Indexes:
        """Decode each document once; what only scans and searches need waits for them."""
        ix = cls()
        indexers = {"contacts": ix._index_contact, "followups": ix._index_followup}
        for table in TABLES:
            keys = ix.keys[table]
            indexer = indexers.get(table)
            docs = tables.get(table, {})
            items = docs.decoded_items() if hasattr(docs, "decoded_items") else docs.items()
            if table == "meetings":
                ix._unindexed_meetings = docs
                del ix.keys["meetings"]  # made on first use (see _Keys)
                continue
            for key, doc in items:
                if table == "contacts":
                    doc["id"] = intern(doc["id"])  # one string per person, shared by their meetings' references
                keys[doc["id"]] = key
                if indexer:
                    indexer(doc)
        return ix

    def _index_meetings(self) -> None:
        """The meetings' indexes, the first time one is needed; ``_index_meeting`` for each, inlined."""
        docs, self._unindexed_meetings = self._unindexed_meetings, None
        keys: dict[str, str] = {}
        dict.__setitem__(self.keys, "meetings", keys)
        by_contact = self._meetings_by_contact
        by_event, last_met, promised, missing = self._meetings_by_event, self._last_met, self._promised, self._note_missing
        items = docs.decoded_items() if hasattr(docs, "decoded_items") else docs.items()
        for key, doc in items:
            mid, cid, eid, at = doc["id"], intern(doc["contact_id"]), doc["event_id"], doc["met_at"]
            keys[mid] = key
            by_contact[cid].append(mid)
            if eid:
                by_event[eid].append(mid)
            if at > last_met.get(cid, ""):
                last_met[cid] = at
            if doc["promise"]:
                promised.add(mid)
            if doc["note_status"] != NOTE_DONE:
                missing.add(mid)

    # -- the meetings' indexes, made on first use ----------------------------------------------
    def _meetings_ready(self) -> None:
        if self._unindexed_meetings is not None:
            self._index_meetings()

    @property
    def meetings_by_contact(self) -> dict[str, list[str]]:
        self._meetings_ready()
        return self._meetings_by_contact

    @property
    def meetings_by_event(self) -> dict[str, list[str]]:
        self._meetings_ready()
        return self._meetings_by_event

    @property
    def last_met(self) -> dict[str, str]:
        self._meetings_ready()
        return self._last_met

    @property
    def promised(self) -> set[str]:
        """Meetings where I promised something."""
        self._meetings_ready()
        return self._promised

    @property
    def note_missing(self) -> set[str]:
        """Meetings still without their note."""
        self._meetings_ready()
        return self._note_missing

    def build_identity(self, tables: dict[str, Any]) -> None:
        if self.identified:
            return
        self.identified = True
        for doc in tables.get("contacts", {}).values():
            self._index_identity(doc)

    def build_search(self, tables: dict[str, dict[str, Any]]) -> None:
        """Fold the text of every card and note once; later writes keep it current."""
        if self.searchable:
            return
        self.searchable = True
        for doc in tables.get("contacts", {}).values():
            self._refresh_blob(doc, tables)

    def intro_index(self, tables: dict[str, Any]) -> IntroIndex:
        """Every contact's profile, indexed for introductions: built once, then brought up to date
        with the contacts changed since (a scan changes one: ~0.1 ms instead of a rebuild)."""
        while not self.index_intros(tables, at_most=None):
            pass
        assert self.intros is not None
        return self.intros

    def index_intros(self, tables: dict[str, Any], at_most: int | None) -> bool:
        """Index up to ``at_most`` more contacts for introductions (None: all); whether all are in.

        Building in steps lets a worker thread let go of the store's lock in between: at 30,000
        people the whole index takes ~2 s. Writes meanwhile mark their contacts stale, like later ones.
        """
        from ..intros.index import IntroIndex

        if self.intros is None:
            self.intros, self.intros_stale = IntroIndex(), set()
            # in the table's order: the same run to run; a contact never met has only their card to say
            by_contact = self.meetings_by_contact
            self._intros_todo = [cid for cid in reversed(self.keys["contacts"])
                                 if cid in self.give_and_take or by_contact.get(cid)]
        todo, count = self._intros_todo, len(self._intros_todo) if at_most is None else at_most
        while todo and count > 0:
            count -= 1
            profile = self.profile_of(todo.pop(), tables)
            if profile is not None:  # gone since: nothing to index
                self.intros.put(profile)
        if todo:
            return False
        stale, self.intros_stale = self.intros_stale, set()
        for cid in stale:
            profile = self.profile_of(cid, tables)
            if profile is None:
                self.intros.remove(cid)
            else:
                self.intros.put(profile)
        return True

    def profile_of(self, cid: str, tables: dict[str, Any]) -> Profile | None:
        """A contact's profile as stored: their card's offers and seeking, the needs I noted."""
        from ..intros.text_model import profile_of_doc

        contact = self._contact_doc(cid, tables)
        if contact is None:
            return None
        meetings, mkeys = tables.get("meetings", {}), self.keys["meetings"]
        mids = [mid for mid in self.meetings_by_contact.get(cid, ()) if mid in mkeys]
        return profile_of_doc(contact, (meetings[mkeys[mid]]["need"] for mid in mids), cid)

    def _refresh_blob(self, contact: dict[str, Any] | None, tables: dict[str, Any]) -> None:
        if not self.searchable or contact is None:
            return
        meetings, mkeys = tables.get("meetings", {}), self.keys["meetings"]
        notes = []
        # in the table's order, whatever order the writes came in (a merge appends the meetings it moves)
        for key in sorted((k for mid in self.meetings_by_contact.get(contact["id"], ()) if (k := mkeys.get(mid))),
                          key=int):
            m = meetings.get(key)
            if m:
                notes += [m["need"], m["help"], m["promise"]]
        self.blob[contact["id"]] = _card_blob(contact, notes)

    def _contact_doc(self, cid: str, tables: dict[str, Any]) -> dict[str, Any] | None:
        key = self.keys["contacts"].get(cid)
        return None if key is None else tables.get("contacts", {}).get(key)

    def _profile_changed(self, table: str, doc: dict[str, Any]) -> None:
        if self.intros is not None and table in ("contacts", "meetings"):
            self.intros_stale.add(doc["id"] if table == "contacts" else doc["contact_id"])

    def index(self, table: str, doc: dict[str, Any], tables: dict[str, Any]) -> None:
        self.version += 1
        self._profile_changed(table, doc)
        if table == "contacts":
            self._index_contact(doc)
            self._refresh_blob(doc, tables)
        elif table == "meetings":
            self._index_meeting(doc)
            self._refresh_blob(self._contact_doc(doc["contact_id"], tables), tables)
        elif table == "followups":
            self._index_followup(doc)

    def unindex(self, table: str, doc: dict[str, Any], tables: dict[str, Any]) -> None:
        self.version += 1
        self._profile_changed(table, doc)
        if table == "contacts":
            self.give_and_take.discard(doc["id"])
            if doc.get("tags"):
                self.tags.subtract(doc["tags"])
                self.tags += Counter()  # drop the tags nobody carries any more
            for keys, index in zip(stored_identity_keys(doc), self._identity_indexes(), strict=True):
                for k in keys:
                    ids = index.get(k)
                    _discard(ids, doc["id"])
                    if ids == []:
                        del index[k]
            self.blob.pop(doc["id"], None)
            self.updated.pop(doc["id"], None)
        elif table == "meetings":
            cid = doc["contact_id"]
            self.promised.discard(doc["id"])
            self.note_missing.discard(doc["id"])
            _discard(self.meetings_by_contact.get(cid), doc["id"])
            _discard(self.meetings_by_event.get(doc["event_id"]), doc["id"])
            self._refresh_last_met(cid, tables)
            self._refresh_blob(self._contact_doc(cid, tables), tables)
        elif table == "followups":
            self.open_followups.pop(doc["id"], None)
            if self.followup_by_meeting.get(doc.get("meeting_id", "")) == doc["id"]:
                del self.followup_by_meeting[doc["meeting_id"]]

    def _index_contact(self, doc: dict[str, Any]) -> None:
        self.updated[doc["id"]] = doc["updated"]
        if doc.get("tags"):
            self.tags.update(doc["tags"])
        if doc.get("offers") or doc.get("seeking"):
            self.give_and_take.add(doc["id"])
        if self.identified:
            self._index_identity(doc)

    def _identity_indexes(self) -> tuple[dict[str, list[str]], ...]:
        return self.by_email, self.by_phone, self.by_name, self.by_uid

    def _index_identity(self, doc: dict[str, Any]) -> None:
        cid = doc["id"]
        for keys, index in zip(stored_identity_keys(doc), self._identity_indexes(), strict=True):
            for key in keys:
                ids = index[key]
                if cid not in ids:
                    ids.append(cid)

    def _index_meeting(self, doc: dict[str, Any]) -> None:
        mid, cid, eid, at = doc["id"], intern(doc["contact_id"]), doc["event_id"], doc["met_at"]
        self.meetings_by_contact[cid].append(mid)
        if eid:
            self.meetings_by_event[eid].append(mid)
        if at > self.last_met.get(cid, ""):
            self.last_met[cid] = at
        if doc["promise"]:
            self.promised.add(mid)
        if doc["note_status"] != NOTE_DONE:
            self.note_missing.add(mid)

    def _index_followup(self, doc: dict[str, Any]) -> None:
        if not doc.get("done_at"):
            self.open_followups[doc["id"]] = (doc.get("due", ""), doc.get("meeting_id", ""),
                                              intern(doc.get("contact_id", "")))
        mid = doc.get("meeting_id")
        if mid and (mid not in self.followup_by_meeting or not doc.get("done_at")):
            self.followup_by_meeting[mid] = doc["id"]

    def _refresh_last_met(self, cid: str, tables: dict[str, Any]) -> None:
        meetings, mkeys = tables.get("meetings", {}), self.keys["meetings"]
        dates = [meetings[mkeys[m]]["met_at"] for m in self.meetings_by_contact.get(cid, ()) if m in mkeys]
        if dates:
            self.last_met[cid] = max(dates)
        else:
            self.last_met.pop(cid, None)

    def by_field(self, table: str, field: str) -> dict[str, list[str]] | None:
        """The ids of a table's records by the value of ``field``, where an index keeps them."""
        if table == "meetings":
            return {"contact_id": self.meetings_by_contact, "event_id": self.meetings_by_event}.get(field)
        return None

    def contacts_at(self, event_id: str, tables: dict[str, Any]) -> list[str]:
        """Who I met at an event (read from its meetings: a map of every meeting to its contact
        would hold 100,000 entries at 30,000 people for this one filter)."""
        meetings, keys = tables.get("meetings", {}), self.keys["meetings"]
        return list(dict.fromkeys(meetings[keys[m]]["contact_id"] for m in self.meetings_by_event.get(event_id, ())))

    def search_order(self, recency: list[str]) -> tuple[list[str], list[str], list[int]]:
        """(ids, folded texts, recency ranks), aligned, in the order the texts were made.

        Scanning the texts in the order they sit in memory is 2.5x faster at 30,000 people
        than in recency order (cache misses); the hits are then sorted by rank.
        """
        rank = {cid: k for k, cid in enumerate(recency)}
        ids = list(self.blob)
        return ids, list(self.blob.values()), [rank.get(cid, len(rank)) for cid in ids]

    @staticmethod
    def search(terms: list[str], ids: list[str], texts: list[str], ranks: list[int]) -> list[str]:
        """The ids whose text contains every term, by rank (see :meth:`search_order`)."""
        first, *rest = sorted(terms, key=len, reverse=True)  # the longest term filters most
        if rest:
            second, *rest = rest
            hits = [k for k, text in enumerate(texts) if first in text and second in text]
        else:
            hits = [k for k, text in enumerate(texts) if first in text]
        for term in rest:
            hits = [k for k in hits if term in texts[k]]
        hits.sort(key=ranks.__getitem__)
        return [ids[k] for k in hits]


_PHONE_NOISE = re.compile(r"[^\d+]")
_CARD_TEXT_FIELDS = ("given", "family", "formatted", "title", "organization", "offers", "seeking", "note")


def _card_blob(doc: dict[str, Any], notes: list[str]) -> str:
    """What a search looks in: the name as shown (王芳, not only 芳 and 王), every text field, the
    notes, emails, tags, and phones as written and without spaces ("+33612345678", "12 34 56")."""
    texts = [full_name_of(doc)] + [doc.get(k, "") for k in _CARD_TEXT_FIELDS] + notes
    phones = [form for phone in doc.get("phones", []) for form in (phone, _PHONE_NOISE.sub("", phone))]
    return search_fold("\n".join([t for t in texts if t] + doc.get("emails", []) + doc.get("tags", []) + phones))


def stored_identity_keys(doc: dict[str, Any]) -> tuple[set[str], set[str], set[str], set[str]]:
    """A stored contact's keys for each identity index: emails, phone buckets, folded name, UIDs."""
    emails = {k for k in map(email_key, doc.get("emails", ())) if k}
    phones = {k for k in map(phone_key, doc.get("phones", ())) if k}
    name = name_key(full_name_of(doc))
    uids = {u for u in (doc.get("uid", ""), doc["id"]) if u}
    return emails, phones, {name} if name else set(), uids


class _Keys(dict[str, dict[str, str]]):
    """table -> (record id -> document key); the meetings' entry is made when first asked for."""

    def __init__(self, owner: Indexes, tables: dict[str, dict[str, str]]) -> None:
        super().__init__(tables)
        self._owner = owner

    def __missing__(self, table: str) -> dict[str, str]:
        if table == "meetings" and self._owner._unindexed_meetings is not None:
            self._owner._index_meetings()
            return self[table]
        raise KeyError(table)


def _discard(items: list[str] | None, value: str) -> None:
    if items and value in items:
        items.remove(value)
