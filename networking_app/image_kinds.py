"""What kind of image a file is, told by its first bytes: the kinds Mutual reads, and those it names.

Mutual decodes PNG, JPEG and WebP only (fewer decoders, less to attack). Any other
image is refused with a sentence that names it and says what to do, whatever the
file is called: a TIFF or an SVG renamed ``.png`` is still a TIFF or an SVG. Light
on purpose (no Pillow): the command line asks before it loads the decoder.
"""

from __future__ import annotations

import re

READABLE = ("PNG", "JPEG", "WebP")
HEAD_BYTES = 512  # enough for an SVG's XML declaration, comments and doctype before <svg

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1")
_SVG = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.I | re.S)


def image_kind(head: bytes) -> str | None:
    """"PNG", "JPEG", "WebP", or the name of an image Mutual does not read ("TIFF image"…), or None."""
    for name, matches in _SIGNATURES:
        if matches(head):
            return name
    return None


def is_readable(kind: str | None) -> bool:
    return kind in READABLE


def refusal(kind: str) -> str:
    """The sentence for an image Mutual does not read."""
    article = "an" if kind[:1].upper() in "AEIOU" or kind.startswith("SVG") else "a"
    return f"This file is {article} {kind}, not an image Mutual can read: save it as PNG, JPEG or WebP."


_SIGNATURES = (
    ("PNG", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("JPEG", lambda h: h.startswith(b"\xff\xd8\xff")),
    ("WebP", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
    ("GIF", lambda h: h.startswith((b"GIF87a", b"GIF89a"))),
    ("BMP image", lambda h: h.startswith(b"BM") and h[6:10] == b"\0\0\0\0"),  # reserved zeros: not "BMW…" text
    ("TIFF image", lambda h: h.startswith((b"II*\x00", b"MM\x00*"))),
    ("HEIC photo", lambda h: h[4:8] == b"ftyp" and h[8:12] in _HEIF_BRANDS),
    ("AVIF image", lambda h: h[4:8] == b"ftyp" and h[8:12] in (b"avif", b"avis")),
    ("JPEG XL image", lambda h: h.startswith((b"\xff\x0a", b"\0\0\0\x0cJXL \r\n\x87\n"))),
    ("icon (ICO)", lambda h: h.startswith(b"\0\0\x01\0") and len(h) > 6 and h[4:6] != b"\0\0"),
    ("SVG drawing", lambda h: _SVG.match(h) is not None),
    ("PDF document", lambda h: h.startswith(b"%PDF-")),
)
