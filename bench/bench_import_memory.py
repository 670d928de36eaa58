"""Peak memory of reading files a person names: a large vCard or CSV import, and inputs without a size.

Each command runs as ``main.py`` in a fresh process, and its peak resident memory is read
from ``os.wait4`` (the kernel's ``ru_maxrss`` of that process). That figure starts from the
peak of the process that started it (the child shares its memory until ``exec``), so the
files are made by a separate process and this one stays small; the start-up of the same
command on an empty store is measured too, and the table shows the peak above it.
Target (issue "The store under pressure"): importing a 17 MB vCard file (49,900 cards)
peaks at no more than 3x the file above start-up. Inputs whose ``st_size`` is 0
(``/dev/zero``, a pipe) and a backup over the cap must be refused quickly, after reading
no more than their cap.

Usage: uv run python bench/bench_import_memory.py [--cards 49900] [--pipe-mb 400] [--restore-mb 600]
       [--limit-mb 4096] [--mutual DIR]   (another checkout's main.py, e.g. an older commit, with this environment)
Prints a table, then one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
NOTE = "Offers: Intros to climate investors\\, feedback on pitch decks\\nSeeking: A co-founder with hardware experience"
BACKUP_START = b'{"format": "mutual-backup", "tables": {'


def vcf(count: int) -> bytes:
    """A phone-style export: ~350 bytes a card, each a different person."""
    names = ("Jane", "Zoë", "Ahmed", "Mei", "Lars", "Ana", "Kofi", "Ólafur", "Priya", "Tom")
    cards = []
    for i in range(count):
        given, family = names[i % 10], f"Family{i}"
        cards.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{given} {family}\r\nN:{family};{given};;;\r\n"
            f"ORG:Acme\\, Inc.\r\nTITLE:Engineer\r\nROLE:Platform team\r\nEMAIL;TYPE=INTERNET:{given.lower()}.{i}@example.com\r\n"
            f"TEL;TYPE=CELL:+1 555 {i:07d}\r\nURL:https://example.com/{i}\r\nNOTE:{NOTE}\r\nEND:VCARD\r\n"
        )
    return "".join(cards).encode("utf-8")


def csv_file(count: int) -> bytes:
    """The same people as Google Contacts' CSV columns (~220 bytes a row)."""
    rows = ["First Name,Last Name,Organization Name,Organization Title,E-mail 1 - Value,Phone 1 - Value,"
            "Website 1 - Value,Notes"]
    note = NOTE.replace("\\,", ",").replace("\\n", "\n")
    for i in range(count):
        given = ("Jane", "Zoë", "Ahmed", "Mei", "Lars", "Ana", "Kofi", "Ólafur", "Priya", "Tom")[i % 10]
        rows.append(f'{given},Family{i},"Acme, Inc.",Engineer,{given.lower()}.{i}@example.com,+1 555 {i:07d},'
                    f'https://example.com/{i},"{note}"')
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def make_files(folder: Path, cards: int) -> None:
    """people.vcf and people.csv, written by another process: this one's peak stays small."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); from pathlib import Path; "
            f"import bench_import_memory as b; f = Path({str(folder)!r}); "
            f"(f / 'people.vcf').write_bytes(b.vcf({cards})); (f / 'people.csv').write_bytes(b.csv_file({cards}))")
    subprocess.run([sys.executable, "-c", code], check=True)


@dataclass(frozen=True)
class Runner:
    mutual: Path  # the checkout whose main.py is measured
    limit_mb: int  # the address space a measured process may take

    def limit_memory(self) -> None:
        """An unbounded read (an older Mutual on /dev/zero) ends in a MemoryError, not in the machine's memory."""
        resource.setrlimit(resource.RLIMIT_AS, (self.limit_mb * MB, self.limit_mb * MB))

    def run(self, args: list[str], data_dir: Path, *, stdin: Any = None,
            feed: tuple[bytes, int] | None = None) -> dict[str, Any]:
        """Run ``main.py --data-dir DATA args…``; its exit status, seconds, peak RSS (MB) and last line.

        ``feed``: (first bytes, MB of spaces after them) written to its stdin, a pipe, until it leaves.
        """
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(self.mutual / "main.py"), "--data-dir", str(data_dir), *args],
                                stdin=subprocess.PIPE if feed else stdin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, cwd=self.mutual, preexec_fn=self.limit_memory)
        if feed:
            assert proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):  # the reader left: a refusal
                proc.stdin.write(feed[0])
                for _ in range(feed[1]):
                    proc.stdin.write(b" " * MB)
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
        assert proc.stderr is not None
        err = proc.stderr.read().decode(errors="replace").strip()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        return {"status": proc.returncode, "seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1),
                "said": err.splitlines()[-1][:160] if err else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=49_900)
    parser.add_argument("--pipe-mb", type=int, default=400)
    parser.add_argument("--restore-mb", type=int, default=600)
    parser.add_argument("--mutual", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--limit-mb", type=int, default=4096, help="address space each command may take")
    options = parser.parse_args()
    runner = Runner(options.mutual.resolve(), options.limit_mb)
    run = runner.run
    results: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine(),
                               "mutual": str(runner.mutual)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "empty"
        results["start-up"] = run(["contacts"], empty)
        make_files(folder, options.cards)
        results["file_mb"] = round((folder / "people.vcf").stat().st_size / MB, 1)
        results["csv_mb"] = round((folder / "people.csv").stat().st_size / MB, 1)
        results["import"] = run(["import", str(folder / "people.vcf")], folder / "data")
        results["import csv"] = run(["import", str(folder / "people.csv")], folder / "data-csv")
        results["scan /dev/zero"] = run(["scan", "/dev/zero"], empty)
        results[f"scan - ({options.pipe_mb} MB)"] = run(["scan", "-"], empty, feed=(b"x", options.pipe_mb))
        big = folder / "big.json"
        with big.open("wb") as out:  # sparse after its first bytes: no disk spent; the cap is under test
            out.write(BACKUP_START)
            out.truncate(options.restore_mb * MB)
        results[f"restore ({options.restore_mb} MB file)"] = run(["restore", str(big)], empty)
        results[f"restore ({options.restore_mb} MB pipe)"] = run(["restore", "/dev/stdin"], empty,
                                                                  feed=(BACKUP_START, options.restore_mb))
    base = results["start-up"]["peak_mb"]
    for name, size in (("import", results["file_mb"]), ("import csv", results["csv_mb"])):
        imported = results[name]
        imported["above_start_mb"] = round(imported["peak_mb"] - base, 1)
        imported["x_file"] = round(imported["above_start_mb"] / size, 2)
    print(f"files: vCard {results['file_mb']} MB, CSV {results['csv_mb']} MB, {options.cards:,} people each; "
          f"start-up peak {base} MB")
    print(f"{'command':32} {'status':>6} {'seconds':>8} {'peak MB':>8}  says")
    for name, r in results.items():
        if isinstance(r, dict):
            print(f"{name:32} {r['status']:>6} {r['seconds']:>8} {r['peak_mb']:>8}  {r['said'][:70]}")
    for name in ("import", "import csv"):
        r = results[name]
        print(f"{name}: {r['above_start_mb']} MB above start-up = {r['x_file']}x the file")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
