"""Words for people: why a pair was suggested, and the two double-opt-in messages that ask them.

Each side quotes what the person wrote (the clauses holding a matched word, with
"looking for…" and "I can help with…" lead-ins removed), so a sentence reads
"Ana is looking for a Rust mentor; Bo offers Rust mentoring".

For the person in front of me, an :class:`IntroIdea` says it in a few words
("offers usability studies"), and the line my note keeps ("Intro to Leila Haddad
(usability studies)").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ..models import greeting_name
from ..search import fold
from .pairing import Suggestion
from .text_model import STOP_WORDS, Profile, straighten_apostrophes, terms, word_spans

MAX_TOPIC_WORDS = 5  # "usability studies for B2B apps": a topic, not a sentence
SHORT_CLAUSE_WORDS = 4  # a clause this short is quoted whole: "Rust code reviews"

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
    clauses = [c.strip() for c in _CLAUSE.split(straighten_apostrophes(text)) if c and c.strip()]
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
    if lower in STOP_WORDS or lower.endswith("ing") or re.search(rf"\b{re.escape(lower)}\b", context):
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
    return greeting_name(profile.name) or "there"

# -- for the person in front of me -------------------------------------------------------------
@dataclass(frozen=True)
class IntroIdea:
    """ "You could introduce them to…": one of my contacts, for the person I am looking at."""

    suggestion: Suggestion  # the pair, scored; who seeks and who helps
    person_id: str
    other_id: str
    other_name: str
    reason: str  # a few words, e.g. "offers usability studies · seeks a Rust mentor"
    topic: str  # what the introduction is about, e.g. "usability studies"

    @property
    def line(self) -> str:
        """What my "How I can help" note keeps: "Intro to Leila Haddad (usability studies)"."""
        return f"Intro to {self.other_name} ({self.topic})" if self.topic else f"Intro to {self.other_name}"

    def promise(self, person_name: str) -> str:
        """What I promise: "Introduce Sam to Leila Haddad"."""
        first = next(iter(person_name.split()), "them")
        return f"Introduce {first} to {self.other_name}"


def idea_for(suggestion: Suggestion, person: Profile, other: Profile) -> IntroIdea:
    """The suggestion as seen from ``person``: whom to introduce them to, and why in a few words.

    The stronger direction comes first; a mutual pair says both ("offers X · seeks Y").
    """
    context = " ".join((person.offers, person.seeking, person.needs))
    gets = _topic_of(other.offers, _matched_stems(person, other), context)  # other helps person
    gives = _wanted_by(other, person, context)  # person helps other: ("seeks", topic) or ("needs", topic)
    other_helps = suggestion.helper_id == other.id
    parts = []
    if other_helps or suggestion.mutual:
        parts.append(f"offers {gets}")
    if not other_helps or suggestion.mutual:
        parts.append(f"{gives[0]} {gives[1]}")
    if not other_helps:
        parts.reverse()
    return IntroIdea(suggestion, person.id, other.id, _name(other), " · ".join(parts),
                     gets if other_helps else gives[1])


def _wanted_by(seeker: Profile, helper: Profile, context: str) -> tuple[str, str]:
    """("seeks", "Rust mentor") from their card, or ("needs", …) from my notes of their needs."""
    stems = _matched_stems(seeker, helper)
    if set(terms(seeker.seeking)) & set(stems) or not seeker.needs.strip():
        return "seeks", _topic_of(seeker.seeking, stems, context)
    return "needs", _topic_of(seeker.needs, stems, context)


def _topic_of(text: str, stems: Collection[str], context: str = "") -> str:
    """The few words of ``text`` that matched, as written: a short clause whole ("Rust code reviews"),
    else from its first matching word to the last, with the word beside a lone match
    ("usability" → "usability studies"); the clause matching most wins."""
    best: tuple[int, int, int] | None = None  # (matches, start, end)
    wanted = set(stems)
    text = straighten_apostrophes(text)
    for clause_start, clause in _clauses_at(text):
        spans = word_spans(clause)
        hits = [k for k, (_, _, stem) in enumerate(spans) if stem in wanted]
        if not hits or (best is not None and len(hits) <= best[0]):
            continue
        lead = _LEAD_IN.match(_CONJUNCTION.sub("", clause, count=1))
        skip = len(word_spans(clause[: lead.end()])) if lead else 0  # "looking for", "I can help with"
        while skip < hits[0] and not spans[skip][2]:  # "a", "some"
            skip += 1
        first = hits[0]
        last = max(k for k in hits if k < first + MAX_TOPIC_WORDS)  # end on a matching word, not mid-phrase
        if len(spans) - skip <= SHORT_CLAUSE_WORDS:
            first, last = skip, len(spans) - 1
        elif first == last:
            if last + 1 < len(spans) and spans[last + 1][2]:
                last += 1
            elif first > skip and spans[first - 1][2]:
                first -= 1
        best = (len(hits), clause_start + spans[first][0], clause_start + spans[last][1])
    if best is None:
        return ""
    return _lower_first(text[best[1] : best[2]], f"{text} {context}")


def _clauses_at(text: str) -> list[tuple[int, str]]:
    """The clauses of ``text`` with where each starts."""
    out, start = [], 0
    for match in _CLAUSE.finditer(text):
        out.append((start, text[start:match.start()]))
        start = match.end()
    out.append((start, text[start:]))
    return [(at, clause) for at, clause in out if clause.strip()]
