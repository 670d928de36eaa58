"""A vCard text as properties: each content line's name, parameters and value.

The text is unfolded first (:func:`unfold`): RFC 6350 §3.2 lets a writer fold a line
anywhere, inside a property's name or parameters too (``EMAIL;TYPE=INTERNET`` CRLF
`` ,PREF:…``). Only the properties Mutual reads are returned; the rest (PHOTO, ADR,
X-…) are stepped over in C. Raw values are cut at :data:`MAX_VALUE_CHARS` and
parameter lists at 32 parameters, so a hostile file costs linear time.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping

from ..offers_seeking import x_property_kind

MAX_VALUE_CHARS = 65_536
NO_PARAMS: Mapping[str, str] = {}  # a property without parameters (compared by identity)

_WANTED = frozenset(
    {
        "BEGIN", "END", "KIND", "N", "FN", "ORG", "TITLE", "EMAIL", "TEL",
        "URL", "NOTE", "UID", "X-SOCIALPROFILE", "X-MUTUAL-OFFERS", "X-MUTUAL-SEEKING", "CATEGORIES",
    }
)  # fmt: skip
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_DIGITS = re.compile(r"[0-9]{1,3}")

# One property: an optional item1. group, the name, parameters (a quoted value
# may hold ":" or ";"), and the value with its folded continuation lines. Lines
# that do not match (blank, junk, vCard 2.1 base64 data) are skipped by search().
# Each part is bounded or unambiguous, so matching stays linear; the parameters are matched
# possessively (Python 3.11+): a line of 4 MB of ";" without a ":" fails in 0.3 s, not 1.4 s,
# since giving characters back could never find a ":" that the greedy match did not.
_PROPERTY = re.compile(
    r"^(?:[A-Za-z0-9\-]{1,64}\.)?([A-Za-z0-9\-]{1,128})"
    r'((?:;(?:[^:;"\r\n]++|"[^"\r\n]*")*+)*+)'
    r":([^\r\n]*(?:\r*\n[ \t][^\r\n]*)*)",
    re.M,
)
_FOLD = re.compile(r"\r*\n[ \t]")
_FOLD_NOT_AFTER_SOFT_BREAK = re.compile(r"(?<!=)\r*\n[ \t]")
_QUOTED_PRINTABLE = re.compile(r"QUOTED-PRINTABLE", re.I)
_QUOTED_PRINTABLE_BYTES = re.compile(rb"QUOTED-PRINTABLE", re.I)
_LINE_END = re.compile(r"\r*\n")


class Unfolded:
    """A vCard text with its folds taken out, and the line each offset was on before."""

    def __init__(self, text: str, soft_breaks: bool | None = None) -> None:
        # vCard 2.1's quoted-printable soft break ("=" at a line's end) is not a fold: its
        # next line is the value's, whitespace included (see properties()). Whether a file
        # has such values is decided for the whole file (``soft_breaks``) when read in pieces.
        if soft_breaks is None:
            soft_breaks = quoted_printable_in(text)
        fold = _FOLD_NOT_AFTER_SOFT_BREAK if soft_breaks else _FOLD
        parts: list[str] = []
        self._folds: list[int] = []  # offsets in the unfolded text where a fold was taken out
        start = removed = 0
        for match in fold.finditer(text):
            parts.append(text[start:match.start()])
            removed += match.end() - match.start()
            self._folds.append(match.end() - removed)
            start = match.end()
        parts.append(text[start:])
        self.text = "".join(parts) if self._folds else text

    def line(self, offset: int, lines_before: int) -> int:
        """The file's line number of ``offset``, given the unfolded text's own line count before it."""
        return lines_before + bisect.bisect_right(self._folds, offset)


def unfold(text: str, *, soft_breaks: bool | None = None) -> Unfolded:
    return Unfolded(text, soft_breaks)


def quoted_printable_in(data: str | bytes) -> bool:
    """Whether a vCard text or file has vCard 2.1 quoted-printable values anywhere."""
    found = _QUOTED_PRINTABLE.search(data) if isinstance(data, str) else _QUOTED_PRINTABLE_BYTES.search(data)
    return found is not None


def unfold_bytes(data: bytes) -> bytes:
    """Folds taken out of raw bytes: a fold inside a UTF-8 sequence leaves the bytes valid UTF-8 again."""
    if b"\n" not in data:
        return data
    pattern = rb"(?<!=)\r*\n[ \t]" if re.search(rb"(?i)quoted-printable", data) else rb"\r*\n[ \t]"
    return re.sub(pattern, b"", data)


def properties(text: str) -> Iterator[tuple[int, str, str, str]]:
    """Properties ``(offset, NAME, params, value)``, values unfolded for wanted names.

    Other properties (PHOTO, ADR, X-…) are skipped without being unfolded: the
    regular expression steps over a 32 KB photo in C. AGENT is yielded with the
    start of its value only, to tell a 2.1 nested vCard from a lost END:VCARD.
    """
    search, position = _PROPERTY.search, 0
    while (match := search(text, position)) is not None:
        name, params, value = match.groups()
        position = match.end()
        quoted_printable = bool(params) and "QUOTED-PRINTABLE" in params.upper()
        if quoted_printable and "\n" in value:  # 2.1 folding keeps the whitespace
            value = _LINE_END.sub("\n", value)
        if quoted_printable and value.endswith("="):
            tail, position = _soft_breaks(text, position)
            value += tail
        name = name.upper()
        if name in _WANTED or (name[:2] == "X-" and x_property_kind(name)):
            if "\n" in value and not quoted_printable:
                value = _FOLD.sub("", value)
            yield match.start(), name, params, value[:MAX_VALUE_CHARS]
        elif name == "AGENT":
            yield match.start(), name, params, value[:8]


def _soft_breaks(text: str, position: int) -> tuple[str, int]:
    """The lines a vCard 2.1 quoted-printable value continues on after "=" ends a line.

    Joined with "\\n" so that binascii.a2b_qp drops the soft breaks; a following
    END:VCARD line always ends the value.
    """
    parts: list[str] = []
    size = 0
    while (newline := text.find("\n", position)) >= 0:
        end = text.find("\n", newline + 1)
        end = len(text) if end < 0 else end
        line = text[newline + 1 : end].rstrip("\r")
        if line[:9].upper() == "END:VCARD":
            break
        if size < MAX_VALUE_CHARS:
            parts.append(line)
            size += len(line)
        position = end
        if not line.endswith("="):
            break
    return "".join("\n" + part for part in parts), position


def params(text: str) -> Mapping[str, str]:
    """Parameters by upper-case name (see :func:`_parse_params`); a file repeats the
    same few short parameter lists, so those are cached."""
    return _cached_params(text) if len(text) <= 200 else _parse_params(text[:4096])


@functools.lru_cache(maxsize=256)
def _cached_params(text: str) -> dict[str, str]:
    return _parse_params(text)


def _parse_params(text: str) -> dict[str, str]:
    """Parameters by upper-case name; TYPE values joined by "," and upper-cased.

    The dict is shared through the cache: callers must not change it."""
    result: dict[str, str] = {}
    types: list[str] = []
    for token in text.split(";", 32)[:32]:
        key, equals, value = token.partition("=")
        key = key.strip().upper()
        if not equals:  # vCard 2.1 bare parameter: TEL;CELL;PREF or ;QUOTED-PRINTABLE
            if key in _ENCODINGS:
                result.setdefault("ENCODING", key)
            else:
                types.append(key)
            continue
        value = value.strip().strip('"')
        if key == "TYPE":
            types.extend(value.upper().split(","))
        else:
            result.setdefault(key, value)
    if types:
        result["TYPE"] = ",".join(types)
    return result


def rank(found: Mapping[str, str]) -> int:
    """Lower is more preferred: PREF=1 (4.0), TYPE=pref or bare PREF (2.1/3.0)."""
    if found is NO_PARAMS:
        return 101
    pref = found.get("PREF", "")
    if _DIGITS.fullmatch(pref):
        return int(pref)
    return 1 if "PREF" in found.get("TYPE", "").split(",") else 101
