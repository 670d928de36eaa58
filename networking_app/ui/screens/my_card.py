"""My card: first-run onboarding, the editor for my cards, and the full-screen QR to hold up."""

from __future__ import annotations

import contextlib

import flet as ft

from ...models import MyCard
from .. import qr_cache
from ..card_form import CardForm
from ..qr_fit_notice import QrFitNotice
from ..widgets import destructive, muted, named_dropdown, page_body, primary, qr_picture, short_date
from .base import Screen, Shell


class WelcomeScreen(Screen):
    """First run: say what Mutual is for, and create the card in one short form."""

    title = "Welcome to Mutual"
    route = "/welcome"
    onboarding = True

    def build(self) -> ft.Control:
        self.form = CardForm(MyCard(), short=True)
        self.fit = QrFitNotice(self.app, self.form, MyCard())
        return page_body([
            ft.Row([ft.Icon(ft.Icons.VOLUNTEER_ACTIVISM, size=32, color=ft.Colors.PRIMARY),
                    ft.Text("Networking is helping each other", size=22, weight=ft.FontWeight.W_600, expand=True)],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            muted("Your card becomes a QR code that any phone camera can scan, even without Mutual. Say what you "
                  "can help with and what you are looking for: that is what people remember."),
            *self.form.controls(),
            self.fit.control,
            ft.Row([primary("Create my card", self._create, icon=ft.Icons.ARROW_FORWARD)]),
        ])

    async def _create(self, e: ft.Event[ft.FilledButton]) -> None:
        card = MyCard(label="My card", is_default=True, qr_keeps=self.fit.keeps)
        if not self.form.apply_to(card):
            return
        if await self.app.work(self.store.cards.all):  # made meanwhile (another tab): never a second default card
            self.app.toast("You already have a card: here it is.")
            self.app.go("/card")
            return
        saved = await self.app.attempt(self.store.cards.save, card)
        if saved is None:
            return
        await self.app.work(qr_cache.png_for, saved)
        self.app.toast("Your card is ready: this is your code. Start an event when you get there.",
                       action="Start an event", on_action=lambda e: self.app.go("/event"))
        self.app.go("/scan")


class MyCardScreen(Screen):
    """Edit my cards (several, one default) and see the QR they make."""

    title = "My card"
    route = "/card"
    nav_route = "/scan"
    back_route = "/scan"

    def __init__(self, app: Shell, card_id: str | None = None) -> None:
        super().__init__(app)
        cards = self.store.cards.all()
        self.card = next((c for c in cards if c.id == card_id), None) or (cards[0] if cards else MyCard(is_default=True))
        self.cards = cards

    def build(self) -> ft.Control:
        self.form = CardForm(self.card, autofocus=False)
        self.default = ft.Switch(label="Default card (shown when scanning)", value=self.card.is_default)
        self.label = ft.TextField(label="Card name", value=self.card.label, hint_text="e.g. Work, Job search")
        self.qr_slot = ft.Container(ft.ProgressRing(), alignment=ft.Alignment.CENTER, height=300)
        self.fit = QrFitNotice(self.app, self.form, self.card)
        picker = ft.Dropdown(
            label="Which card", value=self.card.id if self.card in self.cards else None,
            options=[ft.DropdownOption(key=c.id, text=choice_label(c, self.cards)) for c in self.cards],
            on_select=self._switch,
        ) if len(self.cards) > 1 else None
        # the picker on its own line: an expanding control inside a wrapping Row cannot be laid out
        # (Flutter then paints the whole screen grey)
        top: list[ft.Control] = [ft.Row([ft.OutlinedButton("New card", icon=ft.Icons.ADD, on_click=self._new)])]
        if picker:
            top.insert(0, ft.Container(named_dropdown(picker), padding=ft.Padding.only(top=8)))  # room for its label
        return page_body([
            *top,
            self.qr_slot,
            ft.Row([ft.FilledTonalButton("Show full screen", icon=ft.Icons.FULLSCREEN, on_click=lambda e: self.app.go("/show"))],
                   alignment=ft.MainAxisAlignment.CENTER),
            self.fit.control,
            self.label,
            *self.form.controls(),
            self.default,
            ft.Row([primary("Save card", self._save, icon=ft.Icons.SAVE)] + (
                [destructive("Delete this card", self._delete)]
                if self.card in self.cards and len(self.cards) > 1 else []), wrap=True),
        ])

    async def did_mount(self) -> None:
        await self._show_qr()

    async def _show_qr(self) -> None:
        png, _ = await self.app.work(qr_cache.png_for, self.card)
        self.qr_slot.content = qr_picture(png, f"QR code of the card of {self.card.full_name}")
        with contextlib.suppress(RuntimeError):
            self.qr_slot.update()
        await self.fit.check()

    async def _save(self, e: ft.Event[ft.FilledButton]) -> None:
        if not self.form.apply_to(self.card):
            return
        self.card.qr_keeps = self.fit.keeps
        self.card.label = (self.label.value or "").strip() or "My card"
        self.card.is_default = bool(self.default.value)
        saved = await self.app.attempt(self.store.cards.save, self.card)
        if saved:
            self.app.toast(f"Saved “{saved.label}”.")
            before, self.cards = self.cards, self.store.cards.all()
            if len(self.cards) != len(before):  # a new card: "Which card" appears, with it chosen
                self.app.show_screen(MyCardScreen(self.app, saved.id))
                return
            await self._show_qr()

    def _switch(self, e: ft.Event[ft.Dropdown]) -> None:
        self.app.show_screen(MyCardScreen(self.app, e.control.value))

    def _new(self, e: ft.Event[ft.OutlinedButton]) -> None:
        screen = MyCardScreen(self.app)
        screen.card = MyCard(label="New card", given=self.card.given, family=self.card.family,
                             formatted=self.card.formatted, emails=list(self.card.emails))
        self.app.show_screen(screen)

    async def _delete(self, e: ft.Event[ft.TextButton]) -> None:
        await self.app.attempt(self.store.cards.delete, self.card.id)
        self.app.toast(f"Deleted “{self.card.label}”.")
        self.app.show_screen(MyCardScreen(self.app))


class ShowCardScreen(Screen):
    """My QR as large as the screen allows, white background, to hold up to someone's phone."""

    route = "/show"
    full_screen = True

    def build(self) -> ft.Control:
        self.card = self.store.cards.default()
        png = qr_cache.cached_png(self.card) if self.card else None
        size = max(200.0, min(self.app.page.width or 400, (self.app.page.height or 700) - 120) - 32)
        self.qr = ft.Container(qr_picture(png, f"QR code of the card of {self.card.full_name}", size) if png and self.card else ft.ProgressRing(),
                               alignment=ft.Alignment.CENTER)
        name = self.card.full_name if self.card else ""
        return ft.GestureDetector(
            ft.Column([
                self.qr,
                ft.Text(name, size=22, weight=ft.FontWeight.W_600, color=ft.Colors.BLACK),
                ft.TextButton("Close", icon=ft.Icons.CLOSE, on_click=lambda e: self._close(),
                              style=ft.ButtonStyle(color=ft.Colors.BLACK)),
            ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, alignment=ft.MainAxisAlignment.CENTER, spacing=16),
            on_tap=lambda e: self._close(),
        )

    def _close(self) -> None:
        """Back where I held it up from: the Scan screen or My card."""
        self.app.go(self.app.came_from if self.app.came_from in ("/scan", "/card") else "/scan")

    async def did_mount(self) -> None:
        if self.card and qr_cache.cached_png(self.card) is None:
            png, _ = await self.app.work(qr_cache.png_for, self.card)
            size = max(200.0, min(self.app.page.width or 400, (self.app.page.height or 700) - 120) - 32)
            self.qr.content = qr_picture(png, f"QR code of the card of {self.card.full_name}", size)
            self.qr.update()
        await self._keep_awake(True)

    async def _keep_awake(self, on: bool) -> None:
        """Keep the screen on while someone scans (where the platform allows it)."""
        with contextlib.suppress(Exception):
            if on:
                self._wakelock = ft.Wakelock()
                await self._wakelock.enable()
            elif getattr(self, "_wakelock", None):
                await self._wakelock.disable()

    def dispose(self) -> None:
        if getattr(self, "_wakelock", None):
            self.app.page.run_task(self._keep_awake, False)


def choice_label(card: MyCard, cards: list[MyCard]) -> str:
    """How a card is named in "Which card": its name, then what tells it from others named alike
    (two devices that each made "My card" before they synced)."""
    text = card.label
    alike = [c for c in cards if c.label == card.label and c.id != card.id]
    if alike:
        reach = next(iter(card.emails + card.phones + card.urls), "")
        text += f" · {reach or card.full_name}"
        if any(next(iter(c.emails + c.phones + c.urls), "") == reach for c in alike):
            text += f" · made {short_date(card.created)}"
    return text + (" (default)" if card.is_default else "")
