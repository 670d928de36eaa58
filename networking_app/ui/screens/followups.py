"""Who to follow up with: overdue, today, this week, later, promises first; then gentle suggestions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import flet as ft

from ...followups import QueueItem, draft_message, snoozed_until
from ..note_sheet import NoteSheet
from ..widgets import empty_state, icon_button, muted, page_body, short_date
from .base import Screen

PAGE = 12  # rows rendered at once (a phone shows ~5): Flet's diff costs ~3 ms per row on 2 cores
TITLES = {"overdue": "Overdue", "today": "Today", "this week": "This week", "later": "Later",
          "suggested": "Maybe follow up? (no note yet)"}


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
        who = item.contact.display_name + (f" · {item.event.name}" if item.event else "")
        if item.followup is None:
            return ft.ListTile(title=ft.Text(who), subtitle=ft.Text("Met, but no note and no follow-up yet."),
                               trailing=ft.TextButton("Add note", on_click=lambda e, i=item: self._note(i)))
        what = f"Promised: {item.meeting.promise}" if item.is_promise else (item.what or "Follow up")
        due = _due_label(item.due, self.store.today())
        return ft.Semantics(container=True, content=ft.Container(ft.Column([
            ft.Text(spans=[ft.TextSpan(who, ft.TextStyle(weight=ft.FontWeight.W_600)), ft.TextSpan(f"  ·  {due}")]),
            ft.Text(what, max_lines=2),
            ft.Row([
                ft.TextButton("Write", icon=ft.Icons.EDIT_OUTLINED, on_click=lambda e, i=item: self._write(i)),
                ft.TextButton("Done", icon=ft.Icons.CHECK, on_click=self.app.on(self._done, item)),
                ft.TextButton("Later", icon=ft.Icons.SNOOZE, on_click=lambda e, i=item: self._later(i)),
                icon_button(ft.Icons.PERSON_OUTLINE, f"Open {item.contact.display_name}",
                            lambda e, i=item: self.app.go(f"/person/{i.contact.id}")),
            ], wrap=True, spacing=0),
        ], spacing=2), padding=ft.Padding.only(left=12, right=4, top=8, bottom=4), border_radius=12,
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
        await self.app.attempt(self.store.followups.reschedule, item.followup.id, date.fromisoformat(item.followup.due))
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
            value = e.control.value
            day = value.date() if isinstance(value, datetime) else value
            if day and item.followup:
                await self.app.attempt(self.store.followups.reschedule, item.followup.id, day)
                self.app.toast(f"{item.contact.display_name}: due {_due_label(day.isoformat(), self.store.today())}.")
                self._reload()

        self.app.page.show_dialog(ft.DatePicker(value=date.fromisoformat(item.due) if item.due else None, on_change=chosen))

    def _note(self, item: QueueItem) -> None:
        if item.meeting:
            NoteSheet(self.app).ask(item.meeting, item.contact)

    def _write(self, item: QueueItem) -> None:
        """A drafted message, give-first; copy it or open it in the mail app."""
        me = self.store.cards.default()
        draft = draft_message(item, me.given if me else "")
        body = ft.TextField(value=draft.body, multiline=True, min_lines=6, max_lines=12, label="Message")

        async def copy(e: Any) -> None:
            await self.app.clipboard.set(body.value or "")
            self.app.close_dialog(dialog)
            self.app.toast("Message copied.")

        async def mail(e: Any) -> None:
            self.app.close_dialog(dialog)
            await self.app.launcher.launch_url(type(draft)(draft.to, draft.subject, body.value or "").mailto())

        actions: list[ft.Control] = [ft.TextButton("Close", on_click=lambda e: self.app.close_dialog(dialog)),
                                     ft.OutlinedButton("Copy", icon=ft.Icons.COPY, on_click=copy)]
        if draft.to:
            actions.append(ft.FilledButton("Open in mail", icon=ft.Icons.EMAIL_OUTLINED, on_click=mail))
        dialog = ft.AlertDialog(
            title=ft.Text(f"Write to {item.contact.display_name}"),
            content=ft.Column([muted(f"To: {draft.to or 'no email on their card'} · {draft.subject}"), body], tight=True, width=480),
            actions=actions,
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
