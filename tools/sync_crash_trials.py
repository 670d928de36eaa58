"""Kill -9 during sync: a device killed at random moments while it writes and syncs.

    uv run python -m tools.sync_crash_trials --trials 200 [--seed 20261203]

Each trial starts ``tests/support/sync_writer.py`` on device A (it adds numbered people and
syncs after each), while device B (this process) adds someone and syncs too; A is killed
with SIGKILL at a random moment. Then A is reopened and synced, B syncs, and the trial checks:

- A opens (never a corrupt store) and holds every person it acknowledged;
- after A's and B's next syncs, both hold exactly the same people: every acknowledged person
  of either device, none lost, none doubled.
The suite runs a short version (tests/test_sync_faults.py); this is the big one.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from networking_app.models import Card  # noqa: E402
from networking_app.store import Store  # noqa: E402
from networking_app.sync.engine import Sync  # noqa: E402

WRITER = [sys.executable, "-m", "tests.support.sync_writer"]


@dataclass
class Totals:
    trials: int = 0
    acknowledged: int = 0  # people A said were saved
    killed_in_sync: int = 0  # kills after A began a sync and before it said it was done
    corrupt_opens: int = 0
    lost_here: int = 0  # acknowledged on A, missing on A after the kill
    lost_there: int = 0  # acknowledged on either, missing on the other after both synced
    differing: int = 0  # trials where A and B disagree after syncing
    problems: int = 0  # sync runs that raised

    def ok(self) -> bool:
        return not (self.corrupt_opens or self.lost_here or self.lost_there or self.differing or self.problems)


def names(store: Store) -> list[str]:
    return sorted(c.full_name for c in store.people.all())


def run_trials(trials: int, base: Path, seed: int = 20261203, max_kill_s: float = 1.2) -> Totals:
    rng = random.Random(seed)
    totals = Totals()
    folder = base / "Sync"
    folder.mkdir(parents=True, exist_ok=True)
    with Store.open(base / "a", daily_backup=False) as a:
        Sync(a).set_up(folder, "A")
    b = Store.open(base / "b", daily_backup=False)
    Sync(b).set_up(folder, "B")
    acked_a: set[str] = set()
    acked_b: set[str] = set()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        for trial in range(trials):
            child = subprocess.Popen([*WRITER, str(base / "a"), str(trial)], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, text=True)
            b.people.add(Card(formatted=f"B {trial}", emails=[f"b{trial}@example.org"]))
            acked_b.add(f"B {trial}")
            Sync(b).run()
            time.sleep(rng.uniform(0.25, max_kill_s))  # the writer's start-up is ~0.25 s
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate()
            lines = out.splitlines()
            acks = [int(line.split()[1]) for line in lines if line.startswith("ack ")]
            acked_a.update(f"Person {trial}-{n}" for n in acks)
            totals.acknowledged += len(acks)
            if lines and lines[-1].startswith("ack "):
                totals.killed_in_sync += 1
            totals.trials += 1
            try:
                a = Store.open(base / "a", daily_backup=False)
            except Exception:  # noqa: BLE001 - counted: a store that does not open is the failure we look for
                totals.corrupt_opens += 1
                continue
            with a:
                here = set(names(a))
                totals.lost_here += len((acked_a - here) - {n for n in here if n.startswith("B ")})
                try:
                    Sync(a).run()
                    Sync(b).run()
                    Sync(a).run()
                except Exception:  # noqa: BLE001
                    totals.problems += 1
                    continue
                on_a, on_b = names(a), names(b)
                totals.lost_there += len((acked_a | acked_b) - set(on_a)) + len((acked_a | acked_b) - set(on_b))
                if on_a != on_b or len(on_a) != len(set(on_a)):
                    totals.differing += 1
                    if os.environ.get("MUTUAL_SYNC_DEBUG"):
                        print("differ:", sorted(set(on_a) - set(on_b)), sorted(set(on_b) - set(on_a)),
                              len(on_a) - len(set(on_a)), len(on_b) - len(set(on_b)), file=sys.stderr)
    finally:
        b.close()
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        totals = run_trials(args.trials, Path(tmp), args.seed)
    print(f"{totals} in {time.perf_counter() - started:.0f} s")
    sys.exit(0 if totals.ok() else 1)


if __name__ == "__main__":
    main()
