"""Pictures with QR codes in them, as a camera, a screen or a hostile file would hand them over.

``tests/test_qr_decode.py`` reads them and ``bench/bench_qr.py`` times reading them, so the
benchmark times exactly the frames the tests read.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from networking_app.qr_image import qr_image

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "zxing-qrcode"  # a copy of ../shared/corpus

# Written by hand: a card of the size Mutual makes, with names a Latin-1 reading would mangle.
CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Ångström;Zoë;;;\r\n"
    "FN:Zoë Ångström\r\n"
    "ORG:Nordlicht Analytics\r\n"
    "TITLE:Head of Data Partnerships\r\n"
    "TEL;TYPE=CELL:+49 170 1234567\r\n"
    "EMAIL:zoe@nordlicht.example\r\n"
    "URL:https://nordlicht.example\r\n"
    "NOTE:Offers: climate-data intros. Seeking: a Rust mentor.\r\n"
    "END:VCARD\r\n"
)


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def camera_frame(payload: str | None = CARD, *, seed: int = 7, qr_width: int = 420) -> bytes:
    """A 1920×1080 JPEG like a phone camera frame: a cluttered, unevenly lit scene with a
    card QR on a tilted screen (perspective), lens blur, sensor noise and vignetting.
    ``qr_width`` 420 px gives ≈ 5.8 px per module for a version-12 card; None leaves the code out."""
    rng = np.random.default_rng(seed)
    width, height = 1920, 1080
    y, x = np.mgrid[0:height, 0:width]
    light = 90 + 60 * np.sin(x / 310) + 40 * np.cos(y / 170) + 30 * np.sin((x + y) / 90)
    scene = Image.fromarray(np.clip(light, 0, 255).astype(np.uint8)).convert("RGB")
    draw = ImageDraw.Draw(scene)
    for _ in range(40):
        left, top = int(rng.integers(0, width)), int(rng.integers(0, height))
        box = [left, top, left + int(rng.integers(20, 300)), top + int(rng.integers(20, 200))]
        draw.rectangle(box, fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    for _ in range(25):
        at = (int(rng.integers(0, width - 200)), int(rng.integers(0, height - 20)))
        draw.text(at, "Hall B · 10:30 keynote · lanyard", fill=(20, 20, 20))
    if payload is not None:
        left, top, w = 900, 260, qr_width
        corners = [(left, top + 20), (left + w, top), (left + w + 30, top + w + 10), (left - 15, top + w - 5)]
        screen = qr_image(payload, box_size=8).convert("L").point(lambda v: 30 + v * 0.8)
        paste_warped(scene, screen, corners)
    scene = scene.filter(ImageFilter.GaussianBlur(1.2))
    vignette = 1 - 0.175 * (((x - width / 2) / (width / 2)) ** 2 + ((y - height / 2) / (height / 2)) ** 2)
    noisy = np.asarray(scene, dtype=np.float32) * vignette[..., None] + rng.normal(0, 6, (height, width, 3))
    return encoded(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)), "JPEG", quality=85)


def paste_warped(scene: Image.Image, picture: Image.Image, corners: list[tuple[int, int]]) -> None:
    """Paste ``picture`` so its corners (clockwise from top left) land on ``corners``."""
    w, h = picture.size
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    rows, values = [], []
    for (cx, cy), (u, v) in zip(corners, source, strict=False):
        rows += [[cx, cy, 1, 0, 0, 0, -u * cx, -u * cy], [0, 0, 0, cx, cy, 1, -v * cx, -v * cy]]
        values += [u, v]
    coefficients = np.linalg.solve(np.array(rows, float), np.array(values, float)).tolist()
    warp = dict(method=Image.Transform.PERSPECTIVE, data=coefficients, resample=Image.Resampling.BILINEAR)
    warped = picture.convert("RGB").transform(scene.size, **warp)
    mask = Image.new("L", picture.size, 255).transform(scene.size, **warp)
    scene.paste(warped, (0, 0), mask)


def screenshot_with_code(payload: str = CARD) -> bytes:
    """A 2560×1440 app screenshot: a header bar, lines of UI text, the code off to one side."""
    canvas = Image.new("RGB", (2560, 1440), (245, 246, 248))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 0, 2560, 80], fill=(30, 60, 120))
    for top in range(100, 1440, 60):
        draw.text((40, top), "Profile  ·  Share your card  ·  Settings  ·  Help", fill=(40, 40, 40))
    canvas.paste(qr_image(payload, box_size=5), (1700, 500))
    return encoded(canvas, "PNG")


def png_header_only(width: int, height: int, rows: int = 0) -> bytes:
    """A PNG whose header claims width × height but whose data is tiny: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * (width + 1) * rows, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def webp_header_only(width: int, height: int) -> bytes:
    """A lossless WebP whose header claims width × height, with no real image data."""
    bits = (width - 1) | ((height - 1) << 14)
    body = b"\x2f" + struct.pack("<I", bits) + bytes(16)
    riff = b"WEBP" + b"VP8L" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", len(riff)) + riff
