"""The text of a vCard property value: escaping both ways, structured values, and
vCard 2.1's transfer encodings (quoted-printable, base64) and CHARSET parameter."""

from __future__ import annotations

import binascii
import codecs
import functools
import re
from collections.abc import Mapping

from ..text_decoding import decode_text

_NEEDS_ESCAPE = re.compile(r"[\\,;\n]")
_UNESCAPE = re.compile(r"\\([\\,;:nN\"])")
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
_CHARSET_NAME = re.compile(r"[A-Za-z0-9_.:\-]{1,40}")


def escape(value: str) -> str:
    """RFC 2426 text escaping: backslash, comma, semicolon and newline."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def unescape(value: str) -> str:
    """Undo :func:`escape`, and the ``\\:`` and ``\\"`` some writers add."""
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def components(value: str, count: int) -> list[str]:
    """Split a structured value (N, ORG) at unescaped ";" and unescape each part."""
    if "\\" not in value:
        parts = value.split(";", count - 1)
    else:
        protected = value.replace("\\\\", "\x00")
        parts = [
            part.replace("\x00", "\\\\")
            for part in _UNESCAPED_SEMICOLON.split(protected, count - 1)
        ]
    parts = [unescape(part) for part in parts]
    return parts + [""] * (count - len(parts))


def text_list(value: str, limit: int) -> list[str]:
    """A list value (CATEGORIES, NICKNAME) split at unescaped "," and unescaped, at most ``limit`` items."""
    protected = value.replace("\\\\", "\x00")
    parts = _UNESCAPED_COMMA.split(protected, limit)[:limit]
    return [unescape(part.replace("\x00", "\\\\")) for part in parts]


def decoded(value: str, params: Mapping[str, str], raw_bytes: bool) -> str:
    """The value's text after its transfer encoding and charset (before unescaping).

    ``raw_bytes``: the file was not UTF-8, so ``value`` holds its bytes as latin-1
    code points, to be decoded by the value's CHARSET, else as any bytes from outside.
    """
    if not raw_bytes and "ENCODING" not in params:
        return value
    encoding = params.get("ENCODING", "").upper()
    charset = params.get("CHARSET", "")
    if encoding in ("QUOTED-PRINTABLE", "QP"):
        data = value.encode("latin-1" if raw_bytes else "utf-8", "replace")
        return _bytes_text(binascii.a2b_qp(data), charset)
    if encoding in ("B", "BASE64"):
        try:
            return _bytes_text(binascii.a2b_base64(value.encode("ascii", "ignore")), charset)
        except ValueError:
            return ""
    return _bytes_text(value.encode("latin-1"), charset) if raw_bytes else value


def _bytes_text(data: bytes, charset: str) -> str:
    codec = _codec(charset) if charset else None
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeError, ValueError, LookupError, TypeError):
            pass
    return decode_text(data)


@functools.lru_cache(maxsize=64)
def _codec(charset: str) -> str | None:
    """A text codec for a CHARSET name, or None (unknown, or bytes-to-bytes like zlib)."""
    if not _CHARSET_NAME.fullmatch(charset):
        return None
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None
