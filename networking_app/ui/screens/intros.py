"""Introductions: pairs of my contacts where one's need meets another's offer, and the drafts I made."""

from __future__ import annotations

import contextlib
from typing import Any

import flet as ft

from ...errors import NotFoundError
from ...intros import Suggestion, explain
from ...models import Intro
from ..widgets import destructive, empty_state, heading, muted, page_body, section
from .base import Screen


class IntrosScreen(Screen):
    title = "Introductions"
    route = "/intros"
    nav_route = "/people"
    back_route = "/people"

    def build(self) -> ft.Control:
        self.suggestions = ft.Column([ft.Row([ft.ProgressRing(width=20, height=20), muted("Looking for matches…")])])
        self.drafts = ft.Column(self._draft_cards(self.store.intros.drafts()))
        return page_body([
            heading("Who should meet?"),
            muted("Computed on this device from what people offer and seek, and from your notes on what they "
                  "need. Nothing is sent: you get two drafts asking each person first."),
            section("Suggestions", self.suggestions),
            section("Drafted introductions", self.drafts),
        ])

    async def did_mount(self) -> None:
        await self._load()

    async def _load(self) -> None:
        suggestions = await self.app.work(self.store.intros.suggest, limit=30)
        profiles = {p.id: p for p in await self.app.work(self.store.intros.profiles)}
        self.suggestions.controls = [self._suggestion_card(s, profiles) for s in suggestions] or [
            empty_state(ft.Icons.HANDSHAKE_OUTLINED, "No matches yet",
                        "Suggestions appear when one person's need meets another's offer.")]
        with contextlib.suppress(RuntimeError):
            self.suggestions.update()

    def _suggestion_card(self, suggestion: Suggestion, profiles: dict[str, Any]) -> ft.Control:
        seeker, helper = profiles[suggestion.seeker_id], profiles[suggestion.helper_id]
        title = f"{seeker.name} & {helper.name}" + (" · each can help the other" if suggestion.mutual else "")
        return ft.Card(ft.Container(ft.Column([
            ft.Text(title, weight=ft.FontWeight.W_600),
            ft.Text(explain(suggestion, profiles), size=13),
            ft.Row([
                ft.FilledButton("Draft intro", icon=ft.Icons.EDIT_NOTE, on_click=self.app.on(self._draft, suggestion)),
                ft.TextButton("Dismiss", on_click=self.app.on(self._dismiss, suggestion)),
            ], wrap=True),
        ], spacing=6), padding=12))

    async def _draft(self, suggestion: Suggestion) -> None:
        me = self.store.cards.default()
        intro = await self.app.attempt(self.store.intros.draft, suggestion, me=me.given if me else "")
        if intro:
            self.app.toast("Two drafts ready below: ask each of them first.")
            self.drafts.controls = self._draft_cards(self.store.intros.drafts())
            self.drafts.update()
            await self._load()

    async def _dismiss(self, suggestion: Suggestion) -> None:
        if await self.app.attempt(self.store.intros.dismiss, suggestion):
            self.app.toast("Dismissed: this pair won't be suggested again.")
            await self._load()

    def _draft_cards(self, intros: list[Intro]) -> list[ft.Control]:
        if not intros:
            return [muted("None yet.")]
        cards = []
        for intro in intros:
            names = self._names(intro)
            cards.append(ft.Card(ft.Container(ft.Column([
                ft.Text(f"{names[0]} & {names[1]}", weight=ft.FontWeight.W_600),
                *self._message(f"To {names[0]}", intro, "to_seeker"),
                *self._message(f"To {names[1]}", intro, "to_helper"),
                destructive("Delete draft", self.app.on(self._delete, intro)),
            ], spacing=6), padding=12)))
        return cards

    def _names(self, intro: Intro) -> tuple[str, str]:
        names = []
        for cid in (intro.seeker_id, intro.helper_id):
            try:
                names.append(self.store.people.get(cid).display_name)
            except NotFoundError:  # deleted by another window since the drafts were read
                names.append("(deleted)")
        return names[0], names[1]

    def _message(self, label: str, intro: Intro, name: str) -> list[ft.Control]:
        """One of the two messages, editable; my edits are kept when I leave the field."""
        body = ft.TextField(value=getattr(intro, name), multiline=True, min_lines=3, max_lines=10, text_size=13,
                            label=label)

        async def keep(e: Any) -> None:
            if (body.value or "") != getattr(intro, name):
                saved = await self.app.attempt(self.store.intros.edit, intro.id, **{name: body.value or ""})
                if saved:
                    setattr(intro, name, getattr(saved, name))

        async def copy(e: Any) -> None:
            await keep(e)
            await self.app.clipboard.set(body.value or "")
            self.app.toast(f"{label}: message copied.")

        body.on_blur = keep
        return [body, ft.Row([ft.TextButton("Copy", icon=ft.Icons.COPY, on_click=copy)], alignment=ft.MainAxisAlignment.END)]

    async def _delete(self, intro: Intro) -> None:
        await self.app.attempt(self.store.intros.delete, intro.id)
        self.drafts.controls = self._draft_cards(self.store.intros.drafts())
        self.drafts.update()
        await self._load()
