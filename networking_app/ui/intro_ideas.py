""""You could introduce them to…": up to three people I know, for the person in front of me.

Shown in the note sheet after a scan and on a person's page. Each idea says why in a few
words and takes one tap: the intro joins my note, a follow-up holds the promise, and the two
double-opt-in messages wait in Follow-ups (:meth:`Intros.introduce
<networking_app.store.intros.Intros.introduce>`). "Not now" declines the pair for good.
Nothing is shown while the ideas load, nor when none fits: the sheet never waits for them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from .screens.base import Shell
from .widgets import icon_button, muted

if TYPE_CHECKING:
    from ..intros import IntroIdea  # the package loads a stemmer (~0.25 s): not before the first paint

TITLE = "You could introduce them to…"
log = logging.getLogger(__name__)


class IntroIdeas:
    """A column of ideas for one contact; ``on_introduce(idea)`` makes the one tapped."""

    def __init__(self, app: Shell, contact_id: str, on_introduce: Callable[[IntroIdea], Awaitable[Any]],
                 title_size: int = 14) -> None:
        self.app = app
        self.title_size = title_size  # a page's sections are 16, a sheet's labels 14
        self.contact_id = contact_id
        self.on_introduce = on_introduce
        self.ideas: list[IntroIdea] = []
        self.done_line = ""  # what the last tap did, said at the top
        self.loads = 0  # answers drawn so far (tests wait for one)
        self.control = ft.Column(spacing=6, visible=False, data=self)

    async def load(self, need: str = "") -> None:
        """Ask the store for ideas (``need``: what I am typing about what they need, unsaved)."""
        try:
            self.ideas = await self.app.work(self.app.store.intros.for_person, self.contact_id, need=need)
        except Exception:  # ideas are a help, never a reason for the sheet to fail
            log.exception("introduction ideas failed")
            self.ideas = []
        self.loads += 1
        self._draw()

    def _draw(self) -> None:
        rows: list[ft.Control] = [ft.Text(TITLE, size=self.title_size, weight=ft.FontWeight.W_600)]
        if self.done_line:
            rows.append(ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=ft.Colors.PRIMARY, size=20),
                                ft.Text(self.done_line, size=13, expand=True)]))
        rows += [self._row(idea) for idea in self.ideas]
        shown = bool(self.ideas or self.done_line)
        self.control.controls = rows if shown else []
        self.control.visible = shown
        with contextlib.suppress(RuntimeError):  # not on the page (any more)
            self.control.update()

    def _row(self, idea: IntroIdea) -> ft.Control:
        return ft.Container(ft.Row([
            ft.Column([ft.Text(idea.other_name, weight=ft.FontWeight.W_500, max_lines=1,
                               overflow=ft.TextOverflow.ELLIPSIS),
                       muted(idea.reason, size=13, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS)],
                      spacing=0, expand=True),
            ft.FilledTonalButton("Introduce", icon=ft.Icons.HANDSHAKE_OUTLINED,
                                 on_click=self.app.on(self._introduce, idea)),
            icon_button(ft.Icons.CLOSE, f"Not now: never suggest {idea.other_name} for them again",
                        self.app.on(self._decline, idea)),
        ], vertical_alignment=ft.CrossAxisAlignment.CENTER, spacing=4),
            padding=ft.Padding.only(left=12, right=4, top=6, bottom=6), border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW)

    async def _introduce(self, idea: IntroIdea) -> None:
        await self.on_introduce(idea)

    async def _decline(self, idea: IntroIdea) -> None:
        if await self.app.attempt(self.app.store.intros.dismiss, idea.suggestion) is not None:
            self.app.toast(f"{idea.other_name} won't be suggested for them again.")
            await self.load()

    def introduced(self, idea: IntroIdea, when: str) -> None:
        """Say what the tap did; the idea leaves the list (the pair is drafted now)."""
        self.done_line = f"{idea.line}: in your note, follow-up {when}; the two messages wait in Follow-ups."
        self.ideas = [i for i in self.ideas if i.other_id != idea.other_id]
        self._draw()
