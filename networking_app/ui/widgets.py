"""Small building blocks shared by the screens."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import flet as ft

from ..local_dates import local_day
from ..models import Card
from .theme import GAP

_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def isolated(name: str) -> str:
    """A name set inside a sentence, its direction kept to itself: "At ملتقى 2026 · 3 people" must
    not read "At 3 · 2026 ملتقى people" (Unicode's first-strong isolate, only where right-to-left
    letters are)."""
    return f"\u2068{name}\u2069" if _RIGHT_TO_LEFT.search(name) else name


def short_date(iso: str) -> str:
    """"Fri 27 Nov": how a date reads everywhere in the app (a moment: its day where the person is)."""
    return local_day(iso).strftime("%a %d %b")


def picked_day(value: date | datetime | None) -> date | None:
    """The day a DatePicker gives. Flet sends it as the moment that day began on the person's
    clock, in UTC, so east of Greenwich it reads as the day before: read it back in local time."""
    if isinstance(value, datetime):
        return (value.astimezone() if value.tzinfo else value).date()
    return value


PAGE = 12  # rows drawn at once: Flet's diff of a new screen costs ~3 ms a row on 2 cores


def paged_rows(items: list[Any], row: Callable[[Any], ft.Control], empty: ft.Control, page: int = PAGE) -> ft.Column:
    """The first ``page`` rows of ``items`` and a "Show more" button for the next ones.

    A screen with hundreds of rows (a big conference) is built and sent in a few
    milliseconds; the rest costs nothing until asked for.
    """
    column = ft.Column(spacing=0)

    def fill(count: int) -> None:
        rows = [row(item) for item in items[:count]] or [empty]
        if len(items) > count:
            rows.append(ft.TextButton(f"Show more ({len(items) - count} more)", icon=ft.Icons.EXPAND_MORE,
                                      on_click=lambda e: more(count + page)))
        column.controls = rows

    def more(count: int) -> None:
        fill(count)
        column.update()

    fill(page)
    return column


def page_body(controls: list[ft.Control]) -> ft.Control:
    """A centred column that is the whole width on a phone and readable on a desktop."""
    column = ft.Column(controls, spacing=GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    return ft.ResponsiveRow(
        [ft.Container(column, col={"xs": 12, "md": 10, "lg": 8, "xl": 6})],
        alignment=ft.MainAxisAlignment.CENTER,
    )


def heading(text: str, size: int = 22) -> ft.Text:
    return ft.Text(text, size=size, weight=ft.FontWeight.W_600, semantics_label=None)


def muted(text: str, size: int = 14, **kwargs: Any) -> ft.Text:
    return ft.Text(text, size=size, color=ft.Colors.ON_SURFACE_VARIANT, **kwargs)


def section(title: str, *controls: ft.Control) -> ft.Column:
    return ft.Column([ft.Text(title, size=16, weight=ft.FontWeight.W_600), *controls], spacing=8)


def notice(text: str, icon: ft.IconData = ft.Icons.INFO_OUTLINE, action: ft.Control | None = None) -> ft.Container:
    """An inline message: feedback that stays on screen."""
    row: list[ft.Control] = [ft.Icon(icon, color=ft.Colors.PRIMARY), ft.Text(text, expand=True)]
    if action:
        row.append(action)
    return ft.Container(
        ft.Row(row, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
    )


def empty_state(icon: ft.IconData, title: str, text: str, action: ft.Control | None = None) -> ft.Container:
    """What a screen says when there is nothing yet: never a dead end."""
    items: list[ft.Control] = [
        ft.Icon(icon, size=48, color=ft.Colors.PRIMARY),
        ft.Text(title, size=18, weight=ft.FontWeight.W_600, text_align=ft.TextAlign.CENTER),
        muted(text, text_align=ft.TextAlign.CENTER),
    ]
    if action:
        items.append(action)
    return ft.Container(
        ft.Column(items, horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=8),
        padding=24,
        alignment=ft.Alignment.CENTER,
    )


def qr_picture(png: bytes, label: str, size: float = 280) -> ft.Container:
    """A QR code, black on a white plate whatever the theme (the quiet zone is in the PNG)."""
    return ft.Container(
        ft.Image(src=png, width=size, height=size, fit=ft.BoxFit.CONTAIN,
                 filter_quality=ft.FilterQuality.NONE, semantics_label=label, gapless_playback=True),
        bgcolor=ft.Colors.WHITE,
        border_radius=12,
        padding=8,
        alignment=ft.Alignment.CENTER,
    )


def card_summary(card: Card, *, hint: bool = True) -> ft.Column:
    """Who a card is, with their give-and-take lines: what a person reads before saving."""
    lines: list[ft.Control] = [ft.Text(card.display_name, size=20, weight=ft.FontWeight.W_600)]
    role = ", ".join(p for p in (card.title, card.organization) if p)
    if role:
        lines.append(muted(role))
    for value in card.emails[:3] + card.phones[:3] + card.urls[:3]:
        lines.append(ft.Text(value, size=13))
    if hint:
        lines += give_and_take(card)
    return ft.Column(lines, spacing=4)


def give_and_take(card: Card) -> list[ft.Control]:
    found: list[ft.Control] = []
    if card.offers:
        found.append(labelled("Offers", card.offers, ft.Icons.VOLUNTEER_ACTIVISM_OUTLINED))
    if card.seeking:
        found.append(labelled("Looking for", card.seeking, ft.Icons.SEARCH))
    return found


def labelled(label: str, value: str, icon: ft.IconData) -> ft.Row:
    return ft.Row(
        [ft.Icon(icon, size=18, color=ft.Colors.PRIMARY),
         ft.Text(spans=[ft.TextSpan(f"{label}: ", ft.TextStyle(weight=ft.FontWeight.W_600)), ft.TextSpan(value)],
                 expand=True)],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def icon_button(icon: ft.IconData, label: str, on_click: Callable[..., Any] | None) -> ft.IconButton:
    """An icon button a screen reader can name (a tooltip alone is not announced)."""
    return ft.IconButton(ft.Icon(icon, semantics_label=label), tooltip=label, on_click=on_click)


def primary(text: str, on_click: Callable[..., Any] | None, icon: ft.IconData | None = None, **kwargs: Any) -> ft.FilledButton:
    return ft.FilledButton(text, icon=icon, on_click=on_click, **kwargs)


def destructive(text: str, on_click: Callable[..., Any] | None, icon: ft.IconData = ft.Icons.DELETE_OUTLINE) -> ft.TextButton:
    """A button that deletes: in the error colour, so it never reads as the next step."""
    return ft.TextButton(text, icon=icon, on_click=on_click, style=ft.ButtonStyle(color=ft.Colors.ERROR, icon_color=ft.Colors.ERROR))


def status_chip(done: bool) -> ft.Container:
    text, color = ("Note done", ft.Colors.PRIMARY) if done else ("Note missing", ft.Colors.TERTIARY)
    return ft.Container(
        ft.Text(text, size=12, color=ft.Colors.ON_PRIMARY if done else ft.Colors.ON_TERTIARY),
        bgcolor=color,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
        border_radius=10,
    )


def named_dropdown(dropdown: ft.Dropdown) -> ft.Semantics:
    """``dropdown`` as a screen reader should announce it, "Event: All events": on the web,
    Flutter's DropdownMenu is read as a button without a name. The name follows the choice."""
    wrapper = ft.Semantics(content=dropdown, label=_dropdown_said(dropdown), container=True,
                           expand=dropdown.expand, visible=dropdown.visible)
    chosen: Callable[[Any], Any] | None = dropdown.on_select  # type: ignore[assignment]

    async def select(e: Any) -> None:
        wrapper.label = _dropdown_said(dropdown)
        if chosen is not None:
            result = chosen(e)
            if inspect.isawaitable(result):
                await result
        if ft.context.was_update_called():  # else Flet's update after the handler sends the label too;
            wrapper.update()  # calling update() first would have stopped that one (and the list with it)

    dropdown.on_select = select
    return wrapper


def _dropdown_said(dropdown: ft.Dropdown) -> str:
    shown = next((o.text or o.key for o in dropdown.options or [] if o.key == dropdown.value), "")
    return f"{dropdown.label}: {shown}" if shown else str(dropdown.label or "")
