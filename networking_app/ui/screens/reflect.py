"""After the event: who I met, the notes inbox, three questions, and the trend across events."""

from __future__ import annotations

import contextlib
from typing import Any

import flet as ft

from ...errors import NotFoundError
from ...models import Event, Meeting
from ...reflection import TrendPoint, describe_trend
from ..note_sheet import NoteSheet
from ..widgets import (
    empty_state,
    heading,
    isolated,
    muted,
    named_dropdown,
    notice,
    page_body,
    paged_rows,
    primary,
    section,
    status_chip,
)
from .base import Screen, Shell

COMFORT = [("1", "1 · dreaded it"), ("2", "2"), ("3", "3 · fine"), ("4", "4"), ("5", "5 · at ease")]


class ReflectScreen(Screen):
    title = "Reflect"
    route = "/reflect"
    nav_route = "/reflect"

    def __init__(self, app: Shell, event_id: str | None = None) -> None:
        super().__init__(app)
        self.event_id = event_id
        if event_id:
            self.route = f"/reflect/{event_id}"

    def _event(self) -> Event | None:
        if self.event_id:
            try:
                return self.store.events.get(self.event_id)
            except NotFoundError:
                return None
        return self.store.events.to_reflect()

    def build(self) -> ft.Control:
        event = self._event()
        if event is None:
            return page_body([empty_state(ft.Icons.AUTO_AWESOME_OUTLINED, "Nothing to reflect on yet",
                                          "After an event, come back here: who you met, what they need, how it went.",
                                          ft.FilledButton("Start an event", on_click=lambda e: self.app.go("/event")))])
        self.event = event
        self.later = ft.Column()  # filled in did_mount
        meetings = self.store.meetings.at(event.id)
        missing = [m for m in meetings if not m.has_note]
        return page_body([
            *self._choose_event(event),
            heading(event.name),
            muted(f"{len(meetings)} met · {len(meetings) - len(missing)} of {len(meetings)} notes done"
                  + (" · running now" if event.is_running else "")),
            self._inbox(missing),
            *self._questions(event),
            ft.Divider(),
            section("Who I met", paged_rows(meetings, self._person_row, muted("Nobody was scanned at this event."))),
            ft.Divider(),
            self.later,
        ])

    async def did_mount(self) -> None:
        """The trend, below the fold, is sent in a second message: no one handler holds the loop long."""
        if getattr(self, "event", None) is None or self.later.controls:
            return
        points = await self.app.work(self.store.events.trend)
        self.later.controls = [self._trend(points)]
        with contextlib.suppress(RuntimeError):  # the screen may be gone already
            self.later.update()

    def _choose_event(self, event: Event) -> list[ft.Control]:
        events = [e for e in self.store.events.all() if e.ended_at or e.is_running]
        if len(events) < 2:
            return []
        picker = ft.Dropdown(label="Event", value=event.id,
                             options=[ft.DropdownOption(key=e.id, text=f"{isolated(e.name)} · {e.date}") for e in events[:30]],
                             on_select=lambda e: self.app.go(f"/reflect/{e.control.value}"))
        return [ft.Container(named_dropdown(picker), padding=ft.Padding.only(top=8))]  # room for the label above the border

    # -- the notes inbox ---------------------------------------------------------------------------------------
    def _inbox(self, missing: list[Meeting]) -> ft.Control:
        if not missing:
            return notice("Every meeting has its note. Now follow up, promises first.", ft.Icons.TASK_ALT,
                          action=ft.TextButton("Follow-ups", on_click=lambda e: self.app.go("/followups")))
        people = "person" if len(missing) == 1 else "people"
        return notice(f"Notes inbox: {len(missing)} {people} still without a note.", ft.Icons.INBOX,
                      action=primary("Start", lambda e: self._start_inbox(), icon=ft.Icons.PLAY_ARROW))

    def _start_inbox(self) -> None:
        self._skipped: set[str] = set()
        self._next_in_inbox()

    def _next_in_inbox(self) -> None:
        """Open the prompt for the next meeting without a note; saving or "Later" moves on."""
        missing = [m for m in self.store.meetings.notes_inbox(self.event.id) if m.id not in self._skipped]
        if not missing:
            self.app.refresh()
            if not self.store.meetings.notes_inbox(self.event.id):
                self.app.toast("Notes inbox done. Who will you help first?")
            return
        meeting = missing[0]
        contact = self.store.people.get(meeting.contact_id)
        sheet = NoteSheet(self.app, on_done=lambda outcome: self._after_inbox_note(meeting, outcome))
        sheet.ask(meeting, contact, progress=f"Notes inbox · {len(missing)} left")

    def _after_inbox_note(self, meeting: Meeting, outcome: str) -> None:
        if outcome == "later":
            self._skipped.add(meeting.id)
        if outcome == "dismissed":
            self.app.refresh()
        else:
            self._next_in_inbox()

    def _person_row(self, meeting: Meeting) -> ft.Control:
        contact = self.store.people.get(meeting.contact_id)
        return ft.ListTile(
            title=ft.Text(contact.display_name),
            subtitle=ft.Text(meeting.need or meeting.help or "No note yet", max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            trailing=status_chip(meeting.has_note),
            on_click=lambda e, m=meeting, c=contact: NoteSheet(self.app).ask(m, c),
        )

    # -- three questions -------------------------------------------------------------------------------------------
    def _questions(self, event: Event) -> list[ft.Control]:
        # answers not saved yet outlive the screen (another tab, another event, a note in between)
        draft = self.app.drafts.setdefault(f"reflect:{event.id}", {
            "went_well": event.went_well, "comfort": str(event.comfort) if event.comfort else None,
            "help_first": event.help_first})

        def keep(name: str) -> Any:
            return lambda e: draft.__setitem__(name, e.control.value)

        self.went_well = ft.TextField(label="What went well?", value=draft["went_well"], multiline=True, max_lines=4,
                                      on_change=keep("went_well"))
        # five equal cells on one line, the words under the ends: even gaps, no wrapping on a phone
        self.comfort = ft.RadioGroup(
            value=draft["comfort"], on_change=keep("comfort"),
            content=ft.Column([
                ft.Row([ft.Container(ft.Radio(value=v, label=v), expand=True, alignment=ft.Alignment.CENTER)
                        for v, _ in COMFORT], spacing=0),
                ft.Row([muted(COMFORT[0][1].split(" · ")[1], size=12), muted(COMFORT[2][1].split(" · ")[1], size=12),
                        muted(COMFORT[4][1].split(" · ")[1], size=12)], alignment=ft.MainAxisAlignment.SPACE_BETWEEN),
            ], spacing=0),
        )
        self.help_first = ft.TextField(label="Who can I help first?", value=draft["help_first"],
                                       hint_text="A name, and how", on_change=keep("help_first"))
        return [
            ft.Text("How did it go?", size=18, weight=ft.FontWeight.W_600),
            self.went_well,
            ft.Text("How comfortable did I feel?"),
            self.comfort,
            self.help_first,
            primary("Save reflection", self._save, icon=ft.Icons.SAVE),
        ]

    async def _save(self, e: Any) -> None:
        comfort = int(self.comfort.value) if self.comfort.value else 0
        saved = await self.app.attempt(self.store.events.save_reflection, self.event.id, went_well=self.went_well.value or "",
                                       comfort=comfort, help_first=self.help_first.value or "")
        if saved:
            self.app.drafts.pop(f"reflect:{self.event.id}", None)
            self.app.toast("Reflection saved.")
            self.app.refresh()

    # -- the trend --------------------------------------------------------------------------------------------------
    def _trend(self, points: list[TrendPoint]) -> ft.Control:
        summary = describe_trend(points)
        if len(points) < 2:
            return section("Over time", muted(summary))
        names = [p.name for p in points]
        chart = ft.Column([
            _bars("People met", [p.met for p in points], names),
            _bars("Help offered", [p.helped for p in points], names),
            _bars("Comfort (1-5)", [p.comfort for p in points], names, top=5),
        ], spacing=12)
        # the bars are for the eye; a screen reader gets the summary below, not every number
        return section(
            "Over time",
            ft.Semantics(label=f"Bar charts of your last {len(points)} events", container=True,
                         exclude_semantics=True, content=chart),
            muted(summary, size=13),
        )


def _bars(title: str, values: list[int], names: list[str], top: int | None = None) -> ft.Control:
    """A small bar chart from plain containers: no chart library, readable in both themes."""
    highest = max(top or 0, *values, 1)
    bars: list[ft.Control] = [
        ft.Column([
            ft.Text(str(v) if v else "–", size=11, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Container(width=22, height=max(3, 60 * v / highest), bgcolor=ft.Colors.PRIMARY if v else ft.Colors.OUTLINE_VARIANT,
                         border_radius=ft.BorderRadius.only(top_left=4, top_right=4), tooltip=f"{name}: {v}"),
        ], spacing=2, horizontal_alignment=ft.CrossAxisAlignment.CENTER, alignment=ft.MainAxisAlignment.END, height=80)
        for v, name in zip(values, names, strict=False)
    ]
    return ft.Column([ft.Text(title, size=13, weight=ft.FontWeight.W_500),
                      ft.Row(bars, spacing=6, vertical_alignment=ft.CrossAxisAlignment.END)], spacing=4)
