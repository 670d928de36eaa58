"""The sheet after a scan: what was read, then "How can I help them?".

Stage one shows the card before anything is saved. Saving it turns the same
sheet into the three-field note with a one-tap follow-up; "Later" keeps the
meeting marked as missing its note (it shows up in the notes inbox).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import flet as ft

from ..models import Card, Meeting
from ..payload import ParsedPayload
from ..store import ScanResult
from .card_review import CardReview
from .screens.base import Shell
from .widgets import give_and_take, muted, primary, short_date

FOLLOW_UPS = [("1", "Tomorrow"), ("3", "In 3 days"), ("7", "Next week"), ("none", "None")]
KEEP_CHOICE = "keep"  # offered (and chosen) when the meeting already has an open follow-up


def follow_up_date(choice: str, today: date) -> date | None:
    return None if choice == "none" else today + timedelta(days=int(choice))


class NoteSheet:
    """One bottom sheet, two stages (review the card, then write the note)."""

    def __init__(self, app: Shell, on_done: Callable[[str], Any] | None = None) -> None:
        self.app = app
        self.on_done = on_done
        self.body = ft.Column(spacing=12, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.sheet = ft.BottomSheet(
            ft.Container(self.body, padding=ft.Padding.only(left=20, right=20, top=8, bottom=20)),
            scrollable=True, show_drag_handle=True, on_dismiss=self._dismissed,
        )
        self.meeting: Meeting | None = None
        self.card: Card | None = None
        self._finished = False
        self._completed = False
        self._message = ""
        self.outcome = "dismissed"  # saved | later | dismissed: how the sheet was left

    # -- stage one: review ----------------------------------------------------------------------------
    def review(self, parsed: ParsedPayload) -> None:
        """Show what was read (card_review.CardReview); nothing is saved until the person says so."""
        self.card = parsed.card
        review = CardReview(self.app, self.body, parsed,
                            on_saved=lambda result: self.ask(result.meeting, result.contact, saved=result),
                            on_discard=self._discard)
        self.body.controls = review.controls()
        self.app.open_dialog(self.sheet)
        self.app.page.run_task(review.identify)

    def _discard(self, e: ft.Event[Any]) -> None:
        self._finished = True
        self.app.close_dialog(self.sheet)
        self.app.toast("Discarded; nothing was saved.")

    # -- stage two: the note -------------------------------------------------------------------------
    def ask(self, meeting: Meeting, card: Card, saved: ScanResult | None = None, progress: str = "") -> None:
        """Ask "How can I help them?" for a meeting (just saved, or from the notes inbox)."""
        self.meeting, self.card = meeting, card
        self.need = ft.TextField(label="What they need", value=meeting.need, multiline=True, max_lines=3, autofocus=True)
        self.help = ft.TextField(label="How I can help", value=meeting.help, multiline=True, max_lines=3)
        self.promise = ft.TextField(label="What I promised", value=meeting.promise, multiline=True, max_lines=3)
        current = self.app.store.followups.for_meeting(meeting.id)
        # A radio group, not a SegmentedButton: once the client changes a SegmentedButton's
        # list-valued `selected`, Flet 1.0.5 later sends a list patch the client rejects (the
        # sheet then never closes). A radio group's value is a plain string, and one choice
        # among several is what it means to a screen reader too.
        is_open = current is not None and not current.is_done
        # an open follow-up is kept unless another choice is made: saving a note never drops a reminder
        choices = ([(KEEP_CHOICE, f"Keep {short_date(current.due)}")] if is_open and current else []) + FOLLOW_UPS
        self.follow_up = ft.RadioGroup(
            value=KEEP_CHOICE if is_open else "none",
            # fixed-width cells: a Radio with a label takes the whole row otherwise
            content=ft.Row([ft.Container(ft.Radio(value=v, label=t), width=140) for v, t in choices], wrap=True, spacing=0),
        )
        header: list[ft.Control] = [ft.Text("How can I help them?", size=22, weight=ft.FontWeight.W_600)]
        if progress:
            header.insert(0, muted(progress, size=12))
        header.append(muted(self._saved_line(card, saved)))
        if saved and saved.changes:
            header.append(muted("Updated: " + "; ".join(c.describe() for c in saved.changes[:3]), size=12))
        self.body.controls = [
            *header,
            *(give_and_take(card) or [muted("Their card says nothing about what they offer or seek: ask them!", size=13)]),
            self.need, self.help, self.promise,
            ft.Text("Follow up", weight=ft.FontWeight.W_500),
            self.follow_up,
            ft.Row([primary("Save note", self._save_note, icon=ft.Icons.CHECK), ft.TextButton("Later", on_click=self._later)], wrap=True),
        ]
        if not self.sheet.open:
            self.app.open_dialog(self.sheet)
        else:
            self.sheet.update()

    @staticmethod
    def _saved_line(card: Card, saved: ScanResult | None) -> str:
        if saved is None:
            return f"Your note on {card.display_name}."
        if saved.is_new_contact:
            return f"Saved {card.display_name}."
        if saved.is_new_meeting:
            return f"{card.display_name} was already in your contacts; this meeting was added."
        return f"You already met {card.display_name} here; their card is up to date."

    async def _save_note(self, e: ft.Event[Any]) -> None:
        assert self.meeting is not None
        choice = self.follow_up.value or "none"
        kwargs: dict[str, Any] = dict(need=self.need.value or "", help=self.help.value or "", promise=self.promise.value or "")
        due = None
        if choice != KEEP_CHOICE:
            due = follow_up_date(choice, self.app.store.today())
            kwargs["follow_up"] = due  # None removes an open follow-up: the person chose "None"
        saved = await self.app.attempt(self.app.store.meetings.save_note, self.meeting.id, **kwargs)
        if saved is not None:
            when = f" · follow up {short_date(due.isoformat())}" if due else ""
            self._finish(f"Note saved{when}.", "saved")

    def _later(self, e: ft.Event[Any]) -> None:
        self._finish(self._unsaved_message(), "later")

    def _unsaved_message(self) -> str:
        """What closing without "Save note" did: nothing, or left the meeting in the notes inbox."""
        if self.meeting is not None and self.meeting.has_note:
            return "Closed; your earlier note is unchanged."
        return "Saved without a note: it waits in your notes inbox (Reflect)."

    def _finish(self, message: str, outcome: str) -> None:
        """Close the sheet; the screen behind is refreshed once the client has closed it."""
        self.outcome = outcome
        self._finished = True
        self._message = message
        self.app.close_dialog(self.sheet)
        self.app.page.run_task(self._refresh_if_not_dismissed)

    async def _refresh_if_not_dismissed(self) -> None:
        await asyncio.sleep(1.5)  # normally on_dismiss comes first; this is the safety net
        self._done()

    def _dismissed(self, e: Any) -> None:
        if not self._finished and self.meeting is not None:
            self._message = self._unsaved_message()
        if self.meeting is not None:
            self._done()

    def _done(self) -> None:
        if self._completed:
            return
        self._completed = True
        if self._message:
            self.app.toast(self._message)
        if self.on_done:
            self.on_done(self.outcome)
        else:
            self.app.refresh()
