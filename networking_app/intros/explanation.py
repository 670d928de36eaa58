"""Words for people: why a pair was suggested, and the two double-opt-in messages that ask them.

Each side quotes what the person wrote (the clauses holding a matched word, with
"looking for…" and "I can help with…" lead-ins removed), so a sentence reads
"Ana is looking for a Rust mentor; Bo offers Rust mentoring".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from ..search import fold
from .pairing import Suggestion
from .text_model import STOP_WORDS, Profile, straighten_apostrophes, terms

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
    return next(iter(profile.name.split()), "there")