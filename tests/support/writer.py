"""A real writer process for the crash tests: random writes of every kind, forever.

Usage: python -m tests.support.writer DATA_DIR SEED
Prints "begin N OP SLOT VALUE" before each write and "ok N" once it returned,
flushing each line, so the parent knows which writes were committed when it
kills this process with SIGKILL.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from networking_app.models import Card, MyCard
from networking_app.store import Store

SLOTS = 12


def slot_card(slot: int, value: str) -> Card:
    return Card(given=f"Slot{slot}", family="Person", emails=[f"slot{slot}@example.org"], title=value)


def do(store: Store, op: str, slot: int, value: str) -> None:
    if op == "put":
        result = store.people.record_scan(slot_card(slot, value), event_id="")
        store.meetings.save_note(result.meeting.id, need=value)
    elif op == "del":
        known = store.people.find_known(slot_card(slot, ""))
        if known:
            store.people.delete(known.id)
    elif op == "card":
        card = store.cards.default() or MyCard(given="Me")
        card.title = value
        store.cards.save(card)
    elif op == "compact":
        store._storage.compact()
    elif op == "backup":
        store.backup(reason="crash-test")


def main(folder: str, seed: str) -> None:
    rng = random.Random(int(seed))
    store = Store.open(Path(folder), daily_backup=False, compact_min_bytes=4096, compact_ratio=0.05)
    print("ready", flush=True)
    n = 0
    ops = ["put"] * 6 + ["del", "card", "compact", "backup"]
    while True:
        n += 1
        op, slot, value = rng.choice(ops), rng.randrange(SLOTS), f"v{n}-{'x' * rng.randrange(400)}"
        print(f"begin {n} {op} {slot} {value}", flush=True)
        do(store, op, slot, value)
        print(f"ok {n}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
