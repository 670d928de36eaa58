"""The rules of a card's fields, whatever format the card came in (vCard, CSV, MeCard…).

What an email, a phone number and a web address look like on a card, what is a
placeholder rather than data ("null", "n/a", "-", "x@x"), how offers and seeking
travel in a note (:mod:`networking_app.offers_seeking`: "Can help with: …" /
"Looking for: …" lines at its top, so a person reads them in any contacts app), how
long each field may be and how many emails, phones and links a card keeps: every
reader and writer of cards uses these, so a card means the same whichever way it arrived.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from .models import Card, full_name_of
from .offers_seeking import OFFERS, SEEKING, find_offers_seeking, written_lines
from .text_safety import clean_text

MAX_ITEMS = 20  # emails, phones and links a card keeps: a hostile file gets no more
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
    "uid": 200,
}
# Values other apps and forms write where they have nothing: never data, never an identity.
PLACEHOLDERS = frozenset(
    "null none nil n/a na n.a. - -- --- — – . .. ... ? ?? x xx xxx 0 unknown tbd tba "
    "empty undefined nan noemail no-email nomail x@x a@a test@test none@none null@null "
    "noreply@noreply email@email".split()
)

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# "example.com:8080/x" is an address without a scheme; "javascript:1+alert(1)" is not.
_HOST_PORT = re.compile(r"(?:localhost|[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+):[0-9]{1,5}(?:[/?#]|\Z)")
# An address: a local part, "@", a domain with a dot and no spaces (RFC 5321's shape, not its every corner).
_ADDRESS = re.compile(r"[^\s@<>()\[\]\\,;:\"]{1,64}@[^\s@<>()\[\]\\,;:\"]{1,253}\.[^\s@<>()\[\]\\,;:\".]{2,63}")
_NAMED_ADDRESS = re.compile(r"\s*(?:\"([^\"]{0,200})\"|([^<>\"]{0,200}?))\s*<\s*(?:mailto:)?([^<>\s]{1,320})\s*>\s*", re.I)
_DIGIT = re.compile(r"[0-9]")
_WEB_HOST = re.compile(r"(?:www\.)?[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})*\.[A-Za-z]{2,24}(?::[0-9]{1,5})?(?:[/?#]|\Z)")


def clean_card(card: Card) -> Card:
    """A plain :class:`Card` with every field cleaned, capped and de-duplicated."""
    caps = MAX_FIELD_CHARS
    return Card(
        given=_text(card.given, caps["name"]),
        family=_text(card.family, caps["name"]),
        formatted=_text(card.formatted, caps["name"]),
        title=_text(card.title, caps["title"]),
        organization=_text(card.organization, caps["organization"]),
        emails=clean_list(card.emails, caps["email"], casefold=True, keep=email_value),
        phones=clean_list(card.phones, caps["phone"], keep=phone_number),
        urls=clean_list(card.urls, caps["url"], keep=_web_value),
        offers=_text(card.offers, caps["offers"]),
        seeking=_text(card.seeking, caps["seeking"]),
        note=clean_text(card.note, multiline=True, max_len=caps["note"]),
        uid=_text(card.uid, caps["uid"]),
    )


# In a name, title or organisation only the unmistakable ones: "X" may be a company, "NA" a name.
TEXT_PLACEHOLDERS = frozenset("null none nil n/a n.a. - -- --- — – . .. ... ? ?? undefined nan".split())


def is_placeholder(value: str) -> bool:
    """"null", "n/a", "-", "x@x"…: what a form writes where it has nothing."""
    return len(value) <= 16 and value.strip().casefold() in PLACEHOLDERS


def _text(value: str, max_len: int) -> str:
    value = clean_text(value, max_len=max_len)
    return "" if len(value) <= 9 and value.casefold() in TEXT_PLACEHOLDERS else value


def _web_value(value: str) -> str:
    return "" if is_placeholder(value) else web_address(value)


def clean_list(
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


def email_value(value: str) -> str:
    """The address in a value, or "" when it holds none: "mailto:", a display name and
    brackets (``"Omega" <omega@example.com>``) are taken off; "null", "x@x" are no address."""
    value = value.strip()
    named = _NAMED_ADDRESS.fullmatch(value)
    if named:
        value = named.group(3)
    if value[:7].lower() == "mailto:":
        value = value[7:].split("?", 1)[0].strip()
    if is_placeholder(value) or not _ADDRESS.fullmatch(value):
        return ""
    return value


def email_display_name(value: str) -> str:
    """The display name written with an address (``Dan Burzynski <dan@example.org>``), or ""."""
    named = _NAMED_ADDRESS.fullmatch(value.strip())
    if not named or not email_value(named.group(3)):
        return ""
    name = (named.group(1) if named.group(1) is not None else named.group(2) or "").strip().strip("'")
    return "" if "@" in name or is_placeholder(name) else clean_text(name, max_len=MAX_FIELD_CHARS["name"])


def phone_number(value: str) -> str:
    """A phone value kept on a card: at least one digit, not a placeholder."""
    value = value.strip()
    return value if _DIGIT.search(value) and not is_placeholder(value) else ""


def phone_value(value: str) -> str:
    """A phone number, with a ``tel:`` URI (vCard 4.0) turned back into a plain number."""
    if value[:4].lower() != "tel:":
        return value
    number, *uri_params = value[4:].split(";")
    ext = next((p[4:] for p in uri_params if p[:4].lower() == "ext="), "")
    return f"{number} ext. {ext}" if ext else number


def web_address(value: str) -> str:
    """An http(s) address, else "" (the UI may link it; :mod:`networking_app.links` decides
    whether it opens). A scheme-less one that names a host ("www.example.org/path",
    "example.com") gets "https://"; other text without a scheme is no address."""
    value = value.strip()
    match = _SCHEME.match(value)
    if match and match.group(1).lower() in ("http", "https") and value[match.end():match.end() + 2] == "//":
        return value
    if match and not _HOST_PORT.match(value):
        return ""
    if _WEB_HOST.match(value):
        return "https://" + value
    return ""


def organization_with_units(name: str, units: Sequence[str]) -> str:
    """An organization and its units in brackets: "IBM (Accounting, Payroll)"."""
    return f"{name} ({', '.join(units)})" if units else name


def formatted_name(formatted: str, given: str, family: str, others: Sequence[str] = ()) -> str:
    """The formatted name, kept only when it says more than "given family", or
    (for a card without those) than the company or contact it repeats (``others``)."""
    derived = full_name_of({"given": given, "family": family})  # 王 and 芳 say 王芳
    if formatted == derived or (not derived and formatted in others):
        return ""
    return formatted


def note_with_offers_seeking(card: Card, extra_note: str = "") -> str:
    """The note a card is written with: "Can help with:" and "Looking for:" lines, its note, ``extra_note``."""
    parts = [*written_lines(card.offers, card.seeking), card.note, extra_note]
    return "\n".join(part for part in parts if part)


# The first line of my notes in an exported NOTE/Notes field (interop.people writes it). Mutual's
# own importer keeps what follows only for someone new, so importing again does not pile it up.
NOTES_HEADING = "Notes from Mutual:"


def split_my_notes(note: str) -> tuple[str, str]:
    """A note read back from a Mutual export as (the card's own note, the notes section Mutual added or "").

    An importer keeps the section only for someone new to this store: for a known person the
    meetings it tells are here already, and importing again must not pile them up.
    """
    head, found, section = note.partition(NOTES_HEADING)
    if not found or (head and not head.endswith("\n")):
        return note, ""
    return head.rstrip("\n"), (found + section).strip()


def split_offers_seeking(
    note: str, x_offers: str | None = None, x_seeking: str | None = None
) -> tuple[str, str, str]:
    """Offers and seeking out of a note, as people write them: (offers, seeking, rest).

    The first line of each kind is the card's (:func:`~networking_app.offers_seeking.find_offers_seeking`).
    An ``X-`` value (vCard files), when given, wins over the line (another app may have
    edited NOTE); an empty one means the card had none, so such a line is the card's own note.
    Offers and seeking are one-line fields: a line break in them becomes a space.
    """
    if not note and x_offers is None and x_seeking is None:
        return "", "", ""
    skip = frozenset(kind for kind, value in ((OFFERS, x_offers), (SEEKING, x_seeking)) if value == "")
    own, mine = split_my_notes(note)  # my notes from a Mutual export: "I can help: …" there is not their offer
    found, rest = find_offers_seeking(own, skip) if own else ({}, "")
    rest = "\n".join(part for part in (rest, mine) if part)
    offers = x_offers if x_offers is not None else found.get(OFFERS, "")
    seeking = x_seeking if x_seeking is not None else found.get(SEEKING, "")
    return (
        clean_text(offers, max_len=MAX_FIELD_CHARS["offers"]),
        clean_text(seeking, max_len=MAX_FIELD_CHARS["seeking"]),
        clean_text(rest, multiline=True, max_len=MAX_FIELD_CHARS["note"]),
    )
