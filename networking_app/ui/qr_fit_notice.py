"""What my QR code leaves out, said while my card is typed, and the choice of what it keeps.

A QR code that phones read at arm's length holds about 290 bytes (``vcard.qr_fit``): a full card
does not fit, and something is cut. The person hears it when it happens (onboarding, My card),
not in small print later, and chooses what is kept longest: the link and title, or what they
offer and seek.
"""

from __future__ import annotations

import contextlib
from typing import Any

import flet as ft

from ..errors import MutualError
from ..models import KEEP_LINK, KEEP_OFFERS, MyCard
from ..vcard import fit_card_for_qr
from .card_form import CardForm
from .screens.base import Shell

KEEPS = [(KEEP_LINK, "My link and title"), (KEEP_OFFERS, "What I offer and look for")]


class QrFitNotice:
    """A notice under the card form, shown only while the QR code cannot hold the whole card."""

    def __init__(self, app: Shell, form: CardForm, card: MyCard) -> None:
        self.app, self.form = app, form
        self.card = MyCard(**card.card_fields())  # the preview: the card being edited is not touched
        self.text = ft.Text("", expand=True)
        self.keep = ft.RadioGroup(value=card.qr_keeps or KEEP_LINK, on_change=self._changed,
                                  content=ft.Column([ft.Radio(value=v, label=t) for v, t in KEEPS], spacing=0))
        self.control = ft.Container(
            ft.Column([
                ft.Row([ft.Icon(ft.Icons.QR_CODE_2, color=ft.Colors.PRIMARY), self.text],
                       vertical_alignment=ft.CrossAxisAlignment.START),
                ft.Text("When it cannot hold everything, keep longest:", weight=ft.FontWeight.W_500),
                self.keep,
            ], spacing=8),
            padding=12, border_radius=12, bgcolor=ft.Colors.SECONDARY_CONTAINER, visible=False,
        )
        form.on_blur(self._changed)

    @property
    def keeps(self) -> str:
        return self.keep.value or KEEP_LINK

    async def _changed(self, e: Any) -> None:
        await self.check()

    async def check(self) -> None:
        """Fit the card as typed (off the loop) and say what its QR code would leave out."""
        self.form.fill(self.card)
        try:
            fitted = await self.app.work(fit_card_for_qr, self.card, keep=self.keeps)
        except MutualError as exc:  # the name and first email and phone alone are too long
            said, shown = str(exc), True
        else:
            said = f"Your QR code has room for about 290 characters, so it leaves out: {', '.join(fitted.dropped)}."
            shown = bool(fitted.dropped)
        if (said, shown) == (self.text.value, self.control.visible) or not (shown or self.control.visible):
            return  # nothing new to say: no message to the client while the person types on
        self.text.value, self.control.visible = said, shown
        with contextlib.suppress(RuntimeError):  # the screen may be gone already
            self.control.update()
