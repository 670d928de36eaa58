"""The camera scanner in process: frames streamed as flet-camera sends them on phones, pictures on the web.

Stream events are built from real phone-camera photos of card QR codes (the zxing corpus),
turned and sized like a sensor frame and encoded the way flet-camera's Dart side encodes
them (``tests/support/camera_stream.py``), then dispatched through the session exactly as
the client's ``stream_image`` events are.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import date
from typing import Any

import flet as ft
import flet_camera as fc
import pytest

from networking_app import scanning
from networking_app.models import MyCard
from networking_app.store import Store
from networking_app.ui import camera_scanner
from tests.support.camera_stream import MECARD_PHOTO, empty_scene, stream_event
from tests.support.flet_fake_client import FakeClient
from tests.support.ui_client import button, open_app, sheet_open, texts, wait_for

pytestmark = [pytest.mark.asyncio, pytest.mark.on_disk]
TODAY = date(2026, 11, 25)
SEAN_PHOTO = MECARD_PHOTO.parents[1] / "qrcode-3" / "30.png"  # MECARD:N:Sean Owen;… photographed
BACK_CAMERA = [{"name": "0", "lens_direction": "back", "sensor_orientation": 90, "lens_type": "wide"}]


@pytest.fixture
def ready(open_store) -> Store:
    store = open_store(today=lambda: TODAY, daily_backup=False)
    store.cards.save(MyCard(given="Ana", family="Lima", formatted="Ana Lima", emails=["ana@lima.example"]))
    return store


class DecodeSpy:
    """The real ``read_image``, counted: how many frames were decoded, and how many at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, delay: float = 0.0) -> None:
        self.calls = 0
        self.most_at_once = 0
        self._now = 0
        self._lock = threading.Lock()
        self._delay = delay  # a slow phone: a frame takes this much longer to decode
        monkeypatch.setattr(camera_scanner, "read_image", self)

    def __call__(self, frame: bytes) -> Any:
        with self._lock:
            self.calls += 1
            self._now += 1
            self.most_at_once = max(self.most_at_once, self._now)
        try:
            time.sleep(self._delay)
            return scanning.read_image(frame)
        finally:
            with self._lock:
                self._now -= 1


def invoked(client: FakeClient, name: str) -> int:
    return sum(1 for method, _ in client.conn.invoked if method == name)


def refuse_pictures(args: Any) -> bytes:
    raise AssertionError("a phone that streams is never asked for a picture")


async def phone_scanning(store: Store) -> tuple[FakeClient, Any]:
    """The Scan screen on an Android phone, the camera started and streaming."""
    client = await open_app(store, route="/scan", **{
        "Camera.get_available_cameras": BACK_CAMERA,
        "Camera.supports_image_streaming": True,
        "Camera.take_picture": refuse_pictures,
    })
    client.session.apply_page_patch({"web": False, "platform": "android"})
    press(client, button(client, "Scan with camera"))
    await wait_for(client, lambda: invoked(client, "start_image_stream") == 1, "the image stream to start")
    [camera] = client.find(lambda c: isinstance(c, fc.Camera))
    return client, camera


def press(client: FakeClient, control: ft.Control) -> None:
    """Tap a button whose handler runs on (the camera button's lasts while the camera does)."""
    task = asyncio.get_running_loop().create_task(client.click(control))
    RUNNING.add(task)
    task.add_done_callback(RUNNING.discard)


RUNNING: set[asyncio.Task[None]] = set()


async def stream(client: FakeClient, camera: Any, event: dict[str, Any], times: int = 1) -> None:
    """``times`` frames arriving back to back, as the client sends them (no waiting in between)."""
    for _ in range(times):
        await client.session.dispatch_event(camera._i, "stream_image", event)


async def test_a_phone_reads_the_stream_one_frame_at_a_time_and_drops_the_rest(
        ready: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = DecodeSpy(monkeypatch, delay=0.05)
    client, camera = await phone_scanning(ready)
    scanner = camera.on_stream_image.__self__
    assert scanner.streaming and camera.on_stream_image is not None
    await stream(client, camera, stream_event(empty_scene()), times=12)  # 12 frames while one decodes
    assert (scanner.frames_read, scanner.frames_dropped) == (1, 11)
    await wait_for(client, lambda: spy.calls == 1 and not scanner._decoding, "the one frame decoded")
    await stream(client, camera, stream_event(SEAN_PHOTO), times=5)
    await wait_for(client, lambda: sheet_open(client), "the review sheet")
    assert "Sean Owen" in texts(client)
    assert spy.calls == 2 and spy.most_at_once == 1
    assert scanner.frames_dropped == 11 + 4
    assert invoked(client, "stop_image_stream") == 1 and not scanner.running
    assert invoked(client, "take_picture") == 0  # no shutter sound, no file
    await stream(client, camera, stream_event(SEAN_PHOTO), times=3)  # late frames, camera stopped
    assert spy.calls == 2
    assert len([s for s in client.find(lambda c: isinstance(c, ft.BottomSheet)) if s.open]) == 1


async def test_a_stream_frame_says_what_it_is_like_flet_camera_sends_it(ready: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[Any] = []
    client, camera = await phone_scanning(ready)
    scanner = camera.on_stream_image.__self__
    original = scanner._on_stream_image

    def spy(e: Any) -> None:
        received.append(e)
        original(e)

    camera.on_stream_image = spy
    await stream(client, camera, stream_event(SEAN_PHOTO))
    [event] = received
    assert isinstance(event, fc.CameraImageEvent)
    assert (event.width, event.height, event.encoded_format) == (720, 480, "jpeg")
    assert event.format == fc.ImageFormatGroup.YUV420 and event.bytes[:3] == b"\xff\xd8\xff"
    await wait_for(client, lambda: sheet_open(client), "the review sheet")


async def test_a_code_that_is_no_card_is_said_once_and_the_stream_goes_on(
        ready: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = DecodeSpy(monkeypatch)
    client, camera = await phone_scanning(ready)
    wifi = stream_event(SEAN_PHOTO)
    monkeypatch.setattr(scanning, "image_codes", lambda data: ["WIFI:S:CafeNet;T:WPA;P:secret;;"])
    for _ in range(3):
        await stream(client, camera, wifi)
        await wait_for(client, lambda: not camera.on_stream_image.__self__._decoding, "the frame decoded")
    toasts = client.find(lambda c: isinstance(c, ft.SnackBar) and "Wi-Fi" in (c.content.value or ""))
    assert len(toasts) == 1 and "secret" not in toasts[0].content.value  # said once, not per frame
    assert all("secret" not in t for t in texts(client))
    assert spy.calls == 3 and invoked(client, "stop_image_stream") == 0
    monkeypatch.undo()
    await stream(client, camera, stream_event(SEAN_PHOTO))
    await wait_for(client, lambda: sheet_open(client), "the review sheet once a card shows")


async def test_stopping_the_camera_stops_the_stream(ready: Store) -> None:
    client, camera = await phone_scanning(ready)
    await client.click(button(client, "Stop camera"))
    await wait_for(client, lambda: invoked(client, "stop_image_stream") == 1, "the stream stopped")
    assert "Camera stopped." in texts(client)
    await stream(client, camera, stream_event(SEAN_PHOTO))
    assert not sheet_open(client)


async def test_the_web_takes_pictures_where_the_stream_is_unsupported(ready: Store) -> None:
    pictures = [stream_event(empty_scene())["bytes"], stream_event(SEAN_PHOTO)["bytes"]]

    def take_picture(args: Any) -> bytes:
        return pictures.pop(0) if len(pictures) > 1 else pictures[0]

    client = await open_app(ready, route="/scan", **{
        "Camera.get_available_cameras": BACK_CAMERA,
        "Camera.supports_image_streaming": False,
        "Camera.take_picture": take_picture,
    })
    press(client, button(client, "Scan with camera"))
    await wait_for(client, lambda: sheet_open(client), "the review sheet from a picture")
    assert "Sean Owen" in texts(client)
    assert invoked(client, "start_image_stream") == 0 and invoked(client, "take_picture") == 2
