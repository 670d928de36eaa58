"""The follow-up queue: who to get back to, in the order that keeps my word.

One queue across events, in buckets by due date (overdue, today, this week,
later). Within a bucket the promises I made come first, then other follow-ups.
After them come gentle suggestions: people met at an event that has ended, with
neither a note nor a follow-up yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .models import Contact, Event, FollowUp, Meeting

BUCKETS = ("overdue", "today", "this week", "later", "suggested")


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
        return "later"
    day = date.fromisoformat(due)
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day <= today + timedelta(days=6):
        return "this week"
    return "later"


def sort_key(item: QueueItem) -> tuple[int, bool, str, str]:
    return (BUCKETS.index(item.bucket), not item.is_promise, item.due or "9999", item.contact.display_name.casefold())
