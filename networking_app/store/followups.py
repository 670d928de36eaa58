"""Follow-ups: reminders to get back to someone, and the queue they make (see :mod:`networking_app.followups`)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import Any

from ..followups import BUCKETS, QueueItem, snoozed_until, sort_key
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
        doc = self._records.doc
        items = [self._queue_item(BUCKETS[b], doc(FollowUp, fid)) for b, fid in self._queue_order(limit)]
        items.sort(key=sort_key)  # ties on the due date broken by name
        if suggestions and (limit is None or len(items) < limit):
            items += self._suggestions(None if limit is None else limit - len(items))
        return items

    def _due_order(self) -> list[str]:
        """Every open follow-up as "due\0id" (undated ones first: "\0id"), sorted; cached until a change.

        One string each: sorting 30,000 of them takes ~12 ms, sorting tuples ~80 ms. The
        order does not depend on the day, so a new day sorts nothing again.
        """
        ix = self._records.ix
        return self._records.until_change("due order", lambda: sorted(
            f"{due}\0{fid}" for fid, (due, _mid, _cid) in ix.open_followups.items()))

    def _queue_order(self, limit: int | None) -> list[tuple[int, str]]:
        """(bucket, id) of the first ``limit`` open follow-ups in queue order.

        A bucket is a run of the due order (found by bisection); within it the promises come
        first, each part in due order — as sorting by (bucket, not a promise, due, id) would.
        """
        today = self._store.today()
        keys, ix = self._due_order(), self._records.ix
        day, week = today.isoformat(), (today + timedelta(days=6)).isoformat()
        # no date | overdue | today | this week | later (BUCKETS' order)
        bounds = [0, bisect_left(keys, "\x01"), bisect_left(keys, day), bisect_left(keys, day + "\x01"),
                  bisect_left(keys, week + "\x01"), len(keys)]
        wanted = len(keys) if limit is None else limit
        promised, followups = ix.promised, ix.open_followups
        order: list[tuple[int, str]] = []
        for bucket in range(len(bounds) - 1):
            run = keys[bounds[bucket]:bounds[bucket + 1]]
            if not run or len(order) >= wanted:
                continue
            ids = [key.split("\0", 1)[1] for key in run]
            is_promise = [followups[fid][1] in promised for fid in ids]
            order += [(bucket, fid) for fid, yes in zip(ids, is_promise, strict=True) if yes]
            order += [(bucket, fid) for fid, yes in zip(ids, is_promise, strict=True) if not yes]
        return order[:wanted]

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
