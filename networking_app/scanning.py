"""From what a camera, a photo or a paste gives us to a card, or a plain sentence why not."""

from __future__ import annotations

from .errors import NotACardError, UnreadableImageError
from .payload import ParsedPayload, parse_payload


def max_image_bytes() -> int:
    """The largest image file :func:`read_image` reads (the decoder's limit, loaded with it)."""
    from .qr_decode import MAX_FILE_BYTES

    return MAX_FILE_BYTES


def read_image(data: bytes) -> ParsedPayload:
    """The first business card among the QR codes of an image.

    Raises UnreadableImageError (no code, not an image, too large) or
    NotACardError (only codes that are not cards, e.g. Wi-Fi details).
    """
    from .qr_decode import decode_image  # zxing-cpp and Pillow load on the first scan, not at start-up

    texts = decode_image(data)
    if not texts:
        raise UnreadableImageError("No QR code was found in this image.")
    refusals: list[NotACardError] = []
    for text in texts:
        try:
            return parse_payload(text)
        except NotACardError as exc:
            refusals.append(exc)
    raise refusals[0]


def read_text(text: str) -> ParsedPayload:
    """A pasted or typed payload (vCard, MeCard, a link, plain contact text)."""
    return parse_payload(text)
