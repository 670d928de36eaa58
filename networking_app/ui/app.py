"""The app shell: routing, navigation, feedback, and running work off the event loop.

One :class:`MutualApp` per session (a browser tab or the desktop window), all
sharing one :class:`~networking_app.store.Store`. Screens receive the app as a
:class:`~networking_app.ui.screens.base.Shell` and call the store through
:meth:`MutualApp.work`, so nothing slow runs on the event loop that every
session shares.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import flet as ft

from ..errors import MutualError
from ..store import Store
from . import loop_monitor, routes, theme
from .screens.base import Screen
from .widgets import icon_button

T = TypeVar("T")
log = logging.getLogger(__name__)


class Destination:
    def __init__(self, route: str, label: str, icon: ft.IconData, selected: ft.IconData) -> None:
        self.route, self.label, self.icon, self.selected = route, label, icon, selected


NAVIGATION = [
    Destination("/event", "Event", ft.Icons.EVENT_OUTLINED, ft.Icons.EVENT),
    Destination("/scan", "Scan", ft.Icons.QR_CODE_SCANNER_OUTLINED, ft.Icons.QR_CODE_SCANNER),
    Destination("/people", "People", ft.Icons.PEOPLE_OUTLINE, ft.Icons.PEOPLE),
    Destination("/followups", "Follow-ups", ft.Icons.TASK_ALT_OUTLINED, ft.Icons.TASK_ALT),
    Destination("/reflect", "Reflect", ft.Icons.AUTO_AWESOME_OUTLINED, ft.Icons.AUTO_AWESOME),
]


FORMS = ("/welcome", "/card", "/data")  # screens being typed into are not rebuilt under the person


class MutualApp:
    """One session of the app."""

    def __init__(self, page: ft.Page, store: Store) -> None:
        self.page = page
        self.store = store
        self.screen: Screen | None = None
        self.picker = ft.FilePicker()
        self.clipboard = ft.Clipboard()
        self.launcher = ft.UrlLauncher()
        self._wide = False
        self._nav_target = ""  # the tab chosen last (tabs are built off the loop, may finish out of order)
        self.came_from = ""  # the route of the screen shown before this one
        self.camera_missing = False  # the platform said it has no camera: not offered again this session
        self.drafts: dict[str, dict[str, Any]] = {}  # answers typed but not saved yet, by screen and record
        self._scroller: ft.View | ft.Column | None = None  # what scrolls the current screen
        self._toasts: list[ft.SnackBar] = []
        self._nav_bar: ft.NavigationBar | None = None
        self._nav_rail: ft.NavigationRail | None = None
        self._page_sent = False  # the page's own settings (title, theme, handlers) reached the client

    # -- start-up and routing ---------------------------------------------------------------
    def start(self) -> None:
        page = self.page
        page.title = "Mutual"
        theme.apply(page)
        page.on_route_change = self._on_route_change
        page.on_view_pop = self._on_view_pop
        page.on_resize = self._on_resize
        page.on_connect = self._on_resize  # a reload keeps the session: the window may have changed meanwhile
        self._wide = (page.width or 0) >= theme.WIDE
        self.show(self.landing_route(page.route))
        self._start_syncing()
        from .backup_clock import keep_backed_up

        keep_backed_up(self.store)
        if self.store.notices:  # e.g. today's backup could not be written: say it once
            self.toast(" ".join(self.store.notices))
            self.store.notices.clear()

    def _start_syncing(self) -> None:
        """Sync at start, after changes and every 30 s (on its own thread); say what came in.

        Started from a thread: importing sync's modules on the loop held the first paint ~0.1 s."""

        def start() -> None:
            from ..sync.auto import AutoSync

            AutoSync.for_store(self.store).listen(self._on_sync)

        threading.Thread(target=start, name="mutual-sync-start", daemon=True).start()

    def _on_sync(self, outcome: Any) -> None:
        report = outcome.report
        if report is None or not report.incoming:
            return

        async def show() -> None:
            self.toast(report.summary())
            if self.screen and self.screen.route not in FORMS:
                self.refresh()  # the new people, notes and follow-ups appear where the person is

        # a closed tab's session raises here, before a coroutine is made (the listener is then
        # dropped); a tab reconnecting has no connection for a moment: it hears of the next sync
        if self.page.session.connection is not None:
            self.page.run_task(show)

    def landing_route(self, asked: str | None) -> str:
        """Where a session starts: onboarding first; with an event running, the exchange screen.

        Onboarding is for a first card only: asked for with a card already made (a reload, an old
        link), it is My card instead — never a second default card.
        """
        start = first_route(self.store)
        if start == "/welcome" or not asked or asked in ("/", ""):
            return start
        return "/card" if asked == "/welcome" else asked

    def _on_route_change(self, e: ft.RouteChangeEvent) -> None:
        """The URL changed from outside (the browser's Back, a typed address, a reload): a sheet or
        dialog belongs to the screen it was opened on, so it closes before the next one shows."""
        route = e.route or "/"
        if route != (self.screen.route if self.screen else None):
            self.close_dialogs()
            self.show(self.landing_route(route) if route in ("/", "", "/welcome") else route)

    def _on_view_pop(self, e: Any) -> None:
        """A phone's back gesture (or key): close the sheet or dialog on top, else go back a screen.

        The client sends it only while the page holds two views (``_mount`` keeps one below the
        screen whenever there is somewhere to go back to); with one, the system leaves the app.
        """
        if self.close_dialogs():
            return
        target = self.back_target(self.screen) if self.screen else None
        if target:
            self.go(target)

    def close_dialogs(self) -> bool:
        """Close every open sheet and dialog (and SnackBar); whether a sheet or dialog was open."""
        self.dismiss_toasts()
        closed = False
        while self.page.pop_dialog() is not None:
            closed = True
        return closed

    def back_target(self, screen: Screen) -> str | None:
        """Where "back" leads from ``screen``: its parent, the screen the full-screen code was held up
        from, else the landing tab; None on the landing tab and in onboarding (back leaves the app)."""
        if screen.onboarding:
            return None
        if screen.full_screen:
            return self.came_from if self.came_from in ("/scan", "/card") else "/scan"
        if screen.back_route:
            return screen.back_route
        landing = self.landing_route(None)
        return None if screen.route == landing else landing

    def _on_resize(self, e: Any) -> None:
        wide = (self.page.width or 0) >= theme.WIDE
        if wide != self._wide and self.screen:
            self._wide = wide
            self._mount(self.screen)

    def go(self, route: str) -> None:
        """Navigate (updates the URL; the route change shows the screen)."""
        self.show(route)
        self.page.navigate(route)

    def show(self, route: str) -> None:
        self.show_screen(self._screen_for(route))

    def _screen_for(self, route: str) -> Screen:
        """The screen ``route`` names; one that names none shows where a session starts."""
        found = routes.lookup(route)
        if found is None:
            return routes.screen_class(routes.SIMPLE[self.landing_route(None)])(self)
        screen_class, args = found
        return screen_class(self, *args)

    def show_screen(self, screen: Screen) -> None:
        """Put ``screen`` on the page and let it start its async work."""
        if self.screen and self.screen is not screen:
            self.screen.dispose()
            self.came_from = self.screen.route
        self.screen = screen
        self._mount(screen)
        self.page.run_task(screen.did_mount)

    def refresh(self) -> None:
        """Rebuild the current screen from the store (after a change), in place.

        The View object stays: replacing it while a sheet is closing races with the
        client's navigator (the sheet can stay on screen).
        """
        if not self.screen or not self.page.views:
            return
        self.screen.rebuild()
        self._mount(self.screen)
        self.page.run_task(self.screen.did_mount)  # a rebuilt screen fills in its slow parts again

    def _mount(self, screen: Screen) -> None:
        """Show ``screen``, reusing the View (and its navigation bar) when there is one.

        Sending only what changed keeps navigation fast (Flet's diff costs ~2 ms per row on two
        cores), and never replaces the View under a closing sheet.
        """
        fresh = self._view(screen)
        views = self.page.views
        current = views[-1] if views else None
        below = self._below(screen, fresh)
        if current is None or current.bgcolor != fresh.bgcolor:
            views[:] = [*below, fresh]
        else:
            for name in ("route", "controls", "appbar", "floating_action_button", "navigation_bar", "scroll",
                         "padding", "vertical_alignment", "horizontal_alignment"):
                setattr(current, name, getattr(fresh, name))
            if [v.route for v in views[:-1]] != [v.route for v in below]:
                views[:-1] = below
            elif self._page_sent:
                current.update()
                return
        # the first screen goes with the page's theme in one message: the client draws it once, themed
        self.page.update()
        self._page_sent = True

    def _below(self, screen: Screen, fresh: ft.View) -> list[ft.View]:
        """An empty view under the screen, routed where back leads: what makes a phone's back
        gesture reach ``on_view_pop`` instead of leaving the app (never drawn but in a transition)."""
        target = self.back_target(screen)
        return [ft.View(route=target, bgcolor=fresh.bgcolor, padding=0)] if target else []

    def _view(self, screen: Screen) -> ft.View:
        body = screen.body()
        if screen.full_screen:
            return ft.View(route=screen.route, controls=[body], padding=0, bgcolor=ft.Colors.WHITE,
                           vertical_alignment=ft.MainAxisAlignment.CENTER,
                           horizontal_alignment=ft.CrossAxisAlignment.CENTER)
        selected = self._nav_index(screen.nav_route)
        view = ft.View(route=screen.route, appbar=self._appbar(screen), scroll=ft.ScrollMode.AUTO,
                       floating_action_button=screen.fab(), padding=ft.Padding.all(16))
        if screen.onboarding:
            view.controls = [body]
        elif self._wide:
            view.scroll = None
            self._scroller = ft.Column([body], expand=True, scroll=ft.ScrollMode.AUTO)
            view.controls = [ft.Row([self._rail(selected), ft.VerticalDivider(width=1), self._scroller], expand=True,
                                    vertical_alignment=ft.CrossAxisAlignment.START)]
        else:
            view.controls = [body]
            view.navigation_bar = self._bar(selected)
        if not self._wide:
            self._scroller = view
        return view

    async def reveal(self, key: str) -> None:
        """Scroll the screen until the control with ``key`` is in sight (e.g. the camera preview)."""
        with contextlib.suppress(Exception):  # a screen that does not scroll has it in sight already
            if self._scroller is not None:
                await self._scroller.scroll_to(scroll_key=key, duration=300)

    def _appbar(self, screen: Screen) -> ft.AppBar:
        actions: list[ft.Control] = []
        if not screen.onboarding and screen.route != "/card":
            actions.append(ft.TextButton("My card", icon=ft.Icons.BADGE_OUTLINED, on_click=lambda e: self.go("/card")))
        leading = None
        if screen.back_route:
            back = screen.back_route
            leading = icon_button(ft.Icons.ARROW_BACK, "Back", lambda e: self.go(back))
        # no automatic back arrow for the view kept below: back is this screen's own button
        return ft.AppBar(title=ft.Text(screen.title), leading=leading, actions=actions, center_title=False,
                         automatically_imply_leading=False)

    def _nav_index(self, route: str | None) -> int | None:
        for index, dest in enumerate(NAVIGATION):
            if dest.route == route:
                return index
        return None

    def _bar(self, selected: int | None) -> ft.NavigationBar:
        if self._nav_bar is None:
            self._nav_bar = ft.NavigationBar(
                destinations=[ft.NavigationBarDestination(icon=d.icon, selected_icon=d.selected, label=d.label)
                              for d in NAVIGATION],
                on_change=self._on_nav,
            )
        self._nav_bar.selected_index = selected or 0
        return self._nav_bar

    def _rail(self, selected: int | None) -> ft.NavigationRail:
        if self._nav_rail is None:
            self._nav_rail = ft.NavigationRail(
                destinations=[ft.NavigationRailDestination(icon=d.icon, selected_icon=d.selected, label=d.label)
                              for d in NAVIGATION],
                label_type=ft.NavigationRailLabelType.ALL,
                on_change=self._on_nav,
            )
        self._nav_rail.selected_index = selected
        return self._nav_rail

    async def _on_nav(self, e: ft.Event[Any]) -> None:
        """Build the chosen screen in a worker thread; only the diff to send runs on the loop."""
        route = NAVIGATION[int(e.control.selected_index or 0)].route
        self._nav_target = route
        screen = await self.work(self._prepared, route)
        if self._nav_target != route:  # another tab was chosen meanwhile: that one shows
            return
        self.show_screen(screen)
        self.page.navigate(route)

    def _prepared(self, route: str) -> Screen:
        screen = self._screen_for(route)
        screen.body()  # store reads and control construction, off the event loop
        return screen

    # -- feedback and background work -------------------------------------------------------------
    def toast(self, text: str, action: str | None = None, on_action: Callable[..., Any] | None = None) -> None:
        """A SnackBar: every action gives feedback."""
        self.dismiss_toasts()
        # persist=False: Flutter keeps a SnackBar with an action on screen for good otherwise
        snack = ft.SnackBar(ft.Text(text), action=action, on_action=on_action, show_close_icon=True,
                            duration=4000 if action is None else 8000, persist=False)
        self._toasts.append(snack)
        self.page.show_dialog(snack)

    def dismiss_toasts(self) -> None:
        """Close SnackBars still showing (they would cover a sheet's buttons)."""
        for snack in self._toasts:
            if snack.open:
                snack.open = False
                snack.update()
        self._toasts.clear()

    def open_dialog(self, dialog: ft.DialogControl) -> None:
        self.dismiss_toasts()
        self.page.show_dialog(dialog)

    def close_dialog(self, dialog: ft.DialogControl) -> None:
        """Close this dialog (not whatever opened last, as page.pop_dialog would)."""
        if dialog.open:
            dialog.open = False
            dialog.update()

    def on(self, coroutine_fn: Callable[..., Any], *args: Any) -> Callable[[Any], Any]:
        """An event handler that runs ``coroutine_fn(*args)``.

        Flet awaits async handlers, but a lambda returning a coroutine is not one: it would
        be created and never run. Handlers with arguments go through here.
        """
        return lambda e: self.page.run_task(coroutine_fn, *args)

    async def pick_file(self, title: str, extensions: list[str], max_bytes: int) -> tuple[str, bytes | None] | None:
        """The file the person chose, as (name, bytes); bytes None when it could not be read; None if cancelled.

        The web and phones hand over the bytes; desktop only the path, read here off the loop up to
        ``max_bytes`` (the limit of what the caller is about to read) and one byte more, so the reader
        refuses a bigger file as too large rather than reading all of it.
        """
        files = await self.picker.pick_files(dialog_title=title, with_data=True,
                                             file_type=ft.FilePickerFileType.CUSTOM, allowed_extensions=extensions)
        if not files:
            return None
        chosen = files[0]
        data = chosen.bytes
        if data is None and chosen.path:
            data = await self.work(_read_at_most, chosen.path, max_bytes + 1)
        return chosen.name, None if data is None else bytes(data)

    async def work(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` in a worker thread: the shared event loop never waits on disk or decoding."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def attempt(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Like :meth:`work`, turning a Mutual error into a plain-sentence SnackBar."""
        try:
            return await self.work(fn, *args, **kwargs)
        except MutualError as exc:
            self.toast(str(exc))
            return None
        except Exception as exc:  # a bug must not crash the session; say it plainly and log it
            log.exception("unexpected error in %s", getattr(fn, "__name__", fn))
            self.toast(f"Something went wrong ({type(exc).__name__}); nothing was changed.")
            return None


def _read_at_most(path: str, size: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


def first_route(store: Store) -> str:
    """Where a session opened at "/" starts: onboarding without a card, else Scan while an event runs."""
    if not store.cards.all():
        return "/welcome"
    return "/scan" if store.events.current() else "/event"


def make_main(store: Store) -> Callable[[ft.Page], None]:
    """The Flet entry point for one session, bound to the shared store."""

    def main(page: ft.Page) -> None:
        loop_monitor.start_if_enabled()  # benchmarks only: off unless MUTUAL_LOOP_MONITOR is set
        MutualApp(page, store).start()

    return main
