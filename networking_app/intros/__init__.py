"""Introductions between my contacts: whose "seeking" another's "offers" answers.

Three steps, one module each:

- :mod:`.text_model`: which words a profile's text counts as (folded, stop words
  and filler dropped, Snowball stems) and how much each weighs (BM25).
- :mod:`.pairing`: the pairs whose wants and offers share words, scored, ranked,
  mutual when both can help; dismissed pairs left out; the matching words as reasons.
- :mod:`.explanation`: the sentence that says why, the two double-opt-in drafts, and
  for the person in front of me the same in a few words (:class:`IntroIdea`).

:mod:`.index` keeps every profile's words counted and inverted between changes, so one
person's introductions are found without scoring every pair (the note sheet after a scan).

Everything runs on the device, with no model and no network, and the same
profiles always give the same suggestions in the same order.
"""

from __future__ import annotations

from .explanation import IntroIdea, draft_intro_messages, explain, idea_for
from .index import IntroIndex
from .pairing import MatchReport, Suggestion, match_report, suggest_intros
from .text_model import Profile, profile_of

__all__ = [
    "IntroIdea", "IntroIndex", "MatchReport", "Profile", "Suggestion", "draft_intro_messages", "explain",
    "idea_for", "match_report", "profile_of", "suggest_intros",
]
