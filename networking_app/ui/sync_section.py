"""The Sync section of Your data: one set of people on my phone and my laptop.

Choose the folder the person's sync app shares (a folder picker where the platform has one,
a typed path otherwise), name this device, see the other devices and what came in; sync now.
The syncing itself runs on its own thread (:mod:`networking_app.sync.auto`), never on the
event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any

import flet as ft

from ..errors import MutualError
from ..sync.auto import AutoSync, Outcome
from ..sync.engine import Sync, SyncStatus, default_device_name
from .screens.base import Shell
from .widgets import muted, primary, section

EXPLAIN = ("Keep the same people, notes and follow-ups on your phone and your laptop through a folder your "
           "sync app already shares (Syncthing, Nextcloud, Dropbox, iCloud Drive). There is no Mutual server: "
           "each device writes files of its own in that folder and reads the others'.")


class SyncSection:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.store = app.store
        self.auto = AutoSync.for_store(self.store)
        self.column = ft.Column(spacing=8)
        self.progress = ft.ProgressBar(visible=False, value=None)
        self.said = muted("", size=13)
        self._stop_listening = self.auto.listen(self._on_outcome)

    def build(self) -> ft.Control:
        self.column.controls = [muted(EXPLAIN), ft.ProgressRing(width=20, height=20)]
        return section("Sync between your devices", self.column)

    async def load(self) -> None:
        """Fill in the section from the folder (a disk read: off the loop)."""
        status = await self.app.work(Sync(self.store).status)
        self.column.controls = self._set_up_form(status) if not status.folder else self._synced(status)
        with contextlib.suppress(RuntimeError):
            self.column.update()

    def dispose(self) -> None:
        self._stop_listening()

    # -- not set up yet ------------------------------------------------------------------------------------
    def _set_up_form(self, status: SyncStatus, folder: str = "") -> list[ft.Control]:
        self.folder = ft.TextField(label="Sync folder", value=folder, hint_text="e.g. /home/ana/Sync/Mutual",
                                   expand=True, on_submit=self._start)
        self.name = ft.TextField(label="This device's name", value=status.name or default_device_name(),
                                 hint_text="e.g. Ana's laptop", max_length=60)
        row: list[ft.Control] = [self.folder]
        if not self.app.page.web:  # a folder picker gives a path only where the app runs on the device
            row.append(ft.OutlinedButton("Choose…", icon=ft.Icons.FOLDER_OPEN, on_click=self._choose))
        return [muted(EXPLAIN), ft.Row(row, vertical_alignment=ft.CrossAxisAlignment.START), self.name,
                primary("Start syncing", self._start, icon=ft.Icons.SYNC), self.progress, self.said]

    async def _choose(self, e: Any) -> None:
        try:
            path = await self.app.picker.get_directory_path(dialog_title="The folder your sync app shares")
        except Exception:  # noqa: BLE001 - no picker here (e.g. Linux without zenity): typing works
            self._say("No folder picker here: type the folder's path.")
            return
        if path:
            self.folder.value = path
            with contextlib.suppress(RuntimeError):
                self.folder.update()

    async def _start(self, e: Any) -> None:
        folder, name = (self.folder.value or "").strip(), (self.name.value or "").strip()
        if not folder:
            self.folder.error = "Type the folder your sync app shares."
            with contextlib.suppress(RuntimeError):
                self.folder.update()
            return
        try:
            await self.app.work(Sync(self.store).set_up, folder, name or None)
        except MutualError as exc:
            self.folder.error = str(exc)
            with contextlib.suppress(RuntimeError):
                self.folder.update()
            return
        await self._sync_now(e)

    # -- set up --------------------------------------------------------------------------------------------
    def _synced(self, status: SyncStatus) -> list[ft.Control]:
        others = [d for d in status.devices if not d.this_device]
        devices: list[ft.Control] = [
            ft.ListTile(leading=ft.Icon(ft.Icons.DEVICES_OTHER), title=ft.Text(d.name),
                        subtitle=ft.Text(_device_line(d.last_change, d.last_seen)), dense=True)
            for d in others] or [muted("No other device yet: set up Mutual on your other device with the same "
                                       "folder (as your sync app sees it there).", size=13)]
        self.name = ft.TextField(label="This device's name", value=status.name, max_length=60,
                                 on_submit=self._rename, expand=True)
        waiting = f" · {status.waiting} change{'' if status.waiting == 1 else 's'} waiting to go out" \
            if status.waiting else ""
        last = self.auto.last
        came = muted(_outcome_line(last) or f"Last sync: {_when(status.last_sync)}{waiting}", size=13)
        self.said = came
        return [
            muted(f"Syncing through {status.folder}.", size=13),
            ft.Row([self.name, ft.TextButton("Rename", on_click=self._rename)],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Text("Your other devices", weight=ft.FontWeight.W_500), *devices,
            ft.Row([primary("Sync now", self._sync_now, icon=ft.Icons.SYNC),
                    ft.TextButton("Change folder", on_click=self._change_folder)], wrap=True),
            self.progress, came,
        ]

    async def _rename(self, e: Any) -> None:
        if await self.app.attempt(Sync(self.store).rename, self.name.value or ""):
            self.app.toast(f"This device is now “{(self.name.value or '').strip()}” to the others.")

    async def _change_folder(self, e: Any) -> None:
        status = await self.app.work(Sync(self.store).status)
        self.column.controls = self._set_up_form(status, status.folder)
        with contextlib.suppress(RuntimeError):
            self.column.update()

    async def _sync_now(self, e: Any) -> None:
        self.progress.visible, self.progress.value = True, None
        self._say("Syncing…")
        task = asyncio.ensure_future(self.app.work(self.auto.run_now))
        while not task.done():
            await asyncio.sleep(0.2)
            done, total = self.auto.progress
            if total:
                self.progress.value = done / total
                with contextlib.suppress(RuntimeError):
                    self.progress.update()
                self._say(f"Syncing… {100 * done // total}%")
        self.progress.visible = False
        with contextlib.suppress(RuntimeError):
            self.progress.update()
        await self.load()  # devices and times as they are now; the outcome line comes from _on_outcome

    # -- what each run did ---------------------------------------------------------------------------------
    def _on_outcome(self, outcome: Outcome) -> None:
        """From the sync thread: say what came in, and show the new records on the current screen."""
        page = self.app.page

        async def show() -> None:
            self._say(_outcome_line(outcome))  # the app itself says what came in (MutualApp._on_sync)

        page.run_task(show)

    def _say(self, text: str) -> None:
        self.said.value = text
        with contextlib.suppress(RuntimeError):
            self.said.update()


def _outcome_line(outcome: Outcome) -> str:
    if outcome.error:
        return outcome.error
    if outcome.report is None:
        return ""
    when = datetime.fromtimestamp(outcome.finished).strftime("%H:%M")
    problems = f" {outcome.report.problems[0]}" if outcome.report.problems else ""
    return f"Synced at {when}: {outcome.report.summary()}{problems}"


def _device_line(last_change: str, last_seen: str) -> str:
    change = f"last change {_when(last_change)}" if last_change else "no changes yet"
    return f"{change} · last synced {_when(last_seen)}"


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%a %d %b, %H:%M")
    except ValueError:
        return "never"
