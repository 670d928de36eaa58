"""A real writer process for the crash campaign (``tools/crash_trials.py``): every kind of write.

Usage: python -m tests.support.crash_writer DATA_DIR SEED [--ops N] [--favour KIND]

Where ``tests/support/writer.py`` (the suite's 40-kill loop) writes scans, deletions, my card,
compactions and backups, this one makes every kind of write the app and the command line make:
scans (new people and merges), notes, follow-ups done and snoozed, deletions and their undo,
my card, events started and ended, reflections, tags, edits, merges, introductions drafted and
dismissed, imported batches, backups, restores and compactions.

It is deterministic for a given store and seed (ids and the clock are seeded, the operation
and its target are drawn from the seed and the store's content), so the campaign can replay
the same writes on a copy of the store to learn what the write in flight would have left.

Prints ``ready DIGEST``, then for each write ``begin N KIND`` before it and ``ok N DIGEST``
once it returned (each line flushed). DIGEST is :func:`digest` of the store after the write.
With ``--ops N`` it stops after N writes; without, it writes until it is killed.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from networking_app import models
from networking_app.errors import MutualError
from networking_app.models import Card, MyCard
from networking_app.store import DeletedContact, Store

TODAY = date(2026, 11, 25)
PEOPLE = 48  # identities: scans and imports of the same one merge into one contact
FIRST = ["Ada", "Bob", "Chiara", "Dev", "Eun", "Femi", "Grace", "Hugo", "Ines", "Jun", "Kofi", "Lena"]
LAST = ["Byron", "Stone", "Rossi", "Patel", "Kim", "Ade", "Hopper", "Moreau"]
SKILLS = ["python mentoring", "battery chemistry", "seed funding", "hardware prototyping", "ux research",
          "rust consulting", "climate policy", "sales in japan", "grant writing", "data engineering"]
TAGS = ["investor", "berlin", "hiring", "climate", "python", "follow soon"]

# kind -> weight. Cheap, frequent writes weigh most, as in real use.
WEIGHTS: dict[str, float] = {
    "scan": 6, "note": 4, "followup_done": 2, "followup_snooze": 2, "delete": 2, "undo_delete": 1,
    "my_card": 1, "event_start": 1, "event_end": 1, "reflection": 1, "tags": 2, "edit": 2, "merge": 1,
    "intro_draft": 1, "intro_dismiss": 1, "import": 2, "backup": 1, "restore": 0.3, "compact": 1,
}  # fmt: skip
KINDS = tuple(WEIGHTS)


def open_store(folder: Path) -> Store:
    # Small folding thresholds: the journal is folded into a new snapshot every few writes.
    return Store.open(folder, today=lambda: TODAY, daily_backup=False, compact_min_bytes=4096, compact_ratio=0.05)


def digest(store: Store) -> str:
    """SHA-256 of the store's logical content: every document of every non-empty table,
    in a canonical order (TinyDB's internal document keys left out)."""
    tables = store._storage.materialize()
    canonical = {
        name: sorted(json.dumps(doc, sort_keys=True, ensure_ascii=False) for doc in docs.values())
        for name, docs in sorted(tables.items())
        if docs
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode("utf-8")).hexdigest()[:24]


def make_deterministic(seed: int) -> None:
    """Seeded ids and a clock that ticks one millisecond per reading."""
    ids = random.Random(f"ids-{seed}")
    models.uuid = SimpleNamespace(uuid4=lambda: uuid.UUID(int=ids.getrandbits(128), version=4))  # type: ignore[attr-defined]
    ticks = itertools.count()
    base = datetime(2026, 11, 25, 8, tzinfo=UTC) + timedelta(minutes=seed % 500_000)

    class Clock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return base + timedelta(milliseconds=next(ticks))

    models.datetime = Clock  # type: ignore[attr-defined,misc]


def person(i: int, rng: random.Random, value: str) -> Card:
    offers, seeking = rng.sample(SKILLS, 2)
    return Card(
        given=FIRST[i % len(FIRST)], family=f"{LAST[i % len(LAST)]}{i}", title=value[:60],
        organization=rng.choice(["", "Stone Labs", "Rossi Energy", "Acme"]),
        emails=[f"person{i}@example.org"], phones=[f"+49 30 {100000 + i}"] if rng.random() < 0.5 else [],
        offers=offers, seeking=seeking,
    )


class Writer:
    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.deleted: list[DeletedContact] = []

    # -- choosing ----------------------------------------------------------------------------
    def contact_ids(self) -> list[str]:
        return sorted(self.store.people.ids())

    def open_followups(self) -> list[str]:
        return sorted(f.id for f in self.store.followups.all())

    def applicable(self, kind: str) -> bool:
        s = self.store
        if kind in ("note", "delete", "tags", "edit"):
            return bool(s.people.ids())
        if kind == "merge":
            return len(s.people.ids()) >= 2
        if kind in ("followup_done", "followup_snooze"):
            return bool(s.followups.all())
        if kind == "undo_delete":
            return bool(self.deleted)
        if kind in ("reflection",):
            return bool(s.events.all())
        if kind in ("intro_draft", "intro_dismiss"):
            return bool(s.intros.suggest(limit=3))
        if kind == "restore":
            return bool(s.backups.list())
        return True

    def choose(self, favour: str | None) -> str:
        kinds = list(KINDS)
        weights = [WEIGHTS[k] * (12 if k == favour else 1) for k in kinds]
        kind = self.rng.choices(kinds, weights)[0]
        return kind if self.applicable(kind) else "scan"

    # -- writing -----------------------------------------------------------------------------
    def do(self, kind: str, n: int) -> None:
        rng, s = self.rng, self.store
        value = f"v{n}-{'x' * rng.randrange(300)}"
        pick: Callable[[list[str]], str] = rng.choice
        if kind == "scan":
            s.people.record_scan(person(rng.randrange(PEOPLE), rng, value))
        elif kind == "note":
            cid = pick(self.contact_ids())
            due = rng.choice([None, TODAY + timedelta(days=rng.randrange(-5, 20))])
            s.meetings.note_contact(cid, need=value[:80], help=rng.choice(SKILLS), promise=rng.choice(["", "send an intro"]),
                           follow_up=due)
        elif kind == "followup_done":
            s.followups.complete(pick(self.open_followups()))
        elif kind == "followup_snooze":
            s.followups.snooze(pick(self.open_followups()), rng.choice([1, 3, 7]))
        elif kind == "delete":
            self.deleted.append(s.people.delete(pick(self.contact_ids())))
        elif kind == "undo_delete":
            s.people.undo_delete(self.deleted.pop())
        elif kind == "my_card":
            card = s.cards.default() or MyCard(given="Me", family="Myself", emails=["me@example.org"])
            if rng.random() < 0.2:
                card = MyCard(given="Me", label=f"Card {n}", is_default=rng.random() < 0.5)
            card.title, card.offers = value[:80], rng.choice(SKILLS)
            s.cards.save(card)
        elif kind == "event_start":
            s.events.start(f"Event {n}", place=rng.choice(["Berlin", "Lagos", ""]), intention="meet 3, help one")
        elif kind == "event_end":
            s.events.end()
        elif kind == "reflection":
            event = rng.choice(sorted(s.events.all(), key=lambda e: e.id))
            s.events.save_reflection(event.id, went_well=value[:100], comfort=rng.randint(1, 5), help_first="Bob")
        elif kind == "tags":
            s.people.set_tags(pick(self.contact_ids()), rng.sample(TAGS, rng.randrange(4)))
        elif kind == "edit":
            contact = s.people.get(pick(self.contact_ids()))
            contact.note, contact.organization = value, rng.choice(["Acme", "Initech", ""])
            s.people.save(contact)
        elif kind == "merge":
            keep, other = rng.sample(self.contact_ids(), 2)
            s.people.merge(keep, other)
        elif kind == "intro_draft":
            s.intros.draft(s.intros.suggest(limit=3)[0], me="Me")
        elif kind == "intro_dismiss":
            s.intros.dismiss(s.intros.suggest(limit=3)[-1])
        elif kind == "import":
            batch = [person(rng.randrange(PEOPLE + 16), rng, value) for _ in range(rng.randint(1, 25))]
            s.people.import_cards(batch, tags=["imported"])
        elif kind == "backup":
            s.backup(reason="crash-trial")
        elif kind == "restore":
            s.restore(s.backups.list()[0].path)
        elif kind == "compact":
            s._storage.compact()
        else:
            raise ValueError(kind)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("seed", type=int)
    parser.add_argument("--ops", type=int, default=0, help="stop after this many writes (0: never)")
    parser.add_argument("--favour", choices=KINDS, help="make this kind of write twelve times likelier")
    args = parser.parse_args(argv)
    make_deterministic(args.seed)
    store = open_store(args.folder)
    writer = Writer(store, random.Random(args.seed))
    print(f"ready {digest(store)}", flush=True)
    for n in itertools.count(1):
        if args.ops and n > args.ops:
            break
        kind = writer.choose(args.favour)
        print(f"begin {n} {kind}", flush=True)
        try:
            writer.do(kind, n)
        except MutualError as exc:  # a refusal is an answer too; the store must be unchanged
            print(f"refused {n} {type(exc).__name__}: {exc}", flush=True)
        print(f"ok {n} {digest(store)}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
