"""A drafted introduction's two double-opt-in messages: editable (my edits are kept) and copied in one tap.

The Introductions screen lists every draft; Follow-ups opens a person's drafts in a dialog,
beside the promise the one-tap intro made.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from ..errors import NotFoundError
from ..models import Intro
from .screens.base import Shell


def names_of(app: Shell, intro: Intro) -> tuple[str, str]:
    """(the seeker's name, the helper's name); "(deleted)" for someone gone since."""
    names = []
    for cid in (intro.seeker_id, intro.helper_id):
        try:
            names.append(app.store.people.get(cid).display_name)
        except NotFoundError:  # deleted by another window since the drafts were read
            names.append("(deleted)")
    return names[0], names[1]


def draft_messages(app: Shell, intro: Intro, names: tuple[str, str]) -> list[ft.Control]:
    """The two messages: to the seeker first (they are asked first), then to the helper."""
    return [*_message(app, f"To {names[0]}", intro, "to_seeker"), *_message(app, f"To {names[1]}", intro, "to_helper")]


def _message(app: Shell, label: str, intro: Intro, name: str) -> list[ft.Control]:
    """One of the two messages, editable; my edits are kept when I leave the field."""
    body = ft.TextField(value=getattr(intro, name), multiline=True, min_lines=3, max_lines=10, text_size=13,
                        label=label)

    async def keep(e: Any) -> None:
        if (body.value or "") != getattr(intro, name):
            saved = await app.attempt(app.store.intros.edit, intro.id, **{name: body.value or ""})
            if saved:
                setattr(intro, name, getattr(saved, name))

    async def copy(e: Any) -> None:
        await keep(e)
        await app.clipboard.set(body.value or "")
        app.toast(f"{label}: message copied.")

    body.on_blur = keep
    return [body, ft.Row([ft.TextButton("Copy", icon=ft.Icons.COPY, on_click=copy)], alignment=ft.MainAxisAlignment.END)]


def show_drafts(app: Shell, intros: list[Intro]) -> None:
    """A dialog with these introductions' messages (Follow-ups: the intros I promised someone)."""
    content: list[ft.Control] = [ft.Text("Ask each of them first: connect them only once both say yes.", size=13,
                                         color=ft.Colors.ON_SURFACE_VARIANT)]
    for intro in intros:
        names = names_of(app, intro)
        content += [ft.Text(f"{names[0]} & {names[1]}", weight=ft.FontWeight.W_600), *draft_messages(app, intro, names)]
    dialog = ft.AlertDialog(title=ft.Text("Introduction messages"),
                            content=ft.Column(content, tight=True, scroll=ft.ScrollMode.AUTO, width=480))
    dialog.actions = [ft.TextButton("Close", on_click=lambda e: app.close_dialog(dialog))]
    app.open_dialog(dialog)
