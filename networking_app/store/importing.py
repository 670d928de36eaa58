"""What one import remembers while it reads a file: values that several of its cards carry under
different names, and what each namesake already holds (so the same file again adds nobody)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..matching import email_key, held_values, name_key, names_conflict, phone_number
from ..models import Card, full_name_of

Held = set[tuple[str, str]]
INDEX_FROM = 16  # namesakes from which a name's holdings are indexed rather than compared one by one


def phone_id(phone: str) -> str:
    """A phone's identity in one file: its significant digits, or "" when too short to be anyone's."""
    number = phone_number(phone)
    return f"tel:{number.national}" if number else ""


class SharedValues:
    """The emails and phones of one file's cards so far, and those seen under two different names."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}  # value -> the name of the first card that carried it
        self._shared: set[str] = set()

    def shared(self, card: Card) -> frozenset[str]:
        """This card's values that are no identity (see People.import_cards); it is remembered too."""
        keys = [k for k in [email_key(e) for e in card.emails] + [phone_id(p) for p in card.phones] if k]
        for key in keys:
            first = self._names.setdefault(key, card.full_name)
            if names_conflict(first, card.full_name):
                self._shared.add(key)
        return frozenset(k for k in keys if k in self._shared)


class HeldCopies:
    """Which contact of a card's name already holds every value of the card.

    A few namesakes are compared one by one, read from the store (``namesakes``: ids from its
    name index, ``doc``: a stored contact). A name shared by many gets an index of what each
    holds, built the first time it is needed and kept current by :meth:`wrote`, so a card costs
    one pass over the holders of its rarest value, not one per namesake: a file of 30,000 rows
    with a few hundred names would otherwise compare each row with ~100 others. Only such names
    are indexed: an index for every name of a 50,000-card file cost ~190 MB of peak memory.
    """

    def __init__(self, namesakes: Callable[[str], Sequence[str]],
                 doc: Callable[[str], Mapping[str, Any] | None]) -> None:
        self._namesakes, self._doc = namesakes, doc
        self._groups: dict[str, _Namesakes] = {}
        self._name_of: dict[str, str] = {}  # contact id -> the indexed name it is filed under

    def holder(self, card: Card) -> str | None:
        """The id of a contact of the same name holding all ``card`` holds, else None."""
        name = name_key(card.full_name)
        if not name:
            return None
        group = self._groups.get(name)
        if group is None:
            ids = self._namesakes(name)
            if not ids:
                return None  # most cards of most files: nobody of that name yet
            if len(ids) < INDEX_FROM:
                values = held_values(card)
                return next((cid for cid in ids if (doc := self._doc(cid)) is not None
                             and name_key(full_name_of(doc)) == name and values <= held_values(doc)), None)
            group = self._groups[name] = _Namesakes()
            for cid in ids:
                if (doc := self._doc(cid)) is not None and name_key(full_name_of(doc)) == name:
                    self._file(cid, name, held_values(doc))
        return group.holder(held_values(card))

    def wrote(self, contact: Mapping[str, Any]) -> None:
        """A contact the import added or changed: what it holds now, under the name it has now."""
        cid, name = contact["id"], name_key(full_name_of(contact))
        before = self._name_of.pop(cid, None)
        if before is not None:
            self._groups[before].held.pop(cid, None)
        if name in self._groups:
            self._file(cid, name, held_values(contact))

    def _file(self, cid: str, name: str, held: Held) -> None:
        self._groups[name].add(cid, held)
        self._name_of[cid] = name


class _Namesakes:
    """The contacts of one name: what each holds, and who holds each value (a superset: checked)."""

    def __init__(self) -> None:
        self.held: dict[str, Held] = {}
        self.by_value: defaultdict[tuple[str, str], dict[str, None]] = defaultdict(dict)  # an ordered set

    def add(self, cid: str, held: Held) -> None:
        self.held[cid] = held
        for value in held:
            self.by_value[value][cid] = None

    def holder(self, values: Held) -> str | None:
        if not values:
            return next(iter(self.held), None)
        rarest = min((self.by_value.get(v, {}) for v in values), key=len)
        return next((cid for cid in rarest if cid in self.held and values <= self.held[cid]), None)
