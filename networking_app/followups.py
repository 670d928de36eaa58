"""The follow-up queue: who to get back to, in the order that keeps my word.

One queue across events, in buckets by due date (overdue, today, this week,
later), after the promises I made without a date: a promise is never lost for
want of one. Within a bucket the promises come first, then other follow-ups.
After them come gentle suggestions: people met at an event that has ended, with
neither a note nor a follow-up yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .models import Contact, Event, FollowUp, Meeting, greeting_name

BUCKETS = ("no date", "overdue", "today", "this week", "later", "suggested")


@dataclass(frozen=True)
class QueueItem:
    """One row of the queue; ``followup`` is None for a suggestion."""

    bucket: str
    contact: Contact
    meeting: Meeting | None
    event: Event | None
    followup: FollowUp | None

    @property
    def is_promise(self) -> bool:
        return bool(self.meeting and self.meeting.promise)

    @property
    def what(self) -> str:
        """What I promised, else how I can help, else what they need."""
        m = self.meeting
        if not m:
            return ""
        return m.promise or m.help or m.need

    @property
    def due(self) -> str:
        return self.followup.due if self.followup else ""


def bucket_of(due: str, today: date) -> str:
    if not due:
        return "no date"
    day = date.fromisoformat(due)
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day <= today + timedelta(days=6):
        return "this week"
    return "later"


def bucket_index(today: date) -> Callable[[str], int]:
    """``bucket_of`` as an index into BUCKETS, by comparing ISO strings: fast for 10,000 rows."""
    day, week = today.isoformat(), (today + timedelta(days=6)).isoformat()

    def index(due: str) -> int:
        if not due:
            return 0
        return 1 if due < day else 2 if due == day else 3 if due <= week else 4

    return index


def due_in(days: int, today: date) -> date:
    """The day ``days`` from today; from three days on, a weekend day moves to the Monday after
    ("in 3 days" on a Friday means Monday: nobody meant a Sunday)."""
    day = today + timedelta(days=days)
    if days >= 3 and day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    return day


def snoozed_until(due: str, today: date, days: int) -> date:
    """Where snoozing moves a follow-up: ``days`` after today, or after its due date if that is later."""
    base = max(today, date.fromisoformat(due)) if due else today
    return base + timedelta(days=days)


def sort_key(item: QueueItem) -> tuple[int, bool, str, str]:
    return (BUCKETS.index(item.bucket), not item.is_promise, item.due or "9999", item.contact.display_name.casefold())


@dataclass(frozen=True)
class Draft:
    """A follow-up message, give-first, written to them: my notes are mine and stay out of it."""

    to: str
    subject: str
    body: str

    def mailto(self) -> str:
        from urllib.parse import quote

        return f"mailto:{quote(self.to, safe='@')}?subject={quote(self.subject)}&body={quote(self.body)}"


def draft_message(item: QueueItem, me: str = "") -> Draft:
    """A short message to them: where we met, what they said they need, that I want to help.

    Only their need, in their words, is quoted. How I can help and what I promised are my own
    notes ("send Priya's email by Friday"): the message says I am following up on them, and the
    person writes the specifics (the Write dialog shows the notes beside the draft).
    """
    person = item.contact
    first_name = greeting_name(person.full_name, person.given) or person.display_name
    where = f" at {item.event.name}" if item.event else ""
    lines = [f"Hi {first_name},", "", f"It was good to meet you{where}."]
    meeting = item.meeting
    if meeting and meeting.need:
        lines.append(f"You mentioned you are looking for {_lower_first(meeting.need)}.")
    if meeting and meeting.help and meeting.need:
        lines.append("I'd be glad to help with that.")
    if meeting and meeting.promise:
        lines.append("As promised, I'm getting back to you.")
    elif meeting and meeting.help and not meeting.need:  # nothing said for "that" to point at
        lines.append("I'd be glad to help.")
    if not (meeting and (meeting.help or meeting.promise)):
        lines.append("Is there anything I can help you with right now?")
    lines += ["", "Best,", me] if me else ["", "Best"]
    return Draft(next(iter(person.emails), ""), f"Following up{where}", "\n".join(lines).rstrip() + "\n")


def _lower_first(text: str) -> str:
    """Fit a note into a sentence: "A Python contractor" -> "a Python contractor".

    Only a leading article is lowered: a capital may be a name ("Grace's email").
    """
    text = text.strip().rstrip(".")
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("A", "An", "The", "Some") and rest else text
