"""Start the app: the Flet desktop window, or web mode on 127.0.0.1 (offline, no CDN).

``uv run main.py`` opens the desktop window. Where none can open (no display,
or the Flet desktop client cannot be downloaded), it says so in one sentence and
serves the web mode on 127.0.0.1 instead. ``--web`` asks for web mode directly.
The web mode opens only with the link it prints, which holds a key made for this
run (``web_key``); where there is a desktop, it opens that link in the browser.
It never binds 0.0.0.0 unless asked with ``--host``, and then says so.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import flet as ft

from .. import paths
from ..errors import MutualError, StoreCorruptError

if TYPE_CHECKING:
    from ..store import Store
    from .web_server import WebSite

DEFAULT_PORT = 8550
DECODER_DELAY = 4.0  # seconds after the warm-up before loading the QR decoder
ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mutual", description="Mutual: the app (no command given).")
    parser.add_argument("--web", action="store_true", help="serve the app to a browser on this machine")
    parser.add_argument("--port", type=int, default=0, help=f"web mode port (default {DEFAULT_PORT}, or a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="web mode address (default 127.0.0.1: this machine only)")
    parser.add_argument("--data-dir", help="where the data lives")
    return parser.parse_args(argv)


def launch(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        folder = paths.data_dir(args.data_dir)
    except MutualError as exc:
        print(exc, file=sys.stderr)
        return 1
    from . import qr_cache

    qr_cache.configure(folder / "cache")  # my QR from the last run: shown without drawing it
    opener = StoreOpener(folder)

    async def main(page: ft.Page) -> None:
        store = opener.store if opener.done.is_set() else await asyncio.to_thread(opener.open)
        if store is None:  # the sentence, where the person looks: the page
            cannot_start(page, opener)
            return
        from .app import make_main  # imported by the warm-up thread meanwhile

        make_main(store)(page)

    try:
        web_reason = "" if args.web else desktop_unavailable_reason()
        under_flet_run = bool(os.environ.get("FLET_DISPLAY_URL_PREFIX") or os.environ.get("FLET_SERVER_UDS_PATH"))
        if under_flet_run or not (args.web or web_reason):
            if opener.open() is None:  # no page yet to say it on: said on stderr, as the command line does
                return 1
        if under_flet_run:
            _under_flet_run(main, opener)  # `flet run [--web]`: it chose the port and prints the URL
        elif args.web or web_reason:
            from . import web_server  # Starlette and uvicorn: the desktop window does without them

            site = web_server.WebSite(args.host, args.port or _free_port(args.host, DEFAULT_PORT))
            web_server.announce(site, web_reason)
            web_server.serve(main, site, assets_dir=str(ASSETS),
                             on_listening=lambda: _once_listening(opener, site, open_browser=has_display()))
        else:
            ft.run(main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS))
    finally:
        if opener.store is not None:
            opener.store.close()
    return 0


def cannot_start(page: ft.Page, opener: StoreOpener) -> None:
    """Why Mutual cannot start, in its sentence; for a damaged store, the way out in one tap: the
    backup the sentence names is put back (the damaged files kept aside), and the app starts."""
    from . import theme

    theme.apply(page)
    error = opener.error
    backup = error.backup if isinstance(error, StoreCorruptError) else None
    said = ft.Text(str(error))
    column = ft.Column([ft.Text("Mutual cannot start", size=22, weight=ft.FontWeight.W_600), said], spacing=12)

    async def put_back(e: Any) -> None:
        from ..store.recovery import put_back

        assert backup is not None
        button.disabled = True
        page.update()
        try:
            store, aside = await asyncio.to_thread(put_back, opener.folder, backup)
        except MutualError as exc:
            said.value, button.disabled = str(exc), False
            page.update()
            return
        opener.store, opener.error = store, None
        page.controls.clear()
        from .app import make_main

        make_main(store)(page)
        page.show_dialog(ft.SnackBar(ft.Text(f"Put back {backup.name}; the damaged files are kept in {aside}.")))

    button = ft.FilledButton("Put back this backup", icon=ft.Icons.RESTORE, on_click=put_back)
    if backup is not None:
        column.controls.append(button)
    page.add(column)


class StoreOpener:
    """Opens the store once, in whichever thread asks first; sessions wait for it.

    In web mode the server starts first and the store opens while the browser boots Flutter:
    importing and opening it (~0.3 s of CPU) no longer delays the port.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.done = threading.Event()
        self.store: Store | None = None
        self.error: Exception | None = None
        self._once = threading.Lock()

    def open(self) -> Store | None:
        with self._once:
            if not self.done.is_set():
                try:
                    from ..store import Store

                    self.store = Store.open(self.folder)
                except MutualError as exc:
                    self.error = exc
                    print(exc, file=sys.stderr)
                finally:
                    self.done.set()
        return self.store


def _under_flet_run(main, opener: StoreOpener) -> None:
    """`flet run` starts this script with the server's address in its environment and reads the
    page's URL from a line of stdout that starts with its prefix; `flet run --web` opens that URL
    in the browser, so it is given the link with the key."""
    if os.environ.get("FLET_FORCE_WEB_SERVER", "").lower() not in ("1", "true"):
        ft.run(main, view=ft.AppView.FLET_APP, no_cdn=True, assets_dir=str(ASSETS))
        return
    from . import web_server

    host = os.environ.get("FLET_SERVER_IP") or "127.0.0.1"
    site = web_server.WebSite(host, int(os.environ.get("FLET_SERVER_PORT") or _free_port(host, DEFAULT_PORT)))
    print(os.environ.get("FLET_DISPLAY_URL_PREFIX", ""), site.local_url, ft.AppView.WEB_BROWSER.value, flush=True)
    web_server.announce(site, first_line=False)
    web_server.serve(main, site, assets_dir=str(ASSETS),
                     on_listening=lambda: _once_listening(opener, site, open_browser=False))


def has_display() -> bool:
    """Whether a window (or a browser) can open here."""
    return not sys.platform.startswith("linux") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def desktop_unavailable_reason() -> str:
    """Why no desktop window can open here ("" when one can)."""
    if not has_display():
        return "There is no display here"
    try:
        import flet_desktop  # type: ignore[import-untyped]
    except ImportError:
        return "The Flet desktop client is not installed"
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(15)  # a download that cannot start must not hang the start-up
    try:
        flet_desktop.ensure_client_cached()
    except Exception as exc:  # no network, blocked download, unsupported system
        return f"The Flet desktop client could not be fetched ({type(exc).__name__})"
    finally:
        socket.setdefaulttimeout(previous)
    return ""


def _free_port(host: str, preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    return preferred


# What the landing screens (Scan, Event, Welcome) draw; others are imported when first used.
FIRST_CONTROLS = ("ThemeMode", "View", "AppBar", "NavigationBar", "NavigationBarDestination",
                  "ResponsiveRow", "Column", "Row", "Container", "Image", "Text", "TextField", "FilledButton",
                  "TextButton", "OutlinedButton", "IconButton", "Icon", "ProgressBar", "Divider", "ListTile",
                  "FilePicker", "Clipboard", "UrlLauncher")  # the services every session makes at once


def _once_listening(opener: StoreOpener, site: WebSite, *, open_browser: bool) -> None:
    """Once the server listens: open the link in the browser, then warm up while the browser boots
    Flutter (~2-3 s of its own CPU), not while the server starts (that would only delay the port)."""
    if open_browser:
        import webbrowser

        webbrowser.open(site.local_url)
    store = opener.open()
    if store is not None:
        _warm_up(store)


def _warm_up(store: Store) -> None:
    """While the server starts and the browser boots Flutter, do what the first session needs:
    import the screens and Flet's controls, index the meetings and make my card's QR (first paint
    shows it at once); after the first paint, load the QR decoder and the other screens, and index
    everyone's words for introductions (the note sheet after the first scan then never waits for them)."""
    try:
        from . import app, routes, theme  # noqa: F401  (imported for the first session)

        for name in FIRST_CONTROLS:
            getattr(ft, name)  # flet imports its control modules lazily, on first use
        routes.screen_class(routes.SIMPLE[app.first_route(store)])  # the screen the first session shows
        store.people.ids()  # the meetings' index and the order of People, made on first use
        card = store.cards.default()
        if card is not None:
            from . import qr_cache

            qr_cache.png_for(card)
        time.sleep(DECODER_DELAY)  # after the first paint: not competing with the browser's boot
        from .. import qr_decode  # noqa: F401  (zxing-cpp, numpy, Pillow: ready before the first scan)
        for target in [*routes.SIMPLE.values(), *routes.WITH_ID.values()]:
            routes.screen_class(target)  # every other screen: a first visit does not import it on the loop
        store.intros.prepare()  # in steps, letting go of the store between them
    except MutualError:
        log.info("my card does not fit a QR code yet")
    except Exception:  # warming up is an optimisation: never a reason not to start
        log.exception("warm-up failed")
