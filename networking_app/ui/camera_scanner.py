"""Scanning with the camera: frames decoded off the event loop, one at a time, until the first card.

flet-camera works on Android, iOS and the web (not on desktop). On phones it streams
frames (``start_image_stream``: no shutter sound, no file written, a frame every ~33 ms,
each a JPEG of the preset's size in the sensor's orientation). A frame arriving while
another is being decoded is dropped: the decoder always reads a recent frame, and
nothing queues up behind it. Where streaming is unsupported (the web), pictures are
taken in a loop (~5 a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from ..errors import NotACardError, UnreadableImageError
from ..scanning import read_image
from .screens.base import Shell

if TYPE_CHECKING:
    from ..payload import ParsedPayload

log = logging.getLogger(__name__)
POLL_SECONDS = 0.2
GIVE_UP_SECONDS = 90
GAVE_UP = "No card was found; the camera stopped. Try again, or open a photo."


def camera_available(page: ft.Page) -> bool:
    """flet-camera exists on phones and in the browser, not in the desktop client."""
    if page.web:
        return True
    return page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


PREVIEW_KEY = "camera-preview"


class CameraScanner:
    """A camera preview plus the reading of its frames, streamed or polled."""

    def __init__(self, app: Shell, on_card: Callable[[ParsedPayload], Awaitable[None] | None],
                 on_status: Callable[..., None], on_no_camera: Callable[[], None] | None = None) -> None:
        self.app = app
        self.on_card = on_card
        self.on_status = on_status  # (sentence, problem=False)
        self.on_no_camera = on_no_camera
        self.camera: Any = None
        self.running = False
        self.streaming = False
        self.frames_read = 0  # handed to the decoder, streamed or polled
        self.frames_dropped = 0  # streamed while another was being decoded
        self._decoding = False
        self._found: ParsedPayload | None = None
        self._wake = asyncio.Event()
        self._last_refusal = ""
        self.control = ft.Container(visible=False, border_radius=12, clip_behavior=ft.ClipBehavior.HARD_EDGE,
                                    alignment=ft.Alignment.CENTER, key=PREVIEW_KEY)

    async def start(self) -> None:
        """Open the camera and read frames; returns once a card was handed over, or the camera stopped."""
        import flet_camera as fc

        self.camera = fc.Camera(width=320, height=240, preview_enabled=True, expand=False,
                                on_stream_image=self._on_stream_image)
        self.control.content = self.camera
        self.control.visible = True
        self.control.update()
        try:
            cameras = await self.camera.get_available_cameras()
        except Exception:  # the platform refused (no permission, no device)
            cameras = []
        if not cameras:
            self._hide()
            self.on_status("No camera is available here: open a photo or paste a screenshot instead.", problem=True)
            if self.on_no_camera:
                self.on_no_camera()
            return
        back = [c for c in cameras if "back" in str(getattr(c, "lens_direction", "")).lower()]
        try:
            await self.camera.initialize((back or cameras)[0], fc.ResolutionPreset.MEDIUM, enable_audio=False)
        except Exception as exc:
            self._hide()
            self.on_status(f"The camera could not start ({exc}). Allow camera access, or open a photo instead.",
                           problem=True)
            return
        self.running, self._found, self._last_refusal = True, None, ""
        self._wake.clear()
        self.on_status("Point the camera at their QR code…")
        await self.app.reveal(PREVIEW_KEY)
        if await self._start_stream():
            await self._watch_stream()
        else:
            await self._poll()

    # -- streamed frames (phones) ------------------------------------------------------------
    async def _start_stream(self) -> bool:
        try:
            if not await self.camera.supports_image_streaming():
                return False
            await self.camera.start_image_stream()
        except Exception as exc:  # an older client, a platform quirk: pictures still work
            log.info("no camera stream, taking pictures instead: %s", exc)
            return False
        self.streaming = True
        return True

    def _on_stream_image(self, e: Any) -> None:
        """A frame (``CameraImageEvent``): decoded in the background unless one is being decoded."""
        ft.context.disable_auto_update()  # nothing on screen changed: 30 frames a second must not diff the page
        if not self.running or self._decoding or self._found is not None:
            self.frames_dropped += 1
            return
        self._decoding = True
        self.frames_read += 1
        self.app.page.run_task(self._read_streamed, bytes(e.bytes))

    async def _read_streamed(self, frame: bytes) -> None:
        try:
            parsed = await self._read(frame)
        finally:
            self._decoding = False
        if parsed is not None and self.running and self._found is None:
            self._found = parsed
            self._wake.set()

    async def _watch_stream(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), GIVE_UP_SECONDS)
        await self._hand_over()

    # -- pictures (the web) ----------------------------------------------------------------------
    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GIVE_UP_SECONDS
        while self.running and self._found is None and loop.time() < deadline:
            try:
                frame = bytes(await self.camera.take_picture())
            except Exception as exc:
                log.warning("camera picture failed: %s", exc)
                frame = b""
            self.frames_read += bool(frame)
            parsed = await self._read(frame) if frame else None
            if parsed is not None and self.running:
                self._found = parsed
                break
            await asyncio.sleep(POLL_SECONDS)
        await self._hand_over()

    # -- both --------------------------------------------------------------------------------------
    async def _read(self, frame: bytes) -> ParsedPayload | None:
        """The card in one frame, or None; a code that is no card is said once, and looking goes on."""
        try:
            parsed: ParsedPayload = await self.app.work(read_image, frame)
        except UnreadableImageError:
            return None
        except NotACardError as exc:  # keep looking: maybe they show another code next
            if str(exc) != self._last_refusal:
                self._last_refusal = str(exc)
                self.on_status(str(exc), problem=True)
            return None
        except Exception as exc:
            log.warning("camera frame failed: %s", exc)
            return None
        return parsed

    async def _hand_over(self) -> None:
        """Stop the camera, then give the card found to the screen (or say none was)."""
        found, was_running = self._found, self.running
        if was_running:
            await self.stop()
        if found is not None:
            result = self.on_card(found)
            if asyncio.iscoroutine(result):
                await result
        elif was_running:
            self.on_status(GAVE_UP, problem=True)

    async def stop(self) -> None:
        self.running = False
        self._wake.set()
        if self.streaming:
            self.streaming = False
            with contextlib.suppress(Exception):  # the camera may be gone already (screen left)
                await self.camera.stop_image_stream()
        self._hide()

    def _hide(self) -> None:
        self.control.visible = False
        self.control.content = None
        with contextlib.suppress(RuntimeError):
            self.control.update()
