"""``backup``, ``restore``, ``export``, ``import``: all of my data, and files for other apps."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .arguments import contact_by_prefix, event_id_of
from .command import Command, UsageError
from .json_shapes import backup_json, export_json, import_json

if TYPE_CHECKING:
    from ..interop.base import ImportSummary
    from ..store import Store
    from .output import Output


# -- backup and restore -------------------------------------------------------------------------
def _define_backup(backup: argparse.ArgumentParser) -> None:
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(run=back_up)


def back_up(store: Store, args: argparse.Namespace, out: Output) -> int:
    path = store.backup(reason="manual")
    if args.json:
        out.json(backup_json(path))
    else:
        out.line(f"Backed up everything to {path}.")
    return 0


def _define_restore(restore: argparse.ArgumentParser) -> None:
    restore.add_argument("file", type=Path)
    restore.set_defaults(run=restore_backup, restores=lambda args: args.file)  # also into a damaged store


def restore_backup(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..backups import read_backup
    from ..interop import import_bytes

    data = read_backup(args.file)  # no further than a backup can be, whatever its size says
    out.line(_with_damaged_aside(import_bytes(store, data, str(args.file), format_name="json", replace=True),
                                 args).describe())
    return 0


def _with_damaged_aside(summary: ImportSummary, args: argparse.Namespace) -> ImportSummary:
    """After a damaged store's files were set aside, they are what was there before (the backup of
    before-restore holds the empty store the restore went into)."""
    aside = getattr(args, "damaged_aside", None)
    if aside is not None and summary.restored:
        summary.backup_of_before = f"{aside} (the damaged files, as they were)"
    return summary


# -- export -------------------------------------------------------------------------------------
EXPORT_DESCRIPTION = (
    "Write a file for other apps: vcf (vCard 3.0 for Google, Apple and Outlook contacts), "
    "csv (Google Contacts' columns), ics (one all-day calendar entry per open follow-up, "
    "with a reminder at 9:00) or json (a Mutual backup of everything). vcf and csv carry "
    "my notes on each person. Only the people chosen go in: everyone, --event, or --contact."
)


STANDARD_OUTPUT = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _define_export(export: argparse.ArgumentParser) -> None:
    export.add_argument("--format", choices=("vcf", "csv", "ics", "json"), help="default: told by FILE's extension")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                        help="the file to write (replaced whole), or - for standard output (with --format)")
    export.add_argument("--event", metavar="NAME", help="only the people met at this event")
    export.add_argument("--contact", action="append", metavar="CONTACT_ID",
                        help="only this person, an id or its first characters (repeat for more)")
    export.add_argument("--json", action="store_true")
    export.set_defaults(run=export_people)


def export_people(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..interop import Selection, export_bytes, export_file, format_for_filename, get_format

    to_stdout = str(args.output) in STANDARD_OUTPUT
    guessed = None if to_stdout else format_for_filename(args.output)
    fmt = get_format(args.format) if args.format else guessed
    if fmt is None:
        where = "to standard output" if to_stdout else f"({args.output.name} does not tell)"
        raise UsageError(f"Say which format to write with --format vcf, csv, ics or json {where}.")
    if fmt.name == "json" and (args.event or args.contact):
        raise UsageError("A backup (json) holds everything; --event and --contact work with vcf, csv and ics.")
    if to_stdout and args.json:
        raise UsageError("With -o - the file itself goes to standard output, so --json cannot go there too.")
    event_id = event_id_of(store, args.event)
    ids = tuple(contact_by_prefix(store, c).id for c in args.contact) if args.contact else None
    selection = Selection(event_id=event_id, contact_ids=ids)
    if to_stdout:
        data, summary = export_bytes(store, fmt.name, selection)
        out.data(data)
        out.warn(f"Wrote {summary.describe()} to standard output.")
        return 0
    summary = export_file(store, fmt.name, args.output, selection,
                          on_progress=lambda done, total: out.progress("Exporting", done, total))
    if args.json:
        out.json(export_json(summary, args.output))
        return 0
    reminder = "; each reminds you at 9:00 on its day" if fmt.name == "ics" else ""
    out.line(f"Wrote {summary.describe()} to {args.output}{reminder}.")
    if guessed is not None and guessed.name != fmt.name:
        out.warn(f"Note: {args.output.name} holds {fmt.label} despite its extension.")
    if summary.left_out:
        out.warn(f"{summary.left_out} follow-up(s) without a due date were left out.")
    return 0


# -- import -------------------------------------------------------------------------------------
IMPORT_DESCRIPTION = (
    "Add people from a vCard file (.vcf) or a contacts CSV from Google Contacts or LinkedIn "
    "(Connections.csv), deduplicated like scans; the format is told by the content. "
    "All of a file is imported, or nothing when it is damaged (the message names the line). "
    "A Mutual backup (.json) replaces everything, so it needs --replace; without it nothing "
    "changes. Calendar files (.ics) are not imported."
)


def _define_import(importer: argparse.ArgumentParser) -> None:
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--tag", action="append", default=[], help="tag the people new to Mutual (repeat for more)")
    importer.add_argument("--replace", action="store_true",
                          help="restore a Mutual backup (.json): replace everything with it "
                               "(a backup of now is kept first)")
    importer.add_argument("--json", action="store_true")
    importer.set_defaults(run=import_people, restores=lambda args: args.file if args.replace else None)


def import_people(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..interop import ReplaceNotConfirmedError, read_import_file

    fmt, data = read_import_file(args.file)  # opened once: a pipe gives its bytes only once
    if args.replace and fmt.name != "json":
        raise UsageError(f"--replace is only for restoring a Mutual backup, and {args.file.name} is not one.")
    try:
        summary = fmt.import_(store, data, args.file.name, tags=args.tag, replace=args.replace,
                              on_progress=lambda done, total: out.progress("Importing", done, total))
    except ReplaceNotConfirmedError as exc:
        raise UsageError(f"{exc} To replace everything with it, run: import {args.file} --replace "
                         "(a backup of now is kept first).") from None
    summary = _with_damaged_aside(summary, args)
    if args.json:
        out.json(import_json(summary))
        return 0
    out.line(summary.describe())
    return 0


COMMANDS = (
    Command("backup", "write a backup of everything now", _define_backup),
    Command("restore", "replace everything with a backup file", _define_restore),
    Command("export", "write people (vcf, csv), follow-ups (ics) or everything (json) to a file", _define_export,
            description=EXPORT_DESCRIPTION),
    Command("import", "add people from a .vcf or .csv file, or restore a .json backup (--replace)", _define_import,
            description=IMPORT_DESCRIPTION),
)
