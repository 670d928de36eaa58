"""Introductions between my contacts: whose "seeking" another's "offers" answers.

Scoring is BM25 over plain words, so every suggestion is explained by the words
it matched, computed on the device with no model and no network:

- Text is folded (case, accents), split into words, stripped of English stop
  words, of networking filler ("looking for", "help", "advice", "intro"), of
  numbers and of one-letter words, then stemmed with Snowball English (Porter2).
- A person *wants* what their seeking line and my notes of their needs say,
  minus what they offer themselves: nobody needs an intro for what they already
  give, and so two duplicate cards never match each other.
- Direction seeker→helper scores the sum, over the stems the seeker wants and
  the helper offers, of rarity × the helper's saturated term frequency (BM25,
  k1 = 1.2, b = 0.75 over the length of the offers). Rarity is BM25's idf over
  all profiles' text, scaled so a word only two people wrote weighs 1. The
  wants side is not length-normalised, so a second need does not dilute the
  first. Offers are never compared with offers, nor wants with wants.
- A direction counts when it reaches ``min_score``. A pair appears once; when
  both directions count it is *mutual* and scores their sum, so it ranks above
  either direction alone. The stronger direction names the seeker.

Speed: an inverted index maps each stem to the profiles offering it, and only
pairs sharing a stem are scored; pairs that can no longer reach the top
``limit`` are dropped as they are found (see ``_scan``). A stem mentioned by more
than ``max(50, 4·√n)`` of the n profiles (400 at 10,000) is dropped as a stop
word of this population: a word everyone writes cannot say whom to introduce,
and it would make nearly every pair a candidate (n² work).
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest

from .models import Contact, Meeting
from .search import fold

MIN_SCORE = 0.5  # per direction: half the weight of a word only these two people wrote
_SLACK = 1e-6  # scores are compared rounded to 6 decimals: keep near-ties in the running
BM25_K1 = 1.2
BM25_B = 0.75
MAX_REASONS = 6
DF_FLOOR = 50  # the cap never prunes a small address book
DF_SQRT_FACTOR = 4.0


@dataclass(frozen=True)
class Profile:
    """What matching knows of a contact: built by the store from a Contact and my notes."""

    id: str
    name: str
    offers: str  # from their card
    seeking: str  # from their card
    needs: str = ""  # my notes: what they need (joined from their meetings)


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


def profile_of(contact: Contact, meetings: Iterable[Meeting] = ()) -> Profile:
    """A contact's profile: their card's offers/seeking plus the needs I noted when we met."""
    needs = [m.need.strip() for m in meetings if m.contact_id == contact.id and m.need.strip()]
    return Profile(
        contact.id, contact.display_name, contact.offers, contact.seeking, "\n".join(needs)
    )


# -- words -----------------------------------------------------------------------------------
_ENGLISH_STOP = """
a about above after again against all am an and any are as at be because been before being below
between both but by can cannot could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other ought our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves also etc eg ie via per within without
across around really maybe please thanks currently especially any anyone someone somebody anybody
something anything people person one ones lot lots many much well good great new others thing
things stuff way ways get got getting make making like love happy glad keen interested
dont doesnt didnt im ive id ill youre youve youd theyre weve cant couldnt wont wouldnt isnt arent
wasnt lets thats whats theres heres don't doesn't didn't i'm i've i'd i'll you're you've you'd
they're we're we've can't couldn't won't wouldn't isn't aren't wasn't let's that's what's there's
"""
# Words of the *kind* of help, not of its subject: "advice on X" and "advice on Y" do not match.
_FILLER = """
looking seeking seek need needs needed needing want wants wanted wanting help helps helping helped
helpful offer offers offering offered advice advise advising feedback support guidance tips input
intro intros introduction introductions introduce connect connection connections find finding
share sharing talk chat coffee
"""
_STOP = frozenset((_ENGLISH_STOP + _FILLER).split())
# Porter2 keeps "investor" apart from "investment", and "funding" is how founders say it:
# a few stems of networking talk that must meet.
_ALIASES = {"investor": "invest", "fund": "invest", "advisor": "advis", "advisori": "advis"}
# "co-founder" stays one word (a co-founder is not any founder); "early-stage" is two.
_WORD = re.compile(r"(?:\b(?:co|e|non)-)?[^\W_]+(?:'[^\W_]+)*(?:\+\+|#)?", re.IGNORECASE)
_FOLDED_WORD = re.compile(_WORD.pattern)  # folded text is lower-case already: faster
_NUMBERISH = re.compile(r"\d+(?:k|m|bn|st|nd|rd|th|s|x|h|y)?")
_local = threading.local()


def _stem(word: str) -> str:
    # Snowball stemmers keep state between calls: one per thread (Flet runs handlers in threads).
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer  # imported on first use: it loads every language (~0.2 s)

        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    stem: str = stemmer.stemWord(word)
    return stem


_STOP_STEMS = frozenset(_stem(w) for w in _FILLER.split())


def _term(token: str) -> str:
    """The stem a folded token counts as, or "" when it carries no subject."""
    token = token.replace("-", "")
    if "'" in token:
        if token in _STOP:
            return ""
        token = token[:-2] if token.endswith("'s") else token.replace("'", "")
    if len(token) < 2 or token in _STOP or _NUMBERISH.fullmatch(token):
        return ""
    stem = _stem(token) if token.isalpha() else token
    stem = _ALIASES.get(stem, stem)
    return "" if stem in _STOP_STEMS else stem


class _TermCache(dict[str, str]):
    """token -> stem; stemming costs ~40 µs a word, a look-up ~50 ns."""

    def __missing__(self, token: str) -> str:
        term = _term(token)
        if len(self) < 200_000:
            self[token] = term
        return term


_TERMS = _TermCache()


def _prepare(text: str) -> str:
    return text.replace("\u2019", "'")


def terms(text: str) -> list[str]:
    """The stems of ``text`` in order, stop words dropped (the unit of matching)."""
    return list(filter(None, map(_TERMS.__getitem__, _FOLDED_WORD.findall(fold(_prepare(text))))))


def _term_counts(text: str) -> Counter[str]:
    """Stem counts of ``text``, as a fresh Counter the caller may change."""
    return Counter(dict(_counted(text)))


@lru_cache(maxsize=65_536)
def _counted(text: str) -> tuple[tuple[str, int], ...]:
    """The counts of one text, kept between runs: suggestions are recomputed after every change,
    and nearly every profile's text is the same as last time (~40 % of a run on 10,000 people)."""
    return tuple(Counter(
        filter(None, map(_TERMS.__getitem__, _FOLDED_WORD.findall(fold(_prepare(text)))))
    ).items())


def surfaces(text: str) -> dict[str, str]:
    """stem -> the word as first written in ``text`` ("mentor" -> "Mentoring")."""
    found: dict[str, str] = {}
    for raw in _WORD.findall(unicodedata.normalize("NFC", _prepare(text))):
        shown = raw[:-2] if raw.endswith("'s") else raw
        for token in _WORD.findall(fold(raw)):
            term = _TERMS[token]
            if term:
                found.setdefault(term, shown)
    return found


# -- scoring ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Vectors:
    wants: list[dict[str, float]]  # per profile: stem -> 1 + ln(count)
    offers: list[dict[str, float]]  # per profile: stem -> BM25 weight (rarity · saturated tf)
    common: frozenset[str]
    max_df: int


def _rarity(n: int, df: int) -> float:
    """BM25's (Lucene's) idf, scaled so a word only two people wrote weighs 1.

    A match needs two people, so df >= 2: with the scale, scores read the same in an
    address book of 5 or of 5,000, and one rare shared word scores about 1.
    """

    def idf(d: int) -> float:
        return math.log(1.0 + (n - d + 0.5) / (d + 0.5))

    return idf(df) / idf(2) if n > 2 else 1.0


def _offer_weights(
    tf: Counter[str], rarity: Mapping[str, float], length_ratio: float
) -> dict[str, float]:
    """BM25 weights: repeating a word helps less and less; a long list of offers counts less."""
    damp = BM25_K1 * (1.0 - BM25_B + BM25_B * length_ratio)
    return {t: rarity[t] * c * (BM25_K1 + 1.0) / (c + damp) for t, c in tf.items() if t in rarity}


def _want_weights(tf: Counter[str], rarity: Mapping[str, float]) -> dict[str, float]:
    # Not length-normalised: a second need must not dilute the first.
    return {t: 1.0 + math.log(c) for t, c in tf.items() if t in rarity}


def _df_cap(n: int, max_df: int | None) -> int:
    return max_df if max_df is not None else max(DF_FLOOR, math.ceil(DF_SQRT_FACTOR * math.sqrt(n)))


def _vectorise(profiles: Sequence[Profile], max_df: int | None) -> _Vectors:
    """Want and offer weights; document frequency counts every field of every profile."""
    offers_tf = [_term_counts(p.offers) for p in profiles]
    wants_tf = [_term_counts(f"{p.seeking}\n{p.needs}") for p in profiles]
    df: Counter[str] = Counter()
    for offered, wanted in zip(offers_tf, wants_tf, strict=True):
        df.update(offered.keys() | wanted.keys())
        for term in offered:  # nobody needs an intro for what they give themselves
            wanted.pop(term, None)
    n, cap = len(profiles), _df_cap(len(profiles), max_df)
    rarity = {t: _rarity(n, d) for t, d in df.items() if d <= cap}
    lengths = [sum(tf.values()) for tf in offers_tf]
    average = sum(lengths) / max(1, sum(1 for x in lengths if x)) or 1.0
    return _Vectors(
        [_want_weights(tf, rarity) for tf in wants_tf],
        [
            _offer_weights(tf, rarity, size / average)
            for tf, size in zip(offers_tf, lengths, strict=True)
        ],
        frozenset(t for t, d in df.items() if d > cap),
        cap,
    )


def _postings(offers: Sequence[dict[str, float]]) -> dict[str, list[tuple[int, float]]]:
    index: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, vector in enumerate(offers):
        for term, weight in vector.items():
            index[term].append((j, weight))
    return index


def _dot(wants: dict[str, float], offers: dict[str, float]) -> float:
    """One direction's score, summed in the seeker's word order exactly as the index does."""
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
    """helper -> score for one seeker; added in the seeker's word order, like ``_dot``."""
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


def _reach(vectors: _Vectors, index: Mapping[str, list[tuple[int, float]]]) -> list[float]:
    """Per profile, the most its wants could score against anyone: a bound on the way back."""
    top = {term: max(w for _, w in posting) for term, posting in index.items()}
    return [sum(w * top.get(t, 0.0) for t, w in wants.items()) for wants in vectors.wants]


def _scan(
    vectors: _Vectors,
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
    vectors: _Vectors,
    order: Sequence[tuple[str, str]],
    min_score: float,
) -> tuple[tuple[int, int], tuple[float, bool]]:
    """((seeker, helper), (score, mutual)); the stronger direction names the seeker."""
    backward = _dot(vectors.wants[j], vectors.offers[i])
    if backward < min_score or backward <= 0.0:  # nothing shared is no match, whatever min_score
        return (i, j), (forward, False)
    if (-forward, order[i]) <= (-backward, order[j]):
        return (i, j), (forward + backward, True)
    return (j, i), (backward + forward, True)


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
    vectors = _vectorise(profiles, max_df)
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
    contenders.sort(key=lambda p: (-rounded[p], order[p[0]], order[p[1]]))
    return contenders[:limit]


def _contributions(wants: dict[str, float], offers: dict[str, float]) -> dict[str, float]:
    return {t: w * offers[t] for t, w in wants.items() if t in offers}


def _suggestion(
    i: int, j: int, scored: tuple[float, bool], vectors: _Vectors, profiles: Sequence[Profile]
) -> Suggestion:
    score, mutual = scored
    seeker, helper = profiles[i], profiles[j]
    words = _ranked_words(_contributions(vectors.wants[i], vectors.offers[j]), helper, seeker)
    if mutual:  # alternate, so both ways of helping show among the first reasons
        back = _ranked_words(_contributions(vectors.wants[j], vectors.offers[i]), seeker, helper)
        words = [w for duo in zip_longest(words, back) for w in duo if w is not None]
    return Suggestion(seeker.id, helper.id, round(score, 6), _unique(words)[:MAX_REASONS], mutual)


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


# -- words for people ------------------------------------------------------------------------
_CLAUSE = re.compile(r"[;\n]+|[,.!?](?=\s|$)")
_CONJUNCTION = re.compile(r"^(?:and|or|plus|also|&)\s+", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^(?:(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+)?(?:(?:am|are|currently|also)\s+)*"
    r"(?:looking\s+for|seeking|searching\s+for|in\s+search\s+of|needs?|needing|wants?|wanting"
    r"|(?:can\s+|could\s+|happy\s+to\s+|glad\s+to\s+)?(?:help|offer)(?:ing)?"
    r"(?:\s+(?:with|on))?)\s+",
    re.IGNORECASE,
)


def _phrase(text: str, stems: Collection[str], context: str) -> str:
    """The clauses of ``text`` that hold a matching stem, lead-in removed ("a Rust mentor")."""
    clauses = [c.strip() for c in _CLAUSE.split(_prepare(text)) if c and c.strip()]
    hits = [c for c in clauses if set(terms(c)) & set(stems)] or clauses[:1]
    stripped = (_LEAD_IN.sub("", _CONJUNCTION.sub("", c, count=1), count=1) for c in hits)
    once: dict[str, str] = {}
    for clause in stripped:
        once.setdefault(fold(clause), clause)  # the same need noted at two meetings: said once
    return _lower_first(", ".join(once.values()), context)


def _lower_first(phrase: str, context: str) -> str:
    """ "Mentoring Python devs" reads "offers mentoring Python devs"; "Rust …" keeps its capital.

    Lower-cased only when the word is a stop word, ends in -ing, or is written
    lower-case elsewhere in ``context``: a proper noun never is.
    """
    first = phrase.split(" ", 1)[0]
    if not first[:1].isupper() or first[1:] != first[1:].lower():
        return phrase
    lower = first.lower()
    if lower in _STOP or lower.endswith("ing") or re.search(rf"\b{re.escape(lower)}\b", context):
        return lower + phrase[len(first) :]
    return phrase


def _name(profile: Profile) -> str:
    return profile.name.strip() or "someone"


def _side(seeker: Profile, helper: Profile) -> tuple[str, str]:
    """("is looking for a Rust mentor", "Rust mentoring") for the direction seeker -> helper.

    What their card seeks and what my notes say they need are both quoted when both match.
    """
    stems = set(_matched_stems(seeker, helper))
    context = " ".join((seeker.seeking, seeker.needs, helper.offers))
    in_seeking = bool(set(terms(seeker.seeking)) & stems)
    in_needs = bool(set(terms(seeker.needs)) & stems)
    seek = in_seeking or not (in_needs or seeker.needs.strip())
    sought = _phrase(seeker.seeking, stems, context) if seek else None
    needed = _phrase(seeker.needs, stems, context) if in_needs or not seek else None
    if sought and needed and (sought.lower() in needed.lower() or needed.lower() in sought.lower()):
        sought, needed = (None, needed) if len(needed) >= len(sought) else (sought, None)  # once, the fuller way
    parts = ([f"is looking for {sought}"] if sought is not None else []) + (
        [f"needs {needed}"] if needed is not None else [])
    return " and ".join(parts), _phrase(helper.offers, stems, context)


def _matched_stems(seeker: Profile, helper: Profile) -> list[str]:
    offered = set(terms(helper.offers)) - set(terms(seeker.offers))
    return [t for t in terms(seeker.seeking + "\n" + seeker.needs) if t in offered]


def _lookup(profiles_by_id: Mapping[str, Profile], pid: str) -> Profile:
    return profiles_by_id.get(pid) or Profile(pid, "", "", "")


def explain(suggestion: Suggestion, profiles_by_id: Mapping[str, Profile]) -> str:
    """One plain sentence saying who needs what, who offers it, and the words that matched."""
    seeker = _lookup(profiles_by_id, suggestion.seeker_id)
    helper = _lookup(profiles_by_id, suggestion.helper_id)
    want, offer = _side(seeker, helper)
    sentence = f"{_name(seeker)} {want}; {_name(helper)} offers {offer}"
    if suggestion.mutual:
        back_want, back_offer = _side(helper, seeker)
        sentence += (
            f"; in return {_name(helper)} {back_want} and {_name(seeker)} offers {back_offer}"
        )
    return f"{sentence} (matching: {', '.join(suggestion.reasons)})."


def draft_intro_messages(
    seeker: Profile, helper: Profile, suggestion: Suggestion, *, me: str = ""
) -> tuple[str, str]:
    """(to the seeker, to the helper): double opt-in, leading with what the other can give.

    Neither message makes the intro: I connect them only once both have said yes.
    Send the seeker's first; the helper's repeats what the seeker (or my notes) said they need.
    """
    want, offer = _side(seeker, helper)
    s, h = _first_name(seeker), _first_name(helper)
    to_seeker = (
        f"Hi {s}, would you like an intro to {_name(helper)}? "
        f"{h} offers {offer}, which sounds like what you need."
    )
    to_helper = (
        f"Hi {h}, would you be open to an intro to {_name(seeker)}? "
        f"{s} {want}, and you offer {offer}."  # not "which is what you offer": a want may hold more
    )
    if suggestion.mutual:
        back_want, back_offer = _side(helper, seeker)
        to_seeker += f" And you could help {h} too: {h} {back_want}."
        to_helper += f" And {s} offers {back_offer}, which you're looking for."
    closing = " I'll only connect you two if you both say yes." + (
        f"\n{me.strip()}" if me.strip() else ""
    )
    return to_seeker + closing, to_helper + closing


def _first_name(profile: Profile) -> str:
    return next(iter(profile.name.split()), "there")
