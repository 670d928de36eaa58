"""People: the contacts I met, who is who, search, tags, merging and deleting."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from .. import collector
from ..errors import ImportFormatError, InvalidInputError
from ..matching import (
    POSSIBLE,
    SAME,
    FieldChange,
    email_key,
    home_country_of,
    identity_keys,
    judge,
    merge_card,
    merge_into,
    namesake,
    phone_number,
)
from ..models import CONTACT_REFERENCES, MAX_TAG_LENGTH, Card, Contact, FollowUp, Intro, Meeting
from ..search import fold, query_terms
from ..text_safety import has_control_characters
from .events import CURRENT_EVENT
from .importing import HeldCopies, SharedValues, phone_id
from .indexes import stored_identity_keys
from .repository import Repository, synchronized

BEFORE_CHANGE_BACKUP = timedelta(hours=1)  # a merge or delete backs up first, unless a backup is this fresh
IMPORT_POSSIBLE = 1  # possible matches an import keeps for a card: it reports which cards may be someone known
MAX_IMPORT_CARDS = 50_000  # one import, one commit: bounds its time (~0.2 ms a card) and memory

Reference = Meeting | FollowUp | Intro  # a record that names a contact (models.CONTACT_REFERENCES)


@dataclass(frozen=True)
class PossibleMatch:
    """A contact who may be the person on a card (or another contact), and why."""

    contact: Contact
    reason: str


@dataclass
class Identity:
    """Who a card is: ``known`` (merged automatically, on a strong key), else the ``possible``
    ones the person is asked about ("Same person as …?")."""

    known: Contact | None = None
    reason: str = ""
    possible: list[PossibleMatch] = field(default_factory=list)


@dataclass
class ScanResult:
    """What saving a scanned card did."""

    contact: Contact
    meeting: Meeting
    is_new_contact: bool
    is_new_meeting: bool
    changes: list[FieldChange] = field(default_factory=list)
    possible: list[PossibleMatch] = field(default_factory=list)  # saved apart from these: possibly the same


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two records that may be one person, or (``other`` None) one record that may hold two."""

    contact: Contact
    other: Contact | None
    reason: str


@dataclass
class ImportResult:
    """What importing a batch of cards did: all of it, in one commit."""

    added: int = 0
    merged: int = 0
    unchanged: int = 0
    contact_ids: list[str] = field(default_factory=list)
    possible: list[tuple[str, PossibleMatch]] = field(default_factory=list)  # (new contact id, who it may be)

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
    def identify(self, card: Card, *, ignore: frozenset[str] = frozenset(), at_most: int | None = None) -> Identity:
        """Who ``card`` is (matching.judge): a contact to merge it into, or the possible ones to ask about.

        ``ignore``: email and phone values that are no identity here (shared by several cards of one file).
        ``at_most``: how many possible ones are enough (an import only reports that there are some).
        """
        if not ignore:
            return self._identify(card, at_most=at_most)
        reduced = replace(card, emails=[e for e in card.emails if email_key(e) not in ignore],
                          phones=[p for p in card.phones if phone_id(p) not in ignore])
        identity, whole = self._identify(reduced, at_most=at_most), self._identify(card, at_most=at_most)
        if identity.known is None:  # what the shared values point to is only a question
            asked = {m.contact.id for m in identity.possible}
            for match in ([PossibleMatch(whole.known, f"{whole.reason}, which other cards of this file carry too")]
                          if whole.known else []) + whole.possible:
                if match.contact.id not in asked:
                    identity.possible.append(match)
                    asked.add(match.contact.id)
        return identity

    def _identify(self, card: Card, *, by_name: bool = True, at_most: int | None = None) -> Identity:
        """Everyone sharing a strong key is judged; then (``by_name``) the namesakes, each a possible
        match (no strong key in common), until there are ``at_most``."""
        records = self._records
        ix = records.ix
        ix.build_identity(records.data)
        emails, phones, name = identity_keys(card)
        strong: dict[str, None] = {}
        for keys, index in ((emails, ix.by_email), (phones, ix.by_phone), ({card.uid} - {""}, ix.by_uid)):
            for key in keys:
                strong.update(dict.fromkeys(index.get(key, ())))
        namesakes = ix.by_name.get(name, ()) if by_name and name else ()
        identity = Identity()
        if strong:
            home = self._home_country()
            for cid in strong:
                doc = records.doc(Contact, cid)
                verdict = judge(card, doc, home) if doc else None
                if doc is None or verdict is None:
                    continue
                if verdict.kind == SAME and identity.known is None:
                    identity.known, identity.reason = Contact.from_doc(doc), verdict.reason
                elif verdict.kind == POSSIBLE:
                    identity.possible.append(PossibleMatch(Contact.from_doc(doc), verdict.reason))
            if identity.known is not None:
                identity.possible = []
                return identity
        for cid in namesakes:
            if at_most is not None and len(identity.possible) >= at_most:
                break
            doc = None if cid in strong else records.doc(Contact, cid)
            verdict = namesake(card, doc) if doc else None
            if doc and verdict:
                identity.possible.append(PossibleMatch(Contact.from_doc(doc), verdict.reason))
        return identity

    @synchronized
    def find_known(self, card: Card) -> Contact | None:
        """The contact a card belongs to on a strong key (same email, phone or UID), else None."""
        return self._identify(card, by_name=False).known  # a name alone never makes it known

    def _home_country(self) -> str:
        mine = self._store.cards.default()
        return home_country_of(mine.phones) if mine else ""

    def record_scan(
        self,
        card: Card,
        *,
        event_id: str | None = CURRENT_EVENT,
        source: str = "scan",
        met_at: str | None = None,
        same_as: str | None = None,
        not_same_as: Iterable[str] = (),
    ) -> ScanResult:
        """Save a scanned card: a new contact, or a known one merged, plus the meeting.

        Merged only on a strong key, or into ``same_as`` when the person said "Same person";
        ``not_same_as`` are the ids they said are someone else (kept, so nobody asks again).
        A possible duplicate is saved as a new contact and returned in ``possible``.
        ``event_id`` defaults to the running event; ``None`` or "" means met at no event.
        Scanning someone twice at the same event keeps one meeting.
        """
        records = self._records
        with records.writing():
            if event_id is CURRENT_EVENT:
                current = self._store.events.current()
                event_id = current.id if current else ""
            event_id = event_id or ""
            if same_as:
                identity = Identity(known=records.get(Contact, same_as))
            else:
                identity = self.identify(card)
            known = identity.known
            changes: list[FieldChange] = []
            if known:
                changes = merge_card(known, card)
                contact = records.put(known) if changes else known
            else:
                others = [cid for cid in dict.fromkeys(not_same_as) if records.doc(Contact, cid)]
                contact = records.put(Contact.from_card(card, source=source, not_same_as=others))
            meeting, is_new_meeting = self._store.meetings.meet(contact.id, event_id, met_at)
        possible = [m for m in identity.possible if m.contact.id not in set(not_same_as)]
        return ScanResult(contact, meeting, known is None, is_new_meeting, changes, possible)

    def add(self, card: Card, *, source: str = "manual", tags: list[str] | None = None) -> Contact:
        """Add a contact without a meeting (e.g. typed in or imported)."""
        with self._records.writing():
            return self._records.put(Contact.from_card(card, source=source, tags=clean_tags(tags or [])))

    def import_cards(self, cards: Iterable[Card], *, source: str = "import", tags: Iterable[str] = ()) -> ImportResult:
        """Add cards from a file, recognised like scans, as one atomic commit.

        A card matching a known person (or an earlier card of the same file) on a strong key is
        merged into them; a possible duplicate is added and listed in ``possible`` (at most
        IMPORT_POSSIBLE matches a card), unless a contact of that name already holds everything
        the card says (the same file imported again: nothing is joined, and nobody is duplicated).
        An email or phone that several cards of the file carry under different names (an office
        line, ``info@``) is no identity for the rest of the file. Nothing is half-imported if
        anything fails.
        """
        records = self._records
        result = ImportResult()
        extra = clean_tags(tags)
        seen = SharedValues()
        copies = HeldCopies(lambda name: records.ix.by_name.get(name, ()), lambda cid: records.doc(Contact, cid))
        with records.writing(), collector.paused():  # bulk work (collector.py)
            for count, card in enumerate(cards, 1):
                if count > MAX_IMPORT_CARDS:  # raising dooms the whole batch: nothing is written
                    raise ImportFormatError(f"This file holds more than {MAX_IMPORT_CARDS:,} cards; split it into "
                                            "smaller files. Nothing was imported.")
                identity = self.identify(card, ignore=seen.shared(card), at_most=IMPORT_POSSIBLE)
                known = identity.known
                copy = copies.holder(card) if known is None else None
                if copy is not None:  # a line it already holds: the same data, not a person
                    result.unchanged += 1
                    result.contact_ids.append(copy)
                    continue
                if known is None:
                    contact = records.put(Contact.from_card(card, source=source, tags=list(extra)))
                    result.added += 1
                    result.possible += [(contact.id, match) for match in identity.possible]
                    copies.wrote(vars(contact))
                elif merge_card(known, card):
                    contact = records.put(known)
                    result.merged += 1
                    copies.wrote(vars(contact))
                else:
                    contact = known
                    result.unchanged += 1
                result.contact_ids.append(contact.id)
        return result

    @synchronized
    def possible_duplicates(self, among: Collection[str] | None = None) -> list[PossibleDuplicate]:
        """Records that may be one person (the same name, or an email or phone shared under
        another name), and single records that may hold two people merged on a name alone
        (emails at two domains, phones in two countries). Pairs the person said are two
        people are left out; nothing is merged or split here. ``among``: only pairs and
        records naming one of these contacts (e.g. the people a sync just brought)."""
        records = self._records
        ix = records.ix
        ix.build_identity(records.data)
        home = self._home_country()
        found: list[PossibleDuplicate] = []
        seen: set[frozenset[str]] = set()
        indexes = (ix.by_name, ix.by_email, ix.by_phone)
        if among is None:
            docs = {doc["id"]: doc for doc in records.docs(Contact)}
            groups: Iterable[list[str]] = (ids for index in indexes for ids in index.values())
        else:  # only the documents these name and share a key with: a sync bringing one person reads a few
            among = set(among)
            own = {cid: doc for cid in among if (doc := records.doc(Contact, cid)) is not None}
            groups = [index.get(key, []) for doc in own.values()
                      for index, keys in zip(indexes, _name_email_phone_keys(doc), strict=True) for key in keys]
            docs = {cid: doc for cid in {c for ids in groups for c in ids} | set(own)
                    if (doc := records.doc(Contact, cid)) is not None}
        for ids in groups:
            for i, first in enumerate(ids):
                for second in ids[i + 1:]:
                    pair = frozenset((first, second))
                    if among is not None and not pair & among:
                        continue
                    if pair in seen or first not in docs or second not in docs or _said_apart(docs, first, second):
                        continue
                    verdict = judge(Contact.from_doc(docs[second]), docs[first], home)
                    if verdict is not None:
                        seen.add(pair)
                        found.append(PossibleDuplicate(Contact.from_doc(docs[first]),
                                                       Contact.from_doc(docs[second]), verdict.reason))
        for doc in (docs.values() if among is None else [docs[c] for c in among if c in docs]):
            reason = _two_people_in_one(doc)
            if reason:
                found.append(PossibleDuplicate(Contact.from_doc(doc), None, reason))
        return found

    def say_not_same(self, contact_id: str, other_id: str) -> Contact:
        """Remember that two records are two people: they are not listed as possible duplicates again."""
        if contact_id == other_id:
            raise InvalidInputError("That is one record: choose two different people.")
        with self._records.writing():
            contact = self._records.get(Contact, contact_id)
            self._records.get(Contact, other_id)
            if other_id not in contact.not_same_as:
                contact.not_same_as.append(other_id)
                contact = self._records.put(contact)
            return contact

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
            # people I met, the latest first; then people I never met (imported), the latest edited first
            last_met, updated = ix.last_met, ix.updated
            return sorted(ix.keys["contacts"], key=lambda c: (c in last_met, last_met.get(c) or updated.get(c, "")),
                          reverse=True)

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
        bad = next((t for t in tags if has_control_characters(t)), None)
        if bad is not None:
            raise InvalidInputError("A tag is one line of text: that one holds a control character (a line break, "
                                    "a tab or an invisible code); type it again.")
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
        self._store.backup_if_due("before-delete", every=BEFORE_CHANGE_BACKUP)
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
            raise InvalidInputError("Choose two different people to merge: a contact cannot be merged into itself.")
        self._store.backup_if_due("before-merge", every=BEFORE_CHANGE_BACKUP)
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


def _name_email_phone_keys(doc: dict) -> tuple[set[str], set[str], set[str]]:
    emails, phones, names, _ = stored_identity_keys(doc)
    return names, emails, phones


def _said_apart(docs: dict[str, dict], first: str, second: str) -> bool:
    return second in docs[first].get("not_same_as", ()) or first in docs[second].get("not_same_as", ())


def _two_people_in_one(doc: dict) -> str:
    """Why one record may hold two people merged on a name alone (older Mutual did), or ""."""
    domains = list(dict.fromkeys(e.rpartition("@")[2].casefold() for e in doc.get("emails", ()) if "@" in e))
    if len(domains) > 1:
        return (f"one record with email addresses at {domains[0]} and {domains[1]}: "
                "possibly two people once merged on their name")
    countries = list(dict.fromkeys(n.country for n in map(phone_number, doc.get("phones", ())) if n and n.country))
    if len(countries) > 1:
        return (f"one record with phone numbers in two countries (+{countries[0]} and +{countries[1]}): "
                "possibly two people once merged on their name")
    return ""
