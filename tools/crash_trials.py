"""The kill -9 campaign: a real writer process killed at random moments over every kind of write.

    uv run python -m tools.crash_trials --trials 500 [--seed 20261125] [--json out.json]

Each trial starts ``tests/support/crash_writer.py`` on the same store, kills it with SIGKILL
(half the trials at a random moment, half a random instant after a chosen kind of write began,
taking every kind in turn), then reopens the store and checks:

- it opens: never a corrupt store;
- its content is exactly what the last acknowledged write left (digest of every document), or,
  when a write was in flight, what that write leaves: the campaign replays the same writes on a
  copy of the store taken before the trial (the writer is deterministic) to know it. Anything
  else is a lost (or a wrong) write;
- every backup file reads back whole (a backup in flight is absent or complete).

It also counts the temporary files a killed atomic write leaves behind. The suite's own
kill loop (tests/test_durability.py, 40 trials) runs on every test run; this is the big one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from networking_app.backups import decode_backup  # noqa: E402
from tests.support.crash_writer import KINDS, digest, open_store  # noqa: E402

WRITER = [sys.executable, "-m", "tests.support.crash_writer"]
ENV = dict(os.environ, PYTHONHASHSEED="0")  # the same set order in the writer and its replay


@dataclass
class Totals:
    trials: int = 0
    writes_acknowledged: int = 0
    corrupt_opens: int = 0
    lost_writes: int = 0
    wrong_states: int = 0
    damaged_backups: int = 0
    in_flight_landed: int = 0
    in_flight_absent: int = 0
    killed_between_writes: int = 0
    replays: int = 0
    replay_divergences: int = 0
    leftover_temp_files: int = 0
    failures: list[str] = field(default_factory=list)
    in_flight_by_kind: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(Counter))
    acknowledged_by_kind: dict[str, int] = field(default_factory=Counter)


def parse(lines: list[str]) -> tuple[str, dict[int, str], dict[int, str]]:
    """(digest at start, digest after each acknowledged write, kind of each write begun)."""
    ready, acks, begun = "", {}, {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[0] == "ready":
            ready = parts[1]
        elif len(parts) == 3 and parts[0] == "begin":
            begun[int(parts[1])] = parts[2]
        elif len(parts) == 3 and parts[0] == "ok":
            acks[int(parts[1])] = parts[2]
    return ready, acks, begun


def snapshot_folder(source: Path, target: Path) -> None:
    """A copy of the store folder; backups are never changed once written, so they are hard-linked."""
    shutil.rmtree(target, ignore_errors=True)
    if not source.exists():
        return
    shutil.copytree(source, target, copy_function=_link_backups)


def _link_backups(src: str, dst: str) -> None:
    if os.sep + "backups" + os.sep in src:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def run_writer(folder: Path, seed: int, favour: str | None, rng: random.Random) -> tuple[list[str], str]:
    """Start a writer, kill it, return its lines and how the kill was aimed."""
    args = [*WRITER, str(folder), str(seed)] + (["--favour", favour] if favour else [])
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    lines: list[str] = []
    target_seen = threading.Event()
    skip = rng.randrange(3)  # aim at the first, second or third write of the favoured kind

    def read() -> None:
        nonlocal skip
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if favour and line.startswith("begin ") and line.split()[2] == favour:
                if skip == 0:
                    target_seen.set()
                skip -= 1

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if favour:
        target_seen.wait(timeout=8)
        time.sleep(rng.choice([0.0, rng.uniform(0, 0.002), rng.uniform(0, 0.02)]))
        aim = f"after a {favour} began"
    else:
        while not lines and proc.poll() is None:  # wait for "ready": the open itself is tested below
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.6))
        aim = "at a random moment"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(timeout=10)
    stderr = proc.stderr.read() if proc.stderr else ""
    if "Traceback" in stderr:
        raise RuntimeError(f"the writer failed before it was killed:\n{stderr}")
    return lines, aim


def replay(pre: Path, work: Path, seed: int, favour: str | None, ops: int) -> dict[int, str]:
    """The digests the same writes leave on a copy of the store as it was before the trial."""
    snapshot_folder(pre, work)
    args = [*WRITER, str(work), str(seed), "--ops", str(ops)] + (["--favour", favour] if favour else [])
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=ENV, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"the replay failed:\n{out.stderr}")
    ready, acks, _ = parse(out.stdout.splitlines())
    acks[0] = ready
    return acks


def check_backups(folder: Path) -> list[str]:
    damaged = []
    for path in sorted((folder / "backups").glob("mutual-*.json")):
        try:
            decode_backup(path.read_bytes(), path.name)
        except Exception as exc:  # noqa: BLE001 - any failure is a damaged backup
            damaged.append(f"{path.name}: {exc}")
    return damaged


def temp_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob(".*.tmp")}


def campaign(trials: int, seed: int, base: Path, verify_every: int, log: bool) -> Totals:
    rng = random.Random(seed)
    folder, pre, work = base / "data", base / "pre", base / "replay"
    totals = Totals()
    leftovers: set[str] = set()
    previous: str | None = None  # the content the last trial left
    for trial in range(trials):
        writer_seed = seed * 1000 + trial
        favour = KINDS[(trial // 2) % len(KINDS)] if trial % 2 else None
        snapshot_folder(folder, pre)
        lines, aim = run_writer(folder, writer_seed, favour, rng)
        ready, acks, begun = parse(lines)
        totals.trials += 1
        totals.writes_acknowledged += len(acks)
        for n in acks:
            totals.acknowledged_by_kind[begun[n]] += 1
        last = max(acks, default=0)
        expected = acks.get(last, ready)
        in_flight = max(begun, default=0) if max(begun, default=0) > last else 0
        kind = begun.get(in_flight, "")
        try:
            store = open_store(folder)
        except Exception as exc:  # noqa: BLE001 - any failure to open is corruption
            totals.corrupt_opens += 1
            totals.failures.append(f"trial {trial}: the store did not open ({type(exc).__name__}: {exc})")
            break
        try:
            found = digest(store)
        finally:
            store.close()
        if not ready:  # killed while opening: the store must be as the previous trial left it
            expected = previous if previous is not None else found
        outcome = ""
        need_replay = (found != expected and ready) or (verify_every and trial % verify_every == 0 and last)
        replayed: dict[int, str] = {}
        if need_replay:
            totals.replays += 1
            replayed = replay(pre, work, writer_seed, favour, last + (1 if in_flight else 0))
            if any(replayed.get(n) != d for n, d in acks.items()) or replayed.get(0) != ready:
                totals.replay_divergences += 1
                totals.failures.append(f"trial {trial}: the replay diverged from the writer")
        if found == expected:
            outcome = "in flight, absent" if in_flight else ("between writes" if ready else "killed while opening")
        elif in_flight and replayed.get(in_flight) == found:
            outcome = "in flight, landed"
        else:
            earlier = [n for n, d in acks.items() if d == found and n < last]
            if earlier:
                totals.lost_writes += last - max(earlier)
                totals.failures.append(f"trial {trial}: {last - max(earlier)} acknowledged writes lost")
            else:
                totals.wrong_states += 1
                totals.failures.append(f"trial {trial}: the store holds a state no write sequence left ({kind})")
            outcome = "FAILED"
        if outcome == "in flight, landed":
            totals.in_flight_landed += 1
            totals.in_flight_by_kind[kind]["landed"] += 1
        elif outcome == "in flight, absent":
            totals.in_flight_absent += 1
            totals.in_flight_by_kind[kind]["absent"] += 1
        elif outcome in ("between writes", "killed while opening"):
            totals.killed_between_writes += 1
        previous = found
        damaged = check_backups(folder)
        if damaged:
            totals.damaged_backups += len(damaged)
            totals.failures.append(f"trial {trial}: damaged backups {damaged}")
            break
        now_left = temp_files(folder)
        totals.leftover_temp_files += len(now_left - leftovers)
        leftovers = now_left
        if log:
            print(f"trial {trial:4d}: {len(acks):4d} acked, killed {aim}: {outcome}{' (' + kind + ')' if kind else ''}",
                  flush=True)
        if totals.failures and ("did not open" in totals.failures[-1] or "diverged" in totals.failures[-1]):
            break
    return totals


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--dir", type=Path, help="where the store lives (default: a new temp folder)")
    parser.add_argument("--verify-every", type=int, default=20, help="also replay every Nth trial to check determinism")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="mutual-crash-"))
    started = time.monotonic()
    totals = campaign(args.trials, args.seed, base, args.verify_every, not args.quiet)
    seconds = time.monotonic() - started
    figures = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": machine(),
        "duration_s": round(seconds, 1),
        **{k: v for k, v in vars(totals).items() if k not in ("failures", "in_flight_by_kind", "acknowledged_by_kind")},
        "in_flight_by_kind": {k: dict(v) for k, v in sorted(totals.in_flight_by_kind.items())},
        "acknowledged_by_kind": dict(sorted(totals.acknowledged_by_kind.items())),
        "failures": totals.failures,
        "folder": str(base),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    ok = not (totals.corrupt_opens or totals.lost_writes or totals.wrong_states or totals.damaged_backups
              or totals.replay_divergences)
    if not args.dir and ok:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
