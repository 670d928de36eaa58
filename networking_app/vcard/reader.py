"""Reading vCards: tolerant of vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350), bounded against hostile files.

2.1's quoted-printable, CHARSET= and bare parameters are read, and 4.0's ``tel:``
URIs, ALTID/LANGUAGE alternatives (the first is kept) and KIND. N gives
given/family, FN ``formatted`` (kept only when it says more than "given family"),
ORG the organization with further units in brackets ("IBM (Accounting)"); EMAIL,
TEL, URL and web-link X-SOCIALPROFILE values fill the lists, most preferred (PREF)
first; URLs other than http(s) or scheme-less ones (javascript:, data:, …) are
dropped. Offers and seeking come from X-MUTUAL-OFFERS/-SEEKING, else from the
labelled lines of NOTE (:func:`~networking_app.card_fields.split_offers_seeking`).

Bytes are decoded by :mod:`networking_app.text_decoding`; a file that is not UTF-8
has each value decoded by its own CHARSET. At most
:data:`~networking_app.card_fields.MAX_ITEMS` emails, phones and URLs per card
(the first ones in the file), field lengths capped, nested vCards (2.1 AGENT) at
most :data:`MAX_NESTING` deep. Every text field goes through
:func:`~networking_app.text_safety.clean_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..card_fields import (
    MAX_FIELD_CHARS,
    MAX_ITEMS,
    clean_card,
    clean_list,
    email_display_name,
    email_value,
    formatted_name,
    is_placeholder,
    organization_with_units,
    phone_value,
    split_offers_seeking,
    web_address,
)
from ..errors import ImportFormatError
from ..models import MAX_TAG_LENGTH, Card
from ..offers_seeking import x_property_kind
from ..text_decoding import decode, decode_text, is_utf8, stated_encoding
from ..text_safety import clean_text
from .properties import NO_PARAMS, params, properties, quoted_printable_in, rank, unfold, unfold_bytes
from .values import components, decoded, text_list, unescape

MAX_NESTING = 4
MAX_TAGS = 20  # CATEGORIES taken from one card: a hostile file gets no more

_BEGIN_VCARD = r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*\r?$"
_BEGIN_TEXT = re.compile(_BEGIN_VCARD, re.I | re.M)
_BEGIN_BYTES = re.compile(_BEGIN_VCARD.encode("ascii"), re.I | re.M)


def count_vcards(data: str | bytes) -> int:
    """How many lines say BEGIN:VCARD (nested 2.1 AGENT cards count too): cheap, for a
    progress total or for telling one card from a file of them."""
    if isinstance(data, str):
        return len(_BEGIN_TEXT.findall(data))
    encoding = stated_encoding(data)
    if encoding is None:  # UTF-8 or an 8-bit code page: ASCII letters are single bytes
        return len(_BEGIN_BYTES.findall(data))
    if encoding == "utf-8-sig":
        return len(_BEGIN_BYTES.findall(memoryview(data)[3:]))
    return len(_BEGIN_TEXT.findall(decode_text(data)))


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

    A file is read in pieces of about :data:`PIECE_CHARS` that end between two cards
    (:func:`_pieces`): only one piece is held decoded and unfolded at a time, not the
    whole file twice more, and the cards are the same as from one piece.
    """
    for line, builder in _read(data):
        yield line, builder.card()


def iter_tagged_vcards(data: str | bytes) -> Iterator[tuple[int, Card, list[str]]]:
    """As :func:`iter_vcards`, each card with its CATEGORIES as tags: what an import reads.

    Tags are mine, kept on a contact, not part of a card: a scanned card's are not taken.
    """
    for line, builder in _read(data):
        yield line, builder.card(), builder.tags()


def _read(data: str | bytes) -> Iterator[tuple[int, _CardBuilder]]:
    """Each complete card's first line and its properties, collected."""
    source = _source(data)
    builder: _CardBuilder | None = None
    start = depth = 0
    found = after_agent = False
    for piece, first_line in source.pieces():
        unfolded = unfold(piece, soft_breaks=source.soft_breaks)
        lines = _LineCounter(unfolded, first_line)
        for offset, name, found_params, value in properties(unfolded.text):
            if name == "BEGIN" and value.strip().upper() == "VCARD":
                found = True
                if builder is None:
                    builder, start = _CardBuilder(source.raw_bytes), lines.at(offset)
                else:
                    depth = _nested(depth, after_agent, start, lines.at(offset))
            elif name == "END" and value.strip().upper() == "VCARD":
                if depth:
                    depth -= 1
                elif builder is not None:
                    yield start, builder
                    builder = None
            elif builder is not None and not depth:
                builder.add(name, found_params, value)
            after_agent = name == "AGENT" and not value.strip()
    _check_end(builder is not None, found, start)


class _LineCounter:
    """1-based line numbers in the file of offsets in a piece's unfolded text that only grow, counted in C."""

    def __init__(self, unfolded: Any, first_line: int = 1) -> None:
        self.unfolded, self.text, self.offset, self.line = unfolded, unfolded.text, 0, first_line

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.unfolded.line(offset, self.line)


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


PIECE_CHARS = 1 << 18  # a quarter megabyte: decoded and unfolded, about a megabyte at a time
# Where a file may be cut: after an END:VCARD line that a BEGIN:VCARD line follows, both bare.
# Neither can be the continuation of a value there (a fold starts with a space or a tab, and
# a quoted-printable value stops at END:VCARD), so each piece's properties are the file's.
_CUT = r"\nEND:VCARD\r*\n(?=BEGIN:VCARD\r*\n)"
_CUT_TEXT = re.compile(_CUT, re.I)
_CUT_BYTES = re.compile(_CUT.encode("ascii"), re.I)


@dataclass(frozen=True)
class _Source:
    """A vCard file or text, and what is decided once for all of it.

    ``data`` is the text, or bytes decoded piece by piece with ``encoding`` (each piece
    ends at a line end, so never inside a character); ``raw_bytes`` says the file is not
    UTF-8 and holds each byte as one latin-1 code point, for the values to decode by
    their CHARSET (see values.decoded); ``soft_breaks`` says the file has vCard 2.1
    quoted-printable values, whose "=" line ends are not folds; ``lf`` says its lines end
    in "\n" (else in "\r" alone, classic Mac OS).
    """

    data: str | bytes
    encoding: str
    raw_bytes: bool
    soft_breaks: bool
    lf: bool

    def pieces(self) -> Iterator[tuple[str, int]]:
        """Each piece's text, with "\n" line ends, and the file's line number of its first line."""
        data, line = self.data, 1
        for begin, end in _pieces(data):
            chunk = data[begin:end]
            text = chunk if isinstance(chunk, str) else chunk.decode(self.encoding)
            yield (text if self.lf else text.replace("\r", "\n")), line
            line += text.count("\n")


def _pieces(data: str | bytes) -> Iterator[tuple[int, int]]:
    """``(begin, end)`` of pieces of about :data:`PIECE_CHARS`, cut only where :data:`_CUT` allows."""
    def cut_after(position: int) -> re.Match[str] | re.Match[bytes] | None:
        return _CUT_TEXT.search(data, position) if isinstance(data, str) else _CUT_BYTES.search(data, position)

    begin = 0
    while len(data) - begin > PIECE_CHARS:
        found = cut_after(begin + PIECE_CHARS)
        if found is None:
            break
        end = found.end()
        yield begin, end
        begin = end
    yield begin, len(data)


def _source(data: str | bytes) -> _Source:
    """How to read ``data``: the text of a str; a file's bytes by the rule of text_decoding."""
    if isinstance(data, str):
        text = data[1:] if data.startswith("\ufeff") else data
        return _Source(text, "", False, quoted_printable_in(text), "\n" in text)
    raw = data if isinstance(data, bytes) else bytes(data)
    source = _bytes_source(raw)
    if source.raw_bytes:  # a fold inside a UTF-8 sequence (RFC 6350 §3.2 allows it) broke the UTF-8
        unfolded = unfold_bytes(raw)
        if unfolded != raw:
            source = _bytes_source(unfolded)
    return source


def _bytes_source(raw: bytes) -> _Source:
    encoding = stated_encoding(raw)
    if encoding is not None:  # a byte-order mark or UTF-16 without one: decoded whole (rare)
        text = decode(raw).text
        return _Source(text, "", False, quoted_printable_in(text), "\n" in text)
    # latin-1 keeps each byte as one code point, for the values to decode by their CHARSET
    encoding = "utf-8" if is_utf8(raw) else "latin-1"
    return _Source(raw, encoding, encoding == "latin-1", quoted_printable_in(raw), b"\n" in raw)


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
        self.uid = ""
        self.email_names: list[str] = []
        self.x: dict[str, str] = {}  # X-MUTUAL-OFFERS/-SEEKING: exact, "" meaning none
        self.x_other: dict[str, str] = {}  # other apps' X- properties (X-LOOKING-FOR…)
        self.alternatives: set[tuple[str, str]] = set()
        self.categories: list[str] = []

    def add(self, name: str, raw_params: str, value: str) -> None:
        handler = _HANDLERS.get(name)
        if handler is None:
            if name[:2] == "X-":
                self.on_x(params(raw_params) if raw_params else NO_PARAMS, value, name)
            return
        found = params(raw_params) if raw_params else NO_PARAMS
        altid = found.get("ALTID")
        if altid is not None:  # 4.0: the same value in another language; keep the first
            if (name, altid) in self.alternatives or len(self.alternatives) > 256:
                return
            self.alternatives.add((name, altid))
        handler(self, found, value)

    def text(self, value: str, found: Mapping[str, str]) -> str:
        if found is NO_PARAMS and not self.raw_bytes:
            return unescape(value)
        return unescape(decoded(value, found, self.raw_bytes))

    def on_fn(self, found: Mapping[str, str], value: str) -> None:
        if self.fn is None:
            self.fn = self.text(value, found)

    def on_n(self, found: Mapping[str, str], value: str) -> None:
        if self.n is None:
            self.n = components(decoded(value, found, self.raw_bytes), 5)

    def on_org(self, found: Mapping[str, str], value: str) -> None:
        if self.org is None:
            self.org = components(decoded(value, found, self.raw_bytes), 8)

    def on_title(self, found: Mapping[str, str], value: str) -> None:
        if self.title is None:
            self.title = self.text(value, found)

    def on_kind(self, found: Mapping[str, str], value: str) -> None:
        self.kind = value.strip().lower()[:20]

    def on_email(self, found: Mapping[str, str], value: str) -> None:
        if len(self.emails) < MAX_ITEMS:
            text = self.text(value, found)
            self.emails.append((rank(found), email_value(text)))
            if "<" in text and (name := email_display_name(text)):
                self.email_names.append(name)

    def on_uid(self, found: Mapping[str, str], value: str) -> None:
        if not self.uid:
            self.uid = clean_text(self.text(value, found), max_len=MAX_FIELD_CHARS["uid"])

    def on_x(self, found: Mapping[str, str], value: str, name: str) -> None:
        kind = x_property_kind(name)
        text = self.text(value, found).strip()
        if kind and text and not is_placeholder(text):
            self.x_other.setdefault(kind, text)

    def on_tel(self, found: Mapping[str, str], value: str) -> None:
        if len(self.phones) < MAX_ITEMS:
            self.phones.append((rank(found), phone_value(self.text(value, found).strip())))

    def on_url(self, found: Mapping[str, str], value: str) -> None:
        if len(self.urls) < MAX_ITEMS:
            self.urls.append((rank(found), self.text(value, found)))

    def on_social(self, found: Mapping[str, str], value: str) -> None:
        url = self.text(value, found).strip()
        if len(self.urls) < MAX_ITEMS and url[:8].lower().startswith(("https://", "http://")):
            self.urls.append((rank(found), url))

    def on_note(self, found: Mapping[str, str], value: str) -> None:
        if len(self.notes) < 8:
            self.notes.append(self.text(value, found))

    def on_categories(self, found: Mapping[str, str], value: str) -> None:
        room = MAX_TAGS - len(self.categories)
        if room > 0:
            self.categories += text_list(decoded(value, found, self.raw_bytes), room)

    def tags(self) -> list[str]:
        """The card's CATEGORIES as tags: cleaned, each once, at most :data:`MAX_TAGS`."""
        cleaned = (clean_text(tag, max_len=MAX_TAG_LENGTH) for tag in self.categories)
        return list(dict.fromkeys(tag for tag in cleaned if tag))

    def on_x_offers(self, found: Mapping[str, str], value: str) -> None:
        self.x.setdefault("offers", self.text(value, found))

    def on_x_seeking(self, found: Mapping[str, str], value: str) -> None:
        self.x.setdefault("seeking", self.text(value, found))

    def card(self) -> Card:
        cap = MAX_FIELD_CHARS["name"]
        family, given, additional, prefix, suffix = self.n or ("",) * 5
        family, given = clean_text(family, max_len=cap), clean_text(given, max_len=cap)
        fn = clean_text(self.fn or "", max_len=cap)
        if not fn and any(part.strip() for part in (prefix, additional, suffix)):  # else the name is given and family
            parts = (prefix, given, additional, family, suffix)
            fn = clean_text(" ".join(part for part in parts if part.strip()), max_len=cap)
        organization = _organization(self.org or [])
        if self.kind in ("org", "organization") and not organization:
            organization, fn = fn, ""
        emails = clean_list(_by_rank(self.emails), MAX_FIELD_CHARS["email"], casefold=True)
        phones = clean_list(_by_rank(self.phones), MAX_FIELD_CHARS["phone"])
        urls = clean_list(_by_rank(self.urls), MAX_FIELD_CHARS["url"], keep=web_address)
        offers, seeking, note = split_offers_seeking(
            "\n".join(self.notes),
            self.x.get("offers", self.x_other.get("offers")),
            self.x.get("seeking", self.x_other.get("seeking")),
        )
        if not (given or family) and (not fn or "@" in fn) and self.email_names:
            fn = self.email_names[0]  # "Omega" <omega@example.com> on a card without a name
        return clean_card(Card(
            uid=self.uid,
            given=given,
            family=family,
            formatted=formatted_name(fn, given, family, (organization, *emails, *phones, *urls)),
            title=clean_text(self.title or "", max_len=MAX_FIELD_CHARS["title"]),
            organization=organization,
            emails=emails,
            phones=phones,
            urls=urls,
            offers=offers,
            seeking=seeking,
            note=note,
        ))


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
    "UID": _CardBuilder.on_uid,
    "X-MUTUAL-OFFERS": _CardBuilder.on_x_offers,
    "X-MUTUAL-SEEKING": _CardBuilder.on_x_seeking,
    "CATEGORIES": _CardBuilder.on_categories,
}


def _organization(parts: list[str]) -> str:
    """ORG's first component is the organization; units follow in brackets."""
    cap = MAX_FIELD_CHARS["organization"]
    cleaned = (clean_text(part, max_len=cap) for part in parts if part)
    name, *units = [part for part in cleaned if part] or [""]
    return clean_text(organization_with_units(name, units), max_len=cap) if units else name


def _by_rank(items: list[tuple[int, str]]) -> list[str]:
    return [value for _, value in sorted(items, key=lambda item: item[0])]
