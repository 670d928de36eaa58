"""Fitting a card into a QR code that phones read at arm's length: what is left out, in what order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..card_fields import clean_card
from ..errors import CardTooLargeError
from ..models import KEEP_LINK, KEEP_OFFERS, Card
from ..text_safety import clean_text
from .writer import encode_qr_vcard

# The brief caps a QR payload at 300 bytes at error correction M; QR version 12, the
# largest a phone reads at arm's length, holds 287 bytes there. 287 satisfies both.
QR_MAX_BYTES = 287

# What fit_card_for_qr leaves out, in order, only while the payload is still too big. The person
# chooses what is kept longest (MyCard.qr_keeps):
# - KEEP_LINK (the default): the card's other note, URLs/phones/emails beyond the first; then
#   seeking and offers are cut to a common length with "…" (no shorter than 12 characters), else
#   seeking is dropped and offers cut alone, else offers are dropped; then the title, the link, and
#   the organization last. For most people the link (LinkedIn) is what they came to share.
# - KEEP_OFFERS: after the note and the extra values, the title and the link go first, then
#   seeking and offers as above, the organization last.
# The name and the first email and phone are never dropped. FittedPayload.dropped says what was
# done, e.g. "note", "2 more web addresses", "seeking (shortened from 62 to 55 characters)".
_EXTRAS = ("note", "more web addresses", "more phone numbers", "more email addresses")
_GIVE_AND_TAKE = ("seeking, offers (shortened)", "seeking", "offers (shortened)", "offers")
DROP_ORDERS: dict[str, tuple[str, ...]] = {
    KEEP_LINK: (*_EXTRAS, *_GIVE_AND_TAKE, "title", "web address", "organization"),
    KEEP_OFFERS: (*_EXTRAS, "title", "web address", *_GIVE_AND_TAKE, "organization"),
}
DROP_ORDER = DROP_ORDERS[KEEP_LINK]


@dataclass(frozen=True)
class FittedPayload:
    """A QR payload that fits, the card it encodes, and what had to be left out."""

    text: str
    dropped: list[str]
    card: Card


def fit_card_for_qr(card: Card, max_bytes: int = QR_MAX_BYTES, keep: str = KEEP_LINK) -> FittedPayload:
    """Encode ``card`` in at most ``max_bytes`` UTF-8 bytes, dropping in the order ``keep`` names
    (:data:`DROP_ORDERS`; an unknown ``keep`` is the default).

    Raises :class:`CardTooLargeError` when the name, one email and one phone
    (which are never dropped) do not fit on their own.
    """
    current, dropped = clean_card(card), []
    for step in _DROP_STEPS.get(keep, _DROP_STEPS[KEEP_LINK]):
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


_EXTRA_STEPS: tuple[Callable[[Card, int], tuple[Card, list[str]]], ...] = (
    _drop_note,
    _drop_extra("urls", "web address"),
    _drop_extra("phones", "phone number"),
    _drop_extra("emails", "email address"),
)
_GIVE_AND_TAKE_STEPS: tuple[Callable[[Card, int], tuple[Card, list[str]]], ...] = (
    _shorten_offers_seeking,
    _drop_field("seeking", "seeking"),
    _shorten_offers_seeking,  # offers alone may now fit when shortened
    _drop_field("offers", "offers"),
)
_LINK_AND_TITLE_STEPS = (_drop_field("title", "title"), _drop_field("urls", "web address"))
_DROP_STEPS: dict[str, tuple[Callable[[Card, int], tuple[Card, list[str]]], ...]] = {
    KEEP_LINK: (*_EXTRA_STEPS, *_GIVE_AND_TAKE_STEPS, *_LINK_AND_TITLE_STEPS, _drop_field("organization", "organization")),
    KEEP_OFFERS: (*_EXTRA_STEPS, *_LINK_AND_TITLE_STEPS, *_GIVE_AND_TAKE_STEPS, _drop_field("organization", "organization")),
}
