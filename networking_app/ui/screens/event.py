"""The event: start one with an intention, see who I met and whose note is missing, end or switch."""

from __future__ import annotations

from datetime import date
from typing import Any

import flet as ft

from ...models import Event
from ..widgets import (
    PAGE,
    empty_state,
    heading,
    muted,
    page_body,
    paged_rows,
    picked_day,
    primary,
    section,
    status_chip,
)
from .base import Screen


class EventScreen(Screen):
    title = "Event"
    route = "/event"
    nav_route = "/event"

    def build(self) -> ft.Control:
        self.event = self.store.events.current()
        top = self._running(self.event) if self.event else self._start_form()
        return page_body([*top, *self._past_events()])

    # -- a running event --------------------------------------------------------------------------------
    def _running(self, event: Event) -> list[ft.Control]:
        meetings = self.store.meetings.at(event.id)
        done = sum(1 for m in meetings if m.has_note)
        where = " · ".join(p for p in (event.date, event.place) if p)
        intro: list[ft.Control] = [heading(event.name), muted(where)]
        if event.intention:
            intro.append(ft.Text(f"My intention: {event.intention}", italic=True))
        intro.append(ft.Row([
            primary("Scan a card", lambda e: self.app.go("/scan"), icon=ft.Icons.QR_CODE_SCANNER),
            ft.OutlinedButton("End event", icon=ft.Icons.STOP_CIRCLE_OUTLINED, on_click=self._end),
        ], wrap=True))
        summary = f"{len(meetings)} met · {done} notes done" if meetings else "Nobody yet"
        people = paged_rows(list(reversed(meetings)), self._person_row,  # the latest first
                            empty_state(ft.Icons.WAVING_HAND_OUTLINED, "Nobody yet",
                                        "Say hello, show your code, scan theirs. Ask what they need."))
        return [*intro, section(f"People met · {summary}", people)]

    def _person_row(self, meeting: Any) -> ft.Control:
        contact = self.store.people.get(meeting.contact_id)
        subtitle = meeting.need or meeting.help or ", ".join(p for p in (contact.title, contact.organization) if p)
        return ft.ListTile(
            leading=ft.CircleAvatar(content=ft.Text(contact.display_name[:1].upper())),
            title=ft.Text(contact.display_name),
            subtitle=ft.Text(subtitle or "Tap to add how you can help", max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            trailing=status_chip(meeting.has_note),
            on_click=lambda e, m=meeting, c=contact: self._open(m, c),
        )

    def _open(self, meeting: Any, contact: Any) -> None:
        if meeting.has_note:
            self.app.go(f"/person/{contact.id}")
        else:
            from ..note_sheet import NoteSheet  # with the vCard codec: imported by the warm-up after the first paint

            NoteSheet(self.app).ask(meeting, contact)

    async def _end(self, e: ft.Event[Any]) -> None:
        ended = await self.app.attempt(self.store.events.end)
        if ended:
            self.app.toast(f"“{ended.name}” ended. A quick reflection?", action="Reflect",
                           on_action=lambda e: self.app.go("/reflect"))
            self.app.refresh()

    # -- starting one -----------------------------------------------------------------------------------
    def _start_form(self) -> list[ft.Control]:
        self.name = ft.TextField(label="Event name", autofocus=True, capitalization=ft.TextCapitalization.WORDS,
                                 on_submit=self._start)
        self.place = ft.TextField(label="Place")
        self.day = date.today()
        self.day_button = ft.OutlinedButton(self._day_label(), icon=ft.Icons.CALENDAR_MONTH, on_click=self._pick_day)
        self.intention = ft.TextField(label="My intention", hint_text="e.g. meet 3 people, help one")
        self.error = ft.Text("", color=ft.Colors.ERROR, visible=False)
        return [
            heading("Start an event"),
            muted("People you scan are kept with the event, so after it you can see who you met and follow up."),
            self.name, self.place, ft.Row([ft.Text("Date"), self.day_button]), self.intention, self.error,
            primary("Start event", self._start, icon=ft.Icons.PLAY_ARROW),
        ]

    def _day_label(self) -> str:
        return "Today" if self.day == date.today() else self.day.strftime("%a %d %b %Y")

    def _pick_day(self, e: ft.Event[Any]) -> None:
        def chosen(ev: ft.Event[ft.DatePicker]) -> None:
            day = picked_day(ev.control.value)
            if day:
                self.day = day
                self.day_button.content = self._day_label()
                self.day_button.update()

        self.app.page.show_dialog(ft.DatePicker(value=self.day, on_change=chosen))

    async def _start(self, e: ft.Event[Any]) -> None:
        name = (self.name.value or "").strip()
        if not name:
            self.error.value, self.error.visible = "Give the event a name.", True
            return
        event = await self.app.attempt(self.store.events.start, name, place=self.place.value or "",
                                       day=self.day.isoformat(), intention=self.intention.value or "")
        if event:
            self.app.toast(f"Started “{event.name}”. Show your code and scan theirs.")
            self.app.go("/scan")

    # -- past events ---------------------------------------------------------------------------------------
    def _past_events(self) -> list[ft.Control]:
        past = [e for e in self.store.events.all() if not e.is_running]
        if not past:
            return []
        rows: list[ft.Control] = [ft.ListTile(
            title=ft.Text(e.name), subtitle=ft.Text(" · ".join(p for p in (e.date, e.place) if p)),
            trailing=ft.TextButton("Resume", on_click=self.app.on(self._resume, e)),
            on_click=lambda ev, e=e: self.app.go(f"/reflect/{e.id}"),
        ) for e in past[:PAGE]]
        if len(past) > PAGE:
            rows.append(muted(f"{len(past) - PAGE} older events: choose them on the Reflect screen.", size=13))
        return [ft.Divider(), section("Past events", *rows)]

    async def _resume(self, event: Event) -> None:
        resumed = await self.app.attempt(self.store.events.switch, event.id)
        if resumed:
            self.app.toast(f"Back at “{resumed.name}”.")
            self.app.refresh()
