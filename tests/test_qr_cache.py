"""My card's QR between runs: kept in the data folder, private, never stale, never required."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from networking_app.models import Card
from networking_app.qr_image import qr_png
from networking_app.ui import qr_cache
from networking_app.vcard import fit_card_for_qr

ROOT = Path(__file__).resolve().parents[1]
ANA = Card(given="Ana", family="Lima", emails=["ana@lima.example"], offers="Python mentoring")


@pytest.fixture
def cache_dir(tmp_path: Path):
    qr_cache._cache.clear()
    qr_cache.configure(tmp_path / "cache")
    yield tmp_path / "cache"
    qr_cache.configure(None)
    qr_cache._cache.clear()


def test_the_png_is_kept_private_and_read_back_on_the_next_run(cache_dir: Path) -> None:
    png, _ = qr_cache.png_for(ANA)
    assert png == qr_png(fit_card_for_qr(ANA).text, box_size=qr_cache.BOX_SIZE)
    [kept] = cache_dir.glob("my-qr-*.png")
    assert kept.read_bytes() == png
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    probe = ("import sys, pathlib\n"
             "from networking_app.ui import qr_cache\n"
             "from networking_app.models import Card\n"
             f"qr_cache.configure(pathlib.Path({str(cache_dir)!r}))\n"
             "png, _ = qr_cache.png_for(Card(given='Ana', family='Lima', emails=['ana@lima.example'], offers='Python mentoring'))\n"
             f"assert png == pathlib.Path({str(kept)!r}).read_bytes()\n"
             "print('qrcode' in sys.modules, 'PIL' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr[-2000:]  # neither drawn nor imported


def test_a_changed_card_never_shows_the_old_code_and_the_old_file_goes(cache_dir: Path) -> None:
    old, _ = qr_cache.png_for(ANA)
    changed = Card(given="Ana", family="Lima", emails=["ana@new.example"], offers="Python mentoring")
    new, _ = qr_cache.png_for(changed)
    assert new != old and new == qr_png(fit_card_for_qr(changed).text, box_size=qr_cache.BOX_SIZE)
    assert [p.read_bytes() for p in cache_dir.glob("my-qr-*.png")] == [new]


def test_a_torn_or_unwritable_cache_is_only_a_slower_start(cache_dir: Path) -> None:
    png, _ = qr_cache.png_for(ANA)
    [kept] = cache_dir.glob("my-qr-*.png")
    kept.write_bytes(png[: len(png) // 2])  # torn
    qr_cache._cache.clear()
    assert qr_cache.png_for(ANA)[0] == png and kept.read_bytes() == png  # redrawn and rewritten
    qr_cache._cache.clear()
    qr_cache.configure(cache_dir / "missing" / "deeper")
    (cache_dir / "missing").write_text("a file where the folder should be")
    assert qr_cache.png_for(ANA)[0] == png  # cannot be kept: still shown


def test_an_endless_file_in_the_cache_is_read_no_further_than_a_png_can_be(cache_dir: Path) -> None:
    png, _ = qr_cache.png_for(ANA)
    [kept] = cache_dir.glob("my-qr-*.png")
    kept.unlink()
    kept.symlink_to("/dev/zero")
    qr_cache._cache.clear()
    assert qr_cache._read_disk(fit_card_for_qr(ANA).text) is None  # refused after 1 MB, not a MemoryError
    assert qr_cache.png_for(ANA)[0] == png
