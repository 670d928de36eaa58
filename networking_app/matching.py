"""Who is who: recognising a person already known, and merging a new card into them.

Rule (issue "Core"): the same email or phone is the same person; failing that,
the same name at the same organisation. Merging never overwrites silently: a
replaced value is kept in the contact's history and reported to the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .models import CARD_FIELDS, Card, Contact, now_iso
from .search import fold

LIST_FIELDS = ("emails", "phones", "urls")
TEXT_FIELDS = tuple(f for f in CARD_FIELDS if f not in LIST_FIELDS)
_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class FieldChange:
    """One field of a known contact that a new card changed."""

    field: str
    old: str
    new: str

    def describe(self) -> str:
        label = self.field.replace("_", " ")
        if not self.old:
            return f"{label} added: {self.new}"
        return f"{label} changed from “{self.old}” to “{self.new}” (the old value is kept in history)"


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    """Digits only, the last 9 of them: "+44 20 7946 0001" and "020 7946 0001" match."""
    digits = _NON_DIGITS.sub("", phone)
    return digits[-9:] if len(digits) >= 7 else ""


def name_org_key(card: Card) -> str:
    return name_org_key_of(card.full_name, card.organization)


def name_org_key_of(name: str, organization: str) -> str:
    """Folded "name + organisation", or "" when there is no name to match on."""
    name = " ".join(fold(name).split())
    if not name:
        return ""
    return f"{name}\x1f{' '.join(fold(organization).split())}"


def identity_keys(card: Card) -> tuple[set[str], set[str], str]:
    """The keys under which a card is recognised: emails, phones, name+organisation."""
    emails = {k for k in map(email_key, card.emails) if k}
    phones = {k for k in map(phone_key, card.phones) if k}
    return emails, phones, name_org_key(card)


def merge_card(contact: Contact, card: Card, *, at: str | None = None) -> list[FieldChange]:
    """Merge ``card`` into ``contact`` in place and say what changed.

    Lists (emails, phones, links) gain what is new. A text field that was empty is
    filled; a text field that differs takes the newer value, and the older one is
    appended to ``contact.history`` so nothing is lost.
    """
    at = at or now_iso()
    changes: list[FieldChange] = []
    for field in LIST_FIELDS:
        added = _union(getattr(contact, field), getattr(card, field), _key_for(field))
        changes += [FieldChange(field, "", value) for value in added]
    for field in TEXT_FIELDS:
        old, new = getattr(contact, field).strip(), getattr(card, field).strip()
        if not new or fold(old) == fold(new):
            continue
        setattr(contact, field, new)
        changes.append(FieldChange(field, old, new))
        if old:
            contact.history.append({"field": field, "value": old, "replaced_at": at})
    return changes


def _key_for(field: str):
    return {"emails": email_key, "phones": phone_key}.get(field, lambda s: s.strip().casefold())


def _union(existing: list[str], incoming: Iterable[str], key) -> list[str]:
    seen = {key(v) for v in existing}
    added = []
    for value in incoming:
        k = key(value)
        if value.strip() and k not in seen:
            seen.add(k)
            existing.append(value)
            added.append(value)
    return added


def merge_into(keep: Contact, other: Contact, *, at: str | None = None) -> None:
    """Fold ``other`` into ``keep`` (a manual merge): ``keep`` wins where both differ.

    The other record's differing values go to ``keep.history``; lists, tags and
    history are joined.
    """
    at = at or now_iso()
    for field in LIST_FIELDS:
        _union(getattr(keep, field), getattr(other, field), _key_for(field))
    for field in TEXT_FIELDS:
        mine, theirs = getattr(keep, field).strip(), getattr(other, field).strip()
        if not theirs or fold(mine) == fold(theirs):
            continue
        if not mine:
            setattr(keep, field, theirs)
        else:
            keep.history.append({"field": field, "value": theirs, "replaced_at": at, "merged_from": other.id})
    _union(keep.tags, other.tags, lambda t: fold(t.strip()))
    keep.history.extend(other.history)
