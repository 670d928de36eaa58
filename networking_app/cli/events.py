"""``event start | list | end``: the event I am at, which scans go to."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .arguments import parse_date
from .command import Command, subcommands
from .json_shapes import event_json

if TYPE_CHECKING:
    from ..store import Store
    from .output import Output


def _define(event: argparse.ArgumentParser) -> None:
    sub = subcommands(event)
    start = sub.add_parser("start")
    start.add_argument("name")
    start.add_argument("--place", default="")
    start.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
    start.add_argument("--intention", default="", help="e.g. 'meet 3 people, help one'")
    start.set_defaults(run=start_event)
    listing = sub.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=list_events)
    sub.add_parser("end").set_defaults(run=end_event)


def start_event(store: Store, args: argparse.Namespace, out: Output) -> int:
    day = parse_date(args.date).isoformat() if args.date else ""
    running = store.events.current()
    event = store.events.start(args.name, place=args.place, day=day, intention=args.intention)
    if running:
        out.line(f"Ended “{running.name}”.")
    where = f", {event.place}" if event.place else ""
    out.line(f"Started “{event.name}” ({event.date}{where}). Scans now go to it.")
    return 0


def list_events(store: Store, args: argparse.Namespace, out: Output) -> int:
    rows = [(e, len(store.meetings.at(e.id))) for e in store.events.all()]
    if args.json:
        out.json([event_json(e, n) for e, n in rows])
        return 0
    for e, n in rows:
        state = "running" if e.is_running else "ended"
        out.line(f"{e.id[:8]}  {e.date}  {e.name}{'  @ ' + e.place if e.place else ''}  — {n} met, {state}")
    if not rows:
        out.line('No events yet. Start one with: event start "Name".')
    return 0


def end_event(store: Store, args: argparse.Namespace, out: Output) -> int:
    event = store.events.end()
    out.line(f"Ended “{event.name}”." if event else "No event is running.")
    return 0


COMMANDS = (Command("event", "events: start, list, end", _define),)
