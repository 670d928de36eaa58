"""What every command shares: its entry in the registry, a parser that speaks in sentences, exit statuses.

A command group is a module of this package with a ``COMMANDS`` tuple of :class:`Command`;
``cli/__init__.py`` lists the modules and builds the parser from them. A command's ``define``
adds its arguments and names its handler next to them (``parser.set_defaults(run=handler)``,
for each subcommand when it has some), so adding a command touches one module.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from ..errors import MutualError

EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(MutualError):
    """The command line was not well formed."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + exits 2; keep it one sentence
        raise UsageError(f"{message[0].upper()}{message[1:]} (see --help).")


@dataclass(frozen=True)
class Command:
    """One command of ``mutual``: its name and help, and ``define(parser)``, which adds its
    arguments and sets its handler with ``parser.set_defaults(run=...)``.

    A handler is ``run(store, args, out: Output) -> int``: it does the command, writes to
    ``out`` and returns the exit status; bad input raises a :class:`MutualError` sentence.
    """

    name: str
    help: str
    define: Callable[[argparse.ArgumentParser], None]
    description: str | None = None
    add_help: bool = True


def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Parser]:
    """The subcommands of a command group (``card set``, ``event list``): one is required."""
    return parser.add_subparsers(dest="action", required=True, parser_class=Parser)
