"""Render a text payload (a vCard) as a QR code image that phone cameras read.

The payload goes in as UTF-8 bytes without an ECI marker: zxing-cpp and OpenCV
read it exactly (``tests/test_qr_image.py``, ``tests/test_qr_decode.py``), and
ZXing's charset guess, used by Android scanners, tries UTF-8 first; readers that
ignore ECI would show its header as text. The image is pure black on white with
the 4-module quiet zone of ISO/IEC 18004.

``qrcode`` lays the symbol out and picks its mask (~35 ms for a card); the image is
drawn from the module matrix with Pillow directly. An earlier numpy mask search was
three times faster per code but importing numpy cost 0.4 s at start-up, before the
first QR could be shown.
"""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode import constants
from qrcode.exceptions import DataOverflowError

from networking_app.errors import PayloadTooLargeError

EC_LEVELS: dict[str, int] = {
    "L": constants.ERROR_CORRECT_L,
    "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q,
    "H": constants.ERROR_CORRECT_H,
}


def qr_image(
    payload: str, *, error_correction: str = "M", border: int = 4, box_size: int = 10
) -> Image.Image:
    """The payload as a mode "1" image: ``box_size`` pixels per module, ``border`` modules of white."""
    if border < 0 or box_size < 1:
        raise ValueError("border must be >= 0 and box_size >= 1")
    modules = qr_matrix(payload, error_correction=error_correction)
    side = len(modules) + 2 * border
    light_row = b"\xff" * side
    rows = [light_row] * border
    rows += [b"\xff" * border + bytes(0 if dark else 255 for dark in row) + b"\xff" * border for row in modules]
    rows += [light_row] * border
    small = Image.frombytes("L", (side, side), b"".join(rows)).convert("1")
    # Scaling a 1-pixel-per-module image with NEAREST keeps every edge sharp and costs < 1 ms.
    return small.resize((side * box_size, side * box_size), Image.Resampling.NEAREST)


def qr_png(
    payload: str, *, error_correction: str = "M", border: int = 4, box_size: int = 10
) -> bytes:
    """The payload as PNG bytes (1 bit per pixel, a few kB)."""
    out = io.BytesIO()
    image = qr_image(payload, error_correction=error_correction, border=border, box_size=box_size)
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def qr_version(payload: str, *, error_correction: str = "M") -> int:
    """The QR version (1–40) the payload needs; cards must stay at ≤ 12 to scan at arm's length."""
    return _layout(payload, error_correction).version


def qr_matrix(payload: str, *, error_correction: str = "M") -> list[list[bool]]:
    """Dark modules as rows of booleans, without quiet zone: ``qrcode``'s own layout and mask."""
    code = _layout(payload, error_correction)
    code.makeImpl(False, code.best_mask_pattern())
    return [[bool(module) for module in row] for row in code.modules]


def _layout(payload: str, error_correction: str) -> qrcode.QRCode:
    """A ``qrcode.QRCode`` holding the UTF-8 payload, sized to the smallest version that fits."""
    if error_correction not in EC_LEVELS:
        raise ValueError(f"error_correction must be one of {', '.join(EC_LEVELS)}")
    code = qrcode.QRCode(error_correction=EC_LEVELS[error_correction], border=0)
    code.add_data(payload.encode("utf-8"))
    try:
        code.best_fit()
    except (DataOverflowError, ValueError):  # qrcode 8 reports overflow as "Invalid version (41)"
        raise PayloadTooLargeError("This text is too long to fit in a QR code.") from None
    return code
