"""``scan``, ``contacts``, ``note``: the people I meet, what I know of them and how I can help."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ImportFormatError, MutualError, PayloadTooLargeError, UnreadableImageError
from .arguments import contact_by_prefix, event_id_of, parse_date
from .command import EXIT_ERROR, Command, UsageError
from .json_shapes import contact_json, event_name, scan_refused_json, scanned_json

if TYPE_CHECKING:
    from ..store import ScanResult, Store
    from .output import Output

# PNG, JPEG, WebP, and what the decoder refuses by name (GIF, BMP); any other file is read as a payload.
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"RIFF", b"GIF8", b"BM")
# A payload file is one card; this much leaves room to count the cards of a small .vcf and point to `import`.
MAX_PAYLOAD_FILE_BYTES = 64 * 1024


# -- scan ---------------------------------------------------------------------------------------
def _define_scan(scan: argparse.ArgumentParser) -> None:
    scan.add_argument("paths", nargs="+", metavar="PATH")
    scan.add_argument("--event", help="the event they were met at (default: the running one)")
    scan.add_argument("--json", action="store_true")
    scan.set_defaults(run=scan_cards)


def scan_cards(store: Store, args: argparse.Namespace, out: Output) -> int:
    event_id = event_id_of(store, args.event)
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
    """Every code a file holds, saved or refused on its own."""
    from ..scanning import read_text
    from ..store import CURRENT_EVENT

    try:
        payloads = _payloads_from(path)
    except MutualError as exc:
        return [(path, scan_refused_json(path, str(exc)))]
    outcomes = []
    for index, text in enumerate(payloads):
        source = path if len(payloads) == 1 else f"{path} (code {index + 1})"
        try:
            parsed = read_text(text)
            result = store.people.record_scan(parsed.card, event_id=event_id if event_id else CURRENT_EVENT)
        except MutualError as exc:
            outcomes.append((source, scan_refused_json(source, str(exc))))
            continue
        outcomes.append((source, scanned_json(store, source, result, _scan_message(store, result))))
    return outcomes


def _scan_message(store: Store, result: ScanResult) -> str:
    where = event_name(store, result.meeting.event_id) if result.meeting.event_id else ""
    status = "new contact" if result.is_new_contact else "already known"
    met_at = f" — met at {where}" if where else ""
    text = f"{result.contact.display_name} ({status}, id {result.contact.id[:8]}){met_at}"
    if result.changes:
        text += "; " + "; ".join(c.describe() for c in result.changes)
    return text


def _payloads_from(path: str) -> list[str]:
    """The QR texts of an image (every one, unlike the app's scan), or the payload of a text file or stdin."""
    if path == "-":
        return [sys.stdin.read()]
    file = Path(path)
    try:
        with file.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise UnreadableImageError(f"Cannot open {path}: {exc.strerror or exc}.") from None
    if head.startswith(IMAGE_MAGIC):
        from ..scanning import image_codes

        return image_codes(file)
    if file.stat().st_size > MAX_PAYLOAD_FILE_BYTES:
        limit = f"{MAX_PAYLOAD_FILE_BYTES // 1024} KB"
        raise PayloadTooLargeError(f"This file is too large to be a scanned card (over {limit}); "
                                   f"for a file of contacts use: import {path}")
    from ..text_decoding import decode_text
    from ..vcard import count_vcards

    text = decode_text(file.read_bytes())
    cards = count_vcards(text)
    if cards > 1:
        raise ImportFormatError(f"This file holds {cards} cards; scan reads one. For a file of contacts use: "
                                f"import {path}")
    return [text]


# -- contacts -----------------------------------------------------------------------------------
def _define_contacts(contacts: argparse.ArgumentParser) -> None:
    contacts.add_argument("--event")
    contacts.add_argument("--search", default="")
    contacts.add_argument("--tag", default="")
    contacts.add_argument("--json", action="store_true")
    contacts.set_defaults(run=list_contacts)


def list_contacts(store: Store, args: argparse.Namespace, out: Output) -> int:
    found = store.people.all(event_id=event_id_of(store, args.event), query=args.search, tag=args.tag)
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


# -- note ---------------------------------------------------------------------------------------
class _HelpTextOrHelp(argparse.Action):
    """``--help TEXT`` is the note's "How can I help?" (the issue's name for it); a bare ``--help``
    asks for this command's help, shown before the store is opened."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.show_help_of = parser if values is None else None


def _define_note(note: argparse.ArgumentParser) -> None:
    note.add_argument("-h", action="help", help="show this help")
    note.add_argument("contact_id", metavar="CONTACT_ID", nargs="?", help="an id, or its first characters")
    note.add_argument("--need", help="what they need")
    note.add_argument("--help", dest="help_text", metavar="TEXT", nargs="?", action=_HelpTextOrHelp,
                      help="how I can help")
    note.add_argument("--promise", help="what I promised")
    note.add_argument("--follow-up", metavar="YYYY-MM-DD", help="due date of the follow-up, or 'none'")
    note.add_argument("--json", action="store_true")
    note.set_defaults(run=save_note)


def save_note(store: Store, args: argparse.Namespace, out: Output) -> int:
    if not args.contact_id:
        raise UsageError("Say whose note it is: "
                         "note CONTACT_ID --need … --help … --promise … --follow-up YYYY-MM-DD.")
    if args.need is None and args.help_text is None and args.promise is None and args.follow_up is None:
        raise UsageError("Nothing to save: give --need, --help, --promise or --follow-up.")
    contact = contact_by_prefix(store, args.contact_id)
    note: dict[str, Any] = {"need": args.need, "help": args.help_text, "promise": args.promise}
    if args.follow_up is not None:
        note["follow_up"] = None if args.follow_up.strip().lower() in ("none", "") else parse_date(args.follow_up)
    meeting = store.meetings.note_contact(contact.id, **note)
    followup = store.followups.for_meeting(meeting.id)
    if args.json:
        out.json(contact_json(store, store.people.get(contact.id)))
        return 0
    due = ""
    if followup and not followup.is_done:
        due = f" Follow up on {followup.due}." if followup.due else " Your promise waits in followups, with no date."
    out.line(f"Saved the note on {contact.display_name}.{due}")
    return 0


COMMANDS = (
    Command("scan", "save cards from images, payload files or stdin (-)", _define_scan),
    Command("contacts", "list contacts", _define_contacts),
    Command("note", "the 'How can I help them?' note", _define_note, add_help=False),
)
