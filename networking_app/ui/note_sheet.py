"""The sheet after a scan: what was read, then "How can I help them?".

Stage one shows the card before anything is saved. Saving it turns the same
sheet into the three-field note with a one-tap follow-up, and "You could introduce
them to…" (:mod:`.intro_ideas`) where someone I know fits; "Later" keeps the
meeting marked as missing its note (it shows up in the notes inbox).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import flet as ft

from ..errors import NotFoundError
from ..followups import due_in
from ..models import Card, Meeting
from ..payload import ParsedPayload
from ..store import ScanResult
from .card_review import CardReview
from .intro_ideas import IntroIdeas
from .screens.base import Shell
from .widgets import give_and_take, isolated, muted, primary, short_date

if TYPE_CHECKING:
    from ..intros import IntroIdea  # the package loads a stemmer (~0.25 s): not before the first paint

FOLLOW_UPS = [("1", "Tomorrow"), ("3", "In 3 days"), ("7", "Next week")]
NO_DATE = "none"
KEEP_CHOICE = "keep"  # offered (and chosen) when the meeting already has an open follow-up


def follow_up_date(choice: str, today: date) -> date | None:
    return None if choice in (NO_DATE, KEEP_CHOICE) else due_in(int(choice), today)


class NoteSheet:
    """One bottom sheet, two stages (review the card, then write the note)."""

    def __init__(self, app: Shell, on_done: Callable[[str], Any] | None = None,
                 on_saved: Callable[[ScanResult], Any] | None = None) -> None:
        self.app = app
        self.on_done = on_done
        self.on_saved = on_saved  # the contact and meeting are stored (the screen behind may count them)
        self.body = ft.Column(spacing=12, tight=True, scroll=ft.ScrollMode.AUTO, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.sheet = ft.BottomSheet(
            ft.Container(self.body, padding=ft.Padding.only(left=20, right=20, top=8, bottom=20)),
            scrollable=True, show_drag_handle=True, on_dismiss=self._dismissed,
        )
        self.meeting: Meeting | None = None
        self.card: Card | None = None
        self.ideas: IntroIdeas | None = None
        self._asked: tuple[ScanResult | None, str] = (None, "")  # what ask() was told: asked again after an intro
        self._finished = False
        self._completed = False
        self._message = ""
        self.outcome = "dismissed"  # saved | later | dismissed: how the sheet was left

    # -- stage one: review ----------------------------------------------------------------------------
    def review(self, parsed: ParsedPayload) -> None:
        """Show what was read (card_review.CardReview); nothing is saved until the person says so."""
        self.card = parsed.card
        review = CardReview(self.app, self.body, parsed, on_saved=self._saved, on_discard=self._discard)
        self.body.controls = review.controls()
        self.app.open_dialog(self.sheet)
        self.app.page.run_task(review.identify)

    def _saved(self, result: ScanResult) -> None:
        if self.on_saved:
            self.on_saved(result)  # the screen behind counts them now, not when the sheet closes
        self.ask(result.meeting, result.contact, saved=result)

    def _discard(self, e: ft.Event[Any]) -> None:
        self._finished = True
        self.app.close_dialog(self.sheet)
        self.app.toast("Discarded; nothing was saved.")

    # -- stage two: the note -------------------------------------------------------------------------
    def ask(self, meeting: Meeting, card: Card, saved: ScanResult | None = None, progress: str = "") -> None:
        """Ask "How can I help them?" for a meeting (just saved, or from the notes inbox)."""
        self.meeting, self.card = meeting, card
        self._asked = (saved, progress)
        self.need = ft.TextField(label="What they need", value=meeting.need, multiline=True, max_lines=3, autofocus=True,
                                 on_blur=self._need_typed)
        if self.ideas is None or self.ideas.contact_id != meeting.contact_id:
            self.ideas = IntroIdeas(self.app, meeting.contact_id, self._introduce)
        self._ideas_need = meeting.need
        self.help = ft.TextField(label="How I can help", value=meeting.help, multiline=True, max_lines=3)
        self.promise = ft.TextField(label="What I promised", value=meeting.promise, multiline=True, max_lines=3)
        self.follow_up = self._follow_up_choice(meeting)
        header: list[ft.Control] = [ft.Text("How can I help them?", size=22, weight=ft.FontWeight.W_600)]
        if progress:
            header.insert(0, muted(progress, size=12))
        header.append(self._who(meeting, card))
        header += [muted(line, size=13) for line in self._saved_lines(saved)]
        self.body.controls = [
            *header,
            *(give_and_take(card) or [muted("Their card says nothing about what they offer or seek: ask them!", size=13)]),
            *self._take_their_need(card, meeting),
            self.need, self.ideas.control, self.help, self.promise,
            ft.Text("Follow up", weight=ft.FontWeight.W_500),
            self.follow_up,
            muted("A promise waits in Follow-ups, with a date or without.", size=12),
            ft.Row([primary("Save note", self._save_note, icon=ft.Icons.CHECK),
                    ft.TextButton("Later", on_click=self._later)], wrap=True),
        ]
        if not self.sheet.open:
            self.app.open_dialog(self.sheet)
        else:
            self.sheet.update()
        self.app.page.run_task(self.ideas.load, meeting.need)

    # -- "You could introduce them to…" ----------------------------------------------------------------
    async def _need_typed(self, e: Any) -> None:
        """What they need, as typed, may fit someone I know: ask again when the field is left."""
        need = self.need.value or ""
        if self.ideas is not None and need.strip() != self._ideas_need.strip():
            self._ideas_need = need
            await self.ideas.load(need)

    async def _introduce(self, idea: IntroIdea) -> None:
        """The one tap: the intro and the promise join the note as typed, with a follow-up; saved now."""
        assert self.meeting is not None and self.card is not None and self.ideas is not None
        store = self.app.store
        note: dict[str, Any] = dict(need=self.need.value or "", help=self.help.value or "",
                                    promise=self.promise.value or "")
        choice = self.follow_up.value or NO_DATE
        if choice not in (KEEP_CHOICE, NO_DATE):  # a date chosen here wins; else tomorrow, or the open one kept
            note["follow_up"] = follow_up_date(choice, store.today())
        me = await self.app.work(store.cards.default)
        done = await self.app.attempt(store.intros.introduce, idea, meeting_id=self.meeting.id,
                                      me=me.given if me else "", **note)
        if done is None:
            return
        when = short_date(done.due) if done.due else "with no date"
        self.ideas.introduced(idea, when)
        self.app.toast(f"{idea.line}: noted, with a follow-up {when}.")
        self.ask(done.meeting, self.card, *self._asked)  # the fields show the note as saved

    def _who(self, meeting: Meeting, card: Card) -> ft.Control:
        """Their name, what they do and where we met: what jogs the memory hours later."""
        role = ", ".join(p for p in (card.title, card.organization) if p)
        where = f"met {short_date(meeting.met_at)}" if meeting.met_at else ""
        if meeting.event_id:
            try:
                where = f"met at {isolated(self.app.store.events.get(meeting.event_id).name)}, {short_date(meeting.met_at)}"
            except NotFoundError:  # the event was deleted on another device
                pass
        details = " · ".join(p for p in (role, where) if p)
        return ft.Column([ft.Text(card.display_name, size=17, weight=ft.FontWeight.W_600),
                          *([muted(details, size=13)] if details else [])], spacing=0)

    def _take_their_need(self, card: Card, meeting: Meeting) -> list[ft.Control]:
        """Their card's "Looking for", one tap away from "What they need"."""
        if not card.seeking or meeting.need:
            return []

        def take(e: ft.Event[Any]) -> None:
            self.need.value = card.seeking
            e.control.visible = False
            self.app.page.run_task(self._need_typed, e)  # someone I know may fit it

        return [ft.Row([ft.TextButton("Use “Looking for” as what they need", icon=ft.Icons.ARROW_DOWNWARD,
                                      on_click=take)])]

    def _follow_up_choice(self, meeting: Meeting) -> ft.RadioGroup:
        """One choice per line, each with the date it means: labels never collide on a phone.

        A radio group, not a SegmentedButton: once the client changes a SegmentedButton's
        list-valued `selected`, Flet 1.0.5 later sends a list patch the client rejects (the
        sheet then never closes). A radio group's value is a plain string, and one choice
        among several is what it means to a screen reader too.
        """
        today = self.app.store.today()
        current = self.app.store.followups.for_meeting(meeting.id)
        is_open = current is not None and not current.is_done
        choices = [(v, f"{t} · {short_date(due_in(int(v), today).isoformat())}") for v, t in FOLLOW_UPS]
        choices.append((NO_DATE, "No date"))
        if is_open and current:  # an open follow-up is kept unless another choice is made
            choices.insert(0, (KEEP_CHOICE, f"Keep {short_date(current.due)}" if current.due else "Keep, with no date"))
        return ft.RadioGroup(value=KEEP_CHOICE if is_open else NO_DATE,
                             content=ft.Column([ft.Radio(value=v, label=t) for v, t in choices], spacing=0))

    @staticmethod
    def _saved_lines(saved: ScanResult | None) -> list[str]:
        """What saving the scan did, said once (a re-scan names what changed on their card)."""
        if saved is None:
            return []
        if saved.is_new_contact:
            return ["Saved to your contacts."]
        said = "Already in your contacts: this meeting was added." if saved.is_new_meeting \
            else "You already met them here: no second meeting was added."
        if not saved.changes:
            return [said, "Their card is the same as before."]
        return [said, "Their card changed: " + "; ".join(c.describe() for c in saved.changes[:3]) + "."]

    def _note(self) -> dict[str, Any]:
        """The note as the sheet holds it now, as ``save_note`` takes it."""
        choice = self.follow_up.value or "none"
        note: dict[str, Any] = dict(need=self.need.value or "", help=self.help.value or "", promise=self.promise.value or "")
        if choice != KEEP_CHOICE:
            # None takes an open follow-up's date away: gone, or undated if there is a promise
            note["follow_up"] = follow_up_date(choice, self.app.store.today())
        return note

    def _typed(self) -> bool:
        """Whether the note's text differs from what is saved: closing the sheet must not lose it."""
        assert self.meeting is not None
        return any((getattr(self, name).value or "").strip() != getattr(self.meeting, name).strip()
                   for name in ("need", "help", "promise"))

    async def _save_note(self, e: ft.Event[Any]) -> None:
        assert self.meeting is not None
        saved = await self.app.attempt(self.app.store.meetings.save_note, self.meeting.id, **self._note())
        if saved is not None:
            self._finish(f"Note saved{await self._when(saved)}.", "saved")

    async def _when(self, saved: Meeting) -> str:
        followup = await self.app.work(self.app.store.followups.for_meeting, saved.id)
        if followup and not followup.is_done:
            return f" · follow up {short_date(followup.due)}" if followup.due else " · your promise waits in Follow-ups"
        return ""

    async def _save_on_close(self) -> None:
        """The sheet was closed (Back, a tap outside, a swipe) with a note typed: it is saved as typed."""
        assert self.meeting is not None
        self.outcome, self._finished = "saved", True
        saved = await self.app.attempt(self.app.store.meetings.save_note, self.meeting.id, **self._note())
        if saved is not None:
            self._message = f"Your note was saved as typed{await self._when(saved)}."
        self._done()

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
        if not self._finished and self.meeting is not None and self._typed():
            self.app.page.run_task(self._save_on_close)
            return
        if not self._finished and self.meeting is not None:
            self._message = self._unsaved_message()
        if self.meeting is not None:
            self._done()
        elif not self._finished:  # closed while reviewing the card: as "Discard" does, say so
            self.app.toast("Closed; the card was not saved.")

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
