"""Time QR encoding and decoding, and measure each backend's read rate on the zxing corpus.

Run: ``uv run python bench/bench_qr.py``. Each figure is a median of wall-clock
time, then of the process's CPU time: on a busy machine wall time grows while CPU
time stays close to what an idle one shows. The frames are the ones
``tests/test_qr_decode.py`` reads (``tests/support/qr_scenes.py``).
"""

from __future__ import annotations

import datetime
import io
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qrcode  # noqa: E402

from networking_app.qr_decode import Backend, available_backends, decode_image, load_grayscale  # noqa: E402
from networking_app.qr_image import qr_png, qr_version  # noqa: E402
from tests.support.qr_scenes import CARD, CORPUS, camera_frame  # noqa: E402


def timed(action: Callable[[], object], runs: int) -> str:
    """Median wall-clock and CPU milliseconds, formatted for one line."""
    action()  # warm-up: imports, caches
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    return f"{statistics.median(wall) * 1000:7.1f} ms  (CPU {statistics.median(cpu) * 1000:6.1f} ms)"


def qrcode_default_png(payload: str) -> bytes:
    """What the plain ``qrcode`` recipe costs, for comparison."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


def corpus_rates(backend: Backend) -> tuple[int, int, int, float, float]:
    """(right, wrong, total, median ms, 90th percentile ms) per image, decoding from the file."""
    right = wrong = 0
    timings = []
    images = sorted(CORPUS.glob("qrcode-*/*.png"))
    for path in images:
        expected = path.with_suffix(".txt").read_bytes().decode("utf-8")
        gray = load_grayscale(path)
        start = time.perf_counter()
        texts = backend.read(gray)
        timings.append((time.perf_counter() - start) * 1000)
        right += expected in texts
        wrong += bool(texts) and expected not in texts
    timings.sort()
    return right, wrong, len(images), statistics.median(timings), timings[int(len(timings) * 0.9)]


def versions() -> str:
    names = ("zxing-cpp", "opencv-python-headless", "opencv-python", "pillow", "qrcode", "numpy")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def main() -> None:
    print(f"{datetime.date.today()}  {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(versions())
    card_bytes = len(CARD.encode("utf-8"))
    print(f"\ncard payload: {card_bytes} bytes, QR version {qr_version(CARD)} at level M")
    print(f"  card -> PNG (qr_png)            {timed(lambda: qr_png(CARD), 50)}")
    print(f"  card -> PNG (qrcode defaults)   {timed(lambda: qrcode_default_png(CARD), 20)}")

    frame, empty = camera_frame(), camera_frame(None)
    print("\n1920x1080 camera-like JPEG frame (tests/test_qr_decode.py::camera_frame)")
    print(f"  JPEG -> grayscale only          {timed(lambda: load_grayscale(frame), 30)}")
    gray, gray_empty = load_grayscale(frame), load_grayscale(empty)
    for backend in available_backends():
        runs = 30 if backend.name == "zxing-cpp" else 8
        assert backend.read(gray) == [CARD], f"{backend.name} misread the benchmark frame"
        print(f"  [{backend.name}]")
        print(f"    read grayscale frame          {timed(lambda: backend.read(gray), runs)}")  # noqa: B023 (timed runs it now)
        print(f"    JPEG bytes -> texts (total)   {timed(lambda: decode_image(frame, backend=backend), runs)}")  # noqa: B023
        print(f"    frame without a code          {timed(lambda: backend.read(gray_empty), runs)}")  # noqa: B023

    if not CORPUS.is_dir():
        print(f"\ncorpus not found at {CORPUS}")
        return
    print(f"\nzxing corpus ({CORPUS.name}): read exactly / wrong text / per-image read time")
    for backend in available_backends():
        right, wrong, total, median, p90 = corpus_rates(backend)
        print(
            f"  {backend.name:10s} {right}/{total} = {right / total:.1%}   wrong {wrong}   "
            f"median {median:.1f} ms, p90 {p90:.1f} ms"
        )


if __name__ == "__main__":
    main()
