"""Your data: export to the formats other apps read, import from them, back up and restore."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date
from pathlib import Path
from typing import Any

import flet as ft

from ...errors import MutualError
from ...interop import MAX_IMPORT_BYTES, ReplaceNotConfirmedError, Selection, export_bytes, import_bytes
from ...output_files import write_chosen_file
from ..sync_section import SyncSection
from ..widgets import isolated, muted, named_dropdown, page_body, primary, section
from .base import Screen

EXPORTS = [
    ("vcf", "Contacts (.vcf) — Google, Apple, Outlook"),
    ("csv", "Spreadsheet (.csv) — Google Contacts columns"),
    ("ics", "Calendar (.ics) — my follow-ups, with reminders"),
    ("json", "Everything (.json) — a full backup to keep safe"),
]
IMPORT_TYPES = ["vcf", "vcard", "csv", "json"]
EVERYONE = "everyone"


class DataScreen(Screen):
    title = "Your data"
    route = "/data"
    nav_route = "/people"
    back_route = "/people"

    def build(self) -> ft.Control:
        self.format = ft.RadioGroup(value="vcf", content=ft.Column([ft.Radio(value=v, label=t) for v, t in EXPORTS], spacing=0))
        events = self.store.events.all()
        self.scope = ft.Dropdown(label="Who", value=EVERYONE, options=[ft.DropdownOption(key=EVERYONE, text="Everyone")] + [
            ft.DropdownOption(key=e.id, text=f"People met at {isolated(e.name)} · {e.date}") for e in events[:50]])
        self.progress = ft.ProgressBar(visible=False, value=None)
        self.status = muted("", size=13)
        # progress and messages show under the section they belong to
        self.export_slot, self.import_slot = ft.Column(spacing=4), ft.Column(spacing=4)
        self.backups_slot = ft.Column(spacing=4)
        backups = self.store.backups.list()[:5]
        self.sync = SyncSection(self.app)
        return page_body([
            muted("Everything stays on this device. Files you export leave it: only the people you choose go "
                  "into them."),
            section("Export", self.format, named_dropdown(self.scope),
                    primary("Export…", self._export, icon=ft.Icons.UPLOAD_FILE), self.export_slot),
            section("Import", muted("A .vcf from a phone, Google or Outlook; Google Contacts or LinkedIn "
                                    "(Connections.csv) spreadsheets; or a Mutual backup (.json). People you "
                                    "already know are merged, not duplicated."),
                    ft.FilledTonalButton("Import a file…", icon=ft.Icons.DOWNLOAD, on_click=self._import),
                    self.import_slot),
            section("Backups", muted("Mutual keeps ten automatic backups: one a day while you use it, and one "
                                     "before a merge, a deletion or a restore."),
                    *[self._backup_row(b.path, f"{b.created:%a %d %b %Y, %H:%M} · {_reason(b.path.name)}")
                      for b in backups],
                    ft.Row([ft.OutlinedButton("Back up now", icon=ft.Icons.BACKUP_OUTLINED, on_click=self._backup),
                            ft.TextButton("Copy the folder's location", icon=ft.Icons.FOLDER_OUTLINED,
                                          on_click=self._copy_folder)], wrap=True),
                    self.backups_slot),
            self.sync.build(),
        ])

    async def did_mount(self) -> None:
        await self.sync.load()

    def dispose(self) -> None:
        self.sync.dispose()

    # -- export -----------------------------------------------------------------------------------------------
    def _selection(self) -> Selection:
        return Selection.everyone() if self.scope.value in (None, EVERYONE) else Selection.event(self.scope.value)

    async def _export(self, e: Any) -> None:
        self._report_under(self.export_slot)
        fmt = self.format.value or "vcf"
        result = await self._with_progress("Preparing the file…", export_bytes, self.store, fmt, self._selection())
        if result is None:
            return
        data, summary = result
        name = f"mutual-{date.today().isoformat()}.{fmt}"
        try:
            path = await self.app.picker.save_file(dialog_title="Save the export", file_name=name, src_bytes=data,
                                                   allowed_extensions=[fmt], file_type=ft.FilePickerFileType.CUSTOM)
        except Exception as exc:
            self._say(f"The file could not be saved ({exc}).")
            return
        if path is None and not self.app.page.web:
            self._say("Export cancelled.")
            return
        if path and not self.app.page.web:  # on desktop the dialog only chooses the path
            try:
                await self.app.work(write_chosen_file, Path(path), data, data_folder=self.store.folder)
            except MutualError as exc:  # a pipe, a device, the store's own files, a full disk
                self._say(str(exc))
                self.app.toast(str(exc))
                return
        self._say(f"Exported {summary.describe()} ({summary.size / 1024:.0f} KB)."
                  + (f" {summary.left_out} left out." if summary.left_out else ""))
        self.app.toast(f"Exported {summary.describe()}.")

    # -- import --------------------------------------------------------------------------------------------------
    async def _import(self, e: Any) -> None:
        self._report_under(self.import_slot)
        picked = await self.app.pick_file("Import contacts or a backup", IMPORT_TYPES, MAX_IMPORT_BYTES)
        if picked is None:
            return
        name, data = picked
        if data is None:
            self._say(f"{name} could not be read.")
            return
        await self._run_import(data, name, replace=False)

    async def _run_import(self, data: bytes, name: str, *, replace: bool) -> None:
        try:
            summary = await self._with_progress(f"Importing {name}…", import_bytes, self.store, data, name,
                                                replace=replace, raise_replace=True)
        except ReplaceNotConfirmedError as exc:
            sentence = str(exc).replace(" Nothing was changed.", "")
            self._confirm_replace(f"{sentence} A backup of what you have now is kept first.", data, name)
            return
        if summary is None:
            return
        message = summary.describe() if hasattr(summary, "describe") else "Imported."
        self._say(message)
        self.app.toast(message)
        if replace:  # everything changed, the backups list too
            self.app.refresh()

    def _confirm_replace(self, sentence: str, data: bytes, name: str) -> None:
        dialog: ft.AlertDialog  # made below; the handlers defined first close over it

        async def go(e: Any) -> None:
            self.app.close_dialog(dialog)
            await self._run_import(data, name, replace=True)

        dialog = ft.AlertDialog(
            title=ft.Text("Replace everything?"), content=ft.Text(sentence),
            actions=[ft.TextButton("Cancel", on_click=lambda e: self._cancel_replace(dialog, name)),
                     ft.FilledButton("Replace everything", on_click=go)])
        self.app.open_dialog(dialog)

    def _cancel_replace(self, dialog: ft.AlertDialog, name: str) -> None:
        self.app.close_dialog(dialog)
        self._say(f"Nothing was changed: {name} was not restored.")

    def _backup_row(self, path: Path, said: str) -> ft.Control:
        """A backup in the list, with a way to put it back from here (in the web mode from a phone's
        browser, the backup files are on the machine running Mutual: there is no file to pick)."""

        async def restore(e: Any) -> None:
            self._report_under(self.backups_slot)
            data = await self.app.attempt(_read_backup, path)
            if data is not None:
                await self._run_import(data, path.name, replace=False)  # asks first, as an imported backup does

        return ft.Row([muted(said, size=12, expand=True),
                       ft.TextButton("Restore…", on_click=restore, tooltip=f"Put back the backup of {said}")],
                      vertical_alignment=ft.CrossAxisAlignment.CENTER)

    async def _copy_folder(self, e: Any) -> None:
        await self.app.clipboard.set(str(self.store.folder))
        self.app.toast("The data folder's location is copied.")

    async def _backup(self, e: Any) -> None:
        path = await self.app.attempt(self.store.backup, reason="manual")
        if path:
            self.app.toast(f"Backed up to {path.name}.")
            self.app.refresh()

    # -- progress ----------------------------------------------------------------------------------------------------
    async def _with_progress(self, message: str, fn: Any, *args: Any, raise_replace: bool = False, **kwargs: Any) -> Any:
        """Run ``fn`` off the event loop, showing its progress (it reports from a worker thread)."""
        done = {"done": 0, "total": 0}

        def on_progress(count: int, total: int) -> None:
            done["done"], done["total"] = count, total

        self.progress.visible, self.progress.value = True, None
        self._say(message)
        task = asyncio.ensure_future(self.app.work(fn, *args, on_progress=on_progress, **kwargs))
        while not task.done():
            await asyncio.sleep(0.1)
            if done["total"]:
                self.progress.value = min(1.0, done["done"] / done["total"])
                self._say(f"{message} {done['done']:,} of {done['total']:,}")
                with contextlib.suppress(RuntimeError):
                    self.progress.update()
        self.progress.visible = False
        with contextlib.suppress(RuntimeError):
            self.progress.update()
        try:
            return task.result()
        except ReplaceNotConfirmedError:
            if raise_replace:
                raise
            return None
        except MutualError as exc:
            self._say(str(exc))
            self.app.toast(str(exc))
            return None

    def _report_under(self, slot: ft.Column) -> None:
        for place in (self.export_slot, self.import_slot, self.backups_slot):
            place.controls = [self.progress, self.status] if place is slot else []
        self._say("")
        with contextlib.suppress(RuntimeError):
            self.export_slot.update()
            self.import_slot.update()
            self.backups_slot.update()

    def _say(self, text: str) -> None:
        self.status.value = text
        with contextlib.suppress(RuntimeError):
            self.status.update()


REASONS = {"daily": "daily", "manual": "made by you", "before-merge": "before a merge", "before-delete": "before a deletion",
           "before-restore": "before a restore"}


def _reason(name: str) -> str:
    """What a backup was made for, from its file name ("mutual-<time>Z-before-merge.json")."""
    reason = name.removesuffix(".json").partition("Z-")[2]
    return REASONS.get(reason, "before an upgrade" if reason.startswith("before-schema") else reason or "backup")


def _read_backup(path: Path) -> bytes:
    from ...backups import read_backup_file

    try:
        return read_backup_file(path)
    except OSError as exc:
        raise MutualError(f"{path.name} could not be read ({exc.strerror or exc}); nothing was changed.") from None
