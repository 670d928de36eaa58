"""Introductions between my contacts: suggested from profiles, drafted or dismissed.

The text model and the pairing live in :mod:`networking_app.intros`; this keeps what I did with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import INTRO_DISMISSED, INTRO_DRAFTED, Contact, Intro, Meeting, display_name_of
from .repository import Repository, synchronized

if TYPE_CHECKING:
    from ..intros import Profile, Suggestion


class Intros(Repository):
    """``store.intros``: the pairs I drafted an introduction for or dismissed."""

    @synchronized
    def profiles(self) -> list[Profile]:
        """Each contact's offers and seeking, plus what my notes say they need.

        Cached until the next change: the introductions screen asks more than once.
        """
        return self._records.until_change("profiles", self._build_profiles)

    def _build_profiles(self) -> list[Profile]:
        from ..intros import Profile

        records = self._records
        needs: dict[str, list[str]] = {}
        for doc in records.docs(Meeting):
            if doc["need"]:
                needs.setdefault(doc["contact_id"], []).append(doc["need"])
        return [
            Profile(doc["id"], display_name_of(doc), doc.get("offers", ""), doc.get("seeking", ""),
                    "\n".join(needs.get(doc["id"], ())))
            for doc in records.docs(Contact)
            if doc.get("offers") or doc.get("seeking") or doc["id"] in needs
        ]

    def suggest(self, *, limit: int = 50) -> list[Suggestion]:
        """Pairs of my contacts where one's need meets another's offer, best first.

        Pairs already drafted or dismissed are left out.
        """
        from ..intros import suggest_intros

        profiles = self.profiles()
        handled = {intro.pair for intro in self._all()}
        return suggest_intros(profiles, limit=limit, dismissed=handled)

    @synchronized
    def _all(self) -> list[Intro]:
        return self._records.all(Intro)

    def drafts(self) -> list[Intro]:
        """Drafted introductions, the newest first."""
        return sorted((i for i in self._all() if i.status == INTRO_DRAFTED), key=lambda i: i.created, reverse=True)

    def dismiss(self, suggestion: Suggestion) -> Intro:
        with self._records.writing():
            intro = Intro(seeker_id=suggestion.seeker_id, helper_id=suggestion.helper_id,
                          reasons=list(suggestion.reasons), status=INTRO_DISMISSED)
            return self._records.put(intro)

    def draft(self, suggestion: Suggestion, *, me: str = "") -> Intro:
        """Turn a suggestion into two double-opt-in messages, kept until I send them."""
        from ..intros import draft_intro_messages

        with self._records.writing():
            by_id = {p.id: p for p in self.profiles()}
            seeker, helper = by_id[suggestion.seeker_id], by_id[suggestion.helper_id]
            to_seeker, to_helper = draft_intro_messages(seeker, helper, suggestion, me=me)
            intro = Intro(seeker_id=seeker.id, helper_id=helper.id, reasons=list(suggestion.reasons),
                          to_seeker=to_seeker, to_helper=to_helper)
            return self._records.put(intro)

    def edit(self, intro_id: str, *, to_seeker: str | None = None, to_helper: str | None = None) -> Intro:
        """Keep my edits of a draft's two messages (``None`` leaves one as it is)."""
        with self._records.writing():
            intro = self._records.get(Intro, intro_id)
            if to_seeker is not None:
                intro.to_seeker = to_seeker
            if to_helper is not None:
                intro.to_helper = to_helper
            return self._records.put(intro)

    def delete(self, intro_id: str) -> None:
        with self._records.writing():
            self._records.delete(Intro, intro_id)
