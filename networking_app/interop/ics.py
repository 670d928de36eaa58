"""Follow-ups as an iCalendar file (RFC 5545), so reminders fire in any calendar app.

One all-day VEVENT per open follow-up, on its due date, with a DISPLAY alarm at
9:00 that day (a TRIGGER relative to the all-day start, so it is 9:00 wherever the
person is). An all-day event rather than a VTODO: Google Calendar and Outlook
import no VTODO from a file, and Apple's calendar shows none; an event with an
alarm is what every calendar shows and rings, even when Mutual is closed. The UID
is the follow-up's own id, so importing a newer export again updates the entries
rather than adding copies. Written with the ``icalendar`` library, imported only
when an .ics is made (it takes ~0.4 s to import). Mutual does not read .ics back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, ClassVar

from ..errors import ImportFormatError, NotFoundError
from ..models import Contact, FollowUp
from ..vcard import PRODID
from .base import EVERYONE, ExportSummary, ImportSummary, Progress, Selection, with_progress
from .people import met_on, selected_ids

if TYPE_CHECKING:
    from ..store import Store

ALARM_AT = time(9, 0)
CALENDAR_NAME = "Mutual follow-ups"


class IcsFormat:
    name: ClassVar[str] = "ics"
    label: ClassVar[str] = "Calendar of follow-ups (.ics)"
    extensions: ClassVar[tuple[str, ...]] = (".ics", ".ical", ".icalendar")
    media_type: ClassVar[str] = "text/calendar"
    can_export: ClassVar[bool] = True
    can_import: ClassVar[bool] = False
    max_import_bytes: ClassVar[int] = 0

    def __init__(self, alarm_at: time = ALARM_AT) -> None:
        self.alarm_at = alarm_at

    def export(self, store: Store, selection: Selection = EVERYONE, *,
               on_progress: Progress | None = None) -> tuple[bytes, ExportSummary]:
        from icalendar import Alarm, Calendar, Event

        people = set(selected_ids(store, selection))
        chosen = [f for f in store.followups.all() if f.contact_id in people and _at(store, f, selection.event_id)]
        dated = sorted((f for f in chosen if _day(f.due)), key=lambda f: (f.due, f.id))
        if not dated:
            raise NotFoundError("There is no open follow-up with a due date to export.")
        events = {e.id: e for e in store.events.all()}
        stamp = datetime.now(UTC).replace(microsecond=0)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", CALENDAR_NAME)
        for followup in with_progress(dated, len(dated), on_progress):
            contact = store.people.get(followup.contact_id)
            day = _day(followup.due)
            assert day is not None
            summary = f"Follow up with {contact.display_name}"
            entry = Event()
            entry.add("uid", _uid(followup))
            entry.add("dtstamp", stamp)
            entry.add("dtstart", day)
            if day < date.max:  # exclusive end: one whole day (9999-12-31 has no next day: then DTSTART alone)
                entry.add("dtend", day + timedelta(days=1))
            entry.add("summary", summary)
            entry.add("description", _description(store, followup, contact, events))
            entry.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
            for name, value in (("created", followup.created), ("last-modified", followup.updated)):
                if moment := _moment(value):
                    entry.add(name, moment)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(hours=self.alarm_at.hour, minutes=self.alarm_at.minute))
            entry.add_component(alarm)
            calendar.add_component(entry)
        data = calendar.to_ical()
        return data, ExportSummary(self.name, len(dated), "follow-up", len(data), left_out=len(chosen) - len(dated))

    def import_(self, store: Store, data: bytes, source_name: str, *, tags: Sequence[str] = (),
                replace: bool = False, on_progress: Progress | None = None) -> ImportSummary:
        raise ImportFormatError(
            f"Nothing was imported from {source_name}: it is a calendar file, and Mutual writes "
            "its follow-ups to calendars but does not read calendars back."
        )


def _uid(followup: FollowUp) -> str:
    """The follow-up's id as a UUID (RFC 7986 recommends UUIDs as UIDs): stable across exports."""
    try:
        return str(uuid.UUID(hex=followup.id))
    except ValueError:
        return f"{followup.id}@mutual"


def _description(store: Store, followup: FollowUp, contact: Contact, events: dict) -> str:
    lines = []
    meeting = None
    if followup.meeting_id:
        try:
            meeting = store.meetings.get(followup.meeting_id)
        except NotFoundError:
            meeting = None
    if meeting is not None:
        for label, value in (("I promised", meeting.promise), ("How I can help", meeting.help),
                             ("They need", meeting.need)):
            if value.strip():
                lines.append(f"{label}: {value.strip()}")
        event = events.get(meeting.event_id)
        day = met_on(meeting, event)
        lines.append(f"Met at {event.name} on {day}." if event else f"Met on {day}.")
    if contact.organization or contact.title:
        lines.append(", ".join(p for p in (contact.title, contact.organization) if p))
    lines += [f"Email: {email}" for email in contact.emails[:2]]
    lines += [f"Phone: {phone}" for phone in contact.phones[:1]]
    if followup.channel:
        lines.append(f"By: {followup.channel}")
    return "\n".join(lines)


def _at(store: Store, followup: FollowUp, event_id: str | None) -> bool:
    """Whether a follow-up belongs in an export of ``event_id``'s people (all of them when None):
    one promised at another event, or with no meeting, is not that event's."""
    if event_id is None:
        return True
    if not followup.meeting_id:
        return False
    try:
        return store.meetings.get(followup.meeting_id).event_id == event_id
    except NotFoundError:
        return False


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _moment(iso: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0)
