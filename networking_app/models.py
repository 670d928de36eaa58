"""Domain records of Mutual as plain dataclasses.

The store keeps them as flat JSON documents (``to_doc`` / ``from_doc``); the UI,
the command line and the codecs only ever see these dataclasses.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Self


def new_id() -> str:
    """A stable random identifier (UUID4, hex); never reused, equal across devices."""
    return uuid.uuid4().hex


def now_iso() -> str:
    """The current time in UTC, ISO 8601 to the millisecond (so records sort in order)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Card:
    """A person's business card: what goes into, and comes out of, a QR code.

    ``offers`` ("I can help with…") and ``seeking`` ("I'm looking for…") are the
    give-and-take lines that make Mutual what it is.
    """

    given: str = ""
    family: str = ""
    formatted: str = ""  # FN as written on the card; derived from given/family when empty
    title: str = ""
    organization: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    offers: str = ""
    seeking: str = ""
    note: str = ""  # any other note the card carried
    uid: str = ""  # the card's vCard UID, when it had one: the same UID is the same person

    @property
    def full_name(self) -> str:
        return full_name_of(vars(self))

    @property
    def display_name(self) -> str:
        """A name to show even for a card without one (e.g. a bare link)."""
        return display_name_of(vars(self))

    def is_empty(self) -> bool:
        return not any(
            (self.full_name, self.organization, self.emails, self.phones, self.urls)
        )

    def card_fields(self) -> dict[str, Any]:
        """Only the card's own fields, whatever subclass this is."""
        return {f.name: _copy(getattr(self, f.name)) for f in fields(Card)}


# Han, kana and Hangul: names in these scripts are written family name first, without a space
_EAST_ASIAN = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                         "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]+")


def full_name_of(card: Mapping[str, Any]) -> str:
    """The name as written (FN), else given and family names: of a card's fields or a stored document.

    Given and family both in Chinese, Japanese or Korean script read family first, unspaced
    ("王" and "芳" are 王芳, as a LinkedIn export or a vCard without FN splits it); else given first.
    """
    formatted = card.get("formatted", "").strip()
    if formatted:
        return formatted
    given, family = card.get("given", "").strip(), card.get("family", "").strip()
    if given and family and _EAST_ASIAN.fullmatch(given) and _EAST_ASIAN.fullmatch(family):
        return family + given
    return " ".join(p for p in (given, family) if p)


def greeting_name(full_name: str, given: str = "") -> str:
    """Whom "Hi …," addresses: the given name, else the first word of the name; a Chinese, Japanese
    or Korean name whole (王芳, not 芳 or the family name alone)."""
    full_name = full_name.strip()
    if full_name and _EAST_ASIAN.fullmatch(full_name.replace(" ", "")):
        return full_name
    return given.strip() or next(iter(full_name.split()), "")


def display_name_of(card: Mapping[str, Any]) -> str:
    """The one rule for naming a card or a stored contact: its name, else its organisation,
    email, phone or link, else "Unnamed contact"."""
    return (
        full_name_of(card)
        or card.get("organization", "")
        or next(iter(card.get("emails", ())), "")
        or next(iter(card.get("phones", ())), "")
        or next(iter(card.get("urls", ())), "")
        or "Unnamed contact"
    )


def split_name(full_name: str) -> tuple[str, str]:
    """"Ana María López" -> ("Ana María", "López"): the last word is the family name.

    A guess that fits most cards; the formatted name keeps what was typed.
    """
    words = full_name.split()
    if len(words) < 2:
        return (words[0] if words else "", "")
    return " ".join(words[:-1]), words[-1]


CARD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Card))


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


class _Record:
    """Conversion between a dataclass record and its stored JSON document."""

    def to_doc(self) -> dict[str, Any]:
        # A shallow copy, lists copied: what asdict() gives for these flat records, 3x faster.
        return {name: _copy(value) for name, value in vars(self).items()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Build from a stored document, ignoring keys this version does not know."""
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: _copy(v) for k, v in doc.items() if k in known})


KEEP_LINK = "link"  # my QR code keeps my link and title longest (the default)
KEEP_OFFERS = "offers"  # … or what I offer and seek


@dataclass
class MyCard(Card, _Record):
    """One of my own cards (e.g. "Work", "Job search"); one is the default."""

    id: str = field(default_factory=new_id)
    label: str = "My card"
    is_default: bool = False
    qr_keeps: str = KEEP_LINK  # what my QR code keeps longest when it cannot hold everything (vcard.qr_fit)
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)


@dataclass
class Event(_Record):
    """A networking event I attend, with my intention and my reflection after it."""

    name: str = ""
    place: str = ""
    date: str = ""  # ISO date the event starts
    intention: str = ""  # e.g. "meet 3 people, help one"
    id: str = field(default_factory=new_id)
    started_at: str = field(default_factory=now_iso)
    ended_at: str = ""  # empty while the event is running
    went_well: str = ""
    comfort: int = 0  # 1-5 once answered, 0 when not
    help_first: str = ""
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    @property
    def is_running(self) -> bool:
        return not self.ended_at


MAX_TAG_LENGTH = 40  # characters: a tag is a short label on one line


@dataclass
class Contact(Card, _Record):
    """Someone I met: their card plus what I keep about them."""

    id: str = field(default_factory=new_id)
    tags: list[str] = field(default_factory=list)
    source: str = "scan"  # scan | import | manual
    history: list[dict[str, str]] = field(default_factory=list)  # replaced values
    not_same_as: list[str] = field(default_factory=list)  # ids the person said are someone else
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    @classmethod
    def from_card(cls, card: Card, **extra: Any) -> Contact:
        return cls(**card.card_fields(), **extra)


NOTE_MISSING = "missing"
NOTE_DONE = "done"


@dataclass
class Meeting(_Record):
    """A contact met at an event (or at none), with the "How can I help them?" note."""

    contact_id: str = ""
    event_id: str = ""  # empty when met outside any event
    met_at: str = field(default_factory=now_iso)
    need: str = ""  # what they need
    help: str = ""  # how I can help
    promise: str = ""  # what I promised
    note_status: str = NOTE_MISSING  # missing | done
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    @property
    def has_note(self) -> bool:
        return self.note_status == NOTE_DONE


@dataclass
class FollowUp(_Record):
    """A reminder to get back to someone, due on a date."""

    contact_id: str = ""
    meeting_id: str = ""
    due: str = ""  # ISO date
    channel: str = ""  # email | phone | linkedin | in person | …
    done_at: str = ""  # empty while open
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    @property
    def is_done(self) -> bool:
        return bool(self.done_at)


INTRO_DRAFTED = "drafted"
INTRO_DISMISSED = "dismissed"


@dataclass
class Intro(_Record):
    """An introduction between two contacts: drafted (two double-opt-in messages) or dismissed."""

    seeker_id: str = ""
    helper_id: str = ""
    reasons: list[str] = field(default_factory=list)
    to_seeker: str = ""
    to_helper: str = ""
    status: str = INTRO_DRAFTED
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.seeker_id, self.helper_id))


# Which records name a contact, and in which fields: deleting, merging and undoing a
# deletion follow this one table, so no kind of record is left pointing at nobody.
CONTACT_REFERENCES: dict[type[Meeting | FollowUp | Intro], tuple[str, ...]] = {
    Meeting: ("contact_id",),
    FollowUp: ("contact_id",),
    Intro: ("seeker_id", "helper_id"),
}
