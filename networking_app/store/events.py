"""Events: the one running now, starting and ending them, and the reflection after."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInputError, NotFoundError
from ..models import Event, now_iso
from ..reflection import TrendPoint, point_for
from ..search import fold
from .repository import Repository, synchronized


class _Current:
    """Sentinel: "the event running now, if any"."""


CURRENT_EVENT: Any = _Current()


class Events(Repository):
    """``store.events``: the events I attend, the newest first."""

    @synchronized
    def all(self) -> list[Event]:
        """Every event, the newest first."""
        return sorted(self._records.all(Event), key=lambda e: (e.date or e.started_at[:10], e.started_at), reverse=True)

    @synchronized
    def get(self, event_id: str) -> Event:
        return self._records.get(Event, event_id)

    @synchronized
    def current(self) -> Event | None:
        records = self._records
        current = records.meta().get("current_event_id", "")
        doc = records.doc(Event, current) if current else None
        event = Event.from_doc(doc) if doc else None
        return event if event and event.is_running else None

    @synchronized
    def find(self, name: str) -> Event:
        """The event called ``name`` (case-insensitive), or whose id starts with it (4+ characters).

        Two events may share a name (a yearly conference): the running one, else the newest, is
        meant, and the others stay reachable by id (``event list --json``).
        """
        wanted = fold(name.strip())
        named = [e for e in self.all() if fold(e.name.strip()) == wanted]
        if named:
            meant = next((e for e in named if e.is_running), named[0])
            if len(named) > 1:
                which = "the running one" if meant.is_running else "the newest"
                others = ", ".join(f"{e.id[:8]} ({e.date})" for e in named if e is not meant)
                self._store.notices.append(f"{len(named)} events are called “{meant.name}”: this is {which}, "
                                           f"{meant.id[:8]} ({meant.date}); for another, give its id: {others}.")
            return meant
        key = name.strip().lower()
        by_id = [e for e in self.all() if len(key) >= 4 and e.id.startswith(key)]
        if len(by_id) == 1:
            return by_id[0]
        if by_id:
            raise NotFoundError(f"{len(by_id)} events have an id starting with {key}: give more of it.")
        raise NotFoundError(f"No event is called “{name}”. Start it with: event start \"{name}\".")

    def start(self, name: str, *, place: str = "", day: str = "", intention: str = "") -> Event:
        """Start a new event and make it the current one (a running one is ended)."""
        if not name.strip():
            raise InvalidInputError("An event needs a name.")
        event = Event(name=name.strip(), place=place.strip(), date=day or self._store.today().isoformat(),
                      intention=intention.strip())
        records = self._records
        with records.writing():
            self._end_current()
            records.put(event)
            records.set_meta(current_event_id=event.id)
        return event

    def switch(self, event_id: str) -> Event:
        """Make an event the current one again (reopening it if it had ended)."""
        records = self._records
        with records.writing():
            event = records.get(Event, event_id)
            if records.meta().get("current_event_id") != event_id:
                self._end_current()
            event.ended_at = ""
            records.put(event)
            records.set_meta(current_event_id=event_id)
        return event

    def end(self) -> Event | None:
        """End the current event; returns it (for the reflection that follows)."""
        with self._records.writing():
            return self._end_current()

    def _end_current(self) -> Event | None:
        records = self._records
        current = records.meta().get("current_event_id", "")
        records.set_meta(current_event_id="")
        doc = records.doc(Event, current) if current else None
        if not doc:
            return None
        event = Event.from_doc(doc)
        if event.is_running:
            event.ended_at = now_iso()
            records.put(event)
        return event

    def save(self, event: Event) -> Event:
        with self._records.writing():
            return self._records.put(event)

    # -- after the event: reflection --------------------------------------------------------------------
    @synchronized
    def to_reflect(self) -> Event | None:
        """The running event, else the one that ended last."""
        current = self.current()
        if current:
            return current
        ended = [e for e in self._records.all(Event) if e.ended_at]
        saved = self._records.ix.keys["events"]  # ties (the same millisecond): the one saved last
        return max(ended, key=lambda e: (e.ended_at, int(saved[e.id]))) if ended else None

    def save_reflection(self, event_id: str, *, went_well: str, comfort: int, help_first: str) -> Event:
        if comfort not in range(0, 6):
            raise InvalidInputError("Comfort is a number from 1 to 5.")
        records = self._records
        with records.writing():
            event = records.get(Event, event_id)
            event.went_well, event.comfort, event.help_first = went_well.strip(), comfort, help_first.strip()
            return records.put(event)

    @synchronized
    def trend(self, last: int = 8) -> list[TrendPoint]:
        """The last events with people met, notes done, help offered and comfort, oldest first."""
        records, meetings = self._records, self._store.meetings
        events = [e for e in records.all(Event) if records.ix.meetings_by_event.get(e.id) or e.comfort]
        events.sort(key=lambda e: (e.date or e.started_at[:10], e.started_at))
        return [point_for(e, meetings.at(e.id)) for e in events[-last:]]
