"""Where a command writes: lines and JSON on stdout, warnings and errors on stderr."""

from __future__ import annotations

import json
from typing import Any, TextIO


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
