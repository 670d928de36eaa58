"""The form for a card's fields, used by onboarding, my cards and editing a contact."""

from __future__ import annotations

import flet as ft

from ..links import card_problem
from ..models import Card, split_name


class MultiField:
    """Several values of one kind (emails, phones, links): one field each, add another."""

    def __init__(self, label: str, values: list[str], keyboard: ft.KeyboardType, hint: str = "") -> None:
        self.label, self.keyboard, self.hint = label, keyboard, hint
        self.column = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        for value in values or [""]:
            self._add(value)
        self.add_button = ft.Row([ft.TextButton(f"Add another {label.lower()}", icon=ft.Icons.ADD,
                                                on_click=lambda e: self._add(""))])
        self.control = ft.Column([self.column, self.add_button], spacing=4,
                                 horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    def _add(self, value: str) -> None:
        index = len(self.column.controls) + 1
        label = self.label if index == 1 else f"{self.label} {index}"
        self.column.controls.append(
            ft.TextField(label=label, value=value, keyboard_type=self.keyboard, hint_text=self.hint if index == 1 else None)
        )

    def values(self) -> list[str]:
        return [f.value.strip() for f in self.column.controls if (f.value or "").strip()]  # type: ignore[union-attr]


class CardForm:
    """Text fields for every card field, offers and seeking first among the extras."""

    def __init__(self, card: Card, *, autofocus: bool = True, mine: bool = True) -> None:
        self.mine = mine  # my own card: checked as the store checks it, and worded "I"; a contact: "they"
        self.name = ft.TextField(label="Name", value=card.full_name, autofocus=autofocus,
                                 capitalization=ft.TextCapitalization.WORDS)
        self.offers = ft.TextField(label="I can help with…" if mine else "They can help with…", value=card.offers,
                                   multiline=True, min_lines=2, max_lines=4,
                                   hint_text="e.g. Python mentoring, intros to climate investors")
        self.seeking = ft.TextField(label="I'm looking for…" if mine else "They are looking for…", value=card.seeking,
                                    multiline=True, min_lines=2, max_lines=4,
                                    hint_text="e.g. a co-founder, feedback on my pitch")
        self.title = ft.TextField(label="Title", value=card.title, capitalization=ft.TextCapitalization.SENTENCES)
        self.organization = ft.TextField(label="Organization", value=card.organization)
        self.emails = MultiField("Email", card.emails, ft.KeyboardType.EMAIL)
        self.phones = MultiField("Phone", card.phones, ft.KeyboardType.PHONE)
        self.urls = MultiField("Link", card.urls, ft.KeyboardType.URL, hint="LinkedIn or your site")
        self.error = ft.Text("", color=ft.Colors.ERROR, visible=False)

    def controls(self) -> list[ft.Control]:
        return [
            self.name, self.offers, self.seeking, self.title, self.organization,
            self.emails.control, self.phones.control, self.urls.control, self.error,
        ]

    def apply_to(self, card: Card) -> bool:
        """Copy the fields into ``card``; False (with a message shown) when the name is missing
        or an email address is not one."""
        name = (self.name.value or "").strip()
        problem = card_problem(name, self.emails.values(), self.phones.values(), self.urls.values()) \
            if self.mine else ("" if name else "A contact needs a name.")
        if problem:
            self.error.value, self.error.visible = problem, True
            return False
        self.error.visible = False
        card.given, card.family = split_name(name)
        card.formatted = name
        card.title = (self.title.value or "").strip()
        card.organization = (self.organization.value or "").strip()
        card.offers = (self.offers.value or "").strip()
        card.seeking = (self.seeking.value or "").strip()
        card.emails, card.phones, card.urls = self.emails.values(), self.phones.values(), self.urls.values()
        return True
