"""The vCard codec of Mutual: every vCard read or written goes through here.

Reading is tolerant and follows vCard 2.1 (quoted-printable, CHARSET=, bare
parameters), RFC 2426 (vCard 3.0) and RFC 6350 (vCard 4.0: ``tel:`` URIs,
ALTID/LANGUAGE alternatives, KIND). Writing always produces vCard 3.0, the
version that stock phone cameras and Google, Apple and Outlook contacts import:

- :func:`encode_qr_vcard` / :func:`fit_card_for_qr`: compact text for a QR code
  (no folding, no ``item1.`` groups, no PHOTO: ZXing mishandles them);
- :func:`serialize_vcard` / :func:`serialize_vcards`: files, folded at 75 octets,
  with UID, REV, CATEGORIES and ``X-MUTUAL-OFFERS``/``X-MUTUAL-SEEKING``.

Offers and seeking travel as labelled ``Offers: …`` / ``Seeking: …`` lines at
the top of NOTE, so a person reads them in any contacts app; they are one-line
fields (a line break in them becomes a space). A note line of the card's own
that starts with one of these labels is read back as offers/seeking when the
card has none (files avoid this thanks to the X-MUTUAL properties).

Reading maps N to given/family, FN to ``formatted`` (kept only when it says more
than "given family"), ORG to ``organization`` with further units in brackets
("IBM (Accounting)"); EMAIL, TEL (``tel:`` URIs made plain), URL and web-link
X-SOCIALPROFILE values to the lists, most preferred (PREF) first; URLs other than
http(s) or scheme-less ones (javascript:, data:, …) are dropped. Bytes are read as
UTF-8 (BOM or not), UTF-16/32 with a BOM, else per value by its CHARSET, else cp1252.

Hostile files are bounded: at most :data:`MAX_ITEMS` (20) emails, phones and
URLs per card (the first ones in the file, most preferred first), field lengths
capped by :data:`MAX_FIELD_CHARS`, raw values cut at :data:`MAX_VALUE_CHARS`,
nested vCards (2.1 AGENT) at most :data:`MAX_NESTING` deep. Every text field goes
through :func:`~networking_app.text_safety.clean_text`.
"""

from __future__ import annotations

import binascii
import codecs
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .errors import CardTooLargeError, ImportFormatError
from .models import Card
from .text_safety import clean_text

MAX_ITEMS = 20
MAX_FIELD_CHARS: Mapping[str, int] = {
    "name": 200,
    "title": 200,
    "organization": 200,
    "email": 254,
    "phone": 64,
    "url": 2048,
    "offers": 500,
    "seeking": 500,
    "note": 4000,
}
MAX_VALUE_CHARS = 65_536
MAX_NESTING = 4
# The brief caps a QR payload at 300 bytes at error correction M; QR version 12, the
# largest a phone reads at arm's length, holds 287 bytes there. 287 satisfies both.
QR_MAX_BYTES = 287
PRODID = "-//Mutual//Mutual networking companion//EN"

# What fit_card_for_qr leaves out, in this order, only while the payload is still
# too big: the card's other note, URLs/phones/emails beyond the first, the title,
# the last URL; then seeking and offers are cut to a common length with "…" (no
# shorter than 12 characters), else seeking is dropped and offers cut alone, else
# offers are dropped; the organization goes last. The name and the first email and
# phone are never dropped. FittedPayload.dropped says what was done, e.g. "note",
# "2 more web addresses", "seeking (shortened from 62 to 55 characters)".
DROP_ORDER: tuple[str, ...] = (
    "note",
    "more web addresses",
    "more phone numbers",
    "more email addresses",
    "title",
    "web address",
    "seeking, offers (shortened)",
    "seeking",
    "offers (shortened)",
    "offers",
    "organization",
)

_WANTED = frozenset(
    {
        "BEGIN", "END", "KIND", "N", "FN", "ORG", "TITLE", "EMAIL", "TEL",
        "URL", "NOTE", "X-SOCIALPROFILE", "X-MUTUAL-OFFERS", "X-MUTUAL-SEEKING",
    }
)  # fmt: skip
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_NO_PARAMS: Mapping[str, str] = {}
_DIGITS = re.compile(r"[0-9]{1,3}")
_UNESCAPE = re.compile(r"\\([\\,;:nN\"])")
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# "example.com:8080/x" is an address without a scheme; "javascript:1+alert(1)" is not.
_HOST_PORT = re.compile(r"(?:localhost|[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+):[0-9]{1,5}(?:[/?#]|\Z)")
_LABEL_LINE = re.compile(r"[ \t]*(offers|seeking)[ \t]*:[ \t]?(.*)", re.I | re.S)
_CHARSET_NAME = re.compile(r"[A-Za-z0-9_.:\-]{1,40}")
_NEEDS_ESCAPE = re.compile(r"[\\,;\n]")


# --------------------------------------------------------------------------- QR


@dataclass(frozen=True)
class FittedPayload:
    """A QR payload that fits, the card it encodes, and what had to be left out."""

    text: str
    dropped: list[str]
    card: Card


def encode_qr_vcard(card: Card) -> str:
    """A compact vCard 3.0 for a QR code: CRLF, no folding, no groups, no PHOTO."""
    return "\r\n".join(_card_lines(clean_card(card))) + "\r\n"


def fit_card_for_qr(card: Card, max_bytes: int = QR_MAX_BYTES) -> FittedPayload:
    """Encode ``card`` in at most ``max_bytes`` UTF-8 bytes, dropping by :data:`DROP_ORDER`.

    Raises :class:`CardTooLargeError` when the name, one email and one phone
    (which are never dropped) do not fit on their own.
    """
    current, dropped = clean_card(card), []
    for step in _DROP_STEPS:
        if _qr_size(current) <= max_bytes:
            break
        current, notes = step(current, max_bytes)
        dropped.extend(notes)
    size = _qr_size(current)
    if size > max_bytes:
        raise CardTooLargeError(
            f"Your name and contact details alone take {size} bytes, but a QR code "
            f"that phones read at arm's length holds {max_bytes}; shorten the name, "
            "email address or phone number."
        )
    return FittedPayload(encode_qr_vcard(current), dropped, current)


def _qr_size(card: Card) -> int:
    return len(encode_qr_vcard(card).encode("utf-8"))


def _plural(count: int, noun: str) -> str:
    return f"{count} more {noun}{'' if count == 1 else 'es' if noun.endswith('s') else 's'}"


def _drop_note(card: Card, _: int) -> tuple[Card, list[str]]:
    return (replace(card, note=""), ["note"]) if card.note else (card, [])


def _drop_extra(field: str, noun: str) -> Callable[[Card, int], tuple[Card, list[str]]]:
    def step(card: Card, _: int) -> tuple[Card, list[str]]:
        values: list[str] = getattr(card, field)
        if len(values) < 2:
            return card, []
        first: Any = values[:1]
        return replace(card, **{field: first}), [_plural(len(values) - 1, noun)]

    return step


def _drop_field(field: str, label: str) -> Callable[[Card, int], tuple[Card, list[str]]]:
    def step(card: Card, _: int) -> tuple[Card, list[str]]:
        if not getattr(card, field):
            return card, []
        empty: Any = [] if isinstance(getattr(card, field), list) else ""
        return replace(card, **{field: empty}), [label]

    return step


_MIN_SHORTENED = 12  # shorter than this, "…" says nothing useful


def _shorten_offers_seeking(card: Card, max_bytes: int) -> tuple[Card, list[str]]:
    """Cut offers and seeking to a common length, as long as fits (binary search)."""
    longest = max(len(card.offers), len(card.seeking))
    if longest <= _MIN_SHORTENED:
        return card, []
    low, high = _MIN_SHORTENED, longest - 1
    if _qr_size(_cap_both(card, low)) > max_bytes:
        return card, []  # shortening cannot help: the next steps drop them
    while low < high:
        middle = (low + high + 1) // 2
        if _qr_size(_cap_both(card, middle)) <= max_bytes:
            low = middle
        else:
            high = middle - 1
    shortened = _cap_both(card, low)
    notes = [
        f"{name} (shortened from {len(getattr(card, name))} to "
        f"{len(getattr(shortened, name))} characters)"
        for name in ("seeking", "offers")
        if getattr(card, name) != getattr(shortened, name)
    ]
    return shortened, notes


def _cap_both(card: Card, length: int) -> Card:
    return replace(
        card,
        offers=clean_text(card.offers, max_len=length),
        seeking=clean_text(card.seeking, max_len=length),
    )


_DROP_STEPS: tuple[Callable[[Card, int], tuple[Card, list[str]]], ...] = (
    _drop_note,
    _drop_extra("urls", "web address"),
    _drop_extra("phones", "phone number"),
    _drop_extra("emails", "email address"),
    _drop_field("title", "title"),
    _drop_field("urls", "web address"),
    _shorten_offers_seeking,
    _drop_field("seeking", "seeking"),
    _shorten_offers_seeking,  # offers alone may now fit when shortened
    _drop_field("offers", "offers"),
    _drop_field("organization", "organization"),
)


# ------------------------------------------------------------------------ files


def serialize_vcard(
    card: Card,
    *,
    fold: bool = True,
    uid: str = "",
    rev: str = "",
    categories: Sequence[str] = (),
    extra_note: str = "",
) -> str:
    """One vCard 3.0 for a file, lines folded at 75 octets unless ``fold=False``.

    ``extra_note`` (e.g. my meeting notes) is appended to NOTE; X-MUTUAL-OFFERS
    and X-MUTUAL-SEEKING keep offers/seeking exact even if another app edits NOTE.
    """
    clean = clean_card(card)
    lines = _card_lines(clean, extra_note=clean_text(extra_note, multiline=True, max_len=20_000))
    lines[2:2] = [f"PRODID:{PRODID}"]
    lines[-1:-1] = _file_lines(clean, uid, rev, categories)
    if fold:
        lines = [_fold(line) for line in lines]
    return "\r\n".join(lines) + "\r\n"


def serialize_vcards(
    cards: Iterable[Card | tuple[Card, Mapping[str, Any]]], *, fold: bool = True
) -> str:
    """Many cards in one .vcf text; a ``(card, options)`` pair passes ``options``
    (uid, rev, categories, extra_note) to :func:`serialize_vcard`."""
    parts = []
    for item in cards:
        card, options = item if isinstance(item, tuple) else (item, {})
        parts.append(serialize_vcard(card, fold=fold, **options))
    return "".join(parts)


def _file_lines(card: Card, uid: str, rev: str, categories: Sequence[str]) -> list[str]:
    lines = [
        f"X-MUTUAL-OFFERS:{_escape(card.offers)}",
        f"X-MUTUAL-SEEKING:{_escape(card.seeking)}",
    ]
    tags = [clean_text(tag, max_len=200) for tag in categories]
    if any(tags):
        lines.append("CATEGORIES:" + ",".join(_escape(tag) for tag in tags if tag))
    if uid := clean_text(uid, max_len=200):
        lines.append(f"UID:{_escape(uid)}")
    if rev := clean_text(rev, max_len=64):
        lines.append(f"REV:{_escape(rev)}")
    return lines


def _card_lines(card: Card, extra_note: str = "") -> list[str]:
    """The vCard 3.0 lines shared by QR and files (card already clean)."""
    given, family = card.given, card.family
    if not given and not family:
        given = card.formatted  # phones build the shown name from N, not FN
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"FN:{_escape(card.full_name or _fallback_name(card))}",
    ]
    if card.organization:
        lines.append(f"ORG:{_escape(card.organization)}")
    if card.title:
        lines.append(f"TITLE:{_escape(card.title)}")
    lines += [f"EMAIL;TYPE=INTERNET:{_escape(email)}" for email in card.emails]
    lines += [f"TEL:{_escape(phone)}" for phone in card.phones]
    # Google and Apple write URL as escaped text (http\://…) and read it so too.
    lines += [f"URL:{_escape(url)}" for url in card.urls]
    if note := _note_text(card, extra_note):
        lines.append(f"NOTE:{_escape(note)}")
    lines.append("END:VCARD")
    return lines


def _fallback_name(card: Card) -> str:
    """FN must be present: a nameless card is shown by its company or contact."""
    return next((v for v in (card.organization, *card.emails, *card.phones, *card.urls) if v), "")


def _note_text(card: Card, extra_note: str = "") -> str:
    parts = [
        f"Offers: {card.offers}" if card.offers else "",
        f"Seeking: {card.seeking}" if card.seeking else "",
        card.note,
        extra_note,
    ]
    return "\n".join(part for part in parts if part)


def _escape(value: str) -> str:
    """RFC 2426 text escaping: backslash, comma, semicolon and newline."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets (continuations start with a space), never inside a UTF-8
    sequence nor inside a backslash escape (some readers unescape line by line)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    chunks, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back off
            end -= 1
        if _odd_backslashes(data, start, end):
            end -= 1
        chunks.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    chunks.append(data[start:].decode("utf-8"))
    return "\r\n ".join(chunks)


def _odd_backslashes(data: bytes, start: int, end: int) -> bool:
    count = 0
    while end - count > start and data[end - count - 1] == 0x5C:
        count += 1
    return count % 2 == 1


def clean_card(card: Card) -> Card:
    """A plain :class:`Card` with every field cleaned, capped and de-duplicated."""
    caps = MAX_FIELD_CHARS
    return Card(
        given=clean_text(card.given, max_len=caps["name"]),
        family=clean_text(card.family, max_len=caps["name"]),
        formatted=clean_text(card.formatted, max_len=caps["name"]),
        title=clean_text(card.title, max_len=caps["title"]),
        organization=clean_text(card.organization, max_len=caps["organization"]),
        emails=_clean_list(card.emails, caps["email"], casefold=True),
        phones=_clean_list(card.phones, caps["phone"]),
        urls=_clean_list(card.urls, caps["url"]),
        offers=clean_text(card.offers, max_len=caps["offers"]),
        seeking=clean_text(card.seeking, max_len=caps["seeking"]),
        note=clean_text(card.note, multiline=True, max_len=caps["note"]),
    )


def _clean_list(
    values: Iterable[str],
    max_len: int,
    casefold: bool = False,
    keep: Callable[[str], str] | None = None,
) -> list[str]:
    """Cleaned, non-empty, de-duplicated, at most MAX_ITEMS; ``keep`` may veto a value."""
    result: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = clean_text(value, max_len=max_len)
        if keep is not None:
            value = keep(value)
        key = value.casefold() if casefold else value
        if value and key not in seen:
            seen.add(key)
            result.append(value)
            if len(result) == MAX_ITEMS:
                break
    return result


# ---------------------------------------------------------------------- reading


def parse_vcards(data: str | bytes) -> list[Card]:
    """Every card of a .vcf text or file content, in order (see :func:`iter_vcards`)."""
    return [card for _, card in iter_vcards(data)]


def iter_vcards(data: str | bytes) -> Iterator[tuple[int, Card]]:
    """Yield ``(line where the card's BEGIN:VCARD is, card)`` one card at a time.

    Raises :class:`ImportFormatError` when there is no BEGIN:VCARD at all, or
    when a card has no END:VCARD: a truncated last card raises with the line
    where that card starts (the cards before it have already been yielded, so
    an importer may keep them). Nothing else is raised for any str or bytes.
    A card with no field Mutual reads is yielded too (``card.is_empty()``).
    """
    text, raw_bytes = _decode_input(data)
    lines = _LineCounter(text)
    builder: _CardBuilder | None = None
    start = depth = 0
    found = after_agent = False
    for offset, name, params, value in _properties(text):
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            found = True
            if builder is None:
                builder, start = _CardBuilder(raw_bytes), lines.at(offset)
            else:
                depth = _nested(depth, after_agent, start, lines.at(offset))
        elif name == "END" and value.strip().upper() == "VCARD":
            if depth:
                depth -= 1
            elif builder is not None:
                yield start, builder.card()
                builder = None
        elif builder is not None and not depth:
            builder.add(name, params, value)
        after_agent = name == "AGENT" and not value.strip()
    _check_end(builder is not None, found, start)


class _LineCounter:
    """1-based line numbers of offsets that only grow, counted in C."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _nested(depth: int, after_agent: bool, start: int, number: int) -> int:
    """A vCard 2.1 AGENT may hold a whole vCard; any other BEGIN means a lost END."""
    if not (after_agent or depth):
        raise ImportFormatError(
            f"The vCard that starts at line {start} has no END:VCARD before the next "
            f"BEGIN:VCARD at line {number}; the file is damaged there.",
            line=start,
        )
    if depth >= MAX_NESTING:
        raise ImportFormatError(
            f"The vCard that starts at line {start} nests other vCards more than "
            f"{MAX_NESTING} deep (line {number}); Mutual does not read such files.",
            line=number,
        )
    return depth + 1


def _check_end(open_card: bool, found: bool, start: int) -> None:
    if open_card:
        raise ImportFormatError(
            f"The vCard that starts at line {start} has no END:VCARD; "
            "the file looks cut off there.",
            line=start,
        )
    if not found:
        raise ImportFormatError(
            "This is not a vCard file: no line in it says BEGIN:VCARD.", line=None
        )


def decode_bytes(data: bytes) -> str:
    """Best-effort text of bytes: UTF-8 (BOM or not), UTF-16/32 with BOM, else cp1252."""
    text, raw_bytes = _decode_input(data)
    return text.encode("latin-1").decode("cp1252", "replace") if raw_bytes else text


def _decode_input(data: str | bytes) -> tuple[str, bool]:
    """The text with "\\n" line ends, and whether it holds raw bytes as latin-1
    (the file is not UTF-8: each value is decoded by its CHARSET, else cp1252)."""
    text, raw_bytes = _decode_text(data)
    if "\n" not in text:  # classic Mac OS line ends
        text = text.replace("\r", "\n")
    return text, raw_bytes


def _decode_text(data: str | bytes) -> tuple[str, bool]:
    if isinstance(data, str):
        return (data[1:] if data.startswith("\ufeff") else data), False
    data = bytes(data)
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, "replace").lstrip("\ufeff"), False
    if len(data) >= 2 and (data[0] == 0) != (data[1] == 0):  # UTF-16 without BOM
        return data.decode("utf-16-be" if data[0] == 0 else "utf-16-le", "replace"), False
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


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
_LINE_END = re.compile(r"\r*\n")


def _properties(text: str) -> Iterator[tuple[int, str, str, str]]:
    """Properties ``(offset, NAME, params, value)``, values unfolded for wanted names.

    Other properties (PHOTO, ADR, X-…) are skipped without being unfolded: the
    regular expression steps over a 32 KB photo in C.
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
        if name in _WANTED:
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


def _params(params: str) -> dict[str, str]:
    """Parameters by upper-case name (see :func:`_parse_params`); a file repeats the
    same few short parameter lists, so those are cached."""
    return _cached_params(params) if len(params) <= 200 else _parse_params(params[:4096])


@functools.lru_cache(maxsize=256)
def _cached_params(params: str) -> dict[str, str]:
    return _parse_params(params)


def _parse_params(params: str) -> dict[str, str]:
    """Parameters by upper-case name; TYPE values joined by "," and upper-cased.

    The dict is shared through the cache: callers must not change it."""
    result: dict[str, str] = {}
    types: list[str] = []
    for token in params.split(";", 32)[:32]:
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


def _rank(params: Mapping[str, str]) -> int:
    """Lower is more preferred: PREF=1 (4.0), TYPE=pref or bare PREF (2.1/3.0)."""
    if params is _NO_PARAMS:
        return 101
    pref = params.get("PREF", "")
    if _DIGITS.fullmatch(pref):
        return int(pref)
    return 1 if "PREF" in params.get("TYPE", "").split(",") else 101


def _decoded(value: str, params: Mapping[str, str], raw_bytes: bool) -> str:
    """The value's text after its transfer encoding and charset (before unescaping)."""
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


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


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _components(value: str, count: int) -> list[str]:
    """Split a structured value (N, ORG) at unescaped ";" and unescape each part."""
    if "\\" not in value:
        parts = value.split(";", count - 1)
    else:
        protected = value.replace("\\\\", "\x00")
        parts = [
            part.replace("\x00", "\\\\")
            for part in _UNESCAPED_SEMICOLON.split(protected, count - 1)
        ]
    parts = [_unescape(part) for part in parts]
    return parts + [""] * (count - len(parts))


def web_address(value: str) -> str:
    """``value`` if it is an http(s) or scheme-less address, else "" (the UI may link it)."""
    match = _SCHEME.match(value)
    if match and match.group(1).lower() not in ("http", "https") and not _HOST_PORT.match(value):
        return ""
    return value


def _phone_value(value: str) -> str:
    """A TEL value, with a 4.0 ``tel:`` URI turned back into a plain number."""
    if value[:4].lower() != "tel:":
        return value
    number, *uri_params = value[4:].split(";")
    ext = next((p[4:] for p in uri_params if p[:4].lower() == "ext="), "")
    return f"{number} ext. {ext}" if ext else number


class _CardBuilder:
    """Collects one card's properties; :meth:`card` cleans and assembles them."""

    def __init__(self, raw_bytes: bool) -> None:
        self.raw_bytes = raw_bytes
        self.kind = ""
        self.fn: str | None = None
        self.n: list[str] | None = None
        self.org: list[str] | None = None
        self.title: str | None = None
        self.emails: list[tuple[int, str]] = []
        self.phones: list[tuple[int, str]] = []
        self.urls: list[tuple[int, str]] = []
        self.notes: list[str] = []
        self.x: dict[str, str] = {}
        self.alternatives: set[tuple[str, str]] = set()

    def add(self, name: str, params: str, value: str) -> None:
        handler = _HANDLERS.get(name)
        if handler is None:
            return
        found = _params(params) if params else _NO_PARAMS
        altid = found.get("ALTID")
        if altid is not None:  # 4.0: the same value in another language; keep the first
            if (name, altid) in self.alternatives or len(self.alternatives) > 256:
                return
            self.alternatives.add((name, altid))
        handler(self, found, value)

    def text(self, value: str, params: Mapping[str, str]) -> str:
        if params is _NO_PARAMS and not self.raw_bytes:
            return _unescape(value)
        return _unescape(_decoded(value, params, self.raw_bytes))

    def on_fn(self, params: Mapping[str, str], value: str) -> None:
        if self.fn is None:
            self.fn = self.text(value, params)

    def on_n(self, params: Mapping[str, str], value: str) -> None:
        if self.n is None:
            self.n = _components(_decoded(value, params, self.raw_bytes), 5)

    def on_org(self, params: Mapping[str, str], value: str) -> None:
        if self.org is None:
            self.org = _components(_decoded(value, params, self.raw_bytes), 8)

    def on_title(self, params: Mapping[str, str], value: str) -> None:
        if self.title is None:
            self.title = self.text(value, params)

    def on_kind(self, params: Mapping[str, str], value: str) -> None:
        self.kind = value.strip().lower()[:20]

    def on_email(self, params: Mapping[str, str], value: str) -> None:
        if len(self.emails) < MAX_ITEMS:
            email = self.text(value, params).strip()
            email = email[7:] if email[:7].lower() == "mailto:" else email
            self.emails.append((_rank(params), email))

    def on_tel(self, params: Mapping[str, str], value: str) -> None:
        if len(self.phones) < MAX_ITEMS:
            self.phones.append((_rank(params), _phone_value(self.text(value, params).strip())))

    def on_url(self, params: Mapping[str, str], value: str) -> None:
        if len(self.urls) < MAX_ITEMS:
            self.urls.append((_rank(params), self.text(value, params)))

    def on_social(self, params: Mapping[str, str], value: str) -> None:
        url = self.text(value, params).strip()
        if len(self.urls) < MAX_ITEMS and url[:8].lower().startswith(("https://", "http://")):
            self.urls.append((_rank(params), url))

    def on_note(self, params: Mapping[str, str], value: str) -> None:
        if len(self.notes) < 8:
            self.notes.append(self.text(value, params))

    def on_x_offers(self, params: Mapping[str, str], value: str) -> None:
        self.x.setdefault("offers", self.text(value, params))

    def on_x_seeking(self, params: Mapping[str, str], value: str) -> None:
        self.x.setdefault("seeking", self.text(value, params))

    def card(self) -> Card:
        cap = MAX_FIELD_CHARS["name"]
        family, given, additional, prefix, suffix = self.n or ("",) * 5
        family, given = clean_text(family, max_len=cap), clean_text(given, max_len=cap)
        fn = clean_text(self.fn or "", max_len=cap)
        if not fn and self.n:
            parts = (prefix, given, additional, family, suffix)
            fn = clean_text(" ".join(part for part in parts if part.strip()), max_len=cap)
        organization = _organization(self.org or [])
        if self.kind in ("org", "organization") and not organization:
            organization, fn = fn, ""
        emails = _clean_list(_by_rank(self.emails), MAX_FIELD_CHARS["email"], casefold=True)
        phones = _clean_list(_by_rank(self.phones), MAX_FIELD_CHARS["phone"])
        urls = _clean_list(_by_rank(self.urls), MAX_FIELD_CHARS["url"], keep=web_address)
        offers, seeking, note = split_offers_seeking(
            "\n".join(self.notes), self.x.get("offers"), self.x.get("seeking")
        )
        return Card(
            given=given,
            family=family,
            formatted=_formatted(fn, given, family, (organization, *emails, *phones, *urls)),
            title=clean_text(self.title or "", max_len=MAX_FIELD_CHARS["title"]),
            organization=organization,
            emails=emails,
            phones=phones,
            urls=urls,
            offers=offers,
            seeking=seeking,
            note=note,
        )


_HANDLERS: dict[str, Callable[[_CardBuilder, Mapping[str, str], str], None]] = {
    "FN": _CardBuilder.on_fn,
    "N": _CardBuilder.on_n,
    "ORG": _CardBuilder.on_org,
    "TITLE": _CardBuilder.on_title,
    "KIND": _CardBuilder.on_kind,
    "EMAIL": _CardBuilder.on_email,
    "TEL": _CardBuilder.on_tel,
    "URL": _CardBuilder.on_url,
    "X-SOCIALPROFILE": _CardBuilder.on_social,
    "NOTE": _CardBuilder.on_note,
    "X-MUTUAL-OFFERS": _CardBuilder.on_x_offers,
    "X-MUTUAL-SEEKING": _CardBuilder.on_x_seeking,
}


def _organization(parts: list[str]) -> str:
    """ORG's first component is the organization; units follow in brackets."""
    cap = MAX_FIELD_CHARS["organization"]
    cleaned = (clean_text(part, max_len=cap) for part in parts if part)
    name, *units = [part for part in cleaned if part] or [""]
    return clean_text(f"{name} ({', '.join(units)})", max_len=cap) if units else name


def _by_rank(items: list[tuple[int, str]]) -> list[str]:
    return [value for _, value in sorted(items, key=lambda item: item[0])]


def _formatted(fn: str, given: str, family: str, contacts: Sequence[str]) -> str:
    """Keep FN only when it says more than N, or than the company/contact it repeats."""
    derived = " ".join(p for p in (given, family) if p)
    if fn == derived or (not derived and fn in contacts):
        return ""
    return fn


def split_offers_seeking(
    note: str, x_offers: str | None = None, x_seeking: str | None = None
) -> tuple[str, str, str]:
    """Split ``Offers:``/``Seeking:`` lines out of a note: (offers, seeking, rest).

    The first line with each label is Mutual's. An X-MUTUAL value, when given,
    wins over the line (another app may have edited NOTE); an empty X-MUTUAL
    value means the card had none, so a labelled line is the card's own note.
    """
    if not note and x_offers is None and x_seeking is None:
        return "", "", ""
    lines = note.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    x_values = {"offers": x_offers, "seeking": x_seeking}
    found: dict[str, str] = {}
    rest: list[str] = []
    for line in lines:
        match = _LABEL_LINE.fullmatch(line)
        label = match.group(1).lower() if match else ""
        if match and label not in found and x_values[label] != "":
            found[label] = match.group(2)
        else:
            rest.append(line)
    offers = x_offers if x_offers is not None else found.get("offers", "")
    seeking = x_seeking if x_seeking is not None else found.get("seeking", "")
    return (
        clean_text(offers, max_len=MAX_FIELD_CHARS["offers"]),
        clean_text(seeking, max_len=MAX_FIELD_CHARS["seeking"]),
        clean_text("\n".join(rest), multiline=True, max_len=MAX_FIELD_CHARS["note"]),
    )
