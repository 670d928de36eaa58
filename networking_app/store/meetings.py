"""Meetings: who I met where, and the "How can I help them?" note on each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ..models import NOTE_DONE, NOTE_MISSING, Contact, Meeting, now_iso
from .repository import Repository, synchronized

KEEP: Any = object()  # sentinel: leave this field as it is


class Meetings(Repository):
    """``store.meetings``: each time I met someone, with my note."""

    @synchronized
    def get(self, meeting_id: str) -> Meeting:
        return self._records.get(Meeting, meeting_id)

    @synchronized
    def of(self, contact_id: str) -> list[Meeting]:
        """A contact's meetings, the newest first."""
        records = self._records
        found = [records.get(Meeting, mid) for mid in records.ix.meetings_by_contact.get(contact_id, ())]
        return sorted(found, key=self._order, reverse=True)

    @synchronized
    def at(self, event_id: str) -> list[Meeting]:
        """The meetings of an event, in the order they happened."""
        records = self._records
        found = [records.get(Meeting, mid) for mid in records.ix.meetings_by_event.get(event_id, ())]
        return sorted(found, key=self._order)

    @synchronized
    def by_contact(self, contact_ids: Iterable[str]) -> dict[str, list[Meeting]]:
        """Each contact's meetings, newest first, in one call (exports of thousands of people)."""
        records = self._records
        found: dict[str, list[Meeting]] = {}
        for cid in contact_ids:
            meetings = [records.get(Meeting, mid) for mid in records.ix.meetings_by_contact.get(cid, ())]
            found[cid] = sorted(meetings, key=self._order, reverse=True)
        return found

    def _order(self, meeting: Meeting) -> tuple[str, int]:
        """When it happened; ties (the same millisecond) in the order they were saved."""
        return meeting.met_at, int(self._records.ix.keys["meetings"].get(meeting.id, "0"))

    @synchronized
    def notes_inbox(self, event_id: str) -> list[Meeting]:
        """The meetings of an event still missing their "How can I help them?" note."""
        return [m for m in self.at(event_id) if not m.has_note]

    def meet(self, contact_id: str, event_id: str, met_at: str | None = None) -> tuple[Meeting, bool]:
        """The meeting with a contact at an event (one per event), made if new; and whether it is."""
        records = self._records
        with records.writing():
            if event_id:
                for meeting in self.of(contact_id):
                    if meeting.event_id == event_id:
                        return meeting, False
            meeting = Meeting(contact_id=contact_id, event_id=event_id, met_at=met_at or now_iso())
            return records.put(meeting), True

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

        ``follow_up`` is a due date, ``None`` for no date, or left out to keep it. A promise
        always waits in the follow-up queue: without a date it is an undated follow-up, made
        when the promise is new or its date is taken away (not again once it was done), and
        gone when the promise is cleared (a dated one stays: its date was chosen).
        """
        records, followups = self._records, self._store.followups
        with records.writing():
            meeting = records.get(Meeting, meeting_id)
            promised_before = meeting.promise
            current = followups.for_meeting(meeting.id)
            was_open = current is not None and not current.is_done
            for name, value in (("need", need), ("help", help), ("promise", promise)):
                if value is not None:
                    setattr(meeting, name, value.strip())
            if follow_up is not KEEP:
                followups.set_due(meeting, follow_up, channel)
            if meeting.promise and (meeting.promise != promised_before or was_open):
                followups.keep_promise(meeting)
            elif promised_before and not meeting.promise and follow_up is KEEP:
                undated = followups.for_meeting(meeting.id)
                if undated and not undated.is_done and not undated.due:
                    followups.set_due(meeting, None)  # it waited for the promise: with the promise gone, it goes
            # an empty note is not a note: the meeting stays in the notes inbox, unless a follow-up is set
            said = meeting.need or meeting.help or meeting.promise or followups.for_meeting(meeting.id)
            meeting.note_status = NOTE_DONE if said else NOTE_MISSING
            records.put(meeting)
        return meeting

    def note_contact(self, contact_id: str, **note: Any) -> Meeting:
        """Save a note on a contact's latest meeting (one at no event if they have none)."""
        with self._records.writing():
            meetings = self.of(contact_id)
            if not meetings:
                self._records.get(Contact, contact_id)
                meeting, _ = self.meet(contact_id, "")
            else:
                meeting = meetings[0]
            return self.save_note(meeting.id, **note)
