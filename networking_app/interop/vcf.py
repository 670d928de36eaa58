"""vCard files (.vcf): what Google Contacts, Apple Contacts and Outlook export and import.

Written as vCard 3.0 (RFC 2426) by :func:`networking_app.vcard.serialize_vcard`:
folded at 75 octets, UID = contact id, REV, CATEGORIES = tags, offers/seeking in
X-MUTUAL-* and in NOTE, followed by my notes on the person. Read by the tolerant
codec (2.1, 3.0, 4.0), deduplicated like scans, in one commit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from ..errors import ImportFormatError
from ..models import Card
from ..vcard import count_vcards, iter_tagged_vcards, serialize_vcard
from .base import (
    EVERYONE,
    MAX_CONTACTS_IMPORT_BYTES,
    ExportSummary,
    ImportSummary,
    Progress,
    Selection,
    add_tags_found,
    check_size,
    one_commit,
    refusal,
    with_progress,
)
from .people import NotesWriter, selected_contacts, with_my_notes_if_new

if TYPE_CHECKING:
    from ..store import Store

class VcfFormat:
    name: ClassVar[str] = "vcf"
    label: ClassVar[str] = "vCard (.vcf)"
    extensions: ClassVar[tuple[str, ...]] = (".vcf", ".vcard")
    media_type: ClassVar[str] = "text/vcard"
    can_export: ClassVar[bool] = True
    can_import: ClassVar[bool] = True
    max_import_bytes: ClassVar[int] = MAX_CONTACTS_IMPORT_BYTES

    def export(self, store: Store, selection: Selection = EVERYONE, *,
               on_progress: Progress | None = None) -> tuple[bytes, ExportSummary]:
        people = selected_contacts(store, selection)
        notes = NotesWriter(store, people, selection.event_id)
        parts = [
            serialize_vcard(contact, uid=contact.id, rev=vcard_rev(contact.updated),
                            categories=contact.tags, extra_note=notes.notes(contact))
            for contact in with_progress(people, len(people), on_progress)
        ]
        data = "".join(parts).encode("utf-8")
        return data, ExportSummary(self.name, len(people), "contact", len(data))

    def import_(self, store: Store, data: bytes, source_name: str, *, tags: Sequence[str] = (),
                replace: bool = False, on_progress: Progress | None = None) -> ImportSummary:
        check_size(len(data), self.max_import_bytes, source_name)
        summary = ImportSummary(self.name, source_name)
        total = count_vcards(data)
        categories: list[list[str]] = []

        def cards() -> Iterator[Card]:
            for _, card, found in with_progress(iter_tagged_vcards(data), total, on_progress):
                if card.is_empty():
                    summary.skipped += 1
                    continue
                card.note = with_my_notes_if_new(store, card)
                categories.append(found)
                yield card

        try:
            # A truncated file raises inside the generator: the whole commit is dropped.
            with one_commit(store):  # the people and their CATEGORIES, or nothing
                result = store.people.import_cards(cards(), source="import", tags=tags)
                add_tags_found(store, result.contact_ids, categories)
        except ImportFormatError as exc:
            raise refusal(source_name, exc) from None
        summary.added, summary.merged, summary.unchanged = result.added, result.merged, result.unchanged
        summary.contact_ids = result.contact_ids
        summary.possible_duplicates = len({cid for cid, _ in result.possible})
        return summary


def vcard_rev(iso: str) -> str:
    """A record's ISO timestamp as RFC 2426's REV (``2026-11-25T10:00:00Z``)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
