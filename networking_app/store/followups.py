"""Follow-ups: reminders to get back to someone, and the queue they make (see :mod:`networking_app.followups`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..followups import BUCKETS, QueueItem, bucket_index, snoozed_until, sort_key
from ..models import Contact, Event, FollowUp, Meeting, now_iso
from .repository import Repository, synchronized


class Followups(Repository):
    """``store.followups``: one open follow-up per meeting at most."""

    @synchronized
    def for_meeting(self, meeting_id: str) -> FollowUp | None:
        fid = self._records.ix.followup_by_meeting.get(meeting_id)
        return self._records.get(FollowUp, fid) if fid else None

    @synchronized
    def all(self, *, include_done: bool = False) -> list[FollowUp]:
        return [f for f in self._records.all(FollowUp) if include_done or not f.is_done]

    def set_due(self, meeting: Meeting, due: date | None, channel: str | None = None) -> None:
        """Give a meeting an open follow-up due on ``due``; ``channel`` None keeps it.

        ``due`` None takes the date away: the follow-up goes, unless the meeting holds a promise
        (then it stays, undated).
        """
        records = self._records
        with records.writing():
            existing = self.for_meeting(meeting.id)
            if due is None:
                if existing and not existing.is_done:
                    if meeting.promise:
                        existing.due = ""
                        records.put(existing)
                    else:
                        records.delete(FollowUp, existing.id)
                return
            followup = existing if existing and not existing.is_done else FollowUp(
                contact_id=meeting.contact_id, meeting_id=meeting.id
            )
            followup.due = due.isoformat()
            if channel is not None:
                followup.channel = channel
            records.put(followup)

    def keep_promise(self, meeting: Meeting) -> None:
        """Keep a promise in the queue: an open follow-up for the meeting, undated unless it has one."""
        records = self._records
        with records.writing():
            existing = self.for_meeting(meeting.id)
            if existing is None or existing.is_done:
                records.put(FollowUp(contact_id=meeting.contact_id, meeting_id=meeting.id))

    def complete(self, followup_id: str) -> FollowUp:
        records = self._records
        with records.writing():
            followup = records.get(FollowUp, followup_id)
            followup.done_at = now_iso()
            return records.put(followup)

    def reschedule(self, followup_id: str, due: date | None) -> FollowUp:
        """Open the follow-up again, due on ``due`` (``None``: undated, as a promise without a date)."""
        records = self._records
        with records.writing():
            followup = records.get(FollowUp, followup_id)
            followup.due = due.isoformat() if due else ""
            followup.done_at = ""
            return records.put(followup)

    def snooze(self, followup_id: str, days: int) -> FollowUp:
        """Push a follow-up ``days`` later (:func:`~networking_app.followups.snoozed_until`)."""
        with self._records.writing():
            followup = self._records.get(FollowUp, followup_id)
            return self.reschedule(followup_id, snoozed_until(followup.due, self._store.today(), days))

    # -- the queue ----------------------------------------------------------------------------------
    @synchronized
    def queue(self, *, limit: int | None = None, suggestions: bool = True) -> list[QueueItem]:
        """The follow-up queue (see :mod:`networking_app.followups`), first ``limit`` rows.

        Ordered from the indexes alone; only the rows returned are read and decoded.
        """
        rows = self._queue_order()
        doc = self._records.doc
        items = [self._queue_item(BUCKETS[b], doc(FollowUp, fid)) for b, _, _, fid in rows[:limit]]
        items.sort(key=sort_key)  # ties on the due date broken by name
        if suggestions and (limit is None or len(items) < limit):
            items += self._suggestions(None if limit is None else limit - len(items))
        return items

    def _queue_order(self) -> list[tuple[int, bool, str, str]]:
        """(bucket, not a promise, due, id) of every open follow-up, sorted; cached until a change or a new day
        (sorting 10,000 rows is most of the queue's 30 ms, and the tab is shown again and again)."""
        today = self._store.today()
        ix = self._records.ix

        def compute() -> list[tuple[int, bool, str, str]]:
            bucket, promised = bucket_index(today), ix.promised
            return sorted((bucket(due), mid not in promised, due or "9999", fid)
                          for fid, (due, mid, _cid) in ix.open_followups.items())

        return self._records.until_change("queue", compute, today)

    def _queue_item(self, bucket: str, doc: Any) -> QueueItem:
        records = self._records
        meeting = records.get(Meeting, doc["meeting_id"]) if records.doc(Meeting, doc["meeting_id"]) else None
        event_doc = records.doc(Event, meeting.event_id) if meeting and meeting.event_id else None
        return QueueItem(
            bucket,
            records.get(Contact, doc["contact_id"]),
            meeting,
            Event.from_doc(event_doc) if event_doc else None,
            FollowUp.from_doc(doc),
        )

    def _suggestions(self, limit: int | None) -> list[QueueItem]:
        """Meetings at ended events with no note and no follow-up: a nudge, not a nag.

        The most recently ended events first.
        """
        records = self._records
        ix = records.ix
        ended = [Event.from_doc(doc) for doc in records.docs(Event) if doc["ended_at"]]
        found: list[QueueItem] = []
        for event in sorted(ended, key=lambda e: e.ended_at, reverse=True):
            mids = [m for m in ix.meetings_by_event.get(event.id, ())
                    if m in ix.note_missing and m not in ix.followup_by_meeting]
            meetings = sorted((records.get(Meeting, m) for m in mids), key=lambda m: m.met_at, reverse=True)
            found += [QueueItem("suggested", records.get(Contact, m.contact_id), m, event, None) for m in meetings]
            if limit is not None and len(found) >= limit:
                break
        return found[:limit]
