"""People: the contacts I met, who is who, search, tags, merging and deleting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import ImportFormatError, InvalidInputError
from ..matching import FieldChange, identity_keys, merge_card, merge_into
from ..models import CONTACT_REFERENCES, MAX_TAG_LENGTH, Card, Contact, FollowUp, Intro, Meeting
from ..search import fold, query_terms
from .events import CURRENT_EVENT
from .repository import Repository, synchronized

MAX_IMPORT_CARDS = 50_000  # one import, one commit: bounds its time (~0.2 ms a card) and memory

Reference = Meeting | FollowUp | Intro  # a record that names a contact (models.CONTACT_REFERENCES)


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
    references: list[Reference]  # their meetings, follow-ups and introductions


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as kept: one line each, at most MAX_TAG_LENGTH characters, no two alike but for case or accents."""
    seen: dict[str, str] = {}
    for tag in tags:
        clean = " ".join(tag.split())[:MAX_TAG_LENGTH]
        if clean and fold(clean) not in seen:
            seen[fold(clean)] = clean
    return list(seen.values())


class People(Repository):
    """``store.people``: my contacts, the most recently met first."""

    # -- who is who: scans and imports ----------------------------------------------------------
    @synchronized
    def find_known(self, card: Card) -> Contact | None:
        """The contact a card belongs to: same email or phone, else same name and organisation."""
        records = self._records
        ix = records.ix
        ix.build_identity(records.data)
        emails, phones, name_org = identity_keys(card)
        for key, index in [(e, ix.by_email) for e in emails] + [(p, ix.by_phone) for p in phones]:
            if key in index:
                return records.get(Contact, index[key])
        if name_org and name_org in ix.by_name_org:
            return records.get(Contact, ix.by_name_org[name_org])
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
        records = self._records
        with records.writing():
            if event_id is CURRENT_EVENT:
                current = self._store.events.current()
                event_id = current.id if current else ""
            event_id = event_id or ""
            known = self.find_known(card)
            changes: list[FieldChange] = []
            if known:
                changes = merge_card(known, card)
                contact = records.put(known) if changes else known
            else:
                contact = records.put(Contact.from_card(card, source=source))
            meeting, is_new_meeting = self._store.meetings.meet(contact.id, event_id, met_at)
        return ScanResult(contact, meeting, known is None, is_new_meeting, changes)

    def add(self, card: Card, *, source: str = "manual", tags: list[str] | None = None) -> Contact:
        """Add a contact without a meeting (e.g. typed in or imported)."""
        with self._records.writing():
            return self._records.put(Contact.from_card(card, source=source, tags=clean_tags(tags or [])))

    def import_cards(self, cards: Iterable[Card], *, source: str = "import", tags: Iterable[str] = ()) -> ImportResult:
        """Add cards from a file, deduplicated like scans, as one atomic commit.

        A card matching a known person (or an earlier card of the same file) is merged
        into them; nothing is half-imported if anything fails.
        """
        records = self._records
        result = ImportResult()
        extra = clean_tags(tags)
        with records.writing():
            for count, card in enumerate(cards, 1):
                if count > MAX_IMPORT_CARDS:  # raising dooms the whole batch: nothing is written
                    raise ImportFormatError(f"This file holds more than {MAX_IMPORT_CARDS:,} cards; split it into "
                                            "smaller files. Nothing was imported.")
                known = self.find_known(card)
                if known is None:
                    contact = records.put(Contact.from_card(card, source=source, tags=list(extra)))
                    result.added += 1
                elif merge_card(known, card):
                    contact = records.put(known)
                    result.merged += 1
                else:
                    contact = known
                    result.unchanged += 1
                result.contact_ids.append(contact.id)
        return result

    # -- reading and searching ------------------------------------------------------------------
    @synchronized
    def get(self, contact_id: str) -> Contact:
        return self._records.get(Contact, contact_id)

    @synchronized
    def ids(self, *, event_id: str | None = None, query: str = "", tag: str = "") -> list[str]:
        """Ids of the contacts matching all filters, the most recently met first."""
        records = self._records
        ix = records.ix
        terms = query_terms(query)
        if terms:
            ix.build_search(records.data)
            ids = ix.search(terms, *self._searchable())
        else:
            ids = list(self._by_recency())  # a copy: callers may change their list
        if event_id is not None:
            met = set(ix.contacts_at(event_id, records.data))
            ids = [c for c in ids if c in met]
        wanted = fold(tag.strip())
        if wanted:
            doc = records.doc
            ids = [cid for cid in ids if wanted in {fold(t) for t in (doc(Contact, cid) or {}).get("tags", ())}]
        return ids

    def _by_recency(self) -> list[str]:
        """Every contact id, the most recently met first (else the latest edited); cached until a change.

        Filtering this order is a pass over 10,000 ids; sorting the hits of each search cost more.
        """
        ix = self._records.ix

        def compute() -> list[str]:
            last_met, updated = ix.last_met, ix.updated
            return sorted(ix.keys["contacts"], key=lambda c: last_met.get(c) or updated.get(c, ""), reverse=True)

        return self._records.until_change("recency", compute)

    def _searchable(self) -> tuple[list[str], list[str], list[int]]:
        """What a search scans (:meth:`Indexes.search_order`); cached until a change (call after ``build_search``)."""
        ix = self._records.ix
        return self._records.until_change("searchable", lambda: ix.search_order(self._by_recency()))

    @synchronized
    def all(
        self, *, event_id: str | None = None, query: str = "", tag: str = "", limit: int | None = None
    ) -> list[Contact]:
        """Contacts matching all filters, the most recently met first (``limit`` for a page)."""
        ids = self.ids(event_id=event_id, query=query, tag=tag)
        get = self._records.get
        return [get(Contact, cid) for cid in ids[:limit]]

    @synchronized
    def last_met(self, contact_id: str) -> str:
        return self._records.ix.last_met.get(contact_id, "")

    # -- changing ---------------------------------------------------------------------------------
    def save(self, contact: Contact) -> Contact:
        with self._records.writing():
            self._records.get(Contact, contact.id)
            return self._records.put(contact)

    def set_tags(self, contact_id: str, tags: list[str]) -> Contact:
        with self._records.writing():
            contact = self._records.get(Contact, contact_id)
            contact.tags = clean_tags(tags)
            return self._records.put(contact)

    @synchronized
    def all_tags(self) -> list[str]:
        """Every tag in use, the most used first."""
        counts = self._records.ix.tags
        return sorted(counts, key=lambda t: (-counts[t], t.casefold()))

    def delete(self, contact_id: str) -> DeletedContact:
        """Delete a person with every record that names them (their meetings, follow-ups, introductions).

        The journal still held their data, so it is folded into the snapshot at
        once: what is deleted is gone from the files, and from backups made after.
        """
        records = self._records
        with records.writing():
            deleted = DeletedContact(records.get(Contact, contact_id), self._referring(contact_id))
            for record in deleted.references:
                records.delete(type(record), record.id)
            records.delete(Contact, contact_id)
        self._store.fold_for_privacy()
        return deleted

    def undo_delete(self, deleted: DeletedContact) -> Contact:
        with self._records.writing():
            for record in (deleted.contact, *deleted.references):
                self._records.put(record)
        return deleted.contact

    def merge(self, keep_id: str, other_id: str) -> Contact:
        """Make two records of one person one: every meeting, note, follow-up and introduction is kept.

        Where both have a different value, the kept record's wins and the other's goes to
        its history; lists and tags are joined. An introduction between the two is dropped.
        """
        if keep_id == other_id:
            raise InvalidInputError("Choose two different people to merge.")
        records = self._records
        with records.writing():
            keep, other = records.get(Contact, keep_id), records.get(Contact, other_id)
            merge_into(keep, other)
            for record in self._referring(other_id):
                fields = CONTACT_REFERENCES[type(record)]
                for name in fields:
                    if getattr(record, name) == other_id:
                        setattr(record, name, keep_id)
                if len({getattr(record, name) for name in fields}) < len(fields):
                    records.delete(type(record), record.id)  # it would name one person twice
                else:
                    records.put(record)
            records.delete(Contact, other_id, merged_into=keep_id)
            merged = records.put(keep)
        self._store.fold_for_privacy()  # the other record's data leaves the files
        return merged

    def _referring(self, contact_id: str) -> list[Reference]:
        """Every record that names the contact, kind by kind (models.CONTACT_REFERENCES)."""
        where = self._records.where
        return [record for kind, fields in CONTACT_REFERENCES.items() for record in where(kind, fields, contact_id)]
