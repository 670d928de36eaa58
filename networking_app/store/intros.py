"""Introductions between my contacts: suggested from profiles, drafted or dismissed.

The text model and the pairing live in :mod:`networking_app.intros`; this keeps what I did with them.
Profiles come from the store's introductions index (:meth:`Indexes.intro_index
<networking_app.store.indexes.Indexes.intro_index>`), built once and kept current by writes, so
one person's suggestions (:meth:`Intros.for_person`) never score the whole address book.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError, NotFoundError
from ..models import INTRO_DISMISSED, INTRO_DRAFTED, Contact, Intro, Meeting
from .repository import Repository, synchronized

if TYPE_CHECKING:
    from ..intros import IntroIdea, Profile, Suggestion
    from ..intros.index import IntroIndex

IDEAS_PER_PERSON = 3  # what the note sheet has room for: more would be read by nobody at the event
PROMISE_DAYS = 1  # an introduction promised is made the next day, unless a follow-up is already set
PREPARE_STEP = 300  # contacts indexed per hold of the lock (~20 ms)


@dataclass(frozen=True)
class Introduced:
    """What one tap on an idea saved: the note, its follow-up's date, and the two drafts."""

    meeting: Meeting
    intro: Intro
    due: str  # ISO date of the follow-up that holds the promise


class Intros(Repository):
    """``store.intros``: the pairs I drafted an introduction for or dismissed."""

    def _index(self) -> IntroIndex:
        records = self._records
        return records.ix.intro_index(records.data)

    def prepare(self, *, step: int = PREPARE_STEP) -> None:
        """Build the introductions index now, ``step`` contacts at a time, letting go of the lock
        in between: for a worker thread at start, so the first scan's suggestions never wait."""
        records = self._records
        while True:
            with records.mutex:
                records.fresh()
                if records.ix.index_intros(records.data, at_most=step):
                    return
            time.sleep(0)  # let a waiting reader or writer in

    @synchronized
    def profiles(self) -> list[Profile]:
        """Each contact's offers and seeking, plus what my notes say they need (those saying anything).

        Cached until the next change: the introductions screen asks more than once.
        """
        return self._records.until_change("profiles", self._build_profiles)

    def _build_profiles(self) -> list[Profile]:
        from ..intros.text_model import has_text, profile_of_doc

        records = self._records
        needs: dict[str, list[str]] = {}
        for doc in records.docs(Meeting):
            if doc["need"]:
                needs.setdefault(doc["contact_id"], []).append(doc["need"])
        profiles = (profile_of_doc(doc, needs.get(doc["id"], ())) for doc in records.docs(Contact))
        return [p for p in profiles if has_text(p)]

    @synchronized
    def profile(self, contact_id: str) -> Profile:
        """A contact's profile, even one that says nothing yet."""
        found = self._records.ix.profile_of(contact_id, self._records.data)
        if found is None:
            raise NotFoundError(f"No contact with id {contact_id} exists.")
        return found

    def suggest(self, *, limit: int = 50) -> list[Suggestion]:
        """Pairs of my contacts where one's need meets another's offer, best first.

        Pairs already drafted or dismissed are left out.
        """
        from ..intros import suggest_intros

        profiles = self.profiles()
        handled = {intro.pair for intro in self._all()}
        return suggest_intros(profiles, limit=limit, dismissed=handled)

    @synchronized
    def for_person(self, contact_id: str, *, limit: int = IDEAS_PER_PERSON, need: str = "") -> list[IntroIdea]:
        """"You could introduce them to…": up to ``limit`` people I know for this contact, best first.

        Each idea says why in a few words. ``need`` is what I am typing about what they need,
        not saved yet: it counts as one more of my notes. Pairs I drafted or dismissed never return.
        """
        from ..intros import idea_for

        index = self._index()
        person = self.profile(contact_id)
        if need.strip() and need.strip() not in person.needs.split("\n"):
            person = replace(person, needs="\n".join(n for n in (person.needs, need.strip()) if n))
        handled = {intro.pair for intro in self._all() if contact_id in intro.pair}
        ideas = []
        ix, data = self._records.ix, self._records.data
        for suggestion in index.suggest_for(person, lambda cid: ix.profile_of(cid, data), limit=limit,
                                            dismissed=handled):
            other_id = suggestion.helper_id if suggestion.seeker_id == contact_id else suggestion.seeker_id
            ideas.append(idea_for(suggestion, person, self.profile(other_id)))
        return ideas

    @synchronized
    def _all(self) -> list[Intro]:
        return self._records.all(Intro)

    def drafts(self) -> list[Intro]:
        """Drafted introductions, the newest first."""
        return sorted((i for i in self._all() if i.status == INTRO_DRAFTED), key=lambda i: i.created, reverse=True)

    def drafts_naming(self, contact_id: str) -> list[Intro]:
        """Drafted introductions of this contact, the newest first (Follow-ups shows them)."""
        return [i for i in self.drafts() if contact_id in i.pair]

    def dismiss(self, suggestion: Suggestion) -> Intro:
        with self._records.writing():
            intro = Intro(seeker_id=suggestion.seeker_id, helper_id=suggestion.helper_id,
                          reasons=list(suggestion.reasons), status=INTRO_DISMISSED)
            return self._records.put(intro)

    def draft(self, suggestion: Suggestion, *, me: str = "") -> Intro:
        """Turn a suggestion into two double-opt-in messages, kept until I send them.

        A pair already drafted keeps its first drafts.
        """
        from ..intros import draft_intro_messages

        with self._records.writing():
            existing = next((i for i in self.drafts() if i.pair == suggestion.pair), None)
            if existing is not None:
                return existing
            seeker, helper = self.profile(suggestion.seeker_id), self.profile(suggestion.helper_id)
            to_seeker, to_helper = draft_intro_messages(seeker, helper, suggestion, me=me)
            intro = Intro(seeker_id=seeker.id, helper_id=helper.id, reasons=list(suggestion.reasons),
                          to_seeker=to_seeker, to_helper=to_helper)
            return self._records.put(intro)

    def introduce(self, idea: IntroIdea, *, meeting_id: str = "", me: str = "", **note: Any) -> Introduced:
        """The one tap: "Intro to Leila Haddad (usability studies)" joins "How I can help", the
        promise to make it joins "What I promised", a follow-up holds it, and the two drafts wait
        in Follow-ups — all in one commit.

        The note goes on ``meeting_id`` (else the person's latest meeting, or a new one at no
        event). ``note`` is the rest of the note as typed (``need``, ``help``, ``promise``,
        ``follow_up``, ``channel``: see :meth:`Meetings.save_note`); the intro's lines are added
        to what it says, or to what is saved. Without ``follow_up``, an open follow-up is kept,
        else one is set for tomorrow.
        """
        records, meetings = self._records, self._store.meetings
        with records.writing():
            meeting = self._meeting_for(idea.person_id, meeting_id)
            person = records.get(Contact, idea.person_id)
            open_followup = self._store.followups.for_meeting(meeting.id)
            if "follow_up" not in note and (open_followup is None or open_followup.is_done):
                note["follow_up"] = self._store.today() + timedelta(days=PROMISE_DAYS)
            note["help"] = _with_line(note.get("help", meeting.help), idea.line)
            note["promise"] = _with_line(note.get("promise", meeting.promise), idea.promise(person.display_name))
            saved = meetings.save_note(meeting.id, **note)
            intro = self.draft(idea.suggestion, me=me)
            followup = self._store.followups.for_meeting(meeting.id)
        return Introduced(saved, intro, followup.due if followup and not followup.is_done else "")

    def _meeting_for(self, contact_id: str, meeting_id: str) -> Meeting:
        if meeting_id:
            meeting = self._records.get(Meeting, meeting_id)
            if meeting.contact_id != contact_id:
                raise InvalidInputError("That note belongs to someone else; open their page and try again.")
            return meeting
        latest = self._store.meetings.of(contact_id)
        return latest[0] if latest else self._store.meetings.meet(contact_id, "")[0]

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


def _with_line(text: str | None, line: str) -> str:
    """``text`` with ``line`` on a line of its own at the end, unless it already says it."""
    text = (text or "").rstrip()
    if line.casefold() in text.casefold():
        return text
    return f"{text}\n{line}" if text else line
