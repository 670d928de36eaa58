"""Introductions: pairs of my contacts where one's need meets another's offer, and the drafts I made."""

from __future__ import annotations

import contextlib
from typing import Any

import flet as ft

from ...intros import Suggestion, explain
from ...models import Intro
from ..intro_drafts import draft_messages, names_of
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
        cards: list[ft.Control] = []
        for intro in intros:
            names = names_of(self.app, intro)
            cards.append(ft.Card(ft.Container(ft.Column([
                ft.Text(f"{names[0]} & {names[1]}", weight=ft.FontWeight.W_600),
                *draft_messages(self.app, intro, names),
                destructive("Delete draft", self.app.on(self._delete, intro)),
            ], spacing=6), padding=12)))
        return cards

    async def _delete(self, intro: Intro) -> None:
        await self.app.attempt(self.store.intros.delete, intro.id)
        self.drafts.controls = self._draft_cards(self.store.intros.drafts())
        self.drafts.update()
        await self._load()
