"""``scan``, ``contacts``, ``note``, ``tag``/``untag``, ``merge``, ``not-same``, ``delete``: the people I
meet, what I know of them and how I can help; two records of one person, and one too many."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import ImportFormatError, InvalidInputError, MutualError, PayloadTooLargeError, UnreadableImageError
from .arguments import contact_by_prefix, event_id_of, parse_date
from .command import EXIT_ERROR, Command, UsageError
from .json_shapes import (
    contact_json,
    duplicate_json,
    event_name,
    scan_refused_json,
    scanned_json,
)

if TYPE_CHECKING:
    from ..store import ScanResult, Store
    from .output import Output

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
            # A name read from a link is the person's only name here; names are never an identity.
            result = store.people.record_scan(parsed.named(), event_id=event_id if event_id else CURRENT_EVENT)
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
    for match in result.possible[:3]:  # the CLI never merges on a name: it says so and how to
        other = match.contact
        text += (f"; possibly the same as {other.display_name} (id {other.id[:8]}): {match.reason}. "
                 f"If so: merge {other.id[:8]} {result.contact.id[:8]}")
    return text


def _payloads_from(path: str) -> list[str]:
    """The QR texts of an image (every one, unlike the app's scan), or the payload of a text file or stdin.

    Each is opened once (a pipe gives its bytes only once) and read no further than its cap,
    whatever its size says (0 for a pipe or ``/dev/zero``). What a file is comes from its
    content, not its name: an image Mutual does not read (a TIFF, an SVG…) is refused by name.
    """
    from ..image_kinds import HEAD_BYTES, image_kind, is_readable, refusal
    from ..input_files import read_whole
    from ..payload import MAX_PAYLOAD_BYTES
    from ..text_decoding import decode_text
    from ..vcard import count_vcards

    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise UnreadableImageError("Nothing can be read from standard input here.")
        return [decode_text(read_whole(stdin, MAX_PAYLOAD_FILE_BYTES, _stdin_too_large))]
    try:
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
            kind = image_kind(head)
            if is_readable(kind):
                return _image_codes(file, head, path)
            if kind:
                raise UnreadableImageError(refusal(kind))
            data = read_whole(file, MAX_PAYLOAD_FILE_BYTES, _payload_too_large(path), head=head)
    except OSError as exc:
        raise UnreadableImageError(f"Cannot open {path}: {exc.strerror or exc}.") from None
    if _binary(data):
        raise UnreadableImageError("This file is neither an image Mutual reads nor a card's text; nothing was saved.")
    text = decode_text(data)
    cards = count_vcards(text)
    if cards > 1:
        raise ImportFormatError(f"This file holds {cards} cards; scan reads one. For a file of contacts use: "
                                f"import {path}")
    if len(data) > MAX_PAYLOAD_BYTES and b"BEGIN:VCARD" in data[:4096].upper():  # a card with its photo: a file
        raise ImportFormatError(f"This card file is larger than a QR code holds ({len(data):,} bytes); "
                                f"for a card file use: import {path}")
    return [text]


def _binary(data: bytes) -> bool:
    """Bytes that are no text in any encoding a card comes in (NUL bytes where UTF-16 has none, or
    control characters in every tenth byte)."""
    head = data[:8192]
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\0" in head and not any(head[i::2].count(0) > len(head) // 4 for i in (0, 1)):  # UTF-16 without BOM
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls * 10 > len(head)


def _image_codes(file: BinaryIO, head: bytes, path: str) -> list[str]:
    """A file is read by the decoder, which checks its size first; a stream up to the decoder's cap."""
    from ..scanning import image_codes, max_image_bytes

    if file.seekable():
        return image_codes(Path(path))
    return image_codes(head + file.read(max_image_bytes() + 1 - len(head)))


def _payload_too_large(path: str) -> Callable[[int | None], MutualError]:
    limit = f"{MAX_PAYLOAD_FILE_BYTES // 1024} KB"
    return lambda size: PayloadTooLargeError(f"This file is too large to be a scanned card (over {limit}); "
                                             f"for a file of contacts use: import {path}")


def _stdin_too_large(size: int | None) -> MutualError:
    return PayloadTooLargeError(f"What came on standard input is too large to be a scanned card "
                                f"(over {MAX_PAYLOAD_FILE_BYTES // 1024} KB).")


# -- contacts -----------------------------------------------------------------------------------
def _define_contacts(contacts: argparse.ArgumentParser) -> None:
    contacts.add_argument("--event")
    contacts.add_argument("--search", default="")
    contacts.add_argument("--tag", default="")
    contacts.add_argument("--duplicates", action="store_true",
                          help="list records that may be one person (or one record that may be two), and why")
    contacts.add_argument("--json", action="store_true")
    contacts.set_defaults(run=list_contacts)


def list_contacts(store: Store, args: argparse.Namespace, out: Output) -> int:
    if args.duplicates:
        return list_duplicates(store, args, out)
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


def list_duplicates(store: Store, args: argparse.Namespace, out: Output) -> int:
    found = store.people.possible_duplicates()
    if args.json:
        out.json([duplicate_json(d) for d in found])
        return 0
    if not found:
        out.line("No possible duplicates.")
        return 0
    for item in found:
        first = f"{item.contact.id[:8]}  {item.contact.display_name}"
        if item.other is None:
            out.line(f"{first} — {item.reason}")
        else:
            out.line(f"{first}  and  {item.other.id[:8]}  {item.other.display_name} — {item.reason}")
    out.line("One person: merge KEEP OTHER. Two people: not-same ID OTHER. A record is never split on its own.")
    return 0


# -- tags ---------------------------------------------------------------------------------------
def _define_tag(tag: argparse.ArgumentParser) -> None:
    tag.add_argument("contact_id", metavar="CONTACT_ID", help="an id, or its first characters")
    tag.add_argument("tags", nargs="+", metavar="TAG")
    tag.add_argument("--json", action="store_true")
    tag.set_defaults(run=add_tags)


def add_tags(store: Store, args: argparse.Namespace, out: Output) -> int:
    contact = contact_by_prefix(store, args.contact_id)
    saved = store.people.set_tags(contact.id, [*contact.tags, *args.tags])
    return _said_tags(store, saved, args, out)


def remove_tags(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..search import fold

    contact = contact_by_prefix(store, args.contact_id)
    unwanted = {fold(" ".join(t.split())) for t in args.tags}
    missing = [t for t in args.tags if fold(" ".join(t.split())) not in {fold(k) for k in contact.tags}]
    if missing:
        raise InvalidInputError(f"{contact.display_name} has no tag “{missing[0]}”"
                                f"{'; their tags: ' + ', '.join(contact.tags) if contact.tags else ''}.")
    saved = store.people.set_tags(contact.id, [t for t in contact.tags if fold(t) not in unwanted])
    return _said_tags(store, saved, args, out)


def _said_tags(store: Store, contact: Any, args: argparse.Namespace, out: Output) -> int:
    if args.json:
        out.json(contact_json(store, contact))
    else:
        out.line(f"{contact.display_name}: {', '.join(contact.tags) if contact.tags else 'no tags'}.")
    return 0


def _define_untag(untag: argparse.ArgumentParser) -> None:
    untag.add_argument("contact_id", metavar="CONTACT_ID", help="an id, or its first characters")
    untag.add_argument("tags", nargs="+", metavar="TAG")
    untag.add_argument("--json", action="store_true")
    untag.set_defaults(run=remove_tags)


# -- merge, not-same, delete ----------------------------------------------------------------------
MERGE_EXPLAINED = ("Every meeting, note, follow-up and tag of both stays. Where the two cards differ, the one you "
                   "keep wins and the other's details go to its history.")


def _define_merge(merge: argparse.ArgumentParser) -> None:
    merge.add_argument("keep", metavar="KEEP", help="the record to keep (an id, or its first characters)")
    merge.add_argument("other", metavar="OTHER", help="the record merged into it, then gone")
    merge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(run=merge_contacts)


def merge_contacts(store: Store, args: argparse.Namespace, out: Output) -> int:
    keep, other = contact_by_prefix(store, args.keep), contact_by_prefix(store, args.other)
    if keep.id == other.id:
        raise InvalidInputError(f"{args.keep} and {args.other} are the same record ({keep.display_name}): "
                                "a contact cannot be merged into itself.")
    question = f"Merge {other.display_name} (id {other.id[:8]}) into {keep.display_name} (id {keep.id[:8]})?"
    if not args.yes:
        _confirm(question, out)
    backup = store.backup(reason="before-merge")
    merged = store.people.merge(keep.id, other.id)
    if args.json:
        out.json({**contact_json(store, merged), "merged": other.id, "backup": str(backup)})
    else:
        out.line(f"Merged {other.display_name} into {merged.display_name} (id {merged.id[:8]}): every meeting "
                 f"and note kept. To undo: restore {backup} (a backup made just before; it replaces "
                 "everything changed since).")
    return 0


def _confirm(question: str, out: Output) -> None:
    """Ask on a terminal, as the app's merge dialog does; a script says --yes."""
    if not sys.stdin.isatty():
        raise UsageError(f"{question} {MERGE_EXPLAINED} Add --yes to merge without being asked.")
    out.line(f"{question} {MERGE_EXPLAINED}")
    answer = input("Merge? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise InvalidInputError("Not merged: nothing changed.")


def _define_not_same(apart: argparse.ArgumentParser) -> None:
    apart.add_argument("contact_id", metavar="ID")
    apart.add_argument("other", metavar="OTHER")
    apart.set_defaults(run=not_same)


def not_same(store: Store, args: argparse.Namespace, out: Output) -> int:
    first, second = contact_by_prefix(store, args.contact_id), contact_by_prefix(store, args.other)
    if first.id == second.id:
        raise InvalidInputError(f"{args.contact_id} and {args.other} are the same record ({first.display_name}).")
    store.people.say_not_same(first.id, second.id)
    out.line(f"{first.display_name} and {second.display_name} are two people: they are no longer listed "
             "as possible duplicates.")
    return 0


def _define_delete(delete: argparse.ArgumentParser) -> None:
    delete.add_argument("contact_id", metavar="CONTACT_ID", help="an id, or its first characters")
    delete.add_argument("--json", action="store_true")
    delete.set_defaults(run=delete_contact)


def delete_contact(store: Store, args: argparse.Namespace, out: Output) -> int:
    contact = contact_by_prefix(store, args.contact_id)
    backup = store.backup(reason="before-delete")
    deleted = store.people.delete(contact.id)
    if args.json:
        out.json({"deleted": contact.id, "name": contact.display_name, "records": len(deleted.references),
                  "backup": str(backup)})
        return 0
    kinds = Counter(type(record).__name__ for record in deleted.references)
    said = [f"{n} {noun}{'s' if n != 1 else ''}" for kind, noun in (("Meeting", "meeting"), ("FollowUp", "follow-up"),
                                                                    ("Intro", "introduction")) if (n := kinds[kind])]
    with_them = f" with {', '.join(said[:-1]) + ' and ' + said[-1] if len(said) > 1 else said[0]} (and my notes)" \
        if said else ""
    out.line(f"Deleted {contact.display_name} (id {contact.id[:8]}){with_them}. To undo: restore {backup} "
             "(the newest backup, made just before; it replaces everything changed since).")
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
    Command("contacts", "list contacts (--duplicates: possible duplicates and why)", _define_contacts),
    Command("note", "the 'How can I help them?' note", _define_note, add_help=False),
    Command("tag", "add tags to a contact", _define_tag),
    Command("untag", "remove tags from a contact", _define_untag),
    Command("merge", "merge two records of one person (KEEP OTHER)", _define_merge),
    Command("not-same", "say two records are two people", _define_not_same),
    Command("delete", "delete a contact with their meetings and notes", _define_delete),
)
