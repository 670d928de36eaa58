"""The first stage of the sheet after a scan: the card as read, before anything is saved.

A card without a name of its own (a link, a pasted line) gets a Name field, filled with
a suggestion when there is one (a LinkedIn address's slug: offered, never an identity),
and a line to remember them by. When the card may be someone already known but shares
no email, phone or UID with them (the same name; an office phone under another name),
the sheet asks: "Same person as Maria Garcia, met at PyCon?", showing what each record
holds, with "Same person" and "Someone else". Nothing is merged on a name unasked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import flet as ft

from ..card_fields import clean_card
from ..errors import NotFoundError
from ..matching import holdings
from ..models import Card, Contact
from ..payload import ParsedPayload
from ..store import Identity, PossibleMatch, ScanResult, Store
from .widgets import card_summary, isolated, muted, primary, short_date

if TYPE_CHECKING:
    from .screens.base import Shell

NAMED_KINDS = frozenset({"url", "text", "email", "phone"})  # payloads whose name, if any, Mutual guessed


@dataclass(frozen=True)
class Question:
    """"Same person as …?" about one possible match: who, where I met them, why it is asked."""

    match: PossibleMatch
    others: list[str]  # the ids of every possible match ("Someone else" says none of them)
    title: str
    reason: str


def met_where(store: Store, contact: Contact) -> str:
    """", met at PyCon" / ", met on Fri 27 Nov" / "": where I last met someone, for the question."""
    meetings = store.meetings.of(contact.id)
    if not meetings:
        return ""
    latest = meetings[0]
    if latest.event_id:
        with contextlib.suppress(NotFoundError):
            return f", met at {isolated(store.events.get(latest.event_id).name)}"
    return f", met on {short_date(latest.met_at)}"


def question_for(store: Store, identity: Identity) -> Question | None:
    """The question to ask for a card's identity, or None (new, or known on a strong key)."""
    if identity.known is not None or not identity.possible:
        return None
    first = identity.possible[0]
    title = f"Same person as {first.contact.display_name}{met_where(store, first.contact)}?"
    more = len(identity.possible) - 1
    reason = first.reason[0].upper() + first.reason[1:] + "."
    if more:
        reason += f" ({more} other{'s' if more > 1 else ''} may be them too: “Someone else” says none is.)"
    return Question(first, [m.contact.id for m in identity.possible], title, reason)


class CardReview:
    """Builds stage one into the sheet's body; ``on_saved(result)`` moves the sheet to the note."""

    def __init__(self, app: Shell, body: ft.Column, parsed: ParsedPayload,
                 on_saved: Callable[[ScanResult], None], on_discard: Callable[[Any], None]) -> None:
        self.app, self.body, self.parsed = app, body, parsed
        self.on_saved, self.on_discard = on_saved, on_discard
        self.question: Question | None = None
        card = parsed.card
        self.name: ft.TextField | None = None
        self.line: ft.TextField | None = None
        if not card.full_name or parsed.kind in NAMED_KINDS:
            guessed = parsed.suggested_name and not card.full_name
            self.name = ft.TextField(
                label="Name", value=card.full_name or parsed.suggested_name, autofocus=not card.full_name,
                helper="Guessed from the link: check it" if guessed else None, on_submit=self._save,
                on_blur=lambda e: self.app.page.run_task(self.identify),  # another name: maybe another question
            )
            self.line = ft.TextField(label="A line to remember them by (optional)", value="",
                                     hint_text="e.g. met at the coffee queue, works on payments")
        self.known = muted("", size=13, visible=False)
        self.asked = ft.Column(spacing=8, visible=False)
        self.actions = ft.Row(self._save_actions(), wrap=True)

    def controls(self) -> list[ft.Control]:
        summary = card_summary(self.parsed.card)
        fields = [c for c in (self.name, self.line) if c is not None]
        if self.name is not None:
            summary.controls = summary.controls[1:]  # the Name field says who they are
        read = [muted(f"Read {self.parsed.summary}")]
        if self.parsed.cards > 1:  # a pasted file of contacts: one card is saved here, Import takes them all
            read.append(muted(f"To add all {self.parsed.cards}, save them as a .vcf file and use Import in Your data."))
        return [*read, *fields, summary, self.known, self.asked, self.actions]

    def _save_actions(self) -> list[ft.Control]:
        return [primary("Save contact", self._save, icon=ft.Icons.PERSON_ADD_ALT_1, autofocus=self.name is None),
                ft.TextButton("Discard", on_click=self.on_discard)]

    # -- who they are ------------------------------------------------------------------------------------
    async def identify(self) -> None:
        """Off the loop: are they known (say so), or possibly someone known (ask)?"""
        store = self.app.store

        def look() -> tuple[Identity, Question | None]:
            identity = store.people.identify(self.card())
            return identity, question_for(store, identity)

        identity, self.question = await self.app.work(look)
        self.known.visible = self.asked.visible = False
        self.actions.controls = self._save_actions()
        if identity.known is not None:
            self.known.value = (f"Already in your contacts as {identity.known.display_name}: saving adds this "
                                "meeting and keeps their history.")
            self.known.visible = True
        elif self.question is not None:
            self._ask(self.question)
        with contextlib.suppress(RuntimeError):  # the sheet may be closed already
            self.body.update()

    def _ask(self, question: Question) -> None:
        """Same person / Someone else, with what each record holds."""
        theirs = question.match.contact
        self.asked.controls = [
            ft.Text(question.title, size=17, weight=ft.FontWeight.W_600),
            muted(question.reason, size=13),
            ft.Row([self._holding("This card", holdings(self.card())),
                    self._holding("In your contacts", holdings(theirs))],
                   vertical_alignment=ft.CrossAxisAlignment.START, wrap=True, spacing=16, run_spacing=8),
        ]
        self.asked.visible = True
        self.actions.controls = [
            primary("Same person", self._same, icon=ft.Icons.MERGE),
            ft.OutlinedButton("Someone else", icon=ft.Icons.PERSON_ADD_ALT_1, on_click=self._someone_else),
            ft.TextButton("Discard", on_click=self.on_discard),
        ]

    @staticmethod
    def _holding(title: str, items: list[str]) -> ft.Container:
        lines: list[ft.Control] = [ft.Text(title, size=13, weight=ft.FontWeight.W_600)]
        lines += [ft.Text(item, size=13) for item in items]
        return ft.Container(ft.Column(lines, spacing=2, tight=True), width=160)  # two side by side on a phone

    # -- saving ----------------------------------------------------------------------------------------------
    def card(self) -> Card:
        """The card as it will be saved: with the typed name and line."""
        fields = self.parsed.card.card_fields()
        if self.name is not None:
            typed = " ".join((self.name.value or "").split())
            if typed != self.parsed.card.full_name:
                fields.update(given="", family="", formatted=typed)
        line = " ".join((self.line.value or "").split()) if self.line is not None else ""
        if line:
            fields["note"] = "\n".join(p for p in (line, fields["note"]) if p)
        return clean_card(Card(**fields))

    async def _save(self, e: ft.Event[Any]) -> None:
        await self._record(e, {})

    async def _same(self, e: ft.Event[Any]) -> None:
        assert self.question is not None
        await self._record(e, {"same_as": self.question.match.contact.id})

    async def _someone_else(self, e: ft.Event[Any]) -> None:
        assert self.question is not None
        await self._record(e, {"not_same_as": self.question.others})

    async def _record(self, e: ft.Event[Any], how: dict[str, Any]) -> None:
        for control in self.actions.controls:
            control.disabled = True
        with contextlib.suppress(RuntimeError):
            self.actions.update()
        result: ScanResult | None = await self.app.attempt(self.app.store.people.record_scan, self.card(), **how)
        if result is None:
            for control in self.actions.controls:
                control.disabled = False
            with contextlib.suppress(RuntimeError):
                self.actions.update()
            return
        self.on_saved(result)
