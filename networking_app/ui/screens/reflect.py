"""After the event: who I met and which notes are still missing."""

from __future__ import annotations

from typing import Any

import flet as ft

from ...errors import NotFoundError
from ..note_sheet import NoteSheet
from ..widgets import empty_state, heading, muted, page_body, section, status_chip
from .base import Screen


class ReflectScreen(Screen):
    title = "Reflect"
    route = "/reflect"
    nav_route = "/reflect"

    def __init__(self, app: Any, event_id: str | None = None) -> None:
        super().__init__(app)
        self.event_id = event_id
        if event_id:
            self.route = f"/reflect/{event_id}"

    def _event(self) -> Any:
        if self.event_id:
            try:
                return self.store.event(self.event_id)
            except NotFoundError:
                return None
        events = self.store.events()
        running = self.store.current_event()
        ended = sorted((e for e in events if e.ended_at), key=lambda e: e.ended_at, reverse=True)
        return running or (ended[0] if ended else None)

    def build(self) -> ft.Control:
        event = self._event()
        if event is None:
            return page_body([empty_state(ft.Icons.AUTO_AWESOME_OUTLINED, "Nothing to reflect on yet",
                                          "After an event, come back here: who you met, what they need, how it went.",
                                          ft.FilledButton("Start an event", on_click=lambda e: self.app.go("/event")))])
        meetings = self.store.meetings_at(event.id)
        done = sum(1 for m in meetings if m.has_note)
        rows = []
        for meeting in meetings:
            contact = self.store.contact(meeting.contact_id)
            rows.append(ft.ListTile(
                title=ft.Text(contact.display_name),
                subtitle=ft.Text(meeting.need or meeting.help or "No note yet", max_lines=1),
                trailing=status_chip(meeting.has_note),
                on_click=lambda e, m=meeting, c=contact: NoteSheet(self.app).ask(m, c),
            ))
        return page_body([
            heading(event.name),
            muted(f"{len(meetings)} met · {done} of {len(meetings)} notes done"),
            section("Who I met", *(rows or [muted("Nobody was scanned at this event.")])),
        ])
