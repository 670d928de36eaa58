"""Introductions between my contacts: whose "seeking" another's "offers" answers.

Three steps, one module each:

- :mod:`.text_model`: which words a profile's text counts as (folded, stop words
  and filler dropped, Snowball stems) and how much each weighs (BM25).
- :mod:`.pairing`: the pairs whose wants and offers share words, scored, ranked,
  mutual when both can help; dismissed pairs left out; the matching words as reasons.
- :mod:`.explanation`: the sentence that says why, and the two double-opt-in drafts.

Everything runs on the device, with no model and no network, and the same
profiles always give the same suggestions in the same order.
"""

from __future__ import annotations

from .explanation import draft_intro_messages, explain
from .pairing import MatchReport, Suggestion, match_report, suggest_intros
from .text_model import Profile, profile_of

__all__ = [
    "MatchReport", "Profile", "Suggestion", "draft_intro_messages", "explain", "match_report", "profile_of",
    "suggest_intros",
]
