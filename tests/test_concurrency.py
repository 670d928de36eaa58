"""Restores, backups and reads racing two writer processes: nothing acknowledged is lost, every view existed.

Two processes (``tests/support/scan_writer.py``) scan numbered people in order, each scan acknowledged
once it returned, while the journal is folded every few scans. Meanwhile this process runs one command
through the command line — ``restore``, ``import --replace``, ``backup``, ``export`` or ``contacts`` —
after a random number of scans. Since each writer scans 1, 2, 3… in order, a state the store was in
holds of each writer a run of consecutive numbers: 1…k, or, after a restore to a state without them,
k+1…m. So:

- a read (a backup, an export, the contact list, the daily backup the command's open makes) holds of
  each writer exactly 1…k, with k at least the scans acknowledged before the command started: a
  state that existed, and nothing acknowledged missing;
- a restore splits each writer's scans into the "before restore" backup (1…k) and the store (k+1…N):
  every acknowledged scan is in exactly one of them.

A last case keeps one store open in this process and reads everything again and again while
the writers run, as the app does (catching up with the journal, reloading after each fold).
About 30 s in all on 2 cores; marked slow.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from networking_app.backups import decode_backup
from networking_app.cli import run
from networking_app.models import Card
from networking_app.store import Store

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ("ann", "bob")
SCANS = 24  # per writer and trial
TRIALS = 20  # per command
BASE = ("base-1@example.org", "base-2@example.org")  # who the backup to restore holds, with:
BASELINE_PEOPLE = 1500

pytestmark = [pytest.mark.slow, pytest.mark.on_disk]


class Writer:
    """One scan_writer process; a thread collects its acknowledgements as they come."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.support.scan_writer", name], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"
        self.acked = 0
        self.refused: list[str] = []
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            word, _, rest = line.strip().partition(" ")
            if word == "ok":
                self.acked = int(rest)
            elif word == "refused":
                self.refused.append(rest)
            elif word == "done":
                self.done.set()

    def start_round(self, folder: Path) -> None:
        self.acked, self.refused = 0, []
        self.done.clear()
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{folder} {SCANS}\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def writers() -> Iterator[list[Writer]]:
    started = [Writer(name) for name in WRITERS]
    yield started
    for writer in started:
        writer.stop()


@dataclass
class Tally:
    trials: int = 0
    acknowledged: int = 0
    lost: int = 0
    views: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)


def numbers(emails: list[str], writer: str) -> list[int]:
    return sorted(int(e.split("@")[0].split("-")[1]) for e in emails if e.startswith(f"{writer}-"))


def emails_of(tables: dict[str, dict[str, Any]]) -> list[str]:
    return [email for doc in tables.get("contacts", {}).values() for email in doc.get("emails", [])]


def check_whole(tables: dict[str, dict[str, Any]], what: str, tally: Tally) -> None:
    """Each scan is one transaction: a contact and its one meeting, never one without the other."""
    scanned = sorted(doc["id"] for doc in tables.get("contacts", {}).values()
                     if not doc["emails"][0].startswith("known"))
    met = sorted(doc["contact_id"] for doc in tables.get("meetings", {}).values())
    if scanned != met:
        tally.problem(f"{what}: contacts and meetings disagree")


def check_view(emails: list[str], least: dict[str, int], what: str, tally: Tally) -> None:
    """A read: of each writer 1…k, with k at least what was acknowledged before it started."""
    tally.views += 1
    for writer in WRITERS:
        got = numbers(emails, writer)
        if got != list(range(1, len(got) + 1)):
            tally.problem(f"{what}: {writer}'s scans {got} are not a state that existed")
        elif len(got) < least.get(writer, 0):
            tally.problem(f"{what}: {writer}'s scans 1…{len(got)}, but {least[writer]} were acknowledged before")


def read_json(path: Path) -> dict[str, dict[str, Any]]:
    return decode_backup(path.read_bytes(), path.name)


def cli(folder: Path, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--data-dir", str(folder), *args], out, err)
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data folder holding the two base people, and a backup of it to restore."""
    root = tmp_path_factory.mktemp("baseline")
    with Store.open(root / "data", daily_backup=False) as store:
        for email in BASE:
            store.people.record_scan(Card(given="Base", family=email[:6], emails=[email]), event_id="")
        # A store of some size: reading its snapshot takes a while, so folds land during reads.
        store.people.import_cards([Card(given="Known", family=f"Person{i}", emails=[f"known{i}@example.org"],
                                        offers="rust consulting", note="met at a fair " * 10)
                                   for i in range(BASELINE_PEOPLE)])
        backup = store.backup(reason="baseline").rename(root / "baseline.json")
    shutil.rmtree(root / "data" / "backups")
    return root / "data", backup


COMMANDS = {
    "restore": lambda folder, backup, out: cli(folder, "restore", str(backup)),
    "import-replace": lambda folder, backup, out: cli(folder, "import", str(backup), "--replace"),
    "backup": lambda folder, backup, out: cli(folder, "backup", "--json"),
    "export": lambda folder, backup, out: cli(folder, "export", "-o", str(out), "--format", "json"),
    "contacts": lambda folder, backup, out: cli(folder, "contacts", "--json"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_racing_two_writers_loses_nothing_and_sees_only_states_that_existed(
    command: str, writers: list[Writer], baseline: tuple[Path, Path], tmp_path: Path
) -> None:
    seed_folder, backup = baseline
    rng = random.Random(f"{command}-20261201")
    tally = Tally()
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(seed_folder, folder)
        for writer in writers:
            writer.start_round(folder)
        trigger, after = rng.choice(writers), rng.randint(1, SCANS - 6)
        deadline = time.monotonic() + 30
        while trigger.acked < after and time.monotonic() < deadline:
            time.sleep(0.0005)
        least = {w.name: w.acked for w in writers}
        started = time.perf_counter()
        output = COMMANDS[command](folder, backup, tmp_path / f"export{trial}.json")
        tally.seconds.append(time.perf_counter() - started)
        for writer in writers:
            assert writer.done.wait(60), f"{writer.name} did not finish its scans"
            assert not writer.refused, writer.refused
        tally.trials += 1
        tally.acknowledged += sum(w.acked for w in writers)
        check_trial(command, folder, output, least, tmp_path / f"export{trial}.json", tally)
    median = sorted(tally.seconds)[len(tally.seconds) // 2]
    print(f"\n{command}: {tally.trials} trials, {tally.acknowledged} scans acknowledged, {tally.lost} lost, "
          f"{tally.views} views checked; command took {median * 1000:.0f} ms median, "
          f"{max(tally.seconds) * 1000:.0f} ms at most")
    assert tally.lost == 0 and not tally.problems, (
        f"{tally.lost} of {tally.acknowledged} acknowledged scans lost over {tally.trials} trials; "
        + "; ".join(tally.problems[:8]))


def check_trial(command: str, folder: Path, output: str, least: dict[str, int], export: Path, tally: Tally) -> None:
    with Store.open(folder, daily_backup=False) as store:
        final = store.tables()
    check_whole(final, "the store", tally)
    backups = sorted((folder / "backups").glob("*.json"))
    before = [p for p in backups if p.name.endswith("-before-restore.json")]
    for path in backups:  # the daily backup of the command's open, a manual one, the one before restoring
        tables = read_json(path)
        check_whole(tables, path.name, tally)
        check_view(emails_of(tables), least if path in before else {}, path.name, tally)
    if command in ("restore", "import-replace"):
        assert len(before) == 1
        check_restore(read_json(before[0]), final, tally)
        return
    final_emails = emails_of(final)
    for writer in WRITERS:
        if numbers(final_emails, writer) != list(range(1, SCANS + 1)):
            tally.lost += SCANS - len(numbers(final_emails, writer))
    if command == "backup":
        path = Path(json.loads(output)["path"])
        check_view(emails_of(read_json(path)), least, "the backup", tally)
    elif command == "export":
        tables = read_json(export)
        check_whole(tables, "the export", tally)
        check_view(emails_of(tables), least, "the export", tally)
    elif command == "contacts":
        listed = json.loads(output)
        if any(len(c["meetings"]) != 1 for c in listed if c["emails"][0].startswith(WRITERS)):
            tally.problem("the contact list shows someone without their meeting")
        check_view([e for c in listed for e in c["emails"]], least, "the contact list", tally)


def check_restore(kept: dict[str, dict[str, Any]], final: dict[str, dict[str, Any]], tally: Tally) -> None:
    """Each writer's scans: 1…k in the backup of before, k+1…N in the store, none in neither."""
    final_emails = emails_of(final)
    if not set(BASE) <= set(final_emails):
        tally.problem("the restored store lacks the backup's people")
    for writer in WRITERS:
        before, after = numbers(emails_of(kept), writer), numbers(final_emails, writer)
        tally.lost += len(set(range(1, SCANS + 1)) - set(before) - set(after))
        if before + after != list(range(1, SCANS + 1)):
            tally.problem(f"{writer}: kept {before}, then {after}")


def test_a_window_reading_over_and_over_while_two_writers_fold_sees_only_states_that_existed(
    writers: list[Writer], baseline: tuple[Path, Path], tmp_path: Path
) -> None:
    """The app's case: one store kept open, read again and again (catching up, reloading after folds)."""
    seed_folder, _ = baseline
    tally = Tally()
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(seed_folder, folder)
        with Store.open(folder, daily_backup=False) as store:
            for writer in writers:
                writer.start_round(folder)
            while not all(w.done.is_set() for w in writers):
                least = {w.name: w.acked for w in writers}
                tables = store.tables()
                check_whole(tables, f"view {tally.views}", tally)
                check_view(emails_of(tables), least, f"view {tally.views}", tally)
        tally.trials += 1
        tally.acknowledged += sum(w.acked for w in writers)
    print(f"\nreading over and over: {tally.trials} trials, {tally.views} views checked")
    assert tally.views > 5 * TRIALS and not tally.problems, "; ".join(tally.problems[:8])
