"""My card's QR image, made once per payload and shared by every screen and session."""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..models import Card
from ..qr_image import qr_png
from ..vcard import FittedPayload, fit_card_for_qr

_lock = threading.Lock()
_cache: OrderedDict[str, bytes] = OrderedDict()
_KEEP = 8


def payload_for(card: Card) -> FittedPayload:
    return fit_card_for_qr(card)


def png_for(card: Card) -> tuple[bytes, FittedPayload]:
    """The PNG of ``card``'s QR (cached by payload) and what the payload left out."""
    fitted = payload_for(card)
    with _lock:
        png = _cache.get(fitted.text)
        if png is not None:
            _cache.move_to_end(fitted.text)
            return png, fitted
    png = qr_png(fitted.text, box_size=12)
    with _lock:
        _cache[fitted.text] = png
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return png, fitted


def cached_png(card: Card) -> bytes | None:
    """The PNG if it is already made (no work on the event loop), else None."""
    with _lock:
        return _cache.get(payload_for(card).text)
