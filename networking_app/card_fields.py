"""The rules of a card's fields, whatever format the card came in (vCard, CSV, MeCard…).

What an email, a phone number and a web address look like on a card, how offers
and seeking travel in a note (labelled ``Offers: …`` / ``Seeking: …`` lines at its
top, so a person reads them in any contacts app), how long each field may be and
how many emails, phones and links a card keeps: every reader and writer of cards
uses these, so a card means the same whichever way it arrived.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from .models import Card
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
}

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# "example.com:8080/x" is an address without a scheme; "javascript:1+alert(1)" is not.
_HOST_PORT = re.compile(r"(?:localhost|[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+):[0-9]{1,5}(?:[/?#]|\Z)")
_LABEL_LINE = re.compile(r"[ \t]*(offers|seeking)[ \t]*:[ \t]?(.*)", re.I | re.S)


def clean_card(card: Card) -> Card:
    """A plain :class:`Card` with every field cleaned, capped and de-duplicated."""
    caps = MAX_FIELD_CHARS
    return Card(
        given=clean_text(card.given, max_len=caps["name"]),
        family=clean_text(card.family, max_len=caps["name"]),
        formatted=clean_text(card.formatted, max_len=caps["name"]),
        title=clean_text(card.title, max_len=caps["title"]),
        organization=clean_text(card.organization, max_len=caps["organization"]),
        emails=clean_list(card.emails, caps["email"], casefold=True),
        phones=clean_list(card.phones, caps["phone"]),
        urls=clean_list(card.urls, caps["url"]),
        offers=clean_text(card.offers, max_len=caps["offers"]),
        seeking=clean_text(card.seeking, max_len=caps["seeking"]),
        note=clean_text(card.note, multiline=True, max_len=caps["note"]),
    )


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
    """An address as written, without the "mailto:" some generators put before it."""
    value = value.strip()
    return value[7:].strip() if value[:7].lower() == "mailto:" else value


def phone_value(value: str) -> str:
    """A phone number, with a ``tel:`` URI (vCard 4.0) turned back into a plain number."""
    if value[:4].lower() != "tel:":
        return value
    number, *uri_params = value[4:].split(";")
    ext = next((p[4:] for p in uri_params if p[:4].lower() == "ext="), "")
    return f"{number} ext. {ext}" if ext else number


def web_address(value: str) -> str:
    """``value`` if it is an http(s) or scheme-less address, else "" (the UI may link it)."""
    match = _SCHEME.match(value)
    if match and match.group(1).lower() not in ("http", "https") and not _HOST_PORT.match(value):
        return ""
    return value


def organization_with_units(name: str, units: Sequence[str]) -> str:
    """An organization and its units in brackets: "IBM (Accounting, Payroll)"."""
    return f"{name} ({', '.join(units)})" if units else name


def formatted_name(formatted: str, given: str, family: str, others: Sequence[str] = ()) -> str:
    """The formatted name, kept only when it says more than "given family", or
    (for a card without those) than the company or contact it repeats (``others``)."""
    derived = " ".join(part for part in (given, family) if part)
    if formatted == derived or (not derived and formatted in others):
        return ""
    return formatted


def note_with_offers_seeking(card: Card, extra_note: str = "") -> str:
    """The note a card is written with: ``Offers:`` and ``Seeking:`` lines, its note, ``extra_note``."""
    parts = [
        f"Offers: {card.offers}" if card.offers else "",
        f"Seeking: {card.seeking}" if card.seeking else "",
        card.note,
        extra_note,
    ]
    return "\n".join(part for part in parts if part)


def split_offers_seeking(
    note: str, x_offers: str | None = None, x_seeking: str | None = None
) -> tuple[str, str, str]:
    """Split ``Offers:``/``Seeking:`` lines out of a note: (offers, seeking, rest).

    The first line with each label is Mutual's. An X-MUTUAL value (vCard files),
    when given, wins over the line (another app may have edited NOTE); an empty
    X-MUTUAL value means the card had none, so a labelled line is the card's own note.
    Offers and seeking are one-line fields: a line break in them becomes a space.
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
