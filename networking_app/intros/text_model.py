"""The text model of introductions: which words a profile's text counts as, and how much each weighs.

- Text is folded (case, accents), split into words, stripped of English stop
  words, of networking filler ("looking for", "help", "advice", "intro"), of
  numbers and of one-letter words, then stemmed with Snowball English (Porter2).
- A person *wants* what their seeking line and my notes of their needs say,
  minus what they offer themselves: nobody needs an intro for what they already
  give, and so two duplicate cards never match each other.
- Offers weigh rarity × saturated term frequency (BM25, k1 = 1.2, b = 0.75 over
  the length of the offers). Rarity is BM25's idf over all profiles' text, scaled
  so a word only two people wrote weighs 1. Wants weigh 1 + ln(count) and are not
  length-normalised, so a second need does not dilute the first.
- A stem mentioned by more than ``max(50, 4·√n)`` of the n profiles (400 at
  10,000) is dropped as a stop word of this population: a word everyone writes
  cannot say whom to introduce, and it would make nearly every pair a candidate.

Stems and each text's stem counts are kept between runs (suggestions are
recomputed after every change, and nearly every text is the same as last time).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..models import Contact, Meeting, display_name_of
from ..search import fold

BM25_K1 = 1.2
BM25_B = 0.75
DF_FLOOR = 50  # the cap never prunes a small address book
RARITY_FLOOR = 10  # …and rarity counts it as at least this many people (see rarity())
DF_SQRT_FACTOR = 4.0


@dataclass(frozen=True)
class Profile:
    """What matching knows of a contact: built by the store from a Contact and my notes."""

    id: str
    name: str
    offers: str  # from their card
    seeking: str  # from their card
    needs: str = ""  # my notes: what they need (joined from their meetings)


def profile_of(contact: Contact, meetings: Iterable[Meeting] = ()) -> Profile:
    """A contact's profile: their card's offers/seeking plus the needs I noted when we met."""
    needs = [m.need.strip() for m in meetings if m.contact_id == contact.id and m.need.strip()]
    return Profile(
        contact.id, contact.display_name, contact.offers, contact.seeking, "\n".join(needs)
    )


def profile_of_doc(contact: Mapping[str, Any], needs: Iterable[str], pid: str = "") -> Profile:
    """:func:`profile_of` for a stored contact document and the needs of its meetings, in order.

    ``pid``: the id as the caller already holds it (one string kept, not two).
    """
    return Profile(
        pid or contact["id"], display_name_of(contact), contact.get("offers", ""), contact.get("seeking", ""),
        "\n".join(n for n in needs if n),
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
STOP_WORDS = frozenset((_ENGLISH_STOP + _FILLER).split())
# Porter2 keeps "investor" apart from "investment", and "funding" is how founders say it:
# a few stems of networking talk that must meet.
_ALIASES = {"investor": "invest", "fund": "invest", "advisor": "advis", "advisori": "advis"}
# "co-founder" stays one word (a co-founder is not any founder); "early-stage" is two.
_WORD = re.compile(r"(?:\b(?:co|e|non)-)?[^\W_]+(?:'[^\W_]+)*(?:\+\+|#)?", re.IGNORECASE)
_FOLDED_WORD = re.compile(_WORD.pattern)  # folded text is lower-case already: faster
_NUMBERISH = re.compile(r"\d+(?:k|m|bn|st|nd|rd|th|s|x|h|y)?")
# Chinese and Japanese are written without spaces between words: a run of their characters
# counts as its overlapping pairs (天使投资人 -> 天使 使投 投资 资人), the usual way to match such
# text without a dictionary. Korean is written with spaces and needs none of this.
_HAN_KANA_RUN = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def _pairs(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def joined_pairs(words: list[str]) -> list[str]:
    """Matching words to show: pairs of one Chinese or Japanese run shown as the run they chain
    into (天使, 使投, 投资, 资人 -> 天使投资人), where the first of them stood; other words as they are."""
    pairs = [w for w in words if len(w) == 2 and _HAN_KANA_RUN.fullmatch(w)]
    if len(pairs) < 2:
        return words
    starting = {p[0]: p for p in pairs}
    used: set[str] = set()
    runs: dict[str, str] = {}
    for pair in pairs:
        if pair in used or any(q[1] == pair[0] and q not in used and q != pair for q in pairs):
            continue  # inside a chain: its start gathers it
        run, last = pair, pair
        used.add(pair)
        while (following := starting.get(last[1])) is not None and following not in used:
            run, last = run + following[1], following
            used.add(following)
        runs[pair] = run
    for pair in pairs:  # what a chain left out (a cycle): as it is
        if pair not in used:
            runs[pair] = pair
    return [runs[w] if w in runs else w for w in words if w not in pairs or w in runs]


def _spaced(text: str) -> str:
    """``text`` with each Chinese or Japanese run written as its pairs, apart from what is around it."""
    return _HAN_KANA_RUN.sub(lambda m: f" {' '.join(_pairs(m.group()))} ", text) if _HAN_KANA_RUN.search(text) else text
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
        if token in STOP_WORDS:
            return ""
        token = token[:-2] if token.endswith("'s") else token.replace("'", "")
    if len(token) < 2 or token in STOP_WORDS or _NUMBERISH.fullmatch(token):
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


def straighten_apostrophes(text: str) -> str:
    """Phones type "I’m": it reads as "I'm"."""
    return text.replace("\u2019", "'")


def terms(text: str) -> list[str]:
    """The stems of ``text`` in order, stop words dropped (the unit of matching)."""
    tokens = _FOLDED_WORD.findall(_spaced(fold(straighten_apostrophes(text))))
    return list(filter(None, map(_TERMS.__getitem__, tokens)))


def wants_text(profile: Profile) -> str:
    """What a profile wants, as one text: their seeking line, then my notes of their needs."""
    return f"{profile.seeking}\n{profile.needs}"


def has_text(profile: Profile) -> bool:
    """Whether a contact is a profile at all: their card or my notes say something to match."""
    return bool(profile.offers or profile.seeking or profile.needs)


def term_counts(text: str, *, keep: bool = True) -> tuple[tuple[str, int], ...]:
    """(stem, count) of ``text`` in the order first written.

    ``keep``: remembered between runs (a whole-book pairing asks again after each change);
    an index that keeps its own counts says False, so the texts are not held twice.
    """
    if keep:
        return _counted(text)
    tokens = _FOLDED_WORD.findall(_spaced(fold(straighten_apostrophes(text))))
    return tuple(Counter(filter(None, map(_TERMS.__getitem__, tokens))).items())


def _term_counts(text: str) -> Counter[str]:
    """Stem counts of ``text``, as a fresh Counter the caller may change."""
    return Counter(dict(_counted(text)))


@lru_cache(maxsize=65_536)
def _counted(text: str) -> tuple[tuple[str, int], ...]:
    """The counts of one text, kept between runs: suggestions are recomputed after every change,
    and nearly every profile's text is the same as last time (~40 % of a run on 10,000 people)."""
    tokens = _FOLDED_WORD.findall(_spaced(fold(straighten_apostrophes(text))))
    return tuple(Counter(filter(None, map(_TERMS.__getitem__, tokens))).items())


def clear_caches() -> None:
    """Forget every stem and count kept so far (a cold start, for the benchmark)."""
    _TERMS.clear()
    _counted.cache_clear()


def surfaces(text: str) -> dict[str, str]:
    """stem -> the word as first written in ``text`` ("mentor" -> "Mentoring")."""
    found: dict[str, str] = {}
    for raw in _WORD.findall(unicodedata.normalize("NFC", straighten_apostrophes(text))):
        shown = raw[:-2] if raw.endswith("'s") else raw
        for token in _WORD.findall(_spaced(fold(raw))):
            term = _TERMS[token]
            if term:
                found.setdefault(term, token if _HAN_KANA_RUN.fullmatch(token) else shown)
    return found


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word of ``text`` as (start, end, stem); the stem is "" for a word of no subject.

    Positions are in ``text`` itself, so a caller can quote what was written.
    """
    spans = []
    for match in _WORD.finditer(text):
        runs = list(_HAN_KANA_RUN.finditer(match.group()))
        if runs:  # each pair of a Chinese or Japanese run is a word of its own, where it is written
            at = match.start()
            spans += [(at + run.start() + k, at + run.start() + k + 2, _TERMS[fold(pair)])
                      for run in runs for k, pair in enumerate(_pairs(run.group()))]
            continue
        stems = [_TERMS[token] for token in _WORD.findall(fold(straighten_apostrophes(match.group())))]
        spans.append((match.start(), match.end(), next((s for s in stems if s), "")))
    return spans


# -- weights ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Vectors:
    """Every profile's weighted wants and offers: what pairing scores."""

    wants: list[dict[str, float]]  # per profile: stem -> 1 + ln(count)
    offers: list[dict[str, float]]  # per profile: stem -> BM25 weight (rarity · saturated tf)
    common: frozenset[str]
    max_df: int


def damping(length_ratio: float) -> float:
    """BM25's saturation constant for offers ``length_ratio`` times the average length."""
    return BM25_K1 * (1.0 - BM25_B + BM25_B * length_ratio)


def offer_weight(rarity: float, count: int, damp: float) -> float:
    """BM25 weight of a word offered ``count`` times (one formula: every path scores alike to the bit)."""
    return rarity * count * (BM25_K1 + 1.0) / (count + damp)


def want_weight(count: int) -> float:
    # Not length-normalised: a second need must not dilute the first.
    return 1.0 + math.log(count)


def _offer_weights(
    tf: Mapping[str, int], rarity: Mapping[str, float], length_ratio: float
) -> dict[str, float]:
    """BM25 weights: repeating a word helps less and less; a long list of offers counts less."""
    damp = damping(length_ratio)
    return {t: offer_weight(rarity[t], c, damp) for t, c in tf.items() if t in rarity}


def _want_weights(tf: Mapping[str, int], rarity: Mapping[str, float]) -> dict[str, float]:
    return {t: want_weight(c) for t, c in tf.items() if t in rarity}


def df_cap(n: int, max_df: int | None = None) -> int:
    """How many of ``n`` profiles may mention a stem before it counts as common (see the module docstring)."""
    return max_df if max_df is not None else max(DF_FLOOR, math.ceil(DF_SQRT_FACTOR * math.sqrt(n)))


def rarity(n: int, df: int) -> float:
    """BM25's (Lucene's) idf, scaled so a word only two people wrote weighs 1.

    A match needs two people, so df >= 2: with the scale, scores read the same in an
    address book of 5 or of 5,000, and one rare shared word scores about 1. An address book
    counts as at least :data:`RARITY_FLOOR` people: among 4 contacts, "UX design" that 3
    seekers and 1 giver wrote is the best match there is (plain idf weighed it 0.15: no intro),
    while a word 7 of 9 wrote ("lessons") still weighs too little to suggest anyone alone.
    """
    n = max(n, RARITY_FLOOR)

    def idf(d: int) -> float:
        return math.log(1.0 + (n - d + 0.5) / (d + 0.5))

    return idf(df) / idf(2)


def average_length(total: int, counted: int) -> float:
    """The mean length of the offers that say anything (1 when none do)."""
    return total / max(1, counted) or 1.0


def vectorise(profiles: Sequence[Profile], max_df: int | None) -> Vectors:
    """Want and offer weights; document frequency counts every field of every profile."""
    offers_tf = [_term_counts(p.offers) for p in profiles]
    wants_tf = [_term_counts(wants_text(p)) for p in profiles]
    df: Counter[str] = Counter()
    for offered, wanted in zip(offers_tf, wants_tf, strict=True):
        df.update(offered.keys() | wanted.keys())
        for term in offered:  # nobody needs an intro for what they give themselves
            wanted.pop(term, None)
    n, cap = len(profiles), df_cap(len(profiles), max_df)
    weights = {t: rarity(n, d) for t, d in df.items() if d <= cap}
    lengths = [sum(tf.values()) for tf in offers_tf]
    average = average_length(sum(lengths), sum(1 for x in lengths if x))
    return Vectors(
        [_want_weights(tf, weights) for tf in wants_tf],
        [
            _offer_weights(tf, weights, size / average)
            for tf, size in zip(offers_tf, lengths, strict=True)
        ],
        frozenset(t for t, d in df.items() if d > cap),
        cap,
    )
