"""What every harness checks: an input ends in a result or in one of the documented
errors, whose message is a plain sentence, and every call is bounded in time."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

SLOW_SECONDS = float(os.environ.get("MUTUAL_FUZZ_SLOW_SECONDS", "3"))  # per input; libFuzzer's -timeout is the hard stop


class NotASentence(AssertionError):
    """A documented error whose message is not a plain sentence."""


class TooSlow(AssertionError):
    """One input took longer than SLOW_SECONDS."""


def check_sentence(error: BaseException) -> None:
    text = str(error)
    stripped = text.strip()
    if (
        not stripped
        or len(stripped) > 1000
        or "Traceback" in stripped
        or " " not in stripped
        or not stripped.endswith((".", ".”", ")", "?"))
    ):
        raise NotASentence(f"{type(error).__name__} is not a plain sentence: {text!r}")


@contextmanager
def bounded(label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    took = time.perf_counter() - started
    if took > SLOW_SECONDS:
        raise TooSlow(f"{label} took {took:.2f} s on one input (bound {SLOW_SECONDS} s)")
