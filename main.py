"""Mutual: `uv run main.py` opens the app; `uv run main.py <command>` runs the command line.

Run `uv run main.py --help` for the commands.
"""

from __future__ import annotations

import signal
import sys

APP_OPTIONS = {"--web", "--port", "--host", "--data-dir"}
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def wants_app(argv: list[str]) -> bool:
    """No command given (only app options such as --web or --port): start the app."""
    rest = iter(argv)
    for arg in rest:
        name = arg.split("=", 1)[0]
        if name not in APP_OPTIONS:
            return False
        if "=" not in arg and name in {"--port", "--host", "--data-dir"}:
            next(rest, None)
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if wants_app(argv):
            from networking_app.ui.launcher import launch

            return launch(argv)
        from networking_app.cli import run

        return run(argv)
    except KeyboardInterrupt:  # Ctrl-C while starting (imports, opening the store): quietly, no traceback
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    try:
        status = main()
    except KeyboardInterrupt:  # a second Ctrl-C while the first one was being handled
        status = EXIT_INTERRUPTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # leaving: a late Ctrl-C cannot print a traceback
    sys.exit(status)
