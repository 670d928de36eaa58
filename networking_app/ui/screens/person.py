"""One person: their card, whom I could introduce them to, every meeting with my notes, and safe ways to reach them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from ...errors import NotFoundError
from ...links import inspect_url, mailto, tel
from ...local_dates import local_time
from ...models import Contact
from ..card_form import CardForm
from ..intro_ideas import IntroIdeas
from ..note_sheet import NoteSheet
from ..theme import TOUCH
from ..widgets import (
    destructive,
    empty_state,
    give_and_take,
    heading,
    muted,
    page_body,
    primary,
    section,
    short_date,
    status_chip,
)
from .base import Screen, Shell

if TYPE_CHECKING:
    from ...intros import IntroIdea  # the package loads a stemmer (~0.25 s): not before the first paint


class PersonScreen(Screen):
    title = "Person"
    nav_route = "/people"
    back_route = "/people"

    def __init__(self, app: Shell, contact_id: str) -> None:
        super().__init__(app)
        self.contact_id = contact_id
        self.route = f"/person/{contact_id}"
        self.editing = False
        self.ideas: IntroIdeas | None = None

    def build(self) -> ft.Control:
        try:
            contact = self.store.people.get(self.contact_id)
        except NotFoundError:
            return page_body([empty_state(ft.Icons.PERSON_OFF_OUTLINED, "Not found",
                                          "This person is not in your contacts (any more).",
                                          ft.TextButton("People", on_click=lambda e: self.app.go("/people")))])
        self.contact = contact
        self.title = contact.display_name
        if self.editing:
            return self._edit_form(contact)
        role = ", ".join(p for p in (contact.title, contact.organization) if p)
        self.ideas = IntroIdeas(self.app, contact.id, self._introduce, title_size=16)  # filled in did_mount
        return page_body([  # the name is the app bar's title: said once
            *([muted(role)] if role else []),
            *give_and_take(contact),
            self.ideas.control,
            self._tags(contact),
            section("Reach them", *self._reach(contact)),
            section("Meetings", *self._meetings(contact)),
            *self._note(contact),
            ft.Row([
                ft.OutlinedButton("Edit details", icon=ft.Icons.EDIT_OUTLINED, on_click=self._start_edit),
                ft.OutlinedButton("Merge with…", icon=ft.Icons.MERGE, on_click=self._merge),
                destructive("Delete", self._delete),
            ], wrap=True),
        ])

    async def did_mount(self) -> None:
        if self.ideas is not None and not self.editing:
            await self.ideas.load()

    async def _introduce(self, idea: IntroIdea) -> None:
        """The one tap, from their page: the intro goes on my note of our latest meeting."""
        me = await self.app.work(self.store.cards.default)
        done = await self.app.attempt(self.store.intros.introduce, idea, me=me.given if me else "")
        if done is not None:
            when = short_date(done.due) if done.due else "with no date"
            self.app.toast(f"{idea.line}: noted, with a follow-up {when}; the two messages wait in Follow-ups.")
            self.app.refresh()

    # -- tags -----------------------------------------------------------------------------------------------
    def _tags(self, contact: Contact) -> ft.Control:
        self.new_tag = ft.TextField(label="Add a tag", on_submit=self._add_tag, dense=True, expand=True,
                                    hint_text="e.g. investor, Berlin")
        chips: list[ft.Control] = [ft.Chip(label=ft.Text(tag), on_delete=self.app.on(self._remove_tag, tag),
                         delete_icon_tooltip=f"Remove tag {tag}",
                         delete_icon_size_constraints=ft.BoxConstraints(min_width=TOUCH, min_height=TOUCH))
                 for tag in contact.tags]
        return ft.Column([ft.Row(chips, wrap=True, spacing=6), ft.Row([self.new_tag])], spacing=6)

    async def _add_tag(self, e: Any) -> None:
        tags = [t.strip() for t in (self.new_tag.value or "").split(",") if t.strip()]  # "investor, Berlin": two
        if tags:
            await self.app.attempt(self.store.people.set_tags, self.contact_id, [*self.contact.tags, *tags])
            self.app.refresh()

    async def _remove_tag(self, tag: str) -> None:
        await self.app.attempt(self.store.people.set_tags, self.contact_id, [t for t in self.contact.tags if t != tag])
        self.app.refresh()

    # -- delete with undo, merge ---------------------------------------------------------------------------------
    async def _delete(self, e: Any) -> None:
        deleted = await self.app.attempt(self.store.people.delete, self.contact_id)
        if deleted is None:
            return

        async def undo(ev: Any) -> None:
            await self.app.attempt(self.store.people.undo_delete, deleted)
            self.app.go(f"/person/{deleted.contact.id}")

        self.app.go("/people")
        self.app.toast(f"Deleted {deleted.contact.display_name}.", action="Undo",
                       on_action=lambda ev: self.app.page.run_task(undo, ev))

    def _merge(self, e: Any) -> None:
        """Pick the other record of the same person; this one is kept, nothing is lost."""
        dialog: ft.AlertDialog  # made below; the handlers defined first close over it
        query = ft.TextField(label="Find the other record", autofocus=True)
        results = ft.Column(spacing=0, scroll=ft.ScrollMode.AUTO, height=260)

        def fill(text: str) -> None:
            found = [c for c in self.store.people.all(query=text, limit=20) if c.id != self.contact_id]
            results.controls = [ft.ListTile(title=ft.Text(c.display_name),
                                            subtitle=ft.Text(", ".join(c.emails[:1] + [c.organization]).strip(", ")),
                                            on_click=lambda ev, c=c: self.app.page.run_task(confirm, c))
                                for c in found] or [muted("No one else matches.")]

        def on_type(ev: Any) -> None:
            fill(query.value or "")

        async def confirm(other: Contact) -> None:
            """Second step: say what merging does and which record (name, details) stays first."""
            keep = ft.RadioGroup(value=self.contact_id, content=ft.Column([
                ft.Radio(value=self.contact_id, label=f"Keep {self.contact.display_name}"),
                ft.Radio(value=other.id, label=f"Keep {other.display_name}"),
            ], spacing=0))
            dialog.title = ft.Text(f"Merge {self.contact.display_name} and {other.display_name}?")
            dialog.content = ft.Column([
                muted("Every meeting, note, follow-up and tag of both stays. Where the two cards differ, the one "
                      "you keep wins and the other's details go to its history."),
                keep,
            ], tight=True, width=420)
            dialog.actions = [ft.TextButton("Cancel", on_click=lambda ev: self.app.close_dialog(dialog)),
                              primary("Merge", lambda ev: self.app.page.run_task(merge, other, keep.value))]
            dialog.update()

        async def merge(other: Contact, keep_id: str | None) -> None:
            self.app.close_dialog(dialog)
            kept, gone = (other, self.contact) if keep_id == other.id else (self.contact, other)
            merged = await self.app.attempt(self.store.people.merge, kept.id, gone.id)
            if merged:
                self.app.toast(f"Merged {gone.display_name} into {merged.display_name}: every meeting and note kept.")
                if merged.id == self.contact_id:
                    self.app.refresh()
                else:
                    self.app.go(f"/person/{merged.id}")

        query.on_change = on_type
        fill(self.contact.family or self.contact.given)
        dialog = ft.AlertDialog(title=ft.Text(f"Merge with {self.contact.display_name}"),
                                content=ft.Column([query, results], tight=True, width=420),
                                actions=[ft.TextButton("Cancel", on_click=lambda ev: self.app.close_dialog(dialog))])
        self.app.open_dialog(dialog)

    # -- reaching them safely ----------------------------------------------------------------------------
    def _reach(self, contact: Contact) -> list[ft.Control]:
        rows: list[ft.Control] = []
        for email in contact.emails:
            rows.append(self._action_row(ft.Icons.EMAIL_OUTLINED, email, mailto(email), "Write an email"))
        for phone in contact.phones:
            rows.append(self._action_row(ft.Icons.PHONE_OUTLINED, phone, tel(phone), "Call"))
        for url in contact.urls:
            info = inspect_url(url)
            if info.openable:
                rows.append(self._link_row(info.url, url, info.host, info.warning))
            else:
                rows.append(ft.ListTile(leading=ft.Icon(ft.Icons.LINK_OFF), title=ft.Text(url, size=14),
                                        subtitle=ft.Text(info.warning, size=12, color=ft.Colors.ERROR)))
        return rows or [muted("Their card had no email, phone or link.")]

    def _action_row(self, icon: ft.IconData, shown: str, url: str, verb: str) -> ft.Control:
        if not url:
            return ft.ListTile(leading=ft.Icon(icon), title=ft.Text(shown, size=14))
        return ft.ListTile(leading=ft.Icon(icon), title=ft.Text(shown, size=14), subtitle=ft.Text(verb, size=12),
                           on_click=lambda e: self.app.page.run_task(self._open, url))

    def _link_row(self, url: str, shown: str, host: str, warning: str) -> ft.Control:
        opens = f"Opens {host}" + (f" — {warning}" if warning else "")
        return ft.ListTile(
            leading=ft.Icon(ft.Icons.WARNING_AMBER if warning else ft.Icons.LINK, color=ft.Colors.ERROR if warning else None),
            title=ft.Text(shown, max_lines=2, size=14),
            subtitle=ft.Text(opens, size=12, color=ft.Colors.ERROR if warning else None),
            on_click=lambda e: self._confirm_open(url, host, warning),
        )

    def _confirm_open(self, url: str, host: str, warning: str = "") -> None:
        """A stranger's link is opened only after its real address was shown and confirmed."""
        dialog: ft.AlertDialog  # made below; the handlers defined first close over it

        def go(e: Any) -> None:
            self.app.close_dialog(dialog)
            self.app.page.run_task(self._open, url)

        dialog = ft.AlertDialog(
            title=ft.Text("Open this link?"),
            content=ft.Column([ft.Text(url), muted(f"It goes to {host}."),
                               *([ft.Text(warning, color=ft.Colors.ERROR)] if warning else [])], tight=True),
            actions=[ft.TextButton("Cancel", on_click=lambda e: self.app.close_dialog(dialog)),
                     ft.FilledButton("Open", on_click=go)],
        )
        self.app.open_dialog(dialog)

    async def _open(self, url: str) -> None:
        try:
            await self.app.launcher.launch_url(url)
        except Exception as exc:
            self.app.toast(f"Could not open {url} ({exc}).")

    # -- meetings and notes ----------------------------------------------------------------------------------
    def _meetings(self, contact: Contact) -> list[ft.Control]:
        rows: list[ft.Control] = []
        for meeting in self.store.meetings.of(contact.id):
            where = self._event_name(meeting.event_id) or "No event"
            lines: list[ft.Control] = [ft.Row([ft.Text(where, weight=ft.FontWeight.W_600, expand=True), status_chip(meeting.has_note)]),
                                       muted(local_time(meeting.met_at), size=12)]
            for label, value in (("Needs", meeting.need), ("I can help", meeting.help), ("I promised", meeting.promise)):
                if value:
                    lines.append(ft.Text(spans=[ft.TextSpan(f"{label}: ", ft.TextStyle(weight=ft.FontWeight.W_600)), ft.TextSpan(value)]))
            followup = self.store.followups.for_meeting(meeting.id)
            if followup and not followup.is_done:
                lines.append(muted(f"Follow up by {short_date(followup.due)}" if followup.due
                                   else "Follow up: a promise, no date yet", size=13))
            lines.append(ft.TextButton("Edit note" if meeting.has_note else "Add note", icon=ft.Icons.EDIT_NOTE,
                                       on_click=lambda e, m=meeting: NoteSheet(self.app).ask(m, contact)))
            # the same card as a follow-up's: flush with the text around it, no extra inset
            rows.append(ft.Container(ft.Column(lines, spacing=4), padding=12, border_radius=12,
                                     bgcolor=ft.Colors.SURFACE_CONTAINER_LOW))
        return rows or [muted("No meetings recorded.")]

    @staticmethod
    def _note(contact: Contact) -> list[ft.Control]:
        """The note their card carried, and my notes an import kept as text (an export read on a new device)."""
        if not contact.note.strip():
            return []
        return [section("Notes", ft.Text(contact.note, selectable=True, size=14))]

    def _event_name(self, event_id: str) -> str:
        if not event_id:
            return ""
        try:
            return self.store.events.get(event_id).name
        except NotFoundError:
            return ""

    # -- editing ---------------------------------------------------------------------------------------------------
    def _start_edit(self, e: Any) -> None:
        self.editing = True
        self.app.refresh()

    def _edit_form(self, contact: Contact) -> ft.Control:
        self.form = CardForm(contact, autofocus=False, mine=False)
        return page_body([
            heading(f"Edit {contact.display_name}"),
            *self.form.controls(),
            ft.Row([ft.FilledButton("Save", icon=ft.Icons.SAVE, on_click=self._save),
                    ft.TextButton("Cancel", on_click=self._cancel)]),
        ])

    async def _save(self, e: Any) -> None:
        if not self.form.apply_to(self.contact):
            return
        saved = await self.app.attempt(self.store.people.save, self.contact)
        if saved:
            self.editing = False
            self.app.toast(f"Saved {saved.display_name}.")
            self.app.refresh()

    def _cancel(self, e: Any) -> None:
        self.editing = False
        self.app.refresh()
