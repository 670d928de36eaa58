"""``followups`` and ``intros``: what to do after an event — keep my word, introduce people."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .arguments import contact_by_prefix, positive
from .command import Command
from .json_shapes import followup_json, intro_idea_json, intro_json

if TYPE_CHECKING:
    from ..store import Store
    from .output import Output


def _define_followups(followups: argparse.ArgumentParser) -> None:
    followups.add_argument("--json", action="store_true")
    followups.set_defaults(run=list_followups)


def list_followups(store: Store, args: argparse.Namespace, out: Output) -> int:
    queue = store.followups.queue()
    if args.json:
        out.json([followup_json(item) for item in queue])
        return 0
    bucket = None
    for item in queue:
        if item.bucket != bucket:
            bucket = item.bucket
            out.line(f"== {bucket}")
        what = f"promised: {item.meeting.promise}" if item.is_promise and item.meeting else (item.what or "no note yet")
        due = f"{item.due}  " if item.due else ""
        at = f" ({item.event.name})" if item.event else ""
        out.line(f"  {due}{item.contact.display_name}{at} — {what}")
    if not queue:
        out.line("Nothing to follow up. Scan someone at your next event.")
    return 0


def _define_intros(intros: argparse.ArgumentParser) -> None:
    intros.add_argument("--for", dest="person", metavar="CONTACT_ID",
                        help="whom to introduce this person to (the first characters of their id)")
    intros.add_argument("--limit", type=positive, help="how many, best first (default 20; 3 with --for)")
    intros.add_argument("--json", action="store_true")
    intros.set_defaults(run=list_intros)


def list_intros(store: Store, args: argparse.Namespace, out: Output) -> int:
    if args.person:
        return _intros_for(store, args, out)
    suggestions = store.intros.suggest(limit=args.limit or 20)
    by_id = {p.id: p for p in store.intros.profiles()}
    rows = [intro_json(s, by_id) for s in suggestions]
    if args.json:
        out.json(rows)
        return 0
    for rank, row in enumerate(rows, 1):
        both = " (each can help the other)" if row["mutual"] else ""
        out.line(f"{rank}. {row['seeker']} ↔ {row['helper']}{both}: {row['reason']}")
    if not rows:
        out.line("No introductions to suggest yet: they come from what people offer and seek.")
    return 0


def _intros_for(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..store.intros import IDEAS_PER_PERSON

    person = contact_by_prefix(store, args.person)
    ideas = store.intros.for_person(person.id, limit=args.limit or IDEAS_PER_PERSON)
    if args.json:
        out.json([intro_idea_json(store, idea) for idea in ideas])
        return 0
    if not ideas:
        out.line(f"No one to introduce {person.display_name} to yet: it comes from what they and "
                 "your contacts offer and seek, and from your notes of what they need.")
        return 0
    out.line(f"You could introduce {person.display_name} to:")
    for rank, idea in enumerate(ideas, 1):
        out.line(f"{rank}. {idea.other_name} — {idea.reason}  (id {idea.other_id[:8]})")
    return 0


COMMANDS = (
    Command("followups", "the follow-up queue", _define_followups),
    Command("intros", "suggested introductions between my contacts, best first; --for one person", _define_intros),
)
