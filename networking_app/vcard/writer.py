"""Writing vCards: always vCard 3.0 (RFC 2426), the version that stock phone cameras
and Google, Apple and Outlook contacts import.

- :func:`encode_qr_vcard`: compact text for a QR code (no folding, no ``item1.``
  groups, no PHOTO: ZXing mishandles them); :mod:`.qr_fit` makes it fit;
- :func:`serialize_vcard` / :func:`serialize_vcards`: files, folded at 75 octets,
  with UID, REV, CATEGORIES and ``X-MUTUAL-OFFERS``/``X-MUTUAL-SEEKING``.

Offers and seeking also travel as labelled lines at the top of NOTE
(:func:`~networking_app.card_fields.note_with_offers_seeking`), so a person reads
them in any contacts app; the X-MUTUAL properties keep them exact in files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..card_fields import clean_card, note_with_offers_seeking
from ..models import Card
from ..text_safety import clean_text
from .values import escape

PRODID = "-//Mutual//Mutual networking companion//EN"


def encode_qr_vcard(card: Card) -> str:
    """A compact vCard 3.0 for a QR code: CRLF, no folding, no groups, no PHOTO."""
    return "\r\n".join(_card_lines(clean_card(card))) + "\r\n"


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
        f"X-MUTUAL-OFFERS:{escape(card.offers)}",
        f"X-MUTUAL-SEEKING:{escape(card.seeking)}",
    ]
    tags = [clean_text(tag, max_len=200) for tag in categories]
    if any(tags):
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in tags if tag))
    if uid := clean_text(uid, max_len=200):
        lines.append(f"UID:{escape(uid)}")
    if rev := clean_text(rev, max_len=64):
        lines.append(f"REV:{escape(rev)}")
    return lines


def _card_lines(card: Card, extra_note: str = "") -> list[str]:
    """The vCard 3.0 lines shared by QR and files (card already clean)."""
    given, family = card.given, card.family
    if not given and not family:
        given = card.formatted  # phones build the shown name from N, not FN
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{escape(family)};{escape(given)};;;",
        f"FN:{escape(card.full_name or _fallback_name(card))}",
    ]
    if card.organization:
        lines.append(f"ORG:{escape(card.organization)}")
    if card.title:
        lines.append(f"TITLE:{escape(card.title)}")
    lines += [f"EMAIL;TYPE=INTERNET:{escape(email)}" for email in card.emails]
    lines += [f"TEL:{escape(phone)}" for phone in card.phones]
    # Google and Apple write URL as escaped text (http\://…) and read it so too.
    lines += [f"URL:{escape(url)}" for url in card.urls]
    if note := note_with_offers_seeking(card, extra_note):
        lines.append(f"NOTE:{escape(note)}")
    lines.append("END:VCARD")
    return lines


def _fallback_name(card: Card) -> str:
    """FN must be present: a nameless card is shown by its company or contact."""
    return next((v for v in (card.organization, *card.emails, *card.phones, *card.urls) if v), "")


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
