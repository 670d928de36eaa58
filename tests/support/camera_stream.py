"""Camera frames as flet-camera 1.0.5's image stream hands them to Python.

On a phone, Flutter's camera plugin gives flet-camera each frame as planes in the sensor's
orientation at the resolution preset's size: YUV420 on Android (MEDIUM is 720×480), with the
chroma planes at half resolution. flet-camera converts the planes to RGB in Dart
(``_encodeYuv420Payload``: Y + 1.402 V, …, rounded and clamped), encodes a JPEG with the
``image`` package (quality 100), and sends ``stream_image`` with ``width``, ``height``,
``format`` ("yuv420"), ``encoded_format`` ("jpeg") and the bytes — ``CameraImageEvent`` in
Python (``flet_camera/src/flutter/flet_camera/lib/src/utils/camera.dart``).

The scenes are real phone-camera photos of card QR codes from the zxing corpus (the
person holds their phone up; the sensor sees it sideways), or a photo without a code.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "zxing-qrcode"
# Real photos of card QR codes (zxing's blackbox set): the MeCard of "Google 411" and a vCard.
MECARD_PHOTO = CORPUS / "qrcode-3" / "10.png"
VCARD_PHOTO = CORPUS / "qrcode-2" / "11.png"
ANDROID_MEDIUM = (720, 480)  # ResolutionPreset.MEDIUM on Android: the sensor's landscape frame
SENSOR_ORIENTATION = 90  # the back camera of most phones: frames need turning 90° clockwise


def sensor_frame(photo: Image.Image, size: tuple[int, int] = ANDROID_MEDIUM) -> Image.Image:
    """The scene as the sensor sees it: turned by the sensor orientation, at the preset's size.

    The photo keeps its proportions (all of it stays in the frame); the rest of the frame is
    the photo's average colour, like the wall behind a held-up phone.
    """
    sideways = photo.convert("RGB").rotate(SENSOR_ORIENTATION, expand=True)  # counter-clockwise
    scale = min(size[0] / sideways.width, size[1] / sideways.height)
    resized = sideways.resize((round(sideways.width * scale), round(sideways.height * scale)), Image.Resampling.BICUBIC)
    wall = tuple(int(c) for c in np.asarray(resized).reshape(-1, 3).mean(axis=0))
    frame = Image.new("RGB", size, wall)
    frame.paste(resized, ((size[0] - resized.width) // 2, (size[1] - resized.height) // 2))
    return frame


def yuv420_planes(frame: Image.Image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y at full resolution, U and V (Cb, Cr) at half: what Android's YUV_420_888 holds."""
    y, cb, cr = (np.asarray(p, dtype=np.uint8) for p in frame.convert("YCbCr").split())
    half = (frame.width // 2, frame.height // 2)
    u = np.asarray(Image.fromarray(cb).resize(half, Image.Resampling.BOX), dtype=np.uint8)
    v = np.asarray(Image.fromarray(cr).resize(half, Image.Resampling.BOX), dtype=np.uint8)
    return y, u, v


def dart_jpeg(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> bytes:
    """flet-camera's ``_encodeYuv420Payload`` then ``img.encodeJpg`` (quality 100), in numpy."""
    up = np.repeat(np.repeat(u.astype(np.float64) - 128.0, 2, axis=0), 2, axis=1)[: y.shape[0], : y.shape[1]]
    vp = np.repeat(np.repeat(v.astype(np.float64) - 128.0, 2, axis=0), 2, axis=1)[: y.shape[0], : y.shape[1]]
    yp = y.astype(np.float64)
    rgb = np.stack([yp + 1.402 * vp, yp - 0.344136 * up - 0.714136 * vp, yp + 1.772 * up], axis=-1)
    pixels = np.clip(np.rint(rgb), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, format="JPEG", quality=100)
    return out.getvalue()


def stream_event(photo: Image.Image | Path, size: tuple[int, int] = ANDROID_MEDIUM) -> dict[str, Any]:
    """The ``stream_image`` event data flet-camera sends for one frame of ``photo``."""
    scene = Image.open(photo) if isinstance(photo, Path) else photo
    frame = sensor_frame(scene, size)
    return {
        "width": frame.width,
        "height": frame.height,
        "format": "yuv420",
        "encoded_format": "jpeg",
        "bytes": dart_jpeg(*yuv420_planes(frame)),
        "sensor_exposure_time": 16_600_000,  # ns: Android reports it; iOS leaves it out
    }


def empty_scene(photo: Path = MECARD_PHOTO) -> Image.Image:
    """The same room without the code: the photo's corner, blown up (what the camera sees first)."""
    scene = Image.open(photo).convert("RGB")
    return scene.crop((0, 0, scene.width // 5, scene.height // 5)).resize(scene.size, Image.Resampling.BICUBIC)
