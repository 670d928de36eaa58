"""Sync speed with 10,000 contacts / 30,000 meetings on each of two devices (issue "Sync").

Targets: one new operation from another device applied <= 50 ms; a sync with nothing new
<= 20 ms; a new device's first sync from the full logs <= 3 s and <= 1.5x opening the same
store (same run); logs <= 2x the store after compaction.

Usage: uv run python bench/bench_sync.py [--contacts 10000] [--rounds 20]
Uses bench_store's generated store (bench/out/, built on first use).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_store import build  # noqa: E402
from networking_app.models import Card  # noqa: E402
from networking_app.store import Store  # noqa: E402
from networking_app.sync import engine  # noqa: E402
from networking_app.sync.engine import Sync  # noqa: E402


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# A first sync alone in a fresh process, for its peak memory (the bench's own process holds several stores).
PEAK_PROBE = """
import sys, tempfile
from pathlib import Path
def peak():  # this process's high-water mark (ru_maxrss would count the parent's, from before the exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024
sys.path.insert(0, sys.argv[1])
from networking_app.store import Store
from networking_app.sync.engine import Sync
with tempfile.TemporaryDirectory() as tmp:
    before = peak()
    store = Store.open(Path(tmp) / "new", daily_backup=False)
    Sync(store).set_up(sys.argv[2], "probe")
    Sync(store).run()
    print(before, peak())
"""

CPU: list[float] = []  # the process's CPU time of the last timed() call: steadier than wall time on a shared machine


def timed(fn) -> float:  # noqa: ANN001
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    CPU[:] = [time.process_time() - cpu]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    cache = ROOT / "bench" / "out" / f"store-{args.contacts}"
    if not (cache / "mutual" / "mutual.json").exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        build(cache, args.contacts)
    print(f"# bench_sync: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        shutil.copytree(cache / "mutual", base / "laptop")
        folder = base / "Sync"
        folder.mkdir()
        store_bytes = sum(p.stat().st_size for p in (base / "laptop").glob("mutual.*"))

        opened = min(timed(lambda: Store.open(base / "laptop", daily_backup=False).close()) for _ in range(3))
        laptop = Store.open(base / "laptop", daily_backup=False)
        records = sum(laptop.counts().values())
        Sync(laptop).set_up(folder, "laptop")
        engine.COMPACT_AFTER = 1 << 40  # keep the full logs for the first measurement
        adopt = timed(lambda: Sync(laptop).run())
        adopt_cpu = CPU[0]
        log_bytes = size_of(folder)
        print(f"store: {records:,} records, {store_bytes / 1e6:.1f} MB; opening it: {opened * 1000:.0f} ms (best of 3)")
        print(f"sync turned on for that store (every record offered, written to the log): {adopt:.2f} s "
              f"(CPU {adopt_cpu:.2f} s), "
              f"log {log_bytes / 1e6:.1f} MB ({log_bytes / records:.0f} bytes an operation)")

        firsts, cpus, devices = [], [], []
        for name in ("phone", "phone-2", "phone-3"):  # three new devices: one run alone is too noisy here
            device = Store.open(base / name, daily_backup=False)
            Sync(device).set_up(folder, name)
            firsts.append(timed(lambda device=device: Sync(device).run()))  # type: ignore[misc]
            cpus.append(CPU[0])
            assert len(device.people.ids()) == len(laptop.people.ids())
            devices.append(device)
        phone = devices[0]
        before, peak = map(int, subprocess.run([sys.executable, "-c", PEAK_PROBE, str(ROOT), str(folder)],
                                               capture_output=True, text=True, check=True).stdout.split())
        print(f"peak memory of a first sync, alone in a fresh process: {peak / 1e6:.0f} MB "
              f"({before / 1e6:.0f} MB before it) = {peak / store_bytes:.1f}x the store")
        for device in devices[1:]:
            device.close()
        first = statistics.median(firsts)
        print(f"a new device's first sync from the full logs: median {first:.2f} s of "
              f"{', '.join(f'{f:.2f}' for f in firsts)} (CPU {', '.join(f'{c:.2f}' for c in cpus)}) = "
              f"{first / opened:.1f}x opening the store [target <= 3 s, <= 1.5x]")

        nothing = [timed(lambda: Sync(phone).run()) for _ in range(args.rounds)]
        print(f"a sync with nothing new: median {statistics.median(nothing) * 1000:.1f} ms, "
              f"worst {max(nothing) * 1000:.1f} ms [target <= 20 ms]")

        one = []
        meetings = [m.id for m in laptop.meetings.at(laptop.events.all()[0].id)][: args.rounds]
        for n, mid in enumerate(meetings):
            laptop.meetings.save_note(mid, need=f"bench note {n}")
            Sync(laptop).run()
            one.append(timed(lambda: Sync(phone).run()))
            assert phone.meetings.get(mid).need == f"bench note {n}"
        print(f"one new operation from another device applied (a whole sync run): median "
              f"{statistics.median(one) * 1000:.1f} ms, worst {max(one) * 1000:.1f} ms [target <= 50 ms]")

        saves = [timed(lambda m=mid, h=f"h{n}": laptop.meetings.save_note(m, help=h)) for n, mid in enumerate(meetings)]
        plain = Store.open(base / "plain", daily_backup=False)  # the same save with sync off, same run
        contact = plain.people.add(Card(formatted="x"))
        meeting = plain.meetings.note_contact(contact.id, need="x")
        unsynced = [timed(lambda h=f"h{n}": plain.meetings.save_note(meeting.id, help=h)) for n in range(len(meetings))]
        print(f"saving a note: median {statistics.median(saves) * 1000:.2f} ms with sync on, "
              f"{statistics.median(unsynced) * 1000:.2f} ms with it off")

        Sync(phone).run()  # the phone says it has read everything
        compacted = timed(lambda: Sync(laptop).compact(force=True))
        after = size_of(folder / "devices" / Sync(laptop).settings().device)
        print(f"compaction: {compacted:.2f} s; this device's files then {after / 1e6:.1f} MB = "
              f"{after / store_bytes:.2f}x the store [target <= 2x]")

        tablet = Store.open(base / "tablet", daily_backup=False)
        Sync(tablet).set_up(folder, "tablet")
        from_snapshot = timed(lambda: Sync(tablet).run())
        print(f"a new device's first sync from the snapshots: {from_snapshot:.2f} s (CPU {CPU[0]:.2f} s) = "
              f"{from_snapshot / opened:.1f}x opening the store")
        for store in (laptop, phone, plain, tablet):
            store.close()


if __name__ == "__main__":
    main()
