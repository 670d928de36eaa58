"""A Y4M video of a QR code, for Chromium's fake camera (--use-file-for-fake-video-capture)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from networking_app.models import Card
from networking_app.qr_image import qr_image

W, H = 640, 480
# The card Chromium's fake camera films in the end-to-end tests.
CAMERA_CARD = Card(given="Cy", family="Camera", emails=["cy@camera.example"], offers="hardware prototyping",
                   seeking="a designer")
CAMERA_PERSON = "Cy Camera"


def write_qr_video(path: Path, payload: str, frames: int = 10) -> None:
    qr = qr_image(payload, box_size=8).convert("L")
    side = min(H - 40, qr.size[0])
    qr = qr.resize((side, side), Image.NEAREST)
    canvas = Image.new("RGB", (W, H), "white")
    canvas.paste(qr.convert("RGB"), ((W - side) // 2, (H - side) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    frame = y.tobytes() + cb.resize((W // 2, H // 2)).tobytes() + cr.resize((W // 2, H // 2)).tobytes()
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + frame)
