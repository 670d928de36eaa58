"""Import and export speed of Mutual's files at 10,000 people, against vobject in the same run.

Targets (issue "Interop"): importing a 10,000-card .vcf into a fresh store (parse,
deduplicate, one durable commit) <= 3 s; exporting them as .vcf <= 2 s. vobject
reads and writes the same file in the same run for comparison. CSV and the
follow-up calendar are timed too (no target).

Usage: uv run python bench/bench_interop.py [--cards 10000] [--repeat 3]
Prints a table, then one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import vobject  # noqa: E402

from bench.bench_vcard import make_cards, typical_vcf  # noqa: E402
from networking_app.interop import export_bytes, import_bytes  # noqa: E402
from networking_app.interop.base import one_commit  # noqa: E402
from networking_app.store import Store  # noqa: E402

TODAY = date(2026, 11, 25)
IMPORT_TARGET, EXPORT_TARGET = 3.0, 2.0


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall-clock time of ``repeat`` runs (the machine is shared), and the last result."""
    runs = [timed(action) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[-1][1]


def fresh_import(data: bytes, folder: Path) -> Any:
    """One import into a new, empty store: what a person does with their phone's export."""
    folder.mkdir(parents=True)
    with Store.open(folder, today=lambda: TODAY, daily_backup=False) as store:
        return import_bytes(store, data, "phone.vcf")


def add_notes(store: Store, every: int = 1) -> int:
    """A meeting with a note (and a follow-up for one in three) for every ``every``-th person,
    so that exports carry what they carry in real use."""
    event = store.events.start("Bench Summit", day="2026-11-20")
    count = 0
    with one_commit(store):
        for i, contact in enumerate(store.people.all()):
            if i % every:
                continue
            meeting = store.people.record_scan(contact, event_id=event.id)
            follow = TODAY + timedelta(days=i % 30) if i % 3 == 0 else None
            store.meetings.save_note(meeting.meeting.id, need="a hardware co-founder", help="intro to Ana",
                            promise="send the deck" if i % 2 else "", follow_up=follow)
            count += follow is not None
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cards = make_cards(args.cards)
    for number, card in enumerate(cards):
        # bench_vcard's generator draws from 600 name + organisation pairs; numbered family
        # names make them 10,000 people, or the dedupe rule would rightly merge them.
        card.family = f"{card.family}{number}"
    data = typical_vcf(cards).encode("utf-8")
    rows: list[tuple[str, float, float | None, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        runs = iter(range(1000))
        import_time, summary = best(lambda: fresh_import(data, base / f"import-{next(runs)}"), args.repeat)
        assert summary.added == args.cards, summary.describe()
        vobject_read, components = best(lambda: list(vobject.readComponents(io.StringIO(data.decode()))), 1)
        assert len(components) == args.cards
        rows.append((f"import {args.cards:,}-card .vcf", import_time, vobject_read, IMPORT_TARGET))

        with Store.open(base / "import-0", today=lambda: TODAY, daily_backup=False) as store:
            bare_export, (vcf, _) = best(lambda: export_bytes(store, "vcf"), args.repeat)
            vobject_write, written = best(lambda: "".join(c.serialize() for c in components), 1)
            assert vcf.count(b"BEGIN:VCARD") == args.cards and written.count("BEGIN:VCARD") == args.cards
            rows.append(("export .vcf (cards only)", bare_export, vobject_write, EXPORT_TARGET))
            followups = add_notes(store)
            noted_export, (vcf, _) = best(lambda: export_bytes(store, "vcf"), args.repeat)
            assert vcf.count(b"Notes from Mutual:") == args.cards
            rows.append(("export .vcf (with my notes)", noted_export, vobject_write, EXPORT_TARGET))
            csv_export, (csv_data, _) = best(lambda: export_bytes(store, "csv"), args.repeat)
            rows.append(("export .csv (with my notes)", csv_export, None, None))
            ics_export, (ics, ics_summary) = best(lambda: export_bytes(store, "ics"), args.repeat)
            assert ics_summary.count == followups
            rows.append((f"export .ics ({followups:,} follow-ups)", ics_export, None, None))
            json_export, _ = best(lambda: export_bytes(store, "json"), args.repeat)
            rows.append(("export .json (backup)", json_export, None, None))
        runs = iter(range(1000))

        def fresh_csv() -> Any:
            folder = base / f"csv-{next(runs)}"
            folder.mkdir()
            with Store.open(folder, today=lambda: TODAY, daily_backup=False) as store:
                return import_bytes(store, csv_data, "google.csv")

        csv_import, csv_summary = best(fresh_csv, args.repeat)
        assert csv_summary.added == args.cards, csv_summary.describe()
        rows.append((f"import {args.cards:,}-row .csv", csv_import, None, None))

    print(f"{args.cards:,} cards, {len(data) / 1e6:.1f} MB .vcf; best of {args.repeat} (vobject: 1 run); "
          f"Python {platform.python_version()} on {platform.machine()}\n")
    print(f"{'seconds':32}{'Mutual':>9}{'vobject':>9}{'target':>8}  ")
    for label, ours, theirs, target in rows:
        their = f"{theirs:>9.3f}" if theirs is not None else f"{'-':>9}"
        goal = f"{'<= ' + format(target, '.0f'):>8}" if target else f"{'':>8}"
        verdict = ("  ok" if ours <= target else "  OVER") if target else ""
        print(f"{label:32}{ours:>9.3f}{their}{goal}{verdict}")
    print(json.dumps({
        "bench": "interop", "cards": args.cards, "vcf_bytes": len(data), "repeat": args.repeat,
        "rows": [{"what": label, "mutual_s": round(ours, 4), "vobject_s": None if theirs is None else round(theirs, 4),
                  "target_s": target} for label, ours, theirs, target in rows],
        "import_ok": rows[0][1] <= IMPORT_TARGET, "export_ok": max(rows[1][1], rows[2][1]) <= EXPORT_TARGET,
    }))


if __name__ == "__main__":
    main()
