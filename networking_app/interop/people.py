"""Who an export holds, and what I know about each of them (my notes, as text for other apps)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..models import Contact, Event, Meeting
from .base import Selection

if TYPE_CHECKING:
    from ..store import Store

# The first line of my notes in an exported NOTE/Notes field. Mutual's own importer cuts
# the note there, so exporting and importing again does not pile the notes up.
NOTES_HEADING = "Notes from Mutual:"


def selected_ids(store: Store, selection: Selection) -> list[str]:
    """The ids of the selected people, the most recently met first; an empty selection is refused.

    A chosen id that does not exist is refused too (NotFoundError), rather than left out silently.
    """
    if selection.contact_ids is not None:
        ids = [store.people.get(cid).id for cid in selection.contact_ids]
        if selection.event_id is not None:
            met = set(store.people.ids(event_id=selection.event_id))
            ids = [cid for cid in ids if cid in met]
    else:
        ids = store.people.ids(event_id=selection.event_id)
    if not ids:
        raise NotFoundError(_nobody(store, selection))
    return ids


def selected_contacts(store: Store, selection: Selection) -> list[Contact]:
    """The selected people, the most recently met first; an empty selection is refused."""
    if selection.contact_ids is None:
        people = store.people.all(event_id=selection.event_id)
        if people:
            return people
    return [store.people.get(cid) for cid in selected_ids(store, selection)]


def _nobody(store: Store, selection: Selection) -> str:
    if selection.event_id is not None:
        return f"No one was met at “{store.events.get(selection.event_id).name}” yet: there is nothing to export."
    if selection.contact_ids is not None:
        return "No one is selected: there is nothing to export."
    return "You have no contacts yet: there is nothing to export."


class NotesWriter:
    """My notes on a contact as plain lines: where we met, their need, my help and promise.

    Events are read once per export, not once per contact.
    """

    def __init__(self, store: Store, contacts: list[Contact] | None = None) -> None:
        self.store = store
        self.events: dict[str, Event] = {e.id: e for e in store.events.all()}
        self.due: dict[str, str] = {f.meeting_id: f.due for f in store.followups.all() if f.due}
        self.meetings = store.meetings.by_contact(c.id for c in contacts) if contacts is not None else None

    def notes(self, contact: Contact) -> str:
        meetings = self.meetings.get(contact.id) if self.meetings is not None else None
        lines = [self._line(m) for m in (meetings if meetings is not None else self.store.meetings.of(contact.id))]
        lines = [line for line in lines if line]
        return "\n".join([NOTES_HEADING, *lines]) if lines else ""

    def _line(self, meeting: Meeting) -> str:
        event = self.events.get(meeting.event_id)
        day = (event.date if event and event.date else meeting.met_at[:10])
        parts = [f"Met at {event.name} on {day}" if event else f"Met on {day}"]
        for label, value in (("They need", meeting.need), ("I can help", meeting.help),
                             ("I promised", meeting.promise)):
            if value.strip():
                parts.append(f"{label}: {_sentence(value)}")
        if due := self.due.get(meeting.id):
            parts.append(f"Follow up by {due}")
        return ". ".join(parts) + "."


def _sentence(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def without_my_notes(note: str) -> str:
    """A note read back from a Mutual export, without the notes section Mutual added."""
    head, found, _ = note.partition(NOTES_HEADING)
    if not found or (head and not head.endswith("\n")):
        return note
    return head.rstrip("\n")
