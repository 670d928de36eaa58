"""Run every atheris harness for a bounded time and report inputs tried and crashes.

    uv run python fuzz/run.py --seconds 60 [--targets payload,vcard] [--json out.json]

Each target gets a fresh corpus (fuzz/seeds.py, plus tests/hostile/cases and the shared vCard
corpus when present), libFuzzer's hard limits (-timeout per input, -rss_limit_mb), and is
restarted after a crash until its time is used. Reproducers are kept in fuzz/crashes/<target>/
(replay one with: uv run python fuzz/fuzz_<target>.py fuzz/crashes/<target>/<file>).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import seeds  # noqa: E402

ROOT = Path(common.ROOT)
TARGETS = {  # target -> largest input libFuzzer makes
    "payload": 6000,  # past the 4,096-byte limit
    "vcard": 32768,
    "image": 65536,
    "backup": 16384,
    "import_csv": 16384,
    "import_vcf": 16384,
    "import_any": 16384,
}
EXTRA_SEEDS = {
    "vcard": [ROOT / "tests" / "corpus" / "vcards"],
    "import_vcf": [ROOT / "tests" / "corpus" / "vcards"],
    "payload": [ROOT / "tests" / "hostile" / "cases"],
    "import_csv": [ROOT / "tests" / "hostile" / "cases"],
    "image": [ROOT / "tests" / "hostile" / "cases"],
}
ARTIFACT = re.compile(r"^(crash|timeout|oom|leak)-")


def prepare_corpus(target: str, folder: Path) -> int:
    folder.mkdir(parents=True)
    count = 0
    for index, data in enumerate(seeds.for_target(target)):
        (folder / f"seed-{index}").write_bytes(data)
        count += 1
    for extra in EXTRA_SEEDS.get(target, []):
        if extra.is_dir():
            for path in sorted(extra.rglob("*")):
                if path.is_file() and path.stat().st_size <= TARGETS[target]:
                    (folder / f"extra-{count}").write_bytes(path.read_bytes())
                    count += 1
    return count


def run_target(target: str, seconds: int, work: Path, dictionary: Path, runs: int = 0,
               crashes: Path = HERE / "crashes") -> dict:
    corpus = work / target
    seed_count = prepare_corpus(target, corpus)
    crashes_dir = crashes / target
    crashes_dir.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in crashes_dir.iterdir()}
    executed, restarts, deadline = 0, 0, time.monotonic() + seconds
    crash_kinds: list[str] = []
    seen: set[str] = set()
    while (left := int(deadline - time.monotonic())) > 0 or (runs and restarts == 0):
        restarts += 1
        command = [
            sys.executable, str(HERE / f"fuzz_{target}.py"),
            f"-runs={runs}" if runs else f"-max_total_time={left}", "-timeout=20",
            "-rss_limit_mb=3072", f"-max_len={TARGETS[target]}", "-print_final_stats=1",
            f"-dict={dictionary}", f"-artifact_prefix={crashes_dir}/", str(corpus),
        ]
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, errors="replace",
                              timeout=seconds + 120)
        log = proc.stderr
        (work / f"{target}-{restarts}.log").write_text(log)
        found = re.findall(r"stat::number_of_executed_units: (\d+)", log)
        if found:
            executed += int(found[-1])
        else:  # killed on a crash before the final stats: count the last status line
            status = re.findall(r"^#(\d+)\s", log, re.M)
            executed += int(status[-1]) if status else 0
        if proc.returncode != 0:
            kind = re.search(r"=== Uncaught Python exception: ===\n(\w+)", log) or re.search(
                r"ERROR: libFuzzer: (\S+(?: \S+)?)", log)
            crash_kinds.append(kind.group(1) if kind else f"exit {proc.returncode}")
            fresh = {p.name for p in crashes_dir.iterdir()} - before - seen
            if not fresh:
                break  # the same input again (or none): do not loop on it
            seen |= fresh
            for name in fresh:  # a crashing input kept in the corpus would crash every restart
                data = (crashes_dir / name).read_bytes()
                for kept in corpus.iterdir():
                    if kept.read_bytes() == data:
                        kept.unlink()
        if runs:
            break
    new = sorted(p.name for p in crashes_dir.iterdir() if p.name not in before and ARTIFACT.match(p.name))
    if not any(crashes_dir.iterdir()):
        crashes_dir.rmdir()
        if not any(crashes.iterdir()):
            crashes.rmdir()
    corpus_size = sum(1 for _ in corpus.iterdir())
    return {"target": target, "seconds": seconds, "inputs_tried": executed, "crashes": len(new),
            "reproducers": new, "crash_kinds": crash_kinds, "seeds": seed_count, "corpus_after": corpus_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of: {', '.join(TARGETS)}")
    parser.add_argument("--runs", type=int, default=0, help="instead of a time, this many inputs a target (a smoke test)")
    parser.add_argument("--crashes", type=Path, default=HERE / "crashes", help="where reproducers are kept")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown targets: {', '.join(unknown)}")
    work = Path(tempfile.mkdtemp(prefix="mutual-fuzz-"))
    dictionary = work / "mutual.dict"
    dictionary.write_text(seeds.dictionary_text())
    results = []
    print(f"{'target':<12} {'seconds':>7} {'inputs tried':>13} {'crashes':>8}", flush=True)
    for target in targets:
        result = run_target(target, args.seconds, work, dictionary, args.runs, args.crashes)
        results.append(result)
        print(f"{target:<12} {result['seconds']:>7} {result['inputs_tried']:>13,} {result['crashes']:>8}"
              + (f"  {', '.join(result['crash_kinds'])}" if result["crash_kinds"] else ""), flush=True)
    total = sum(r["inputs_tried"] for r in results)
    crashes = sum(r["crashes"] for r in results)
    print(f"{'total':<12} {'':>7} {total:>13,} {crashes:>8}")
    figures = {"date": datetime.now(UTC).date().isoformat(),
               "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
               "results": results, "inputs_tried": total, "crashes": crashes, "logs": str(work)}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
