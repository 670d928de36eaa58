"""The standing index of everyone's words: one person's introductions without scoring all pairs.

:func:`~.pairing.suggest_intros` weighs a whole address book to rank every pair (~1 s at
10,000 people). At the event the question is smaller — whom could *this* person meet? —
and must be answered before the note sheet is read (≤ 100 ms at 30,000 people). So the
index keeps, between changes:

- each profile's stem counts (offers; seeking and my notes of their needs, minus what
  they offer themselves), the length of their offers and their name (ties break by it);
- how many profiles mention each stem, and the total length of all offers;
- inverted lists: stem → who offers it (with the count), stem → who wants it.

It keeps no text: 30,000 profiles take ~20 MB (compact tuples, arrays of slot numbers).
The words of the few suggestions shown come from the profiles the caller looks up.

A change to one person updates their entries and the counts, nothing else. Weights are
derived from the counts at query time with the same formulas :func:`~.text_model.vectorise`
uses, and summed in the same order, so one person's suggestions are exactly the pairs naming
them in :func:`~.pairing.suggest_intros` over the same profiles, with the same scores and
reasons (the tests check this). Only people who share a rare stem with the person are read:
at most ``df_cap(n)`` per stem (693 at 30,000).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from ..search import fold
from .pairing import MIN_SCORE, Suggestion, dot, rank_key, settle, suggestion_of
from .text_model import (
    Profile,
    average_length,
    damping,
    df_cap,
    has_text,
    offer_weight,
    rarity,
    terms,
    want_weight,
    wants_text,
)

Stems = tuple[str, ...]  # each stem as often as it was written, grouped, in the order first written
Lookup = Callable[[str], Profile | None]


def _stems(text: str) -> Stems:
    """("rust", "rust", "mentor"): half the size of (stem, count) pairs, most counts being 1."""
    return tuple(Counter(terms(text)).elements())  # grouped, in the order first written


def _pairs(stems: Stems) -> Iterator[tuple[str, int]]:
    """(stem, count) in the order first written."""
    return iter(Counter(stems).items())


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the index keeps of one profile."""

    id: str
    name: str
    offers: Stems
    wants: Stems  # seeking and needs, minus the stems they offer themselves: no stem in both

    @classmethod
    def of(cls, profile: Profile) -> _Entry:
        offers, wants = _stems(profile.offers), _stems(wants_text(profile))
        if offers and wants:
            offered = set(offers)
            wants = tuple(stem for stem in wants if stem not in offered)
        return cls(profile.id, profile.name, offers, wants)

    @property
    def length(self) -> int:
        """How many offer stems: BM25's document length."""
        return len(self.offers)

    @property
    def order(self) -> tuple[str, str]:
        """(folded name, id): how ties break."""
        return fold(self.name), self.id

    def mentions(self, term: str) -> bool:
        """Whether any field names ``term`` (what document frequency counts)."""
        return term in self.offers or term in self.wants

    def count(self, term: str) -> int:
        """How often their offers name ``term``."""
        return self.offers.count(term)


class _Population:
    """The counts weights are derived from, as if one profile were replaced (or added)."""

    def __init__(self, index: IntroIndex, old: _Entry | None, new: _Entry) -> None:
        self._df = index._df
        self._old, self._new = old, new
        self.n = len(index) - (old is not None) + 1
        total, counted = index._length_total, index._lengths_counted
        if old is not None:
            total, counted = total - old.length, counted - (old.length > 0)
        self.average = average_length(total + new.length, counted + (new.length > 0))
        self.cap = df_cap(self.n)
        self._rarity: dict[str, float | None] = {}

    def rarity(self, term: str) -> float | None:
        """The term's weight, or None when too many people mention it to tell anyone apart."""
        if term not in self._rarity:
            df = self._df.get(term, 0) + self._new.mentions(term) - (self._old is not None and self._old.mentions(term))
            self._rarity[term] = rarity(self.n, df) if df <= self.cap else None
        return self._rarity[term]

    def wants(self, entry: _Entry) -> dict[str, float]:
        return {t: want_weight(c) for t, c in _pairs(entry.wants) if self.rarity(t) is not None}

    def offers(self, entry: _Entry) -> dict[str, float]:
        damp = damping(entry.length / self.average)
        weights = {}
        for term, count in _pairs(entry.offers):
            weight = self.rarity(term)
            if weight is not None:
                weights[term] = offer_weight(weight, count, damp)
        return weights


class IntroIndex:
    """Every profile's stems, counted and inverted; kept current one person at a time.

    A profile has a slot number; the inverted lists are arrays of slots.
    """

    def __init__(self) -> None:
        self._slot: dict[str, int] = {}
        self._entries: list[_Entry | None] = []
        self._free: list[int] = []
        self._df: Counter[str] = Counter()
        self._offered_by: dict[str, array[int]] = {}
        self._wanted_by: dict[str, array[int]] = {}
        self._length_total = 0
        self._lengths_counted = 0  # profiles whose offers say anything

    @classmethod
    def of(cls, profiles: Iterable[Profile]) -> IntroIndex:
        index = cls()
        for profile in profiles:
            index.put(profile)
        return index

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, pid: object) -> bool:
        return pid in self._slot

    def ids(self) -> list[str]:
        return list(self._slot)

    # -- changes -------------------------------------------------------------------------
    def put(self, profile: Profile) -> None:
        """Add a profile, or replace the one with its id; one saying nothing is removed."""
        self.remove(profile.id)
        if not has_text(profile):
            return
        entry = _Entry.of(profile)
        slot = self._free.pop() if self._free else len(self._entries)
        if slot == len(self._entries):
            self._entries.append(entry)
        else:
            self._entries[slot] = entry
        self._slot[entry.id] = slot
        for stems, postings in ((entry.offers, self._offered_by), (entry.wants, self._wanted_by)):
            unique = tuple(dict.fromkeys(stems))
            self._df.update(unique)  # a tuple, not a mapping: counted in C
            for term in unique:
                slots = postings.get(term)
                if slots is None:
                    slots = postings[term] = array("I")
                slots.append(slot)
        self._length_total += entry.length
        self._lengths_counted += entry.length > 0

    def remove(self, pid: str) -> None:
        slot = self._slot.pop(pid, None)
        if slot is None:
            return
        entry = self._entries[slot]
        assert entry is not None
        self._entries[slot] = None
        self._free.append(slot)
        for term in dict.fromkeys(entry.offers):
            _forget(self._df, term)
            _drop(self._offered_by, term, slot)
        for term in dict.fromkeys(entry.wants):
            _forget(self._df, term)
            _drop(self._wanted_by, term, slot)
        self._length_total -= entry.length
        self._lengths_counted -= entry.length > 0

    # -- one person's introductions ------------------------------------------------------
    def suggest_for(
        self,
        profile: Profile,
        lookup: Lookup,
        *,
        limit: int = 3,
        min_score: float = MIN_SCORE,
        dismissed: Collection[frozenset[str]] = (),
    ) -> list[Suggestion]:
        """The best ``limit`` introductions between ``profile`` and anyone else, best first.

        ``profile`` replaces the stored one with its id for this question (an unsaved note
        counts as if saved); it need not be stored at all. ``lookup`` gives the profiles of
        the people suggested (their words make the reasons). Pairs in ``dismissed`` are left out.
        """
        if limit <= 0 or not has_text(profile):
            return []
        me = _Entry.of(profile)
        my_slot = self._slot.get(profile.id, -1)
        population = _Population(self, None if my_slot < 0 else self._entries[my_slot], me)
        my_wants, my_offers = population.wants(me), population.offers(me)
        forward = self._forward(my_wants, population)
        others = set(forward)
        for term in my_offers:
            others.update(self._wanted_by.get(term, ()))
        others.discard(my_slot)
        scored = []
        my_order = me.order
        for slot in others:
            other = self._entries[slot]
            assert other is not None
            backward = dot(population.wants(other), my_offers) if other.wants else 0.0
            other_order = other.order
            settled = settle(forward.get(slot, 0.0), backward, my_order, other_order, min_score)
            if settled is None or frozenset((profile.id, other.id)) in dismissed:
                continue
            i_seek, score, mutual = settled
            seeker, helper = (me, other) if i_seek else (other, me)
            orders = (my_order, other_order) if i_seek else (other_order, my_order)
            scored.append((rank_key(score, *orders), seeker, helper, score, mutual))
        scored.sort(key=lambda row: row[0])
        found = []
        for _, seeker, helper, score, mutual in scored[:limit]:
            profiles = [profile if e is me else lookup(e.id) for e in (seeker, helper)]
            if None in profiles:  # gone since the index saw them
                continue
            found.append(suggestion_of(profiles[0], profiles[1], score, mutual,  # type: ignore[arg-type]
                                       population.wants(seeker), population.offers(helper),
                                       population.wants(helper), population.offers(seeker)))
        return found

    def _forward(self, my_wants: dict[str, float], population: _Population) -> dict[int, float]:
        """slot -> how well they answer my wants; added in my word order, like ``dot``."""
        acc: dict[int, float] = {}
        damp: dict[int, float] = {}
        entries = self._entries
        for term, w_seek in my_wants.items():
            weight = population.rarity(term)
            assert weight is not None  # my wants hold rare terms only
            for slot in self._offered_by.get(term, ()):
                other = entries[slot]
                assert other is not None
                if slot not in damp:
                    damp[slot] = damping(other.length / population.average)
                acc[slot] = acc.get(slot, 0.0) + w_seek * offer_weight(weight, other.count(term), damp[slot])
        return acc


def _forget(df: Counter[str], term: str) -> None:
    if df[term] > 1:
        df[term] -= 1
    else:
        del df[term]


def _drop(postings: dict[str, array[int]], term: str, slot: int) -> None:
    slots = postings.get(term)
    if slots is None:
        return
    slots.remove(slot)
    if not slots:
        del postings[term]
