"""``sync [--folder DIR] [--device-name NAME]`` and ``sync status``: one set of people on every device."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .command import Command, Parser
from .json_shapes import sync_status_json

if TYPE_CHECKING:
    from ..store import Store
    from .output import Output


def _define(sync: argparse.ArgumentParser) -> None:
    sync.add_argument("--folder", help="the folder your sync app (Syncthing, Nextcloud, Dropbox…) shares; "
                                       "saved for next time")
    sync.add_argument("--device-name", help="what the other devices call this one, e.g. \"Ana's laptop\"")
    sync.set_defaults(run=run_sync)
    sub = sync.add_subparsers(dest="action", required=False, parser_class=Parser)
    status = sub.add_parser("status", help="the folder, this device, the others and what waits to go out")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=show_status)


def run_sync(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..sync.engine import Sync

    sync = Sync(store)
    if args.folder is not None:
        sync.set_up(args.folder, args.device_name)
    elif args.device_name is not None:
        sync.rename(args.device_name)
    report = sync.run()
    for problem in report.problems:
        out.warn(problem)
    out.line(f"Synced with {sync.settings().folder}: {report.summary()}")
    return 0


def show_status(store: Store, args: argparse.Namespace, out: Output) -> int:
    from ..sync.engine import Sync

    status = Sync(store).status()
    if args.json:
        out.json(sync_status_json(status))
        return 0
    if not status.folder:
        out.line("Sync is not set up: choose the folder your sync app shares with: sync --folder DIR.")
        return 0
    out.line(f"Folder: {status.folder}" + ("  (not there now: is the drive or the sync app connected?)"
                                           if status.folder_missing else ""))
    out.line(f"This device: {status.name} ({status.device[:8]}…)")
    others = [d for d in status.devices if not d.this_device]
    if status.folder_missing:
        out.line("Other devices: unknown until the folder is back.")
    else:
        out.line("Other devices:" if others else "Other devices: none yet (they appear after their first sync).")
    for device in others:
        change = f"last change {_when(device.last_change)}" if device.last_change else "no changes yet"
        out.line(f"  {device.name} ({device.device[:8]}…) — {change}, last synced {_when(device.last_seen)}")
    out.line(f"Waiting to be written to the folder: {status.waiting} change{'' if status.waiting == 1 else 's'}")
    out.line(f"Last sync: {_when(status.last_sync)}")
    return 0


def _when(iso: str) -> str:
    """An ISO time as this machine's local time, to the minute."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "never"


COMMANDS = (
    Command("sync", "sync with your other devices through a folder your sync app shares", _define),
)
