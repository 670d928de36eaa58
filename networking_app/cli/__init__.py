"""The command line: ``uv run main.py <command>``; scriptable, ``--json`` on every listing.

Errors are one plain sentence on stderr and a non-zero exit status, never a
traceback (an unexpected one is written to ``error.log`` in the data folder).

Commands live by group, one module each (:mod:`.cards`, :mod:`.events`, :mod:`.people`,
:mod:`.followups`, :mod:`.data`, :mod:`.sync`), each a tuple of :class:`~.command.Command` whose
arguments name their handler; :data:`COMMANDS` lists them in ``--help`` order, and
:func:`build_parser` builds the parser from it. What ``--json`` prints is shaped in
:mod:`.json_shapes`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .. import paths
from ..errors import MutualError, StoreCorruptError
from ..store import Store
from . import cards, data, events, followups, people, sync
from .command import EXIT_ERROR, EXIT_USAGE, Command, Parser, UsageError
from .output import Output

COMMANDS: dict[str, Command] = {
    c.name: c for c in (*cards.COMMANDS, *events.COMMANDS, *people.COMMANDS, *followups.COMMANDS, *data.COMMANDS,
                        *sync.COMMANDS)
}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="mutual", description="Mutual: swap cards, note how you can help, follow up.")
    parser.add_argument("--data-dir",
                        help=f"where the data lives (default: ${paths.ENV_DATA_DIR} or the user data folder)")
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    for command in COMMANDS.values():
        command.define(commands.add_parser(command.name, help=command.help, description=command.description,
                                           add_help=command.add_help))
    _accept_data_dir_anywhere(commands)
    return parser


def _accept_data_dir_anywhere(commands: Any) -> None:
    """``--data-dir`` also after the command (``scan x.png --data-dir d``)."""
    for sub in commands.choices.values():
        leaves = [sub]
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                leaves = list(action.choices.values()) + ([] if action.required else [sub])
        for leaf in leaves:
            leaf.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


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
        if help_of := getattr(args, "show_help_of", None):  # `note --help` with no text
            help_of.print_help(out)
            return 0
        folder = paths.data_dir(args.data_dir)
        with _open_store(folder, args) as store:
            code: int = args.run(store, args, output)
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


def _open_store(folder: Path, args: argparse.Namespace) -> Store:
    """The store. A damaged one is refused, naming a backup; a command that puts a backup back
    (``restore FILE``, ``import FILE --replace``) then sets the damaged files aside and restores."""
    try:
        return Store.open(folder)
    except StoreCorruptError:
        backup: Path | None = args.restores(args) if hasattr(args, "restores") else None
        if backup is None or not backup.is_file():
            raise
        from ..store.recovery import set_aside_for

        _, args.damaged_aside = set_aside_for(folder, backup)  # the command itself restores, and says where
    return Store.open(folder)


def _silence_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _log_unexpected(folder: Path | None) -> str:
    if folder is None or not folder.is_dir():
        return ""
    try:
        fd = os.open(folder / "error.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)  # may hold contact data
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            traceback.print_exc(file=log)
        return f" Details are in {folder / 'error.log'}."
    except OSError:
        return ""
