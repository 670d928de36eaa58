"""The form for a card's fields, used by onboarding, my cards and editing a contact."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import flet as ft

from ..links import card_problem
from ..models import Card, split_name


class MultiField:
    """Several values of one kind (emails, phones, links): one field each, add another."""

    def __init__(self, label: str, values: list[str], keyboard: ft.KeyboardType, hint: str = "",
                 more: bool = True) -> None:
        self.label, self.keyboard, self.hint = label, keyboard, hint
        self.on_blur: Callable[[Any], Any] | None = None
        self.column = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        for value in values or [""]:
            self._add(value)
        self.add_button = ft.Row([ft.TextButton(f"Add another {label.lower()}", icon=ft.Icons.ADD, visible=more,
                                                on_click=lambda e: self._add(""))], visible=more)
        self.control = ft.Column([self.column, self.add_button], spacing=4,
                                 horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    def _add(self, value: str) -> None:
        index = len(self.column.controls) + 1
        label = self.label if index == 1 else f"{self.label} {index}"
        self.column.controls.append(
            ft.TextField(label=label, value=value, keyboard_type=self.keyboard, hint_text=self.hint if index == 1 else None,
                         on_blur=self._blurred)
        )

    async def _blurred(self, e: Any) -> None:
        """Pass the event on, awaiting the handler when it is a coroutine (Flet awaits only this one)."""
        if self.on_blur is not None:
            result = self.on_blur(e)
            if inspect.isawaitable(result):
                await result

    @property
    def fields(self) -> list[ft.TextField]:
        return list(self.column.controls)  # type: ignore[arg-type]

    def values(self) -> list[str]:
        return [f.value.strip() for f in self.fields if (f.value or "").strip()]


class CardForm:
    """Text fields for every card field, offers and seeking first among the extras.

    ``short`` (onboarding) keeps the form to one screen on a phone: no "add another" buttons, and
    title and organization behind one button.
    """

    def __init__(self, card: Card, *, autofocus: bool = True, mine: bool = True, short: bool = False) -> None:
        self.mine = mine  # my own card: checked as the store checks it, and worded "I"; a contact: "they"
        self.name = ft.TextField(label="Name", value=card.full_name, autofocus=autofocus,
                                 capitalization=ft.TextCapitalization.WORDS)
        lines: dict[str, Any] = {"min_lines": 1 if short else 2, "max_lines": 4, "multiline": True}
        self.offers = ft.TextField(label="I can help with…" if mine else "They can help with…", value=card.offers,
                                   hint_text="e.g. Python mentoring, intros to climate investors", **lines)
        self.seeking = ft.TextField(label="I'm looking for…" if mine else "They are looking for…", value=card.seeking,
                                    hint_text="e.g. a co-founder, feedback on my pitch", **lines)
        self.title = ft.TextField(label="Title", value=card.title, capitalization=ft.TextCapitalization.SENTENCES)
        self.organization = ft.TextField(label="Organization", value=card.organization)
        self.emails = MultiField("Email", card.emails, ft.KeyboardType.EMAIL, more=not short)
        self.phones = MultiField("Phone", card.phones, ft.KeyboardType.PHONE, more=not short)
        self.urls = MultiField("Link", card.urls, ft.KeyboardType.URL, hint="LinkedIn or your site", more=not short)
        self.error = ft.Text("", color=ft.Colors.ERROR, visible=False)
        self.short = short
        self._role = ft.Column([self.title, self.organization], spacing=12,
                               visible=not short or bool(card.title or card.organization))
        self._more = ft.Row([ft.TextButton("Add title and organization", icon=ft.Icons.ADD,
                                           on_click=self._show_role)], visible=not self._role.visible)

    def controls(self) -> list[ft.Control]:
        if self.short:  # ways to reach me before the extras: a card must reach someone
            return [self.name, self.emails.control, self.phones.control, self.urls.control,
                    self.offers, self.seeking, self._role, self._more, self.error]
        return [
            self.name, self.offers, self.seeking, self.title, self.organization,
            self.emails.control, self.phones.control, self.urls.control, self.error,
        ]

    def _show_role(self, e: Any) -> None:
        self._role.visible, self._more.visible = True, False

    def on_blur(self, handler: Callable[[Any], Any]) -> None:
        """Call ``handler`` whenever a field is left (e.g. to say what the QR code leaves out)."""
        for f in (self.name, self.offers, self.seeking, self.title, self.organization):
            f.on_blur = handler
        for multi in (self.emails, self.phones, self.urls):
            multi.on_blur = handler

    def fill(self, card: Card) -> Card:
        """Copy the fields into ``card`` as typed, unchecked (a preview); returns it."""
        name = (self.name.value or "").strip()
        card.given, card.family = split_name(name)
        card.formatted = name
        card.title = (self.title.value or "").strip()
        card.organization = (self.organization.value or "").strip()
        card.offers = (self.offers.value or "").strip()
        card.seeking = (self.seeking.value or "").strip()
        card.emails, card.phones, card.urls = self.emails.values(), self.phones.values(), self.urls.values()
        return card

    def apply_to(self, card: Card) -> bool:
        """Copy the fields into ``card``; False when a field is wrong: that field is marked with the
        sentence, which also shows by the button (where the person is looking)."""
        name = (self.name.value or "").strip()
        emails, phones, urls = self.emails.values(), self.phones.values(), self.urls.values()
        problem = card_problem(name, emails, phones, urls, require_reach=True) \
            if self.mine else ("" if name else "A contact needs a name.")
        for f in (self.name, *self.emails.fields, *self.phones.fields, *self.urls.fields):
            f.error = None
        if problem:
            self.error.value, self.error.visible = problem, True
            self._mark(problem, name)
            return False
        self.error.visible = False
        self.fill(card)
        return True

    def _mark(self, problem: str, name: str) -> None:
        """Put the sentence on the field it is about (the name, a value quoted in it, else the first email)."""
        if not name:
            self.name.error = problem
            return
        for f in (*self.emails.fields, *self.phones.fields, *self.urls.fields):
            if (f.value or "").strip() and f"“{(f.value or '').strip()}”" in problem:
                f.error = problem
                return
        self.emails.fields[0].error = problem
