"""Run inside `unshare -rm`: a real tiny tmpfs to fill up, or to make read-only.

Usage: python small_filesystem.py MOUNTPOINT full|readonly  -> prints one JSON line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from networking_app.errors import MutualError
from networking_app.models import Card
from networking_app.store import Store


def mount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)


def full(point: Path) -> dict:
    """Fill the disk with real writes until one fails, then free space and write again."""
    mount(point, "size=512k")
    (point / "filler").write_bytes(b"\0" * 128 * 1024)
    folder = point / "data"
    store = Store.open(folder, daily_backup=False)
    saved, first_error = 0, ""
    while not first_error:
        card = Card(given=f"Person{saved}", emails=[f"p{saved}@example.org"], offers="x" * 2000)
        try:
            store.people.record_scan(card, event_id="")
            saved += 1
        except MutualError as exc:
            first_error = f"{type(exc).__name__}: {exc}"
    store.close()
    with Store.open(folder, daily_backup=False) as reopened:
        count = len(reopened.people.all())
    (point / "filler").unlink()  # the person frees some space
    with Store.open(folder, daily_backup=False) as again:
        again.people.record_scan(Card(given="After", emails=["after@example.org"]), event_id="")
        after = "saved" if again.people.find_known(Card(emails=["after@example.org"])) else "missing"
    return {"saved": saved, "first_error": first_error, "reopened_contacts": count, "after_freeing_space": after}


def readonly(point: Path) -> dict:
    mount(point, "size=4m")
    folder = point / "data"
    with Store.open(folder, daily_backup=False) as store:
        store.people.record_scan(Card(given="Ada", emails=["ada@example.org"]), event_id="")
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    with Store.open(folder, daily_backup=False) as store:
        names = [c.full_name for c in store.people.all()]
        try:
            store.people.record_scan(Card(given="Bob", emails=["bob@example.org"]), event_id="")
            error = ""
        except MutualError as exc:
            error = f"{type(exc).__name__}: {exc}"
    return {"contacts": names, "write_error": error}


if __name__ == "__main__":
    point, scenario = Path(sys.argv[1]), sys.argv[2]
    print(json.dumps({"full": full, "readonly": readonly}[scenario](point)))
