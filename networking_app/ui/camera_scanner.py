"""Scanning with the camera: poll frames, decode them off the event loop, stop at the first card.

flet-camera works on Android, iOS and the web (not on desktop). On the web it
cannot stream frames, so pictures are taken in a loop (~5 a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from ..errors import NotACardError, UnreadableImageError
from ..payload import ParsedPayload
from ..scanning import read_image
from .screens.base import Shell

log = logging.getLogger(__name__)
POLL_SECONDS = 0.2
GIVE_UP_SECONDS = 90


def camera_available(page: ft.Page) -> bool:
    """flet-camera exists on phones and in the browser, not in the desktop client."""
    if page.web:
        return True
    return page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


PREVIEW_KEY = "camera-preview"


class CameraScanner:
    """A camera preview plus the loop that looks for a card in its frames."""

    def __init__(self, app: Shell, on_card: Callable[[ParsedPayload], Awaitable[None] | None],
                 on_status: Callable[..., None], on_no_camera: Callable[[], None] | None = None) -> None:
        self.app = app
        self.on_card = on_card
        self.on_status = on_status  # (sentence, problem=False)
        self.on_no_camera = on_no_camera
        self.camera: Any = None
        self.running = False
        self.control = ft.Container(visible=False, border_radius=12, clip_behavior=ft.ClipBehavior.HARD_EDGE,
                                    alignment=ft.Alignment.CENTER, key=PREVIEW_KEY)

    async def start(self) -> None:
        import flet_camera as fc

        self.camera = fc.Camera(width=320, height=240, preview_enabled=True, expand=False)
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
        self.running = True
        self.on_status("Point the camera at their QR code…")
        await self.app.reveal(PREVIEW_KEY)
        await self._poll()

    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GIVE_UP_SECONDS
        last_refusal = ""
        while self.running and loop.time() < deadline:
            try:
                frame = bytes(await self.camera.take_picture())
                parsed = await self.app.work(read_image, frame)
            except UnreadableImageError:
                await asyncio.sleep(POLL_SECONDS)
                continue
            except NotACardError as exc:  # keep looking: maybe they show another code next
                if str(exc) != last_refusal:
                    last_refusal = str(exc)
                    self.on_status(str(exc), problem=True)
                await asyncio.sleep(POLL_SECONDS)
                continue
            except Exception as exc:
                log.warning("camera frame failed: %s", exc)
                await asyncio.sleep(POLL_SECONDS)
                continue
            await self.stop()
            result = self.on_card(parsed)
            if asyncio.iscoroutine(result):
                await result
            return
        if self.running:
            await self.stop()
            self.on_status("No card was found; the camera stopped. Try again, or open a photo.", problem=True)

    async def stop(self) -> None:
        self.running = False
        self._hide()

    def _hide(self) -> None:
        self.control.visible = False
        self.control.content = None
        with contextlib.suppress(RuntimeError):
            self.control.update()
