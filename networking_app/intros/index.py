"""The standing index of everyone's words: one person's introductions without scoring all pairs.

:func:`~.pairing.suggest_intros` weighs a whole address book to rank every pair (~1 s at
10,000 people). At the event the question is smaller — whom could *this* person meet? —
and must be answered before the note sheet is read (≤ 100 ms at 30,000 people). So the
index keeps, between changes:

- each profile's stem counts (offers; seeking and my notes of their needs, minus what
  they offer themselves) and the length of their offers;
- how many profiles mention each stem, and the total length of all offers;
- inverted lists: stem → who offers it (with the count), stem → who wants it.

A change to one person updates their entries and the counts, nothing else. Weights are
derived from the counts at query time with the same formulas :func:`~.text_model.vectorise`
uses, and summed in the same order, so one person's suggestions are exactly the pairs naming
them in :func:`~.pairing.suggest_intros` over the same profiles, with the same scores and
reasons (the tests check this). Only people who share a rare stem with the person are read:
at most ``df_cap(n)`` per stem (693 at 30,000).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..search import fold
from .pairing import MIN_SCORE, Suggestion, rank_key, settle, suggestion_of
from .text_model import (
    Profile,
    average_length,
    damping,
    df_cap,
    has_text,
    offer_weight,
    rarity,
    term_counts,
    want_weight,
    wants_text,
)

Counts = tuple[tuple[str, int], ...]  # (stem, count) in the order first written


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the index keeps of one profile."""

    profile: Profile
    offers: Counts
    wants: Counts  # seeking and needs, minus the stems they offer themselves: no stem in both
    length: int  # how many offer stems (BM25's document length)

    @classmethod
    def of(cls, profile: Profile) -> _Entry:
        offers = term_counts(profile.offers)
        wants = term_counts(wants_text(profile))
        if offers and wants:
            offered = dict(offers)
            wants = tuple(pair for pair in wants if pair[0] not in offered)
        return cls(profile, offers, wants, sum(c for _, c in offers))

    @property
    def order(self) -> tuple[str, str]:
        """(folded name, id): how ties break."""
        return fold(self.profile.name), self.profile.id

    def mentions(self, term: str) -> bool:
        """Whether any field names ``term`` (what document frequency counts)."""
        return any(t == term for t, _ in self.offers) or any(t == term for t, _ in self.wants)


class _Population:
    """The counts weights are derived from, as if one profile were replaced (or added)."""

    def __init__(self, index: IntroIndex, old: _Entry | None, new: _Entry) -> None:
        self._df = index._df
        self._old, self._new = old, new
        self.n = len(index._entries) - (old is not None) + 1
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
        return {t: want_weight(c) for t, c in entry.wants if self.rarity(t) is not None}

    def offers(self, entry: _Entry) -> dict[str, float]:
        damp = damping(entry.length / self.average)
        weights = {}
        for term, count in entry.offers:
            weight = self.rarity(term)
            if weight is not None:
                weights[term] = offer_weight(weight, count, damp)
        return weights


def _dot(wants: dict[str, float], offers: dict[str, float]) -> float:
    """One direction's score, summed in the seeker's word order (as pairing does, to the bit)."""
    total = 0.0
    for term, weight in wants.items():
        if term in offers:
            total += weight * offers[term]
    return total


class IntroIndex:
    """Every profile's stems, counted and inverted; kept current one person at a time."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._df: Counter[str] = Counter()
        self._offered_by: defaultdict[str, dict[str, int]] = defaultdict(dict)
        self._wanted_by: defaultdict[str, set[str]] = defaultdict(set)
        self._length_total = 0
        self._lengths_counted = 0  # profiles whose offers say anything

    @classmethod
    def of(cls, profiles: Iterable[Profile]) -> IntroIndex:
        index = cls()
        for profile in profiles:
            index.put(profile)
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def profile(self, pid: str) -> Profile | None:
        entry = self._entries.get(pid)
        return entry.profile if entry else None

    def profiles(self) -> list[Profile]:
        return [entry.profile for entry in self._entries.values()]

    # -- changes -------------------------------------------------------------------------
    def put(self, profile: Profile) -> None:
        """Add a profile, or replace the one with its id; one saying nothing is removed."""
        pid = profile.id
        self.remove(pid)
        if not has_text(profile):
            return
        entry = self._entries[pid] = _Entry.of(profile)
        df, offered_by, wanted_by = self._df, self._offered_by, self._wanted_by
        for term, count in entry.offers:
            df[term] += 1
            offered_by[term][pid] = count
        for term, _ in entry.wants:
            df[term] += 1
            wanted_by[term].add(pid)
        self._length_total += entry.length
        self._lengths_counted += entry.length > 0

    def remove(self, pid: str) -> None:
        entry = self._entries.pop(pid, None)
        if entry is None:
            return
        for term, _ in entry.offers:
            _forget(self._df, term)
            _drop(self._offered_by, term, pid)
        for term, _ in entry.wants:
            _forget(self._df, term)
            _drop(self._wanted_by, term, pid)
        self._length_total -= entry.length
        self._lengths_counted -= entry.length > 0

    # -- one person's introductions ------------------------------------------------------
    def suggest_for(
        self,
        profile: Profile,
        *,
        limit: int = 3,
        min_score: float = MIN_SCORE,
        dismissed: Collection[frozenset[str]] = (),
    ) -> list[Suggestion]:
        """The best ``limit`` introductions between ``profile`` and anyone else, best first.

        ``profile`` replaces the stored one with its id for this question (an unsaved note
        counts as if saved); it need not be stored at all. Pairs in ``dismissed`` are left out.
        """
        if limit <= 0 or not has_text(profile):
            return []
        me = _Entry.of(profile)
        population = _Population(self, self._entries.get(profile.id), me)
        my_wants, my_offers = population.wants(me), population.offers(me)
        forward = self._forward(my_wants, population, profile.id)
        others = set(forward)
        for term in my_offers:
            others.update(self._wanted_by.get(term, ()))
        others.discard(profile.id)
        scored = []
        my_order = me.order
        for other_id in others:
            other = self._entries[other_id]
            backward = _dot(population.wants(other), my_offers) if other.wants else 0.0
            other_order = other.order
            settled = settle(forward.get(other_id, 0.0), backward, my_order, other_order, min_score)
            if settled is None or frozenset((profile.id, other_id)) in dismissed:
                continue
            i_seek, score, mutual = settled
            seeker, helper = (me, other) if i_seek else (other, me)
            orders = (my_order, other_order) if i_seek else (other_order, my_order)
            scored.append((rank_key(score, *orders), seeker, helper, score, mutual))
        scored.sort(key=lambda row: row[0])
        return [
            suggestion_of(seeker.profile, helper.profile, score, mutual, population.wants(seeker),
                          population.offers(helper), population.wants(helper), population.offers(seeker))
            for _, seeker, helper, score, mutual in scored[:limit]
        ]

    def _forward(self, my_wants: dict[str, float], population: _Population, my_id: str) -> dict[str, float]:
        """helper id -> how well they answer my wants; added in my word order, like ``_dot``."""
        acc: dict[str, float] = {}
        damp: dict[str, float] = {}
        for term, w_seek in my_wants.items():
            weight = population.rarity(term)
            assert weight is not None  # my wants hold rare terms only
            for other_id, count in self._offered_by.get(term, {}).items():
                if other_id == my_id:
                    continue
                if other_id not in damp:
                    damp[other_id] = damping(self._entries[other_id].length / population.average)
                acc[other_id] = acc.get(other_id, 0.0) + w_seek * offer_weight(weight, count, damp[other_id])
        return acc


def _forget(df: Counter[str], term: str) -> None:
    if df[term] > 1:
        df[term] -= 1
    else:
        del df[term]


def _drop(postings: dict[str, dict[str, int]] | dict[str, set[str]], term: str, pid: str) -> None:
    ids = postings.get(term)
    if ids is None:
        return
    if isinstance(ids, dict):
        ids.pop(pid, None)
    else:
        ids.discard(pid)
    if not ids:
        del postings[term]
