"""What every screen provides to the app shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

if TYPE_CHECKING:
    from ..app import MutualApp


class Screen:
    """A screen: its body, title and place in the navigation; rebuilt from the store on demand."""

    title = "Mutual"
    route = "/"
    nav_route: str | None = None  # which navigation destination is highlighted
    back_route: str | None = None  # a back arrow in the app bar leads here
    full_screen = False
    onboarding = False

    def __init__(self, app: MutualApp) -> None:
        self.app = app
        self.store = app.store
        self._body: ft.Control | None = None

    def body(self) -> ft.Control:
        if self._body is None:
            self._body = self.build()
        return self._body

    def build(self) -> ft.Control:
        raise NotImplementedError

    def rebuild(self) -> None:
        self._body = None

    def fab(self) -> ft.FloatingActionButton | None:
        return None

    async def did_mount(self) -> None:
        """Called once the screen is on the page (start async work here)."""

    def dispose(self) -> None:
        """Called when the screen is replaced (stop cameras, timers…)."""
