"""A writer process for the concurrency campaign (``tests/test_concurrency.py``): numbered scans, in order.

Usage: python -m tests.support.scan_writer WRITER

Reads rounds from stdin, one a line: ``FOLDER COUNT``. For each it opens the store in FOLDER and
scans the people ``WRITER-1`` … ``WRITER-COUNT`` in that order, each scan its own transaction
(a new contact and its meeting), printing ``ok N`` once scan N returned, or ``refused N SENTENCE``;
then ``done``, and it closes the store. Every line is flushed, so the campaign knows which scans
were acknowledged. Because the scans come in order, any state the store was ever in holds, of each
writer, a run of consecutive numbers: 1…k, or k+1…m after a restore to a state without them.

The journal is folded into a new snapshot every four scans or so, so readers race folds too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from networking_app.errors import MutualError
from networking_app.models import Card
from networking_app.store import Store


def card(writer: str, n: int) -> Card:
    return Card(given=writer.title(), family=f"Number{n}", emails=[f"{writer}-{n}@example.org"],
                offers="python mentoring", seeking="seed funding")


def scan_round(folder: Path, writer: str, count: int) -> None:
    store = Store.open(folder, daily_backup=False, compact_min_bytes=4096, compact_ratio=0.0)
    try:
        for n in range(1, count + 1):
            try:
                store.people.record_scan(card(writer, n), event_id="")
            except MutualError as exc:
                print(f"refused {n} {exc}", flush=True)
                continue
            print(f"ok {n}", flush=True)
    finally:
        store.close()
    print("done", flush=True)


def main(argv: list[str]) -> int:
    writer = argv[0]
    print("ready", flush=True)
    for line in sys.stdin:
        folder, count = line.rsplit(maxsplit=1)
        scan_round(Path(folder), writer, int(count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
