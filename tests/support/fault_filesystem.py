"""Run inside `unshare -rm`: the command line on a really full disk and on a read-only folder.

Usage: python fault_filesystem.py MOUNTPOINT full|full-backed-up|readonly OUTSIDE -> prints one JSON line:
{"commands": {name: [exit status, stderr]}, "before": [names], "after": [names]}

Like tests/support/small_filesystem.py (the core's store-level checks), with what a person
types: every command must answer with one plain sentence and keep the data.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from networking_app import cli
from networking_app.models import Card
from networking_app.store import Store


def mount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)


def names(folder: Path) -> list[str]:
    with Store.open(folder, daily_backup=False) as store:
        return sorted(c.full_name for c in store.people.all())


def seed(folder: Path) -> str:
    """A store with three people and notes, no backup yet (so the daily one is due at the next open)."""
    with Store.open(folder, daily_backup=False) as store:
        for name in ("Ada Byron", "Bob Stone", "Cy Young"):
            given, family = name.split()
            result = store.people.record_scan(Card(given=given, family=family, emails=[f"{given.lower()}@example.org"]),
                                       event_id="")
            store.meetings.save_note(result.meeting.id, need=f"{given} needs a mentor")
        return store.people.find_known(Card(emails=["cy@example.org"])).id


def run(folder: Path, *args: str) -> list:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["--data-dir", str(folder), *args], out, err)
    return [code, err.getvalue().strip()]


def commands(folder: Path, cy: str, outside: Path) -> dict[str, list]:
    card = outside / "dee.txt"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Dee Long\nEMAIL:dee@example.org\nEND:VCARD\n")
    return {
        "contacts": run(folder, "contacts"),
        "scan": run(folder, "scan", str(card)),
        "note": run(folder, "note", cy[:8], "--need", "x" * 3000),
        "event start": run(folder, "event", "start", "PyCon" + "x" * 3000),
        "backup": run(folder, "backup"),
        "export": run(folder, "export", "--format", "vcf", "-o", str(outside / "out.vcf")),
    }


def full(point: Path, outside: Path, backed_up: bool = False) -> dict:
    """A full disk; unless ``backed_up``, today's backup is still due when a command opens the store."""
    mount(point, "size=256k")
    folder = point / "data"
    cy = seed(folder)
    if backed_up:
        with Store.open(folder) as store:  # writes today's backup
            assert store.backups.list()
    before = names(folder)
    filler = point / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:  # fill every last block
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    result = commands(folder, cy, outside)
    filler.unlink()
    return {"commands": result, "before": before, "after": names(folder)}


def readonly(point: Path, outside: Path) -> dict:
    mount(point, "size=4m")
    folder = point / "data"
    cy = seed(folder)
    before = names(folder)
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    result = commands(folder, cy, outside)
    return {"commands": result, "before": before, "after": names(folder)}


if __name__ == "__main__":
    point, scenario, outside = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    scenarios = {"full": full, "full-backed-up": lambda p, o: full(p, o, backed_up=True), "readonly": readonly}
    print(json.dumps(scenarios[scenario](point, outside)))
