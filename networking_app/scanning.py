"""From what a camera, a photo or a paste gives us to a card, or a plain sentence why not."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotACardError, UnreadableImageError

if TYPE_CHECKING:
    from .payload import ParsedPayload


def max_image_bytes() -> int:
    """The largest image file :func:`read_image` reads (the decoder's limit, loaded with it)."""
    from .qr_decode import MAX_FILE_BYTES

    return MAX_FILE_BYTES


def read_image(data: bytes) -> ParsedPayload:
    """The first business card among the QR codes of an image.

    Raises UnreadableImageError (no code, not an image, too large) or
    NotACardError (only codes that are not cards, e.g. Wi-Fi details).
    """
    from .payload import parse_payload  # the vCard codec: loaded after the app's first paint, not before it

    refusals: list[NotACardError] = []
    for text in image_codes(data):
        try:
            return parse_payload(text)
        except NotACardError as exc:
            refusals.append(exc)
    raise refusals[0]


def image_codes(source: bytes | Path) -> list[str]:
    """Every QR text of an image (its bytes, or its file: read no further than the limit), in reading order.

    Raises UnreadableImageError when there is none, or it is not an image, or too large.
    """
    from .qr_decode import NO_CODE, decode_image  # zxing-cpp and Pillow load on the first scan, not at start-up

    texts = decode_image(source)
    if not texts:
        raise UnreadableImageError(NO_CODE)
    return texts


def read_text(text: str) -> ParsedPayload:
    """A pasted or typed payload (vCard, MeCard, a link, plain contact text)."""
    from .payload import parse_payload

    return parse_payload(text)
