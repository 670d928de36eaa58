"""The hostile corpus: what strangers hand you at an event, and files from anywhere.

Each case of ``manifest.json`` goes through one entry point (the payload parser, the vCard
reader, the image path, the link inspector, the command line's ``scan``, the backup reader,
the CSV importer) and must end as the manifest says: parsed (key fields asserted, every field
shown safely) or refused with the named error class and a plain sentence; never another
exception. Its time bound (``max_seconds``, else 2 s) is checked with ``--timing``.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from networking_app import cli, errors
from networking_app.backups import decode_backup
from networking_app.card_fields import web_address
from networking_app.links import inspect_url
from networking_app.models import Card
from networking_app.payload import parse_payload
from networking_app.scanning import read_image
from networking_app.store import Store
from networking_app.vcard import parse_vcards
from tests.hostile.generators import GENERATORS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MANIFEST = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = MANIFEST["cases"]
DEFAULT_SECONDS = 2.0
SLOW_CASES = {"vcard-100000-cards", "image-decompression-bomb-400-megapixels"}  # over a second each
# Pillow warns about images over 89 MP before Mutual refuses them: expected here.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
TEXT_FIELDS = ("given", "family", "formatted", "title", "organization", "offers", "seeking")


# ------------------------------------------------------------------------------ helpers
def case_input(case: dict[str, Any], tmp_path: Path) -> Any:
    source = case["input"]
    if isinstance(source, dict):
        if "sparse_png_bytes" in source:
            path = tmp_path / case.get("filename", "big.png")
            with path.open("wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n")
                f.truncate(source["sparse_png_bytes"])  # a sparse file: nothing is really written
            return path
        return source["text"] + source.get("then", "") * source.get("times", 0)
    if source.startswith("gen:"):
        return GENERATORS[source[4:]]()
    return (HERE / source).read_bytes()


def unsafe_characters(text: str, *, multiline: bool = False) -> list[str]:
    """Characters a stranger's text must not bring to the screen: controls, format (bidi,
    zero-width) characters, line and paragraph separators, Hangul fillers."""
    bad = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n" and multiline:
            continue
        if category in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") or char in "\u115f\u1160\u3164\uffa0":
            bad.append(f"U+{ord(char):04X}")
    return bad


def assert_shown_safely(card: Card) -> None:
    for name in TEXT_FIELDS:
        assert not unsafe_characters(getattr(card, name)), (name, getattr(card, name))
    assert not unsafe_characters(card.note, multiline=True), card.note
    for name in ("emails", "phones", "urls"):
        for value in getattr(card, name):
            assert not unsafe_characters(value), (name, value)
    for url in card.urls:
        assert web_address(url) == url, f"a link other than http(s) reached the card: {url}"
        info = inspect_url(url)
        assert not info.url or info.url.lower().startswith(("http://", "https://")), info


def assert_plain_sentence(error: BaseException) -> None:
    text = str(error).strip()
    assert text and " " in text and len(text) <= 1000, text
    assert "Traceback" not in text and text.endswith((".", ".”", ")")), text


def check_card(card: Card, expect: dict[str, Any]) -> None:
    for name, wanted in expect.get("card", {}).items():
        assert getattr(card, name) == wanted, (name, getattr(card, name), wanted)
    for name, count in expect.get("counts", {}).items():
        assert len(getattr(card, name)) == count, (name, len(getattr(card, name)))
    for name, length in expect.get("lengths", {}).items():
        assert len(getattr(card, name)) == length, (name, len(getattr(card, name)))
    for url, wanted in zip(card.urls, expect.get("links", []), strict=False):
        check_link(url, wanted)
    assert_shown_safely(card)


def check_link(text: str, wanted: dict[str, Any]) -> None:
    info = inspect_url(text)
    assert info.openable is wanted["openable"], info
    if "host" in wanted:
        assert info.host == wanted["host"], info
    if "warning_says" in wanted:
        if wanted["warning_says"]:
            assert wanted["warning_says"] in info.warning, info
        else:
            assert info.warning == "", info
    if info.openable:
        assert info.url.lower().startswith(("http://", "https://")) and info.host, info
    else:
        assert info.url == "" and info.warning, info


def saved_names(folder: Path) -> list[str]:
    if not (folder / "mutual.json").exists():
        return []
    with Store.open(folder, daily_backup=False) as store:
        return sorted(c.display_name for c in store.people.all())


# ------------------------------------------------------------------------------ entry points
def run_parse_payload(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    return parse_payload(data).card


def run_parse_vcards(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    return parse_vcards(data)


def run_read_image(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    return read_image(data).card


def run_inspect_url(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    return inspect_url(data)


def run_decode_backup(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    return decode_backup(data, "backup.json")


def run_cli_scan(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    path = data if isinstance(data, Path) else tmp_path / case["filename"]
    if not isinstance(data, Path):
        path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["--data-dir", str(tmp_path / "data"), "scan", str(path)], out, err)
    return code, out.getvalue(), err.getvalue()


def run_import_csv(data: Any, case: dict[str, Any], tmp_path: Path) -> Any:
    from networking_app import interop

    with Store.open(tmp_path / "data", daily_backup=False) as store:
        return interop.import_bytes(store, data, "contacts.csv", format_name="csv")


ENTRIES = {
    "parse_payload": run_parse_payload,
    "parse_vcards": run_parse_vcards,
    "read_image": run_read_image,
    "inspect_url": run_inspect_url,
    "decode_backup": run_decode_backup,
    "cli_scan": run_cli_scan,
    "import_csv": run_import_csv,
}


# ------------------------------------------------------------------------------ the corpus
def test_the_corpus_covers_everything_the_issue_lists() -> None:
    ids = {case["id"] for case in CASES}
    assert len(ids) == len(CASES) >= 40
    entries = {case["entry"] for case in CASES}
    assert entries == set(ENTRIES)
    for must in ("payload-over-4kb", "vcard-4mb-single-line", "vcard-agent-nesting-50-deep", "name-rlo-vcard",
                 "name-control-characters", "url-javascript", "url-data", "url-file", "url-intent",
                 "url-punycode-lookalike", "url-plain-https-shows-real-host", "image-decompression-bomb-400-megapixels",
                 "image-100-megapixels", "image-truncated-png", "image-text-named-png", "vcard-10000-emails", "wifi",
                 "payment-sepa", "otp-totp"):
        assert must in ids, must
    for case in CASES:
        source = case["input"]
        if isinstance(source, str) and source.startswith("cases/"):
            assert (HERE / source).stat().st_size < 4096, "big cases are generated at test time"
        elif isinstance(source, str):
            assert source[4:] in GENERATORS, source


def run_case(case: dict[str, Any], tmp_path: Path) -> tuple[Any, Any, errors.MutualError | None, float]:
    """(input, result, Mutual's refusal, seconds) of one case; any other exception fails the test."""
    data = case_input(case, tmp_path)
    started = time.perf_counter()
    try:
        result, error = ENTRIES[case["entry"]](data, case, tmp_path), None
    except errors.MutualError as exc:
        result, error = None, exc
    return data, result, error, time.perf_counter() - started


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c["id"] in SLOW_CASES else c for c in CASES],
                         ids=[case["id"] for case in CASES])
def test_hostile_input_ends_as_the_manifest_says(case: dict[str, Any], tmp_path: Path) -> None:
    data, result, error, _ = run_case(case, tmp_path)
    expect = case["expect"]
    outcome = expect["outcome"]
    if outcome == "refused":
        assert error is not None, f"expected {expect['error']}, got {result!r}"[:500]
        assert type(error).__name__ == expect["error"], repr(error)
        assert_plain_sentence(error)
        for phrase in expect.get("says", []):
            assert phrase in str(error), (phrase, str(error))
        for phrase in expect.get("never_says", []):
            assert phrase not in str(error), (phrase, str(error))
        if "saved" in expect:
            assert saved_names(tmp_path / "data") == expect["saved"]
        return
    assert error is None, f"{type(error).__name__}: {error}"
    if outcome == "parsed":
        cards = result if isinstance(result, list) else [result]
        if "cards" in expect:
            assert len(cards) == expect["cards"]
        check_card(cards[0], expect)
        for card in cards[:50]:
            assert_shown_safely(card)
    elif outcome == "link":
        check_link(data, expect)
    elif outcome == "cli":
        code, out, err = result
        assert code == expect["exit"], (code, out, err)
        assert "Traceback" not in out + err
        for phrase in expect.get("stderr_says", []):
            assert phrase in err, (phrase, err)
        for phrase in expect.get("never_says", []):
            assert phrase not in out + err, (phrase, out, err)
        assert saved_names(tmp_path / "data") == expect["saved"]
    elif outcome == "imported":
        assert result.added == expect["added"], result
        if "saved" in expect:
            assert saved_names(tmp_path / "data") == expect["saved"]
        with Store.open(tmp_path / "data", daily_backup=False) as store:
            for contact in store.people.all():
                check_card(contact, {"counts": expect.get("counts", {})})
            if "export_csv_defused" in expect:
                check_csv_export_defused(store, expect["export_csv_defused"])
    else:
        raise AssertionError(f"unknown outcome {outcome}")


@pytest.mark.timing
@pytest.mark.slow
def test_hostile_inputs_end_within_their_time_bounds(tmp_path: Path) -> None:
    over = {}
    for case in CASES:
        (tmp_path / case["id"]).mkdir()
        seconds = run_case(case, tmp_path / case["id"])[3]
        if seconds >= case.get("max_seconds", DEFAULT_SECONDS):
            over[case["id"]] = f"{seconds:.2f} s"
    assert not over, over


def check_csv_export_defused(store: Store, prefixes: list[str]) -> None:
    """Cells a spreadsheet would run as formulas leave Mutual with a leading apostrophe."""
    from networking_app import interop

    data, _ = interop.export_bytes(store, "csv")
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    for prefix in prefixes:
        found = [cell for cell in cells if cell.lstrip("'").startswith(prefix)]
        assert found, (prefix, cells)
        assert all(cell.startswith("'") for cell in found), found


# ------------------------------------------------------------------------------ memory bounds
RSS_PROBE = """
import resource, sys, time
from tests.hostile.generators import GENERATORS
from networking_app.errors import MutualError
from networking_app.scanning import read_image
data = GENERATORS[sys.argv[1]]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    read_image(data)
    outcome = "read"
except MutualError as exc:
    outcome = type(exc).__name__
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(outcome, before // 1024, after // 1024, round(time.perf_counter() - started, 2))
"""


def peak_memory(generator: str) -> tuple[str, int, int, float]:
    """(outcome, peak RSS in MB before the call, after it, seconds) in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", RSS_PROBE, generator], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])))
    assert proc.returncode == 0, proc.stderr
    outcome, before, after, seconds = proc.stdout.split()
    return outcome, int(before), int(after), float(seconds)


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if "max_rss_growth_mb" in c["expect"]], ids=lambda c: c["id"])
def test_bombs_are_refused_before_decoding_eats_memory(case: dict[str, Any]) -> None:
    outcome, before, after, _ = peak_memory(case["input"][4:])
    assert outcome == case["expect"]["error"]
    assert after - before <= case["expect"]["max_rss_growth_mb"], (before, after)


RGBA_PROBE_SETUP = "from tests.hostile import generators as g; g.GENERATORS['png_rgba_bomb_just_under_the_limit'] = lambda: g.png_of_zeros(6300, 6300, 6)\n"


@functools.cache
def largest_image_decoded() -> tuple[str, int, int, float]:
    """A 150 KB transparent PNG of 39.7 megapixels (just under the limit), decoded in a fresh
    process: (outcome, peak RSS in MB before, after, seconds)."""
    probe = RSS_PROBE.replace("data = GENERATORS", RGBA_PROBE_SETUP + "data = GENERATORS")
    proc = subprocess.run([sys.executable, "-c", probe, "png_rgba_bomb_just_under_the_limit"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    outcome, before, after, seconds = proc.stdout.split()
    return outcome, int(before), int(after), float(seconds)


@pytest.mark.slow
def test_the_largest_image_allowed_decodes_within_400_mb() -> None:
    """It is decoded, not refused: its pixels take 160 MB; grayscale blending keeps the peak near
    twice that (it was 660 MB)."""
    outcome, before, after, _ = largest_image_decoded()
    assert outcome == "UnreadableImageError"  # read whole: no code in it
    assert after - before < 400, (before, after)


@pytest.mark.timing
@pytest.mark.slow
def test_the_largest_image_allowed_decodes_within_a_few_seconds() -> None:
    assert largest_image_decoded()[3] < 6
