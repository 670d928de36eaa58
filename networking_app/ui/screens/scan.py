"""The exchange screen: my QR and "scan theirs" together, zero taps from a handshake."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import flet as ft

from ...errors import MutualError
from ...scanning import max_image_bytes, read_image, read_text
from .. import qr_cache
from ..camera_scanner import CameraScanner, camera_available
from ..widgets import icon_button, isolated, muted, notice, page_body, qr_picture
from .base import Screen

if TYPE_CHECKING:
    from ...payload import ParsedPayload

IMAGE_TYPES = ["png", "jpg", "jpeg", "webp"]


CAMERA_START, CAMERA_STOP = "Scan with camera", "Stop camera"
STATUS_KEY = "scan-status"


class ScanScreen(Screen):
    title = "Scan"
    route = "/scan"
    nav_route = "/scan"

    def build(self) -> ft.Control:
        self.card = self.store.cards.default()
        self.event = self.store.events.current()
        png = qr_cache.cached_png(self.card) if self.card else None
        label = f"QR code of the card of {self.card.full_name}" if self.card else ""
        self.qr_slot = ft.Container(qr_picture(png, label) if png else ft.ProgressRing(), alignment=ft.Alignment.CENTER,
                                    on_click=lambda e: self.app.go("/show"), tooltip="Show full screen")
        self.status = ft.Text("", visible=False, key=STATUS_KEY)
        self.progress = ft.ProgressBar(visible=False)
        self.camera = CameraScanner(self.app, self._review, self._say, on_no_camera=self._no_camera)
        self.paste = ft.TextField(
            label="Paste a screenshot or their card text", multiline=True, min_lines=1, max_lines=4,
            on_paste_files=self._pasted_files, on_change=self._maybe_complete,
            suffix=icon_button(ft.Icons.SEND, "Read pasted text", self._pasted_text),
        )  # Enter is a new line (someone may type a card by hand); the send button reads it
        actions: list[ft.Control] = [ft.FilledButton("Open a photo", icon=ft.Icons.PHOTO_LIBRARY_OUTLINED, on_click=self._pick)]
        if camera_available(self.app.page) and not self.app.camera_missing:
            self.camera_button = ft.FilledButton(CAMERA_START, icon=ft.Icons.PHOTO_CAMERA_OUTLINED, on_click=self._start_camera)
            actions.insert(0, self.camera_button)
        self.event_slot = ft.Container(self._event_line())
        # the outcome of a scan shows right under the buttons that started it, where the eye is
        return page_body([
            self.event_slot,
            *self._my_code(),
            ft.Divider(),
            ft.Text("Scan theirs", size=18, weight=ft.FontWeight.W_600),
            ft.Row(actions, wrap=True),
            self.progress,
            self.status,
            self.camera.control,
            self.paste,
        ])

    def _my_code(self) -> list[ft.Control]:
        if not self.card:
            return [notice("You have no card yet.",
                           action=ft.TextButton("Create it", on_click=lambda e: self.app.go("/welcome")))]
        return [self.qr_slot,
                ft.Text(self.card.full_name, size=18, weight=ft.FontWeight.W_600, text_align=ft.TextAlign.CENTER),
                muted("Let them scan this with any phone camera. Tap it to show it full screen.",
                      text_align=ft.TextAlign.CENTER)]

    def _event_line(self, met: int | None = None) -> ft.Control:
        if self.event:
            met = len(self.store.meetings.at(self.event.id)) if met is None else met
            people = "person" if met == 1 else "people"
            return notice(f"At {isolated(self.event.name)} · {met} {people} met so far", ft.Icons.EVENT,
                          action=ft.TextButton("Event", on_click=lambda e: self.app.go("/event")))
        return notice("No event is running: people you scan are saved without one.", ft.Icons.EVENT_BUSY,
                      action=ft.TextButton("Start one", on_click=lambda e: self.app.go("/event")))

    async def did_mount(self) -> None:
        if self.card and qr_cache.cached_png(self.card) is None:
            png, _ = await self.app.work(qr_cache.png_for, self.card)
            self.qr_slot.content = qr_picture(png, f"QR code of the card of {self.card.full_name}")
            with contextlib.suppress(RuntimeError):
                self.qr_slot.update()

    def dispose(self) -> None:
        if self.camera.running:
            self.app.page.run_task(self.camera.stop)

    async def _counted(self, result: Any) -> None:
        """A person was just saved: the count behind the open sheet says so at once."""
        if self.event is None:
            return
        met = len(await self.app.work(self.store.meetings.at, self.event.id))
        self.event_slot.content = self._event_line(met)
        with contextlib.suppress(RuntimeError):
            self.event_slot.update()

    def _no_camera(self) -> None:
        """Said once: the camera button goes for the rest of the session."""
        self.app.camera_missing = True
        if getattr(self, "camera_button", None):
            self.camera_button.visible = False
            with contextlib.suppress(RuntimeError):
                self.camera_button.update()

    # -- ways in ------------------------------------------------------------------------------------------
    async def _start_camera(self, e: ft.Event[Any]) -> None:
        """The camera button starts the camera, and stops it while it runs (its label says which)."""
        if self.camera.running:
            await self.camera.stop()
            self._say("Camera stopped.")
            return
        self._camera_label(CAMERA_STOP, ft.Icons.STOP_CIRCLE_OUTLINED)
        try:
            await self.camera.start()  # returns once a card is read, the camera stops or gives up
        finally:
            self._camera_label(CAMERA_START, ft.Icons.PHOTO_CAMERA_OUTLINED)

    def _camera_label(self, text: str, icon: ft.IconData) -> None:
        self.camera_button.content, self.camera_button.icon = text, icon
        with contextlib.suppress(RuntimeError):  # the screen may be gone already
            self.camera_button.update()

    async def _pick(self, e: ft.Event[Any]) -> None:
        limit = await self.app.work(max_image_bytes)  # off the loop: it may load the decoder
        picked = await self.app.pick_file("Open a photo or screenshot of their QR code", IMAGE_TYPES, limit)
        if picked is None:
            return
        name, data = picked
        if data is None:
            self._say("That file could not be read.", problem=True)
            return
        await self._read(read_image, data, f"Reading {name}…")

    async def _pasted_files(self, e: Any) -> None:
        images = [f for f in e.files if (f.mime_type or "").startswith("image/")]
        if not images:
            self._say("Paste an image (a screenshot of their code) or their card as text.", problem=True)
            return
        await self._read(read_image, bytes(images[0].bytes), "Reading the pasted image…")

    async def _maybe_complete(self, e: Any) -> None:
        """A whole vCard pasted in is read at once: no extra tap after a paste."""
        if "END:VCARD" in (self.paste.value or "").upper() and not self.progress.visible:
            await self._pasted_text(e)

    async def _pasted_text(self, e: Any) -> None:
        text = (self.paste.value or "").strip()
        if not text:
            self._say("Paste their card text or a screenshot into the field first.", problem=True)
            return
        await self._read(read_text, text, "Reading the pasted text…")

    # -- reading and reviewing ---------------------------------------------------------------------------------
    async def _read(self, reader: Any, data: Any, message: str) -> None:
        self._busy(message)
        try:
            parsed = await self.app.work(reader, data)
        except MutualError as exc:
            self._busy(None)
            self._say(str(exc), problem=True)
            return
        self._busy(None)
        self.paste.value = ""
        self._review(parsed)

    def _review(self, parsed: ParsedPayload) -> None:
        from ..note_sheet import NoteSheet  # with the vCard codec: imported by the warm-up after the first paint

        self._say("")
        NoteSheet(self.app, on_saved=lambda result: self.app.page.run_task(self._counted, result)).review(parsed)

    def _busy(self, message: str | None) -> None:
        self.progress.visible = message is not None
        if message:
            self._say(message)
        with contextlib.suppress(RuntimeError):
            self.progress.update()
        if message:
            self.app.page.run_task(self.app.reveal, STATUS_KEY)

    def _say(self, text: str, problem: bool = False) -> None:
        """A line under the buttons; a problem (not a card, no camera…) also in a SnackBar, which a
        phone shows above its navigation bar whatever the scroll."""
        self.status.value = text
        self.status.visible = bool(text)
        self.status.color = ft.Colors.ERROR if problem else None
        with contextlib.suppress(RuntimeError):
            self.status.update()
        if problem and text:
            self.app.toast(text)
