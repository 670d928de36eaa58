"""Who to follow up with: overdue, today, this week, later, promises first; then gentle suggestions."""

from __future__ import annotations

from datetime import date
from typing import Any

import flet as ft

from ...followups import QueueItem, draft_message, snoozed_until
from ...models import Intro
from ..intro_drafts import show_drafts
from ..note_sheet import NoteSheet
from ..widgets import empty_state, isolated, muted, page_body, picked_day, short_date
from .base import Screen

PAGE = 12  # rows rendered at once (a phone shows ~5): Flet's diff costs ~3 ms per row on 2 cores
TITLES = {"no date": "Promised, no date", "overdue": "Overdue", "today": "Today", "this week": "This week",
          "later": "Later", "suggested": "Maybe follow up? (no note yet)"}


class FollowupsScreen(Screen):
    title = "Follow-ups"
    route = "/followups"
    nav_route = "/followups"

    def build(self) -> ft.Control:
        self.shown = PAGE
        self.list = ft.Column(spacing=0, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self._fill()
        return page_body([self.list])

    def _fill(self) -> None:
        queue = self.store.followups.queue(limit=self.shown + 1)
        self.drafts: dict[str, list[Intro]] = {}  # contact id -> the introductions drafted for them
        for intro in self.store.intros.drafts():
            for cid in (intro.seeker_id, intro.helper_id):
                self.drafts.setdefault(cid, []).append(intro)
        more = len(queue) > self.shown
        queue = queue[: self.shown]
        if not queue:
            self.list.controls = [empty_state(ft.Icons.TASK_ALT, "Nothing to follow up",
                                              "Promises and follow-ups from your notes appear here, promises first.")]
            return
        rows: list[ft.Control] = []
        bucket = None
        for item in queue:
            if item.bucket != bucket:
                bucket = item.bucket
                rows.append(ft.Container(ft.Text(TITLES[bucket], size=16, weight=ft.FontWeight.W_600),
                                         padding=ft.Padding.only(top=12, bottom=4)))
            rows.append(self._row(item))
        if more:
            rows.append(ft.TextButton("Show more", icon=ft.Icons.EXPAND_MORE, on_click=self._more))
        self.list.controls = rows

    def _row(self, item: QueueItem) -> ft.Control:
        """One card per person: who and when on top, where we met, what I owe them, the actions."""
        person = item.contact
        role = ", ".join(p for p in (person.title, person.organization) if p)
        context = " · ".join(p for p in (role, f"met at {isolated(item.event.name)}" if item.event else "") if p)
        if item.followup is None:
            what, when = "Met, but no note and no follow-up yet.", ""
            actions: list[ft.Control] = [ft.TextButton("Add note", on_click=lambda e, i=item: self._note(i))]
        else:
            what = f"Promised: {item.meeting.promise}" if item.is_promise and item.meeting else (item.what or "Follow up")
            when = _due_label(item.due, self.store.today()) or "no date"
            # words, no icons: the four fit one line on a phone, each 48 px tall
            actions = [
                ft.TextButton("Write", on_click=lambda e, i=item: self._write(i)),
                ft.TextButton("Done", on_click=self.app.on(self._done, item)),
                ft.TextButton("Later", on_click=lambda e, i=item: self._later(i)),
            ]
        actions.append(ft.TextButton("Profile", on_click=lambda e, i=item: self.app.go(f"/person/{i.contact.id}")))
        top: list[ft.Control] = [ft.Text(person.display_name, weight=ft.FontWeight.W_600, size=16, expand=True,
                                         max_lines=1, overflow=ft.TextOverflow.ELLIPSIS)]
        if when:
            top.append(ft.Container(ft.Text(when, size=13, no_wrap=True, color=ft.Colors.ON_SECONDARY_CONTAINER),
                                    bgcolor=ft.Colors.SECONDARY_CONTAINER, border_radius=8,
                                    padding=ft.Padding.symmetric(horizontal=8, vertical=2)))
        lines: list[ft.Control] = [ft.Row(top, vertical_alignment=ft.CrossAxisAlignment.CENTER)]
        if context:
            lines.append(muted(context, size=13, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS))
        lines.append(ft.Text(what, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS))
        intros = self.drafts.get(person.id, []) if item.followup is not None else []
        if intros:  # the one-tap intro's messages, ready to send
            count = f"{2 * len(intros)} introduction messages" if len(intros) > 1 else "Introduction messages"
            lines.append(ft.Row([ft.TextButton(f"{count} ready", icon=ft.Icons.HANDSHAKE_OUTLINED,
                                               on_click=lambda e, i=intros: show_drafts(self.app, i))]))
        lines.append(ft.Row(actions, wrap=True, spacing=0))
        return ft.Semantics(container=True, content=ft.Container(
            ft.Column(lines, spacing=4), padding=ft.Padding.only(left=16, right=8, top=12, bottom=4), border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW, margin=ft.Margin.only(bottom=8)))

    def _more(self, e: Any) -> None:
        self.shown += PAGE
        self._fill()

    def _reload(self) -> None:
        self._fill()
        self.list.update()

    # -- actions ------------------------------------------------------------------------------------------
    async def _done(self, item: QueueItem) -> None:
        assert item.followup is not None
        if await self.app.attempt(self.store.followups.complete, item.followup.id):
            self.app.toast(f"Done: {item.contact.display_name}.", action="Undo",
                           on_action=lambda e, i=item: self.app.page.run_task(self._undo_done, i))
            self._reload()

    async def _undo_done(self, item: QueueItem) -> None:
        assert item.followup is not None
        due = date.fromisoformat(item.followup.due) if item.followup.due else None
        await self.app.attempt(self.store.followups.reschedule, item.followup.id, due)
        self._reload()

    async def _snooze(self, item: QueueItem, days: int) -> None:
        assert item.followup is not None
        moved = await self.app.attempt(self.store.followups.snooze, item.followup.id, days)
        if moved:
            self.app.toast(f"{item.contact.display_name}: moved to {_due_label(moved.due, self.store.today())}.")
            self._reload()

    def _later(self, item: QueueItem) -> None:
        """Snooze a day or a week, or pick a date: one small sheet, every choice a button."""

        def snoozed(days: int) -> str:
            return short_date(snoozed_until(item.due, self.store.today(), days).isoformat())

        def pick(run: Any) -> Any:
            def handler(e: Any) -> None:
                self.app.close_dialog(sheet)
                run()
            return handler

        sheet = ft.BottomSheet(ft.Container(ft.Column([
            ft.Text(f"Follow up with {item.contact.display_name} later", weight=ft.FontWeight.W_600),
            ft.TextButton(f"A day later · {snoozed(1)}", on_click=pick(lambda: self.app.page.run_task(self._snooze, item, 1))),
            ft.TextButton(f"A week later · {snoozed(7)}", on_click=pick(lambda: self.app.page.run_task(self._snooze, item, 7))),
            ft.TextButton("Pick a date…", on_click=pick(lambda: self._reschedule(item))),
        ], tight=True), padding=20))
        self.app.open_dialog(sheet)

    def _reschedule(self, item: QueueItem) -> None:
        async def chosen(e: Any) -> None:
            day = picked_day(e.control.value)
            if day and item.followup:
                await self.app.attempt(self.store.followups.reschedule, item.followup.id, day)
                self.app.toast(f"{item.contact.display_name}: due {_due_label(day.isoformat(), self.store.today())}.")
                self._reload()

        today = self.store.today()  # a follow-up is moved to a day to come, not to the past
        due = date.fromisoformat(item.due) if item.due else None
        self.app.page.show_dialog(ft.DatePicker(value=max(due, today) if due else None, first_date=today,
                                                on_change=chosen))

    def _note(self, item: QueueItem) -> None:
        if item.meeting:
            NoteSheet(self.app).ask(item.meeting, item.contact)

    def _write(self, item: QueueItem) -> None:
        """A drafted message to them, give-first, with my notes beside it (they are not in it)."""
        dialog: ft.AlertDialog  # made below; the handlers defined first close over it
        me = self.store.cards.default()
        draft = draft_message(item, me.given if me else "")
        body = ft.TextField(value=draft.body, multiline=True, min_lines=6, max_lines=12, label="Message")
        meeting = item.meeting
        notes = [f"{label}: {value}" for label, value in (("They need", meeting.need if meeting else ""),
                                                          ("I can help", meeting.help if meeting else ""),
                                                          ("I promised", meeting.promise if meeting else "")) if value]

        async def copy(e: Any) -> None:
            await self.app.clipboard.set(body.value or "")
            self.app.close_dialog(dialog)
            self.app.toast("Message copied.")

        async def mail(e: Any) -> None:
            self.app.close_dialog(dialog)
            await self.app.launcher.launch_url(type(draft)(draft.to, draft.subject, body.value or "").mailto())

        buttons: list[ft.Control] = [ft.OutlinedButton("Copy", icon=ft.Icons.COPY, on_click=copy)]
        if draft.to:
            buttons.append(ft.FilledButton("Open in mail", icon=ft.Icons.EMAIL_OUTLINED, on_click=mail))
        buttons.append(ft.TextButton("Close", on_click=lambda e: self.app.close_dialog(dialog)))
        # narrow: one button a line, all as wide as the dialog; wide: one row
        narrow = (self.app.page.width or 0) < 600
        actions = ft.Column(buttons, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, spacing=8) if narrow \
            else ft.Row(buttons, alignment=ft.MainAxisAlignment.END)
        content: list[ft.Control] = [muted(f"To: {draft.to or 'no email on their card'} · {draft.subject}", size=13)]
        if notes:
            content.append(muted("Your notes (not in the message): " + " · ".join(notes), size=13))
        dialog = ft.AlertDialog(
            title=ft.Text(f"Write to {item.contact.display_name}"),
            content=ft.Column([*content, body, actions], tight=True, width=480, scroll=ft.ScrollMode.AUTO,
                              horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        )
        self.app.open_dialog(dialog)


def _due_label(due: str, today: date) -> str:
    if not due:
        return ""
    day = date.fromisoformat(due)
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return short_date(due) if abs(delta) < 180 else day.isoformat()
