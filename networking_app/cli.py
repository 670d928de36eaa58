"""The command line: ``uv run main.py <command>``; scriptable, ``--json`` on every listing.

Errors are one plain sentence on stderr and a non-zero exit status, never a
traceback (an unexpected one is written to ``error.log`` in the data folder).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from . import paths
from .errors import ImportFormatError, MutualError, NotFoundError
from .models import Contact, Event, MyCard, split_name
from .store import Store

EXIT_ERROR = 1
SHOW_HELP = object()  # `note --help` with no text: show the help
EXIT_USAGE = 2
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"RIFF", b"GIF8", b"BM")


class UsageError(MutualError):
    """The command line was not well formed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + exits 2; keep it one sentence
        raise UsageError(f"{message[0].upper()}{message[1:]} (see --help).")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mutual", description="Mutual: swap cards, note how you can help, follow up.")
    parser.add_argument("--data-dir", help=f"where the data lives (default: ${paths.ENV_DATA_DIR} or the user data folder)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    _card_commands(commands.add_parser("card", help="my card: set, show, qr"))
    _event_commands(commands.add_parser("event", help="events: start, list, end"))

    scan = commands.add_parser("scan", help="save cards from images, payload files or stdin (-)")
    scan.add_argument("paths", nargs="+", metavar="PATH")
    scan.add_argument("--event", help="the event they were met at (default: the running one)")
    scan.add_argument("--json", action="store_true")

    contacts = commands.add_parser("contacts", help="list contacts")
    contacts.add_argument("--event")
    contacts.add_argument("--search", default="")
    contacts.add_argument("--tag", default="")
    contacts.add_argument("--json", action="store_true")

    note = commands.add_parser("note", help="the 'How can I help them?' note", add_help=False)
    note.add_argument("-h", action="help", help="show this help")
    note.add_argument("contact_id", metavar="CONTACT_ID", nargs="?", help="an id, or its first characters")
    note.add_argument("--need", help="what they need")
    # --help TEXT is the note (the name for it); a bare --help still shows this help
    note.add_argument("--help", dest="help_text", metavar="TEXT", nargs="?", const=SHOW_HELP, help="how I can help")
    note.set_defaults(note_parser=note)
    note.add_argument("--promise", help="what I promised")
    note.add_argument("--follow-up", metavar="YYYY-MM-DD", help="due date of the follow-up, or 'none'")
    note.add_argument("--json", action="store_true")

    followups = commands.add_parser("followups", help="the follow-up queue")
    followups.add_argument("--json", action="store_true")

    intros = commands.add_parser("intros", help="suggested introductions between my contacts, best first")
    intros.add_argument("--limit", type=_positive, default=20, help="how many, best first (default 20)")
    intros.add_argument("--json", action="store_true")

    backup = commands.add_parser("backup", help="write a backup of everything now")
    backup.add_argument("--json", action="store_true")
    restore = commands.add_parser("restore", help="replace everything with a backup file")
    restore.add_argument("file", type=Path)
    _export_command(commands.add_parser(
        "export", help="write people (vcf, csv), follow-ups (ics) or everything (json) to a file",
        description="Write a file for other apps: vcf (vCard 3.0 for Google, Apple and Outlook contacts), "
                    "csv (Google Contacts' columns), ics (one all-day calendar entry per open follow-up, "
                    "with a reminder at 9:00) or json (a Mutual backup of everything). vcf and csv carry "
                    "my notes on each person. Only the people chosen go in: everyone, --event, or --contact.",
    ))
    _import_command(commands.add_parser(
        "import", help="add people from a .vcf or .csv file, or restore a .json backup (--replace)",
        description="Add people from a vCard file (.vcf) or a contacts CSV from Google Contacts or LinkedIn "
                    "(Connections.csv), deduplicated like scans; the format is told by the content. "
                    "All of a file is imported, or nothing when it is damaged (the message names the line). "
                    "A Mutual backup (.json) replaces everything, so it needs --replace; without it nothing "
                    "changes. Calendar files (.ics) are not imported.",
    ))
    _accept_data_dir_anywhere(commands)
    return parser


def _accept_data_dir_anywhere(commands: Any) -> None:
    """``--data-dir`` also after the command (``scan x.png --data-dir d``)."""
    for sub in commands.choices.values():
        leaves = [sub]
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                leaves = list(action.choices.values())
        for leaf in leaves:
            leaf.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _export_command(export: argparse.ArgumentParser) -> None:
    export.add_argument("--format", choices=("vcf", "csv", "ics", "json"), help="default: told by FILE's extension")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                        help="the file to write (replaced whole)")
    export.add_argument("--event", metavar="NAME", help="only the people met at this event")
    export.add_argument("--contact", action="append", metavar="CONTACT_ID",
                        help="only this person, an id or its first characters (repeat for more)")
    export.add_argument("--json", action="store_true")


def _import_command(importer: argparse.ArgumentParser) -> None:
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--tag", action="append", default=[], help="tag the people new to Mutual (repeat for more)")
    importer.add_argument("--replace", action="store_true",
                          help="restore a Mutual backup (.json): replace everything with it "
                               "(a backup of now is kept first)")
    importer.add_argument("--json", action="store_true")


def _card_commands(card: argparse.ArgumentParser) -> None:
    sub = card.add_subparsers(dest="action", required=True, parser_class=_Parser)
    setter = sub.add_parser("set", help="create or update my default card")
    setter.add_argument("--name", required=True)
    setter.add_argument("--title")
    setter.add_argument("--org")
    setter.add_argument("--email", action="append")
    setter.add_argument("--phone", action="append")
    setter.add_argument("--url", action="append")
    setter.add_argument("--offers", help="I can help with…")
    setter.add_argument("--seeking", help="I'm looking for…")
    setter.add_argument("--label", help="which card, e.g. 'Job search' (default: the default card)")
    show = sub.add_parser("show")
    show.add_argument("--json", action="store_true")
    show.add_argument("--label", help="which card (default: the default card)")
    qr = sub.add_parser("qr", help="write my card's QR code as a PNG")
    qr.add_argument("out", type=Path, metavar="OUT.png")
    qr.add_argument("--label", help="which card (default: the default card)")


def _event_commands(event: argparse.ArgumentParser) -> None:
    sub = event.add_subparsers(dest="action", required=True, parser_class=_Parser)
    start = sub.add_parser("start")
    start.add_argument("name")
    start.add_argument("--place", default="")
    start.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
    start.add_argument("--intention", default="", help="e.g. 'meet 3 people, help one'")
    listing = sub.add_parser("list")
    listing.add_argument("--json", action="store_true")
    sub.add_parser("end")


# -- output helpers ---------------------------------------------------------------------------
class Output:
    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err

    def line(self, text: str = "") -> None:
        print(text, file=self.out)

    def json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def warn(self, text: str) -> None:
        print(text, file=self.err)


def contact_json(store: Store, contact: Contact) -> dict[str, Any]:
    events = {}
    meetings = []
    for m in store.meetings.of(contact.id):
        if m.event_id and m.event_id not in events:
            events[m.event_id] = _event_name(store, m.event_id)
        followup = store.followups.for_meeting(m.id)
        meetings.append({
            "id": m.id, "event": events.get(m.event_id, ""), "event_id": m.event_id, "met_at": m.met_at,
            "need": m.need, "help": m.help, "promise": m.promise, "note_done": m.has_note,
            "follow_up": followup.due if followup and not followup.is_done else "",
        })
    return {
        "id": contact.id, "name": contact.full_name, "display_name": contact.display_name,
        "given": contact.given, "family": contact.family,
        "title": contact.title, "organization": contact.organization, "emails": contact.emails,
        "phones": contact.phones, "urls": contact.urls, "offers": contact.offers, "seeking": contact.seeking,
        "note": contact.note, "tags": contact.tags, "created": contact.created, "updated": contact.updated,
        "meetings": meetings,
    }


def _event_name(store: Store, event_id: str) -> str:
    try:
        return store.events.get(event_id).name
    except NotFoundError:
        return ""


def event_json(event: Event, people: int) -> dict[str, Any]:
    return {
        "id": event.id, "name": event.name, "place": event.place, "date": event.date,
        "intention": event.intention, "running": event.is_running, "ended_at": event.ended_at, "people": people,
    }


# -- commands ---------------------------------------------------------------------------------
def cmd_card(store: Store, args: argparse.Namespace, out: Output) -> int:
    if args.action == "set":
        card = _card_to_set(store, args.label)
        given, family = split_name(args.name)
        card.given, card.family, card.formatted = given, family, args.name.strip()
        for attr, value in (("title", args.title), ("organization", args.org), ("offers", args.offers), ("seeking", args.seeking)):
            if value is not None:
                setattr(card, attr, value.strip())
        for attr, values in (("emails", args.email), ("phones", args.phone), ("urls", args.url)):
            if values is not None:
                setattr(card, attr, [v.strip() for v in values if v.strip()])
        store.cards.save(card)
        out.line(f"Saved my card “{card.label}”: {card.full_name}.")
        return 0
    card = _card_labelled(store, args.label) if args.label else store.cards.default()
    if card is None:
        raise NotFoundError('You have no card yet. Create it with: card set --name "Your Name".')
    if args.action == "show":
        return _show_card(card, args, out)
    return _write_qr(card, args.out, out)


def _find_labelled(store: Store, label: str) -> MyCard | None:
    return next((c for c in store.cards.all() if c.label.casefold() == label.strip().casefold()), None)


def _card_labelled(store: Store, label: str) -> MyCard:
    card = _find_labelled(store, label)
    if card is None:
        names = ", ".join(f"“{c.label}”" for c in store.cards.all()) or "none yet"
        raise NotFoundError(f"You have no card labelled “{label.strip()}” (your cards: {names}).")
    return card


def _card_to_set(store: Store, label: str | None) -> MyCard:
    if label:
        return _find_labelled(store, label) or MyCard(label=label.strip())
    return store.cards.default() or MyCard()


def _show_card(card: MyCard, args: argparse.Namespace, out: Output) -> int:
    from .vcard import fit_card_for_qr

    fitted = fit_card_for_qr(card)
    if args.json:
        doc = card.to_doc()
        doc["qr_payload"] = fitted.text
        doc["qr_dropped"] = fitted.dropped
        out.json(doc)
        return 0
    out.line(f"{card.full_name}  [{card.label}{', default' if card.is_default else ''}]")
    for label, value in (("Title", card.title), ("Organization", card.organization), ("Offers", card.offers), ("Seeking", card.seeking)):
        if value:
            out.line(f"{label}: {value}")
    for label, values in (("Email", card.emails), ("Phone", card.phones), ("Link", card.urls)):
        for value in values:
            out.line(f"{label}: {value}")
    if fitted.dropped:
        out.warn(f"Left out of the QR code to keep it scannable: {', '.join(fitted.dropped)}.")
    return 0


def _write_qr(card: MyCard, target: Path, out: Output) -> int:
    from .durable_io import atomic_write
    from .qr_image import qr_png
    from .vcard import fit_card_for_qr

    fitted = fit_card_for_qr(card)
    try:
        atomic_write(target, qr_png(fitted.text))
    except OSError as exc:
        raise MutualError(f"Could not write {target}: {exc.strerror or exc}.") from None
    out.line(f"Wrote the QR code of “{card.full_name}” to {target} ({len(fitted.text.encode())} bytes of vCard).")
    if fitted.dropped:
        out.warn(f"Left out to keep it scannable: {', '.join(fitted.dropped)}.")
    return 0


def cmd_event(store: Store, args: argparse.Namespace, out: Output) -> int:
    if args.action == "start":
        day = _parse_date(args.date).isoformat() if args.date else ""
        running = store.events.current()
        event = store.events.start(args.name, place=args.place, day=day, intention=args.intention)
        if running:
            out.line(f"Ended “{running.name}”.")
        out.line(f"Started “{event.name}” ({event.date}{', ' + event.place if event.place else ''}). Scans now go to it.")
    elif args.action == "end":
        event = store.events.end()
        out.line(f"Ended “{event.name}”." if event else "No event is running.")
    else:
        rows = [(e, len(store.meetings.at(e.id))) for e in store.events.all()]
        if args.json:
            out.json([event_json(e, n) for e, n in rows])
        for e, n in [] if args.json else rows:
            state = "running" if e.is_running else "ended"
            out.line(f"{e.date}  {e.name}{'  @ ' + e.place if e.place else ''}  — {n} met, {state}")
        if not rows and not args.json:
            out.line('No events yet. Start one with: event start "Name".')
    return 0


def cmd_scan(store: Store, args: argparse.Namespace, out: Output) -> int:
    event_id = store.events.find(args.event).id if args.event else None
    results: list[dict[str, Any]] = []
    failures = 0
    for path in args.paths:
        for source, outcome in _scan_one(store, path, event_id):
            results.append(outcome)
            if outcome["ok"]:
                if not args.json:
                    out.line(f"{source}: {outcome['message']}")
            else:
                failures += 1
                out.warn(f"{source}: {outcome['error']}")
    if args.json:
        out.json(results)
    return EXIT_ERROR if failures else 0


def _scan_one(store: Store, path: str, event_id: str | None) -> list[tuple[str, dict[str, Any]]]:
    from .store import CURRENT_EVENT

    try:
        payloads = _payloads_from(path)
    except MutualError as exc:
        return [(path, {"source": path, "ok": False, "error": str(exc)})]
    outcomes = []
    for index, text in enumerate(payloads):
        source = path if len(payloads) == 1 else f"{path} (code {index + 1})"
        try:
            from .payload import parse_payload

            parsed = parse_payload(text)
            result = store.people.record_scan(parsed.card, event_id=event_id if event_id else CURRENT_EVENT)
        except MutualError as exc:
            outcomes.append((source, {"source": source, "ok": False, "error": str(exc)}))
            continue
        outcomes.append((source, {
            "source": source, "ok": True, "new": result.is_new_contact,
            "changes": [c.describe() for c in result.changes],
            "message": _scan_message(store, result), "contact": contact_json(store, result.contact),
        }))
    return outcomes


def _scan_message(store: Store, result: Any) -> str:
    where = _event_name(store, result.meeting.event_id) if result.meeting.event_id else ""
    status = "new contact" if result.is_new_contact else "already known"
    text = f"{result.contact.display_name} ({status}, id {result.contact.id[:8]}){' — met at ' + where if where else ''}"
    if result.changes:
        text += "; " + "; ".join(c.describe() for c in result.changes)
    return text


def _payloads_from(path: str) -> list[str]:
    """The QR texts of an image, or the payload held in a text file or on stdin."""
    from .errors import PayloadTooLargeError, UnreadableImageError

    if path == "-":
        return [sys.stdin.read()]
    file = Path(path)
    try:
        with file.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise UnreadableImageError(f"Cannot open {path}: {exc.strerror or exc}.") from None
    if head.startswith(IMAGE_MAGIC):
        from .qr_decode import decode_image

        texts = decode_image(file)
        if not texts:
            raise UnreadableImageError("No QR code was found in this image.")
        return texts
    if file.stat().st_size > 64 * 1024:
        raise PayloadTooLargeError(f"This file is too large to be a scanned card (over 64 KB); "
                                   f"for a file of contacts use: import {path}")
    from .text_decoding import decode_text
    from .vcard import count_vcards

    text = decode_text(file.read_bytes())
    cards = count_vcards(text)
    if cards > 1:
        raise ImportFormatError(f"This file holds {cards} cards; scan reads one. For a file of contacts use: "
                                f"import {path}")
    return [text]


def cmd_contacts(store: Store, args: argparse.Namespace, out: Output) -> int:
    event_id = store.events.find(args.event).id if args.event else None
    found = store.people.all(event_id=event_id, query=args.search, tag=args.tag)
    if args.json:
        out.json([contact_json(store, c) for c in found])
        return 0
    for c in found:
        meetings = store.meetings.of(c.id)
        missing = " · note missing" if meetings and not meetings[0].has_note else ""
        role = ", ".join(p for p in (c.title, c.organization) if p)
        org = f" — {role}" if role else ""
        out.line(f"{c.id[:8]}  {c.display_name}{org}{missing}")
    if not found:
        out.line("No contacts match." if (args.search or args.event or args.tag) else "No contacts yet.")
    return 0


def cmd_note(store: Store, args: argparse.Namespace, out: Output) -> int:
    if not args.contact_id:
        raise UsageError("Say whose note it is: note CONTACT_ID --need … --help … --promise … --follow-up YYYY-MM-DD.")
    if args.need is None and args.help_text is None and args.promise is None and args.follow_up is None:
        raise UsageError("Nothing to save: give --need, --help, --promise or --follow-up.")
    contact = _contact_by_prefix(store, args.contact_id)
    note: dict[str, Any] = {"need": args.need, "help": args.help_text, "promise": args.promise}
    if args.follow_up is not None:
        note["follow_up"] = None if args.follow_up.strip().lower() in ("none", "") else _parse_date(args.follow_up)
    meeting = store.meetings.note_contact(contact.id, **note)
    followup = store.followups.for_meeting(meeting.id)
    if args.json:
        out.json(contact_json(store, store.people.get(contact.id)))
        return 0
    due = f" Follow up on {followup.due}." if followup and not followup.is_done else ""
    out.line(f"Saved the note on {contact.display_name}.{due}")
    return 0


def _contact_by_prefix(store: Store, prefix: str) -> Contact:
    prefix = prefix.strip().lower()
    if len(prefix) < 4:
        raise NotFoundError("Give at least the first 4 characters of the contact id.")
    matches = [cid for cid in store.people.ids() if cid.startswith(prefix)]
    if len(matches) > 1:
        raise NotFoundError(f"{len(matches)} contacts have an id starting with {prefix}; give more characters.")
    if not matches:
        raise NotFoundError(f"No contact has an id starting with {prefix}.")
    return store.people.get(matches[0])


def cmd_followups(store: Store, args: argparse.Namespace, out: Output) -> int:
    queue = store.followups.queue()
    if args.json:
        out.json([{
            "bucket": i.bucket, "contact_id": i.contact.id, "name": i.contact.display_name,
            "event": i.event.name if i.event else "", "promise": i.meeting.promise if i.meeting else "",
            "help": i.meeting.help if i.meeting else "", "need": i.meeting.need if i.meeting else "",
            "due": i.due, "followup_id": i.followup.id if i.followup else "",
        } for i in queue])
        return 0
    bucket = None
    for item in queue:
        if item.bucket != bucket:
            bucket = item.bucket
            out.line(f"== {bucket}")
        what = f"promised: {item.meeting.promise}" if item.is_promise else (item.what or "no note yet")
        due = f"{item.due}  " if item.due else ""
        at = f" ({item.event.name})" if item.event else ""
        out.line(f"  {due}{item.contact.display_name}{at} — {what}")
    if not queue:
        out.line("Nothing to follow up. Scan someone at your next event.")
    return 0


def cmd_intros(store: Store, args: argparse.Namespace, out: Output) -> int:
    from .intros import explain

    suggestions = store.intros.suggest(limit=args.limit)
    by_id = {p.id: p for p in store.intros.profiles()}
    rows = [{
        "seeker_id": s.seeker_id, "seeker": by_id[s.seeker_id].name,
        "helper_id": s.helper_id, "helper": by_id[s.helper_id].name,
        "score": round(s.score, 3), "mutual": s.mutual, "reasons": list(s.reasons),
        "reason": explain(s, by_id),
    } for s in suggestions]
    if args.json:
        out.json(rows)
        return 0
    for rank, row in enumerate(rows, 1):
        both = " (each can help the other)" if row["mutual"] else ""
        out.line(f"{rank}. {row['seeker']} ↔ {row['helper']}{both}: {row['reason']}")
    if not rows:
        out.line("No introductions to suggest yet: they come from what people offer and seek.")
    return 0


def cmd_backup(store: Store, args: argparse.Namespace, out: Output) -> int:
    path = store.backup(reason="manual")
    if args.json:
        out.json({"path": str(path)})
    else:
        out.line(f"Backed up everything to {path}.")
    return 0


def cmd_restore(store: Store, args: argparse.Namespace, out: Output) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise MutualError(f"Nothing was restored from {args.file}: {exc.strerror or exc}.") from None
    store.restore_bytes(data, args.file.name)
    counts = store.counts()
    out.line(f"Restored {counts['contacts']} contacts and {counts['events']} events from {args.file}; "
             "what you had before is kept as a backup (backups/).")
    return 0


def cmd_export(store: Store, args: argparse.Namespace, out: Output) -> int:
    from .interop import Selection, export_file, format_for_filename, get_format

    guessed = format_for_filename(args.output)
    fmt = get_format(args.format) if args.format else guessed
    if fmt is None:
        raise UsageError(f"Say which format to write with --format vcf, csv, ics or json "
                         f"({args.output.name} does not tell).")
    if fmt.name == "json" and (args.event or args.contact):
        raise UsageError("A backup (json) holds everything; --event and --contact work with vcf, csv and ics.")
    event_id = store.events.find(args.event).id if args.event else None
    ids = tuple(_contact_by_prefix(store, c).id for c in args.contact) if args.contact else None
    summary = export_file(store, fmt.name, args.output, Selection(event_id=event_id, contact_ids=ids))
    if args.json:
        out.json({"format": summary.format, "path": str(args.output), "count": summary.count, "what": summary.noun,
                  "bytes": summary.size, "left_out": summary.left_out})
        return 0
    reminder = "; each reminds you at 9:00 on its day" if fmt.name == "ics" else ""
    out.line(f"Wrote {summary.describe()} to {args.output}{reminder}.")
    if guessed is not None and guessed.name != fmt.name:
        out.warn(f"Note: {args.output.name} holds {fmt.label} despite its extension.")
    if summary.left_out:
        out.warn(f"{summary.left_out} follow-up(s) without a due date were left out.")
    return 0


def cmd_import(store: Store, args: argparse.Namespace, out: Output) -> int:
    from .interop import ReplaceNotConfirmedError, detect, import_file
    from .interop.detect import HEAD_BYTES

    if args.replace:
        try:
            with args.file.open("rb") as file:
                head = file.read(HEAD_BYTES)
        except OSError as exc:
            raise MutualError(f"Nothing was imported from {args.file.name}: {exc.strerror or exc}.") from None
        if detect(head, args.file.name).name != "json":
            raise UsageError(f"--replace is only for restoring a Mutual backup, and {args.file.name} is not one.")
    try:
        summary = import_file(store, args.file, tags=args.tag, replace=args.replace)
    except ReplaceNotConfirmedError as exc:
        raise UsageError(f"{exc} To replace everything with it, run: import {args.file} --replace "
                         "(a backup of now is kept first).") from None
    if args.json:
        out.json({"format": summary.format, "source": summary.source, "added": summary.added,
                  "merged": summary.merged, "unchanged": summary.unchanged, "skipped": summary.skipped,
                  "ignored_columns": summary.ignored_columns, "contact_ids": summary.contact_ids,
                  "restored": summary.restored, "backup_of_before": summary.backup_of_before})
        return 0
    out.line(summary.describe())
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, not {text!r}")
    return value


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"“{text}” is not a date; write it as YYYY-MM-DD.") from None


COMMANDS: dict[str, Callable[[Store, argparse.Namespace, Output], int]] = {
    "card": cmd_card,
    "event": cmd_event,
    "scan": cmd_scan,
    "contacts": cmd_contacts,
    "note": cmd_note,
    "followups": cmd_followups,
    "intros": cmd_intros,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "export": cmd_export,
    "import": cmd_import,
}


def run(argv: Sequence[str], out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run one command; returns the exit status."""
    output = Output(out, err)
    folder: Path | None = None
    try:
        parser = build_parser()
        args = parser.parse_args(list(argv))
        if args.command is None:
            parser.print_help(out)
            return EXIT_USAGE
        if getattr(args, "help_text", None) is SHOW_HELP:
            args.note_parser.print_help(out)
            return 0
        folder = paths.data_dir(args.data_dir)
        with Store.open(folder) as store:
            code = COMMANDS[args.command](store, args, output)
            for notice in store.notices:
                output.warn(notice)
            return code
    except UsageError as exc:
        output.warn(str(exc))
        return EXIT_USAGE
    except MutualError as exc:
        output.warn(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        output.warn("Interrupted; everything saved before was kept.")
        return 130
    except BrokenPipeError:  # `mutual contacts | head`: the reader left, which is fine
        _silence_stdout()
        return 0
    except Exception as exc:  # the promise: a sentence, never a traceback
        logged = _log_unexpected(folder)
        output.warn(f"Something unexpected went wrong ({type(exc).__name__}: {exc}).{logged}")
        return EXIT_ERROR


def _silence_stdout() -> None:
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _log_unexpected(folder: Path | None) -> str:
    if folder is None or not folder.is_dir():
        return ""
    try:
        import os

        fd = os.open(folder / "error.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)  # may hold contact data
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            traceback.print_exc(file=log)
        return f" Details are in {folder / 'error.log'}."
    except OSError:
        return ""
