"""Run inside `unshare -rm`: sync with a sync folder that turns read-only, then full.

Usage: python -m tests.support.sync_folder_faults MOUNTPOINT DATA -> prints one JSON line with what
each step saw. The sync folder is a real tmpfs, remounted read-only, then filled up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from networking_app.models import Card
from networking_app.store import Store
from networking_app.sync.engine import Sync, SyncError


def names(store: Store) -> list[str]:
    return sorted(c.full_name for c in store.people.all())


def main() -> None:
    point, data = Path(sys.argv[1]), Path(sys.argv[2])
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)], check=True)
    seen: dict[str, object] = {}
    with Store.open(data / "a", daily_backup=False) as a, Store.open(data / "b", daily_backup=False) as b:
        Sync(a).set_up(point, "A")
        Sync(b).set_up(point, "B")
        Sync(b).run()
        a.people.add(Card(formatted="Ana Lima", emails=["ana@example.br"]))
        Sync(a).run()
        subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
        b.people.add(Card(formatted="Bo Chen", emails=["bo@example.cn"]))
        report = Sync(b).run()
        seen["read_only"] = {"problems": report.problems, "b": names(b), "waiting": Sync(b).status().waiting}
        subprocess.run(["mount", "-o", "remount,rw", str(point)], check=True)
        filler = point / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        try:
            Sync(b).run()
            seen["full"] = {"error": ""}
        except SyncError as exc:
            seen["full"] = {"error": str(exc)}
        seen["full"]["waiting"] = Sync(b).status().waiting  # type: ignore[index]
        filler.unlink()
        Sync(b).run()
        Sync(a).run()
        seen["after"] = {"a": names(a), "b": names(b), "waiting": Sync(b).status().waiting}
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
