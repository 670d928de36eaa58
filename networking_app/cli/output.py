"""Where a command writes: lines and JSON on stdout, warnings, errors and progress on stderr."""

from __future__ import annotations

import json
from typing import Any, TextIO

BAR_WIDTH = 30


class Output:
    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err
        self._drawn = ""

    def line(self, text: str = "") -> None:
        self._end_progress()
        print(text, file=self.out)

    def json(self, value: Any) -> None:
        self._end_progress()
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def data(self, data: bytes) -> None:
        """A file's bytes on stdout, as they are (``export -o -``)."""
        self._end_progress()
        buffer = getattr(self.out, "buffer", None)
        if buffer is None:  # a text stream (tests): the exports are UTF-8
            self.out.write(data.decode("utf-8"))
            return
        self.out.flush()
        buffer.write(data)
        buffer.flush()

    def warn(self, text: str) -> None:
        self._end_progress()
        print(text, file=self.err)

    def progress(self, what: str, done: int, total: int) -> None:
        """A bar on the terminal, redrawn in place (``Importing [######    ] 12,000 of 30,000``).

        Only on a terminal: a script reading stderr gets its warnings, not a bar.
        """
        if not _is_terminal(self.err):
            return
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = f"{what} [{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done:,} of {total:,}"
        if bar != self._drawn:
            self.err.write("\r" + bar)
            self.err.flush()
            self._drawn = bar

    def _end_progress(self) -> None:
        if self._drawn:
            self.err.write("\n")
            self.err.flush()
            self._drawn = ""


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or no such method
        return False
