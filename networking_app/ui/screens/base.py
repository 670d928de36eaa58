"""The seam between the app shell and what it shows.

:class:`Screen` is what every screen gives the shell (a body, a title, a place in the
navigation); :class:`Shell` is what screens, sheets and scanners may ask of it. They
hold a ``Shell``, not the app: the app imports the screens, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import flet as ft

from ...store import Store

T = TypeVar("T")


class Shell(Protocol):
    """What the session's app does for the screens: navigation, feedback, work off the loop, files."""

    page: ft.Page
    store: Store
    picker: ft.FilePicker  # the page's services: keep using the app's (unreferenced ones are dropped)
    clipboard: ft.Clipboard
    launcher: ft.UrlLauncher
    drafts: dict[str, dict[str, Any]]  # answers typed but not saved yet, by screen and record
    came_from: str  # the route of the screen shown before this one
    camera_missing: bool  # the platform said it has no camera (this session)

    def go(self, route: str) -> None:
        """Navigate to ``route`` (the URL changes too)."""
        ...

    def show_screen(self, screen: Screen) -> None:
        """Show a screen the caller built (e.g. My card opened on another of my cards)."""
        ...

    def refresh(self) -> None:
        """Rebuild the current screen from the store, in place."""
        ...

    async def reveal(self, key: str) -> None:
        """Scroll until the control with ``key`` is in sight."""
        ...

    def toast(self, text: str, action: str | None = None, on_action: Callable[..., Any] | None = None) -> None:
        """Say something in a SnackBar, with an action (e.g. Undo) when given."""
        ...

    def open_dialog(self, dialog: ft.DialogControl) -> None:
        """Show a dialog or a bottom sheet (SnackBars still showing close first)."""
        ...

    def close_dialog(self, dialog: ft.DialogControl) -> None:
        """Close this dialog, not whichever opened last."""
        ...

    def on(self, coroutine_fn: Callable[..., Any], *args: Any) -> Callable[[Any], None]:
        """An event handler that runs ``coroutine_fn(*args)``."""
        ...

    async def work(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn`` run in a worker thread, off the event loop every session shares."""
        ...

    async def attempt(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """:meth:`work`, a Mutual error said in a SnackBar (then None)."""
        ...

    async def pick_file(self, title: str, extensions: list[str], max_bytes: int) -> tuple[str, bytes | None] | None:
        """The chosen file as (name, bytes); None if cancelled, bytes None when unreadable.

        At most ``max_bytes`` + 1 bytes are read (the limit of what the caller reads next): more is refused.
        """
        ...


class Screen:
    """A screen: its body, title and place in the navigation; rebuilt from the store on demand."""

    title = "Mutual"
    route = "/"
    nav_route: str | None = None  # which navigation destination is highlighted
    back_route: str | None = None  # a back arrow in the app bar leads here
    full_screen = False
    onboarding = False

    def __init__(self, app: Shell) -> None:
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
