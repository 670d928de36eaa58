"""Who an export holds, and what I know about each of them (my notes, as text for other apps)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..card_fields import NOTES_HEADING, split_my_notes
from ..errors import NotFoundError
from ..local_dates import local_day
from ..models import Card, Contact, Event, Meeting
from ..search import fold
from .base import Selection

if TYPE_CHECKING:
    from ..store import Store



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
    if selection.event_id is not None and selection.contact_ids is not None:
        name = store.events.get(selection.event_id).name
        return f"None of the chosen people was met at “{name}”: there is nothing to export."
    if selection.event_id is not None:
        return f"No one was met at “{store.events.get(selection.event_id).name}” yet: there is nothing to export."
    if selection.contact_ids is not None:
        return "No one is selected: there is nothing to export."
    return "You have no contacts yet: there is nothing to export."


class NotesWriter:
    """My notes on a contact as plain lines: where we met, their need, my help and promise.

    Events are read once per export, not once per contact. An event's export holds only
    the notes of meetings at that event: what I wrote at another one does not leave with it.
    """

    def __init__(self, store: Store, contacts: list[Contact] | None = None, event_id: str | None = None) -> None:
        self.store, self.event_id = store, event_id
        self.events: dict[str, Event] = {e.id: e for e in store.events.all()}
        self.due: dict[str, str] = {f.meeting_id: f.due for f in store.followups.all() if f.due}
        self.meetings = store.meetings.by_contact(c.id for c in contacts) if contacts is not None else None

    def notes(self, contact: Contact) -> str:
        meetings = self.meetings.get(contact.id) if self.meetings is not None else None
        if meetings is None:
            meetings = self.store.meetings.of(contact.id)
        lines = [self._line(m) for m in meetings if self.event_id is None or m.event_id == self.event_id]
        return "\n".join([NOTES_HEADING, *lines]) if lines else ""

    def _line(self, meeting: Meeting) -> str:
        event = self.events.get(meeting.event_id)
        day = met_on(meeting, event)
        parts = [f"Met at {event.name} on {day}" if event else f"Met on {day}"]
        for label, value in (("They need", meeting.need), ("I can help", meeting.help),
                             ("I promised", meeting.promise)):
            if value.strip():
                parts.append(f"{label}: {_sentence(value)}")
        if due := self.due.get(meeting.id):
            parts.append(f"Follow up by {due}")
        return ". ".join(parts) + "."


def met_on(meeting: Meeting, event: Event | None) -> str:
    """The day we met as the person's calendar says it: the event's day, else the meeting's local day."""
    return event.date if event and event.date else local_day(meeting.met_at).isoformat()


def _sentence(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def with_my_notes_if_new(store: Store, card: Card) -> str:
    """The note an imported card keeps: with the notes section of a Mutual export only when the
    person is new here (a phone's export read on a new laptop keeps what I wrote as text).

    For someone known, the section is dropped (the meetings it tells are here, or were kept
    as text by an earlier import: then the note as kept is the card's, and nothing changes).
    """
    note, section = split_my_notes(card.note)
    if not section:
        return note
    known = store.people.find_known(card)
    if known is None:
        return f"{note}\n\n{section}" if note else section
    kept, kept_section = split_my_notes(known.note)
    return known.note if kept_section and fold(kept) == fold(note) else note
