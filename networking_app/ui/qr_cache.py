"""My card's QR image, made once per payload and shared by every screen and session.

Kept in memory, and in the data folder (``cache/``) so that the next start shows it without
importing qrcode and Pillow or drawing it: about 0.27 s of CPU before the first paint on two
cores. The file is named by a hash of the payload, so a changed card never shows an old code;
it holds only my own card, readable by me only, and is remade if it goes missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from ..input_files import read_whole

if TYPE_CHECKING:  # the codec loads with the first card shown, not before the server listens
    from ..models import Card
    from ..vcard import FittedPayload

BOX_SIZE = 12
MAX_PNG_BYTES = 1024 * 1024  # the QR of a card is ~20 KB
_lock = threading.Lock()
_cache: OrderedDict[str, bytes] = OrderedDict()
_KEEP = 8
_disk: Path | None = None  # set by configure(): where the PNG of my card is kept between runs


def configure(cache_dir: Path | None) -> None:
    """Keep the PNGs in ``cache_dir`` too (None: memory only, e.g. in tests)."""
    global _disk
    _disk = cache_dir


def payload_for(card: Card) -> FittedPayload:
    """``card`` fitted into a QR code; one of my cards keeps longest what it says it keeps."""
    from ..vcard import KEEP_LINK, fit_card_for_qr

    return fit_card_for_qr(card, keep=getattr(card, "qr_keeps", KEEP_LINK))


def png_for(card: Card) -> tuple[bytes, FittedPayload]:
    """The PNG of ``card``'s QR (cached by payload) and what the payload left out."""
    fitted = payload_for(card)
    with _lock:
        png = _cache.get(fitted.text)
        if png is not None:
            _cache.move_to_end(fitted.text)
            return png, fitted
    png = _read_disk(fitted.text)
    if png is None:
        from ..qr_image import qr_png  # qrcode and Pillow load only when a code must be drawn

        png = qr_png(fitted.text, box_size=BOX_SIZE)
        _write_disk(fitted.text, png)
    with _lock:
        _cache[fitted.text] = png
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return png, fitted


def cached_png(card: Card) -> bytes | None:
    """The PNG if it is already made (no work on the event loop), else None."""
    with _lock:
        return _cache.get(payload_for(card).text)


def _file_for(payload: str) -> Path | None:
    if _disk is None:
        return None
    digest = hashlib.sha256(f"{BOX_SIZE}\n{payload}".encode()).hexdigest()[:32]
    return _disk / f"my-qr-{digest}.png"


def _read_disk(payload: str) -> bytes | None:
    path = _file_for(payload)
    if path is None:
        return None
    with contextlib.suppress(OSError, ValueError), path.open("rb") as file:
        data = read_whole(file, MAX_PNG_BYTES, ValueError)  # whatever lies there, read no further
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82"):  # whole, not torn
            return data
    return None


def _write_disk(payload: str, png: bytes) -> None:
    """Best effort: a cache that cannot be written only costs the next start its head start."""
    path = _file_for(payload)
    if path is None:
        return
    from ..durable_io import atomic_write, make_private_dir

    with contextlib.suppress(OSError):
        make_private_dir(path.parent)
        for old in path.parent.glob("my-qr-*.png"):  # one card's code at a time: no stale copies
            if old != path:
                old.unlink(missing_ok=True)
        atomic_write(path, png)
