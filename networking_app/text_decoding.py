"""Bytes from outside (a file, a QR code, a pasted payload) as text, by one rule.

A byte-order mark names the encoding (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE). Without
one, UTF-16 is told by its NUL bytes: text in UTF-8 or a Windows code page has none,
while UTF-16 puts one beside every ASCII character, all at odd offsets (LE) or all
at even ones (BE); binary data has them at both. Otherwise the bytes are UTF-8, else
the stated fallback, Windows-1252 unless a reader says otherwise (it covers
Latin-1's letters and adds the curly quotes and "€" that Windows files hold).

:func:`decode_text` never raises: what cannot be decoded becomes U+FFFD.
:func:`decode_text_strict` refuses instead, naming the line that is not text.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from .errors import ImportFormatError

FALLBACK = "cp1252"
SNIFF_BYTES = 400  # enough lines to tell UTF-16 by its NULs
# UTF-32 first: its little-endian mark starts like UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NAMES = {"utf-8-sig": "UTF-8", FALLBACK: "UTF-8 or Windows-1252"}


class Decoded(NamedTuple):
    """Text and the codec that made it (a BOM's, "utf-16-le"/"-be", "utf-8" or the fallback)."""

    text: str
    encoding: str


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark at the start of ``data`` names, else None."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the first bytes' NULs say so, else None.

    At least two bytes, and one in sixteen, must be NULs, nearly all at the same
    parity: a character such as U+3000 (the ideographic space) puts a few at the other.
    """
    sample = data[:SNIFF_BYTES]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    most, fewest = max(even, odd), min(even, odd)
    if most < 2 or most * 16 < len(sample) or fewest * 8 > most:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def stated_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark or told by NULs, else None (UTF-8 or the fallback)."""
    return bom_encoding(data) or utf16_without_bom(data)


def decode(data: bytes, fallback: str = FALLBACK) -> Decoded:
    """``data`` as text by the module's rule; never raises."""
    encoding = stated_encoding(data)
    if encoding is not None:
        return Decoded(data.decode(encoding, "replace").lstrip("\ufeff"), encoding)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return Decoded(data.decode(fallback, "replace"), fallback)


def is_utf8(data: bytes, piece: int = 1 << 16) -> bool:
    """Whether ``data`` is valid UTF-8, told a piece at a time: never the whole text in memory."""
    if data.isascii():
        return True
    check = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for begin in range(0, len(data), piece):
            check.decode(view[begin:begin + piece])
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes, fallback: str = FALLBACK) -> str:
    """The text of ``data`` (see :func:`decode`); never raises."""
    return decode(data, fallback).text


def decode_text_strict(data: bytes) -> str:
    """The text of ``data``, or :class:`ImportFormatError` naming the first line that is not text.

    A file that is UTF-8 up to a line and not after it is refused rather than read
    as Windows-1252: it is damaged or mixed, and either reading would garble a part.
    """
    encoding = stated_encoding(data)
    if encoding is not None:
        return _strict(data, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not data[: exc.start].isascii():
            line = data.count(b"\n", 0, exc.start) + 1
            raise ImportFormatError(
                f"Line {line} is not UTF-8 text although the lines before it are; "
                "save the file as UTF-8 and import it again.",
                line=line,
            ) from None
    return _strict(data, FALLBACK)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        if "16" in encoding or "32" in encoding:
            line = data[: exc.start].decode(encoding, "replace").count("\n") + 1
        else:
            line = data.count(b"\n", 0, exc.start) + 1
        name = _NAMES.get(encoding, encoding.upper())
        raise ImportFormatError(f"Line {line} is not {name} text.", line=line) from None


def with_lf_line_ends(text: str) -> str:
    """Text whose lines end in "\\r" alone (classic Mac OS) with "\\n" instead; other text as it is."""
    return text if "\n" in text else text.replace("\r", "\n")
