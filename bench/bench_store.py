"""Store speed at 10,000 contacts with 30,000 meetings, against plain TinyDB in the same run.

Targets (issue "Core"): saving a note durably <= 30 ms median, search <= 20 ms,
opening the store <= 300 ms, memory <= 3x the file size.

Usage: uv run python bench/bench_store.py [--contacts 10000] [--notes 200]
The generated store is cached in bench/out/ (delete it to rebuild).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tinydb import TinyDB  # noqa: E402

from networking_app.models import Card  # noqa: E402
from networking_app.store import Store  # noqa: E402

WORDS = ("python data cloud design growth marketing hiring funding sales mentoring climate health fintech "
         "robotics battery energy solar storage investor founder product research legal tax accounting "
         "security devops kubernetes rust golang frontend mobile android ios ux writing video podcast").split()
QUERIES = ["person4242", "design", "python mentoring", "zzzz-nothing", "org17", "hiring"]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build(folder: Path, contacts: int, meetings: int | None = None) -> None:
    """Mutual's store via its own API (one transaction), and the same data in plain TinyDB.

    Each contact is met three times (``meetings`` spreads more over the first contacts:
    100,000 over 30,000 is four meetings for the first 10,000). Offers and seeking come
    from bench_intros' realistic generator, so introductions have something to find.
    """
    extra = max(0, (meetings or 3 * contacts) - 3 * contacts)
    from bench.bench_intros import make_profiles

    rng = random.Random(7)
    profiles = make_profiles(contacts)
    store = Store.open(folder / "mutual", daily_backup=False)
    events = [store.events.start(f"Event {i}", day=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(30)]
    with store.batch():
        for i in range(contacts):
            card = Card(given=f"Person{i}", family=f"Family{i % 997}", title=f"Head of {rng.choice(WORDS)}",
                        organization=f"Org{i % 500} {rng.choice(WORDS).title()}", emails=[f"person{i}@example.org"],
                        phones=[f"+44 20 7946 {i:05d}"], urls=[f"https://www.linkedin.com/in/person{i}"],
                        offers=profiles[i].offers, seeking=profiles[i].seeking)
            for j in range(3 + (i < extra)):
                result = store.people.record_scan(card, event_id=events[(i + 7 * j) % 30].id,
                                           met_at=f"2026-{1 + (i + j) % 12:02d}-10T12:{j:02d}:00+00:00")
                store.meetings.save_note(result.meeting.id, need=words(rng, 4), help=words(rng, 4),
                                promise=words(rng, 3) if j == 0 else "",
                                follow_up=date(2026, 11, 1 + (i % 60)) if j == 0 and i % 60 < 30 else
                                (date(2026, 12, 1 + i % 28) if j == 0 else None))
    store._storage.compact()
    tables = store._storage.materialize()
    store.close()
    plain = TinyDB(folder / "plain.json")
    for name, docs in tables.items():
        plain.storage.write({**(plain.storage.read() or {}), name: docs})
    plain.close()


def file_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in (folder / "mutual").glob("mutual.*") if p.is_file())


OPEN_PROBE = """
import json, os, sys, time, tracemalloc
sys.path.insert(0, {root!r})
which, folder = sys.argv[1], sys.argv[2]
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
if which == 'mutual':
    from networking_app.store import Store
    before = rss(); start = time.perf_counter()
    store = Store.open(__import__('pathlib').Path(folder) / 'mutual', daily_backup=False)
    store.counts()
    opened = time.perf_counter() - start
    store.people.ids(query='x')  # builds the search text too: memory as used
    searched = time.perf_counter() - start - opened
    print(json.dumps({{'open_ms': opened * 1000, 'first_search_ms': searched * 1000, 'rss': rss() - before}}))
else:
    from tinydb import TinyDB
    before = rss(); start = time.perf_counter()
    db = TinyDB(folder + '/plain.json')
    db.table('contacts').all()
    opened = time.perf_counter() - start
    print(json.dumps({{'open_ms': opened * 1000, 'rss': rss() - before}}))
"""


def probe_open(folder: Path, which: str, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", OPEN_PROBE.format(root=str(ROOT)), which, str(folder)],
                             capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def bench_notes(folder: Path, n: int) -> tuple[float, float]:
    rng = random.Random(3)
    store = Store.open(folder / "mutual", daily_backup=False)
    ids = rng.sample(list(store.records.fresh().keys["meetings"]), n)
    times = []
    for k, mid in enumerate(ids):
        start = time.perf_counter()
        store.meetings.save_note(mid, need=f"updated need {k}", follow_up=date(2027, 1, 1 + k % 28))
        times.append(time.perf_counter() - start)
    store.close()
    plain = TinyDB(folder / "plain.json")
    meetings = plain.table("meetings")
    keys = rng.sample(list(plain.storage.read()["meetings"]), min(n, 20))
    plain_times = []
    for k, key in enumerate(keys):
        start = time.perf_counter()
        meetings.update({"need": f"plain need {k}", "note_status": "done"}, doc_ids=[int(key)])
        plain_times.append(time.perf_counter() - start)
    plain.close()
    return statistics.median(times) * 1000, statistics.median(plain_times) * 1000


def bench_search(folder: Path) -> tuple[dict[str, float], dict[str, float], int]:
    store = Store.open(folder / "mutual", daily_backup=False)
    store.people.ids(query="warm-up")  # the first search builds the folded text once
    ours = {}
    counts = {}
    for q in QUERIES:
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            store.people.all(query=q, limit=50)  # what the People screen asks: all matches ranked, first page built
            runs.append(time.perf_counter() - start)
        ours[q] = statistics.median(runs) * 1000
        counts[q] = len(store.people.ids(query=q))
    store.close()
    plain = TinyDB(folder / "plain.json")
    table = plain.table("contacts")
    fields = ("given", "family", "title", "organization", "offers", "seeking")
    theirs = {}
    for q in QUERIES:
        terms = q.lower().split()
        start = time.perf_counter()
        # plain TinyDB re-reads and parses the whole file, then every document is tested
        [d for d in table.all() if all(t in " ".join(str(d.get(f, "")) for f in fields).lower() for t in terms)]
        theirs[q] = (time.perf_counter() - start) * 1000
    plain.close()
    return ours, theirs, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = ROOT / "bench" / "out" / f"store-{args.contacts}"
    if not (folder / "plain.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        start = time.perf_counter()
        build(folder, args.contacts)
        print(f"built the {args.contacts}-contact store in {time.perf_counter() - start:.1f} s")
    size = file_size(folder)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; {date.today()}")
    print(f"store: {size / 1e6:.1f} MB (snapshot + journal); plain TinyDB file {(folder / 'plain.json').stat().st_size / 1e6:.1f} MB")

    note_ms, plain_note_ms = bench_notes(folder, args.notes)
    ours, theirs, counts = bench_search(folder)
    opened, plain_opened = probe_open(folder, "mutual", args.runs), probe_open(folder, "plain", args.runs)
    ratio = opened["rss"] / size
    rows = [
        ("save a note durably (median)", f"{note_ms:.2f} ms", f"{plain_note_ms:.0f} ms", "<= 30 ms"),
        *[(f"search '{q}' ({counts[q]} hits, first 50)", f"{ours[q]:.1f} ms", f"{theirs[q]:.0f} ms", "<= 20 ms")
          for q in QUERIES],
        ("open the store (median)", f"{opened['open_ms']:.0f} ms", f"{plain_opened['open_ms']:.0f} ms", "<= 300 ms"),
        ("first search after open (builds text)", f"{opened['first_search_ms']:.0f} ms", "-", "-"),
        ("memory after open + search (RSS)", f"{opened['rss'] / 1e6:.1f} MB = {ratio:.2f}x file",
         f"{plain_opened['rss'] / 1e6:.1f} MB", "<= 3x"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'Mutual':>22}  {'plain TinyDB':>13}  target")
    for name, a, b, t in rows:
        print(f"{name:{width}}  {a:>22}  {b:>13}  {t}")
    print(json.dumps({"note_ms": note_ms, "plain_note_ms": plain_note_ms, "search_ms": ours, "plain_search_ms": theirs,
                      "open_ms": opened["open_ms"], "plain_open_ms": plain_opened["open_ms"],
                      "first_search_ms": opened["first_search_ms"], "rss_ratio": ratio, "file_bytes": size,
                      "hits": counts}))


if __name__ == "__main__":
    main()
