"""Who is who: recognising a person already known, and merging a new card into them.

Merged automatically only on a strong key: the same email address (case-folded), the
same phone number (compared with its country code: "+44 20 7946 0001" is "020 7946 0001"
in Britain, not "+49 20 7946 0001"), or the same vCard UID. Everything weaker is a
*possible* duplicate that the person decides on: the same name with no strong key in
common, a strong key shared under clearly different names (an office phone, ``info@``),
or the same phone with different email addresses (two records with different emails are
never joined without the person saying so). A link, or a name read from one, is never an
identity. Merging never overwrites silently: a replaced value is kept in the contact's
history and reported to the caller.

Phone numbers are compared without ``phonenumbers`` (Google's metadata: a 2.6 MB wheel, 23 MB
installed — measured 2026-12-03 for 9.0.43 — for a comparison this needs little of): a number with "+" or "00" has its country code (ITU codes
are prefix-free, so a short table splits them); a national number is compared on its
digits after the trunk "0", within my own country (told by my card's number) when known.
Trunk prefixes other than "0" (Russia's 8, the US's 1) are not undone: such pairs are
not recognised, which only costs a question, never a wrong merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .models import CARD_FIELDS, Card, Contact, display_name_of, full_name_of, now_iso
from .search import fold

LIST_FIELDS = ("emails", "phones", "urls")
TEXT_FIELDS = tuple(f for f in CARD_FIELDS if f not in (*LIST_FIELDS, "uid"))
_NAME_FIELDS = ("given", "family", "formatted")
_HELD_TEXT_FIELDS = tuple(f for f in TEXT_FIELDS if f not in _NAME_FIELDS)  # the name aside
_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")
_NAME_WORD = re.compile(r"[^\W_]+")
# ITU country calling codes are prefix-free: 1 and 7 are one digit, these two, the rest three.
_TWO_DIGIT_CODES = frozenset(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split()
)
MIN_NATIONAL_DIGITS = 6  # shorter is an extension or a service number: nobody's identity

SAME, POSSIBLE = "same", "possible"


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


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number as compared: its country code ("" when written nationally) and its
    significant digits (without a trunk "0")."""

    country: str
    national: str


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_number(phone: str) -> PhoneNumber | None:
    """The number a phone value holds, or None when it is too short to be anyone's."""
    text = phone.strip()
    text = re.split(r"(?i)\s*(?:ext\.?|x|#|;)\s*\d*\s*$", text, maxsplit=1)[0]  # an extension is not the line
    digits = _NON_DIGITS.sub("", text)
    country = ""
    if text.startswith("+") or digits.startswith("00"):
        digits = digits[2:] if not text.startswith("+") else digits
        length = 1 if digits[:1] in ("1", "7") else 2 if digits[:2] in _TWO_DIGIT_CODES else 3
        country, digits = digits[:length], digits[length:]
    national = digits.lstrip("0")
    if len(national) < MIN_NATIONAL_DIGITS or len(digits) + len(country) < 7:
        return None
    return PhoneNumber(country, national)


def phone_key(phone: str) -> str:
    """The index bucket of a phone: its last 6 significant digits (compared in full by :func:`same_phone`)."""
    number = phone_number(phone)
    return number.national[-MIN_NATIONAL_DIGITS:] if number else ""


def same_phone(a: str, b: str, home_country: str = "") -> bool:
    """The same line, written internationally or nationally; "" for ``home_country`` when unknown."""
    first, second = phone_number(a), phone_number(b)
    if first is None or second is None or first.national != second.national:
        return False
    if first.country and second.country:
        return first.country == second.country
    country = first.country or second.country
    return not country or not home_country or country == home_country


def home_country_of(phones: Iterable[str]) -> str:
    """The country code of the first internationally written number (my own card's)."""
    for phone in phones:
        number = phone_number(phone)
        if number and number.country:
            return number.country
    return ""


def name_key(name: str) -> str:
    """A name folded for comparing: case, accents, punctuation and spacing set aside."""
    return " ".join(_NAME_WORD.findall(fold(name)))


def names_conflict(a: str, b: str) -> bool:
    """Two clearly different names: both given and neither could be the other written
    shorter ("Maria Garcia" and "Maria Garcia Lopez", "J. Smith" and "John Smith" can)."""
    first, second = name_key(a).split(), name_key(b).split()
    if not first or not second:
        return False
    short, long = sorted((first, second), key=len)
    return not all(any(_word_fits(word, other) for other in long) for word in short)


def _word_fits(word: str, other: str) -> bool:
    return word == other or (len(word) == 1 and other.startswith(word)) or (len(other) == 1 and word.startswith(other))


def name_org_key(card: Card) -> str:
    return name_org_key_of(card.full_name, card.organization)


def name_org_key_of(name: str, organization: str) -> str:
    """Folded "name + organisation", or "" when there is no name to match on."""
    name = " ".join(fold(name).split())
    if not name:
        return ""
    return f"{name}\x1f{' '.join(fold(organization).split())}"


def identity_keys(card: Card) -> tuple[set[str], set[str], str]:
    """The keys under which a card is looked up: emails, phone buckets, its folded name."""
    emails = {k for k in map(email_key, card.emails) if k}
    phones = {k for k in map(phone_key, card.phones) if k}
    return emails, phones, name_key(card.full_name)


@dataclass(frozen=True)
class Verdict:
    """How a card relates to a known contact: SAME (merge) or POSSIBLE (ask), and why."""

    kind: str
    reason: str


def judge(card: Card, contact: Mapping[str, Any], home_country: str = "") -> Verdict | None:
    """SAME on a strong key, POSSIBLE on a weaker likeness (see the module's docstring), else None."""
    if card.uid and card.uid in (contact.get("id"), contact.get("uid")):
        return Verdict(SAME, "the same card (vCard UID)")
    theirs = {email_key(e) for e in contact.get("emails", ())}
    mine = {email_key(e) for e in card.emails}
    shared_email = next((e for e in card.emails if email_key(e) in theirs), "")
    shared_phone = next((p for p in card.phones for q in contact.get("phones", ())
                         if same_phone(p, q, home_country)), "")
    card_name, their_name = card.full_name, full_name_of(contact)
    if shared_email or shared_phone:
        shared = f"the email address {shared_email}" if shared_email else f"the phone number {shared_phone}"
        if names_conflict(card_name, their_name):
            return Verdict(POSSIBLE, f"{shared} is on both cards, under another name")
        if not shared_email and mine and theirs:
            return Verdict(POSSIBLE, f"the same phone number {shared_phone}, but different email addresses")
        return Verdict(SAME, f"the same {shared.removeprefix('the ')}")
    return namesake(card, contact)


def namesake(card: Card, contact: Mapping[str, Any]) -> Verdict | None:
    """POSSIBLE when the two carry the same name (judge's verdict when no strong key is shared), else None."""
    name = name_key(card.full_name)
    if not name or name != name_key(full_name_of(contact)):
        return None
    org, their_org = name_key(card.organization), name_key(contact.get("organization", ""))
    at = " at the same organisation" if org and org == their_org else ""
    return Verdict(POSSIBLE, f"the same name{at}, but no email address or phone number in common")


def held_values(record: Mapping[str, Any] | Card) -> set[tuple[str, str]]:
    """Every value a card or a stored contact holds but its name, as compared: a card whose values
    are all held by a namesake says nothing new about them (the same file imported again)."""
    doc = record if isinstance(record, Mapping) else vars(record)
    held = {(field, key(value)) for field in LIST_FIELDS for key in (_key_for(field),) for value in doc.get(field, ())}
    held.update((field, fold(text)) for field in _HELD_TEXT_FIELDS if (text := doc.get(field, "").strip()))
    return held


def holdings(contact: Mapping[str, Any] | Card) -> list[str]:
    """What a record holds, in short, for the person deciding whether two are one."""
    doc = contact if isinstance(contact, Mapping) else vars(contact)
    role = ", ".join(p for p in (doc.get("title", ""), doc.get("organization", "")) if p)
    items = [role] if role else []
    items += list(doc.get("emails", ()))[:2] + list(doc.get("phones", ()))[:2]
    if not items:
        items += list(doc.get("urls", ()))[:1]
    return items or [display_name_of(doc)]


def merge_card(contact: Contact, card: Card, *, at: str | None = None) -> list[FieldChange]:
    """Merge ``card`` into ``contact`` in place and say what changed.

    Lists (emails, phones, links) gain what is new. A text field that was empty is
    filled; a text field that differs takes the newer value, and the older one is
    appended to ``contact.history`` so nothing is lost.
    """
    at = at or now_iso()
    changes: list[FieldChange] = []
    known, new = contact.full_name, card.full_name
    if known and new and not names_conflict(known, new) and len(name_key(new)) <= len(name_key(known)):
        # "M. Garcia" does not replace "Maria Garcia"; the same name split otherwise keeps ours whole
        # (a 김민준 held whole and a 민준 / 김 from a CSV never make "김민준 김")
        card = replace(card, given="", family="", formatted="")
    for field in LIST_FIELDS:
        added = _union(getattr(contact, field), getattr(card, field), _key_for(field))
        changes += [FieldChange(field, "", value) for value in added]
    if card.uid and not contact.uid:
        contact.uid = card.uid
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
    return {"emails": email_key, "phones": _phone_union_key}.get(field, lambda s: s.strip().casefold())


def _phone_union_key(phone: str) -> str:
    number = phone_number(phone)
    return number.national if number else phone.strip()


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
    named = bool(keep.full_name)  # a name is kept whole: 김민준 and a 민준 / 김 never make "김민준 김"
    same_name = name_key(keep.full_name) == name_key(other.full_name)
    for field in TEXT_FIELDS:
        mine, theirs = getattr(keep, field).strip(), getattr(other, field).strip()
        if not theirs or fold(mine) == fold(theirs):
            continue
        if not mine and not (named and field in _NAME_FIELDS):
            setattr(keep, field, theirs)
        elif not (same_name and field in _NAME_FIELDS):
            keep.history.append({"field": field, "value": theirs, "replaced_at": at, "merged_from": other.id})
    _union(keep.tags, other.tags, lambda t: fold(t.strip()))
    keep.history.extend(other.history)
    if not keep.uid:
        keep.uid = other.uid
    keep.not_same_as = [cid for cid in dict.fromkeys([*keep.not_same_as, *other.not_same_as])
                        if cid not in (keep.id, other.id)]
