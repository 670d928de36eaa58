"""The store's in-memory indexes: what makes reads cost microseconds.

Built from the tables when a store opens (and again after another process wrote),
then kept current by the store's own writes. Email/phone/name lookups and the
folded search text are built on first use: opening stays fast.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..matching import email_key, name_org_key_of, phone_key
from ..models import NOTE_DONE
from ..search import search_fold

if TYPE_CHECKING:
    from ..intros.index import IntroIndex
    from ..intros.text_model import Profile

TABLES = ("cards", "events", "contacts", "meetings", "followups", "intros")


class Indexes:
    """In-memory lookups, rebuilt from the tables at open and after a foreign change,
    kept up to date by the store's own writes."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = {t: {} for t in TABLES}
        self.by_email: dict[str, str] = {}
        self.by_phone: dict[str, str] = {}
        self.by_name_org: dict[str, str] = {}
        self.blob: dict[str, str] = {}  # contact id -> folded card and note text
        self.meetings_by_contact: dict[str, list[str]] = defaultdict(list)
        self.meetings_by_event: dict[str, list[str]] = defaultdict(list)
        self.meeting_contact: dict[str, str] = {}
        self.followup_by_meeting: dict[str, str] = {}
        self.last_met: dict[str, str] = {}
        self.updated: dict[str, str] = {}
        self.open_followups: dict[str, tuple[str, str, str]] = {}  # id -> (due, meeting, contact)
        self.promised: set[str] = set()  # meetings where I promised something
        self.note_missing: set[str] = set()  # meetings still without their note
        self.with_need: set[str] = set()  # meetings where I noted what they need
        self.give_and_take: set[str] = set()  # contacts whose card says what they offer or seek
        self.intros: IntroIndex | None = None  # built on the first question about introductions
        self.intros_stale: set[str] = set()  # contacts whose profile changed since the intro index saw them
        self.version = 0  # bumped on every change the store makes: caches compare it
        self.searchable = False  # blobs are built on the first search
        self.identified = False  # email/phone/name indexes are built on the first lookup

    @classmethod
    def build(cls, tables: dict[str, Any]) -> Indexes:
        """Decode each document once; what only scans and searches need waits for them."""
        ix = cls()
        indexers = {"meetings": ix._index_meeting, "contacts": ix._index_contact, "followups": ix._index_followup}
        for table in TABLES:
            keys = ix.keys[table]
            indexer = indexers.get(table)
            docs = tables.get(table, {})
            items = docs.decoded_items() if hasattr(docs, "decoded_items") else docs.items()
            for key, doc in items:
                keys[doc["id"]] = key
                if indexer:
                    indexer(doc)
        return ix

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
        from ..intros.index import IntroIndex

        if self.intros is None:
            self.intros_stale.clear()
            profiled = self.give_and_take | {self.meeting_contact[mid] for mid in self.with_need}
            self.intros = IntroIndex.of(
                profile for cid in self.keys["contacts"]  # in the table's order: the same run to run
                if cid in profiled and (profile := self.profile_of(cid, tables)) is not None
            )
        elif self.intros_stale:
            stale, self.intros_stale = self.intros_stale, set()
            for cid in stale:
                profile = self.profile_of(cid, tables)
                if profile is None:
                    self.intros.remove(cid)
                else:
                    self.intros.put(profile)
        return self.intros

    def profile_of(self, cid: str, tables: dict[str, Any]) -> Profile | None:
        """A contact's profile as stored: their card's offers and seeking, the needs I noted."""
        from ..intros.text_model import profile_of_doc

        contact = self._contact_doc(cid, tables)
        if contact is None:
            return None
        meetings, mkeys = tables.get("meetings", {}), self.keys["meetings"]
        noted = [mid for mid in self.meetings_by_contact.get(cid, ()) if mid in self.with_need]
        return profile_of_doc(contact, (meetings[mkeys[mid]]["need"] for mid in noted if mid in mkeys))

    def _refresh_blob(self, contact: dict[str, Any] | None, tables: dict[str, Any]) -> None:
        if not self.searchable or contact is None:
            return
        meetings, mkeys = tables.get("meetings", {}), self.keys["meetings"]
        notes = []
        for mid in self.meetings_by_contact.get(contact["id"], ()):
            m = meetings.get(mkeys.get(mid, ""))
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
            emails, phones, name_org = _identity(doc)
            for keys, index in ((emails, self.by_email), (phones, self.by_phone), ((name_org,), self.by_name_org)):
                for k in keys:
                    if index.get(k) == doc["id"]:
                        del index[k]
            self.blob.pop(doc["id"], None)
            self.updated.pop(doc["id"], None)
        elif table == "meetings":
            cid = doc["contact_id"]
            self.meeting_contact.pop(doc["id"], None)
            self.promised.discard(doc["id"])
            self.with_need.discard(doc["id"])
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
        if doc.get("offers") or doc.get("seeking"):
            self.give_and_take.add(doc["id"])
        if self.identified:
            self._index_identity(doc)

    def _index_identity(self, doc: dict[str, Any]) -> None:
        cid = doc["id"]
        emails, phones, name_org = _identity(doc)
        for key in emails:
            self.by_email.setdefault(key, cid)
        for key in phones:
            self.by_phone.setdefault(key, cid)
        if name_org:
            self.by_name_org.setdefault(name_org, cid)

    def _index_meeting(self, doc: dict[str, Any]) -> None:
        mid, cid, eid, at = doc["id"], doc["contact_id"], doc["event_id"], doc["met_at"]
        self.meeting_contact[mid] = cid
        self.meetings_by_contact[cid].append(mid)
        if eid:
            self.meetings_by_event[eid].append(mid)
        if at > self.last_met.get(cid, ""):
            self.last_met[cid] = at
        if doc["promise"]:
            self.promised.add(mid)
        if doc["need"]:
            self.with_need.add(mid)
        if doc["note_status"] != NOTE_DONE:
            self.note_missing.add(mid)

    def _index_followup(self, doc: dict[str, Any]) -> None:
        if not doc.get("done_at"):
            self.open_followups[doc["id"]] = (doc.get("due", ""), doc.get("meeting_id", ""), doc.get("contact_id", ""))
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

    def contacts_at(self, event_id: str) -> list[str]:
        return list(dict.fromkeys(self.meeting_contact[m] for m in self.meetings_by_event.get(event_id, ())))

    def search(self, terms: list[str]) -> set[str]:
        """Contacts whose card or my notes on them contain every term."""
        first, *rest = sorted(terms, key=len, reverse=True)  # the longest term filters most
        found = [(cid, text) for cid, text in self.blob.items() if first in text]
        for term in rest:
            found = [(cid, text) for cid, text in found if term in text]
        return {cid for cid, _ in found}


_CARD_TEXT_FIELDS = ("given", "family", "formatted", "title", "organization", "offers", "seeking", "note")


def _card_blob(doc: dict[str, Any], notes: list[str]) -> str:
    texts = [doc.get(k, "") for k in _CARD_TEXT_FIELDS] + notes
    return search_fold("\n".join([t for t in texts if t] + doc.get("emails", []) + doc.get("tags", [])))


def _identity(doc: dict[str, Any]) -> tuple[list[str], list[str], str]:
    emails = [k for k in map(email_key, doc.get("emails", ())) if k]
    phones = [k for k in map(phone_key, doc.get("phones", ())) if k]
    name = doc.get("formatted", "") or f"{doc.get('given', '')} {doc.get('family', '')}"
    return emails, phones, name_org_key_of(name, doc.get("organization", ""))


def _discard(items: list[str] | None, value: str) -> None:
    if items and value in items:
        items.remove(value)
