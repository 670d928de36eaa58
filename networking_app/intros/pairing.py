"""Pairing: who to introduce to whom, scored, ranked and explained by the words that matched.

Scoring is BM25 over plain words (the weights of :mod:`.text_model`), so every
suggestion is explained by the words it matched, computed on the device with no
model and no network:

- Direction seeker→helper scores the sum, over the stems the seeker wants and
  the helper offers, of the want weight × the helper's offer weight. Offers are
  never compared with offers, nor wants with wants.
- A direction counts when it reaches ``min_score``. A pair appears once; when
  both directions count it is *mutual* and scores their sum, so it ranks above
  either direction alone. The stronger direction names the seeker.
- A suggestion's reasons are its matching words, strongest contribution first,
  as the helper wrote them; a pair I dismissed is never suggested again.

Speed: an inverted index maps each stem to the profiles offering it, and only
pairs sharing a stem are scored; pairs that can no longer reach the top
``limit`` are dropped as they are found (see ``_scan``).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from ..search import fold
from .text_model import Profile, Vectors, joined_pairs, surfaces, vectorise

MIN_SCORE = 0.5  # per direction: half the weight of a word only these two people wrote
_SLACK = 1e-6  # scores are compared rounded to 6 decimals: keep near-ties in the running
MAX_REASONS = 6


@dataclass(frozen=True)
class Suggestion:
    """Introduce ``seeker_id`` to ``helper_id``; ``reasons`` are the matching words as written."""

    seeker_id: str  # the person who needs something (the stronger direction when mutual)
    helper_id: str  # the person who offers it
    score: float
    reasons: tuple[str, ...]  # best first
    mutual: bool = False  # each can help the other

    @property
    def pair(self) -> frozenset[str]:
        """The key to store when I dismiss this suggestion."""
        return frozenset((self.seeker_id, self.helper_id))


@dataclass(frozen=True)
class MatchReport:
    """Suggestions plus the work done, for the benchmark and for "why not X?" screens."""

    suggestions: list[Suggestion]
    candidate_pairs: int  # (seeker, helper) pairs that shared a stem and were scored
    posting_visits: int  # additions made into pair scores: the cost of the run
    common_terms: frozenset[str]  # stems pruned by the document-frequency cap
    max_df: int


def _postings(offers: Sequence[dict[str, float]]) -> dict[str, list[tuple[int, float]]]:
    index: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, vector in enumerate(offers):
        for term, weight in vector.items():
            index[term].append((j, weight))
    return index


def dot(wants: dict[str, float], offers: dict[str, float]) -> float:
    """One direction's score, summed in the seeker's word order (the index uses it too: scores agree to the bit)."""
    total = 0.0
    for term, weight in wants.items():
        if term in offers:
            total += weight * offers[term]
    return total


@dataclass
class _Scan:
    """Pairs that may still rank in the top ``limit``, and the work done to find them."""

    pairs: dict[tuple[int, int], tuple[float, bool]]  # (seeker, helper) -> (score, mutual)
    candidates: int = 0
    visits: int = 0


def _accumulate(
    wants: dict[str, float], index: Mapping[str, list[tuple[int, float]]], scan: _Scan
) -> dict[int, float]:
    """helper -> score for one seeker; added in the seeker's word order, like ``dot``."""
    acc: dict[int, float] = {}
    for term, w_seek in wants.items():
        posting = index.get(term)
        if not posting:
            continue
        scan.visits += len(posting)
        if not acc:  # most seekers share one word with most helpers: build it in one go
            acc = {j: w_seek * w_offer for j, w_offer in posting}
            continue
        get = acc.get
        for j, w_offer in posting:
            acc[j] = get(j, 0.0) + w_seek * w_offer
    scan.candidates += len(acc)
    return acc


def _reach(vectors: Vectors, index: Mapping[str, list[tuple[int, float]]]) -> list[float]:
    """Per profile, the most its wants could score against anyone: a bound on the way back."""
    top = {term: max(w for _, w in posting) for term, posting in index.items()}
    return [sum(w * top.get(t, 0.0) for t, w in wants.items()) for wants in vectors.wants]


def _scan(
    vectors: Vectors,
    order: Sequence[tuple[str, str]],
    min_score: float,
    limit: int,
    blocked: set[tuple[int, int]],
) -> _Scan:
    """Score every (seeker, helper) pair sharing a stem; keep only those that can still rank.

    Nobody is their own helper: a person's wants exclude what they offer.

    ``best`` holds the ``limit`` best pair scores found so far, so the final cut is at
    least ``best[0]``. A pair scores its stronger direction f plus the weaker b, where
    b <= f and b <= reach[helper]: so a direction whose f + min(f, reach[helper]) falls
    below the cut cannot be the stronger side of a pair that ranks, and is dropped
    before its way back is even computed. Every pair that ranks is kept from its
    stronger side, whatever the input order; the test suite checks this against
    scoring every pair.
    """
    index = _postings(vectors.offers)
    reach = _reach(vectors, index)
    scan = _Scan({})
    best: list[float] = []
    for i, wants in enumerate(vectors.wants):
        acc = _accumulate(wants, index, scan)
        cut = best[0] - _SLACK if len(best) == limit else 0.0
        floor = max(min_score, cut / 2)
        for j, forward in [(j, f) for j, f in acc.items() if f >= floor]:
            if forward + min(forward, reach[j]) < cut or (i, j) in blocked:
                continue
            pair, score = _pair(i, j, forward, vectors, order, min_score)
            if pair in scan.pairs:
                continue
            scan.pairs[pair] = score
            if len(best) < limit:
                heapq.heappush(best, score[0])
            elif score[0] > best[0]:
                heapq.heapreplace(best, score[0])
    if len(best) == limit:
        scan.pairs = {p: s for p, s in scan.pairs.items() if s[0] >= best[0] - _SLACK}
    return scan


def _pair(
    i: int,
    j: int,
    forward: float,
    vectors: Vectors,
    order: Sequence[tuple[str, str]],
    min_score: float,
) -> tuple[tuple[int, int], tuple[float, bool]]:
    """((seeker, helper), (score, mutual)); the stronger direction names the seeker."""
    backward = dot(vectors.wants[j], vectors.offers[i])
    settled = settle(forward, backward, order[i], order[j], min_score)
    assert settled is not None  # forward counts: the caller checked
    i_seeks, score, mutual = settled
    return ((i, j) if i_seeks else (j, i)), (score, mutual)


def settle(
    forward: float, backward: float, order_i: tuple[str, str], order_j: tuple[str, str], min_score: float
) -> tuple[bool, float, bool] | None:
    """A pair from both directions' scores (``forward``: i seeks, j helps): (i seeks, score, mutual),
    or None when neither direction counts. The stronger direction names the seeker."""

    def counts(score: float) -> bool:
        return score >= min_score and score > 0.0  # nothing shared is no match, whatever min_score

    if not counts(forward):
        return (False, backward, False) if counts(backward) else None
    if not counts(backward):
        return True, forward, False
    if (-forward, order_i) <= (-backward, order_j):
        return True, forward + backward, True
    return False, backward + forward, True


def rank_key(score: float, seeker_order: tuple[str, str], helper_order: tuple[str, str]) -> tuple[Any, ...]:
    """Best first; ties (scores equal to 6 decimals) by the seeker's then the helper's name and id."""
    return -round(score, 6), seeker_order, helper_order


def _blocked_pairs(
    ids: Sequence[str], dismissed: Collection[frozenset[str]]
) -> set[tuple[int, int]]:
    """Dismissed pairs as index pairs, both ways round."""
    where: defaultdict[str, list[int]] = defaultdict(list)
    for i, pid in enumerate(ids):
        where[pid].append(i)
    out: set[tuple[int, int]] = set()
    for pair in dismissed:
        if len(pair) == 2:
            a, b = pair
            for i in where.get(a, ()):
                for j in where.get(b, ()):
                    out.update(((i, j), (j, i)))
    return out


def match_report(
    profiles: Sequence[Profile],
    *,
    limit: int = 50,
    min_score: float = MIN_SCORE,
    dismissed: Collection[frozenset[str]] = (),
    max_df: int | None = None,
) -> MatchReport:
    """``suggest_intros`` with the counts that show what it cost."""
    profiles = _first_of_each_id(profiles)
    vectors = vectorise(profiles, max_df)
    if limit <= 0:
        return MatchReport([], 0, 0, vectors.common, vectors.max_df)
    ids = [p.id for p in profiles]
    order = [(fold(p.name), p.id) for p in profiles]
    scan = _scan(vectors, order, min_score, limit, _blocked_pairs(ids, dismissed))
    chosen = _top(scan.pairs, order, limit)
    suggestions = [_suggestion(i, j, scan.pairs[(i, j)], vectors, profiles) for i, j in chosen]
    return MatchReport(suggestions, scan.candidates, scan.visits, vectors.common, vectors.max_df)


def _first_of_each_id(profiles: Sequence[Profile]) -> list[Profile]:
    """A repeated id is one person: it counts once (its first profile), never as a pair."""
    first: dict[str, Profile] = {}
    for profile in profiles:
        first.setdefault(profile.id, profile)
    return list(first.values())


def suggest_intros(
    profiles: Sequence[Profile],
    *,
    limit: int = 50,
    min_score: float = MIN_SCORE,
    dismissed: Collection[frozenset[str]] = (),
    max_df: int | None = None,
) -> list[Suggestion]:
    """The best ``limit`` introductions among ``profiles``, best first, deterministic.

    Ties break by names then ids, so shuffling the input never changes the output.
    """
    return match_report(
        profiles, limit=limit, min_score=min_score, dismissed=dismissed, max_df=max_df
    ).suggestions


def _top(
    merged: dict[tuple[int, int], tuple[float, bool]],
    order: Sequence[tuple[str, str]],
    limit: int,
) -> list[tuple[int, int]]:
    if not merged:
        return []
    rounded = {pair: round(score, 6) for pair, (score, _) in merged.items()}  # see _SLACK
    floor = heapq.nlargest(limit, rounded.values())[-1]  # ties at the cut all compete on names
    contenders = [pair for pair, score in rounded.items() if score >= floor]
    contenders.sort(key=lambda p: rank_key(merged[p][0], order[p[0]], order[p[1]]))
    return contenders[:limit]


def _contributions(wants: dict[str, float], offers: dict[str, float]) -> dict[str, float]:
    return {t: w * offers[t] for t, w in wants.items() if t in offers}


def _suggestion(
    i: int, j: int, scored: tuple[float, bool], vectors: Vectors, profiles: Sequence[Profile]
) -> Suggestion:
    score, mutual = scored
    weights = vectors.wants[i], vectors.offers[j], vectors.wants[j], vectors.offers[i]
    return suggestion_of(profiles[i], profiles[j], score, mutual, *weights)


def suggestion_of(
    seeker: Profile,
    helper: Profile,
    score: float,
    mutual: bool,
    seeker_wants: dict[str, float],
    helper_offers: dict[str, float],
    helper_wants: dict[str, float],
    seeker_offers: dict[str, float],
) -> Suggestion:
    """A scored pair with its reasons: the matching words, strongest first, as written."""
    words = _ranked_words(_contributions(seeker_wants, helper_offers), helper, seeker)
    if mutual:  # alternate, so both ways of helping show among the first reasons
        back = _ranked_words(_contributions(helper_wants, seeker_offers), seeker, helper)
        words = [w for duo in zip_longest(words, back) for w in duo if w is not None]
    return Suggestion(seeker.id, helper.id, round(score, 6), _unique(joined_pairs(words))[:MAX_REASONS], mutual)


def _ranked_words(contrib: dict[str, float], helper: Profile, seeker: Profile) -> list[str]:
    """Matching stems, strongest first, shown as the helper wrote them (else the seeker)."""
    shown = {**surfaces(seeker.seeking + "\n" + seeker.needs), **surfaces(helper.offers)}
    return [shown.get(t, t) for t in sorted(contrib, key=lambda t: (-contrib[t], t))]


def _unique(words: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for word in words:
        if fold(word) not in seen:
            seen.add(fold(word))
            out.append(word)
    return tuple(out)
