"""My own cards: one is the default, the one shown as a QR code."""

from __future__ import annotations

from ..errors import InvalidInputError
from ..links import card_problem
from ..models import MyCard
from .repository import Repository, synchronized


class Cards(Repository):
    """``store.cards``: my cards, the default first."""

    @synchronized
    def all(self) -> list[MyCard]:
        cards = self._records.all(MyCard)
        defaults = [c for c in cards if c.is_default]
        if len(defaults) > 1:  # two devices each made a default card before they first synced
            chosen = max(defaults, key=lambda c: (c.updated, c.id))  # the same one on every device
            for card in defaults:
                card.is_default = card is chosen
        return sorted(cards, key=lambda c: (not c.is_default, c.label.casefold()))

    @synchronized
    def default(self) -> MyCard | None:
        cards = self.all()
        return cards[0] if cards else None

    def save(self, card: MyCard) -> MyCard:
        """Create or update one of my cards; the first one, or one marked default, is the default.

        Raises InvalidInputError when the card has no name or holds an address others cannot use.
        """
        problem = card_problem(card.full_name, card.emails, card.phones, card.urls)
        if problem:
            raise InvalidInputError(problem)
        records = self._records
        with records.writing():
            others = [c for c in records.all(MyCard) if c.id != card.id]
            if not others:
                card.is_default = True
            if card.is_default:
                for other in others:
                    if other.is_default:
                        other.is_default = False
                        records.put(other)
            return records.put(card)

    def delete(self, card_id: str) -> None:
        records = self._records
        with records.writing():
            was_default = records.get(MyCard, card_id).is_default
            records.delete(MyCard, card_id)
            rest = records.all(MyCard)
            if was_default and rest:
                rest[0].is_default = True
                records.put(rest[0])
