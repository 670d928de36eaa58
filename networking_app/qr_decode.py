"""Read the QR codes in an image: a camera frame, a screenshot or a photo from a stranger.

Two backends sit behind one small :class:`Backend` interface, chosen once at import:
zxing-cpp where it installs (desktop, web server) and OpenCV on phones, because
zxing-cpp publishes no Android/iOS wheels while Flet's mobile package index has
opencv-python. Their read rates differ (``docs/qr-backends.md``).

Images are untrusted, so the file size and the pixel count from the header are
checked before any pixel is decoded, and every failure becomes an
:class:`UnreadableImageError` (or :class:`ImageTooLargeError`) with a plain sentence.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

import numpy as np
from PIL import ExifTags, Image, ImageOps

from networking_app import image_kinds
from networking_app.errors import ImageTooLargeError, UnreadableImageError

# Pillow warns from 89 megapixels up; MAX_PIXELS refuses far below that, in a sentence, not a warning on stderr
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG", "WEBP")
# Below this size modules are often only 2–3 px wide: a 2x upscaled pass finds more codes.
SMALL_IMAGE_SIDE = 800
CLASSIC_MAX_PIXELS = 1_000_000  # OpenCV's slow classic detector runs only up to this size

NOT_AN_IMAGE = "This file is not an image Mutual can read."
NO_CODE = "No QR code was found in this image."
NO_BACKEND = "This device cannot read QR codes from images."

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | Image.Image


class Backend(Protocol):
    """A QR reader: every text it finds in a grayscale image, in reading order."""

    name: str

    def read(self, gray: Image.Image) -> list[str]: ...


class _Found(NamedTuple):
    text: str
    x: float  # centre
    y: float
    height: float

    @classmethod
    def at(cls, text: str, corners: np.ndarray) -> _Found:
        xs, ys = corners[:, 0], corners[:, 1]
        return cls(text, float(xs.mean()), float(ys.mean()), float(ys.max() - ys.min()))


class ZxingBackend:
    """zxing-cpp: the better reader (C++, a 1 MB wheel), where it installs."""

    name = "zxing-cpp"

    def __init__(self) -> None:
        import zxingcpp  # raises ImportError where no wheel exists (Android, iOS)

        self._zxing = zxingcpp

    def read(self, gray: Image.Image) -> list[str]:
        z = self._zxing
        pixels = np.asarray(gray)  # zxing-cpp reads an array faster than a PIL image
        # LocalAverage suits uneven light; GlobalHistogram rescues some glare and low contrast.
        passes: list[Callable[[], list[_Found]]] = [
            lambda: self._scan(pixels, z.Binarizer.LocalAverage),
            lambda: self._scan(pixels, z.Binarizer.GlobalHistogram),
        ]
        if max(gray.size) <= SMALL_IMAGE_SIDE:
            passes.append(lambda: self._scan(_upscaled(pixels), z.Binarizer.LocalAverage, 0.5))
        return _first_found(passes)

    def _scan(self, pixels: np.ndarray, binarizer: Any, scale: float = 1.0) -> list[_Found]:
        z = self._zxing
        # try_invert, try_rotate and try_downscale stay on (defaults): dark mode, sideways, large codes.
        found = z.read_barcodes(
            pixels, formats=z.BarcodeFormat.QRCode, text_mode=z.TextMode.Plain, binarizer=binarizer
        )
        return [_Found.at(b.text, _zxing_corners(b.position) * scale) for b in found]


class OpenCVBackend:
    """OpenCV's two QR detectors: the phone fallback; it reads fewer codes and more slowly."""

    name = "opencv"

    def __init__(self) -> None:
        import cv2

        self._cv2 = cv2
        # decodeBytes (OpenCV ≥ 4.11) returns raw bytes; 4.10 returns str and fails on non-UTF-8.
        self._bytes_api = hasattr(cv2.QRCodeDetector, "detectAndDecodeBytesMulti")

    def read(self, gray: Image.Image) -> list[str]:
        pixels = np.asarray(gray)
        # The Aruco-based detector finds several codes and is quick on frames without any.
        # The classic one reads more small, blurred codes, but on camera frames it found
        # nothing Aruco missed and costs ≈ 170 ms per empty 1080p frame: small images only.
        # Neither looks for inverted (dark-mode) codes by itself.
        passes: list[Callable[[], list[_Found]]] = [lambda: self._scan_all(pixels)]
        if gray.width * gray.height <= CLASSIC_MAX_PIXELS:
            passes.append(lambda: self._scan_one(pixels))
        passes.append(lambda: self._scan_all(255 - pixels))
        if max(gray.size) <= SMALL_IMAGE_SIDE:
            passes.append(lambda: self._scan_upscaled(pixels))
        return _first_found(passes)

    def _scan_upscaled(self, pixels: np.ndarray) -> list[_Found]:
        larger = _upscaled(pixels)
        return self._scan_all(larger, 0.5) or self._scan_one(larger, 0.5)

    def _scan_all(self, pixels: np.ndarray, scale: float = 1.0) -> list[_Found]:
        detector = self._cv2.QRCodeDetectorAruco()  # per call: detectors keep state, calls may be concurrent
        decode = detector.detectAndDecodeBytesMulti if self._bytes_api else detector.detectAndDecodeMulti
        try:
            ok, texts, corners, _ = decode(pixels)
        except (self._cv2.error, UnicodeDecodeError):  # unsupported modes (e.g. Kanji), non-UTF-8 on 4.10
            return []
        if not ok or corners is None:
            return []
        return [
            _Found.at(_opencv_text(raw), quad.reshape(4, 2) * scale)  # type: ignore[arg-type]  # cv2 types texts loosely
            for raw, quad in zip(texts, corners, strict=False)
            if raw
        ]

    def _scan_one(self, pixels: np.ndarray, scale: float = 1.0) -> list[_Found]:
        detector = self._cv2.QRCodeDetector()
        decode = detector.detectAndDecodeBytes if self._bytes_api else detector.detectAndDecode
        try:
            raw, corners, _ = decode(pixels)
        except (self._cv2.error, UnicodeDecodeError):
            return []
        if not raw or corners is None:
            return []
        return [_Found.at(_opencv_text(raw), corners.reshape(4, 2) * scale)]


def available_backends() -> list[Backend]:
    """The backends that import on this device, best first."""
    found: list[Backend] = []
    for backend_class in (ZxingBackend, OpenCVBackend):
        try:
            found.append(backend_class())
        except ImportError:
            pass
    return found


BACKEND: Backend | None = next(iter(available_backends()), None)


def decode_image(source: Source, *, backend: Backend | None = None) -> list[str]:
    """Every QR text in the image, top to bottom and left to right, without duplicates.

    ``source`` is PNG, JPEG or WebP bytes, a path to such a file, or a PIL image.
    Raises :class:`UnreadableImageError` / :class:`ImageTooLargeError`; finding no
    code is not an error here (an empty list), see :func:`decode_first`.
    """
    reader = backend or BACKEND
    if reader is None:
        raise UnreadableImageError(NO_BACKEND)
    texts = reader.read(load_grayscale(source))
    return list(dict.fromkeys(texts))


def decode_first(source: Source, *, backend: Backend | None = None) -> str:
    """The first QR text in reading order; raises :class:`UnreadableImageError` when there is none."""
    texts = decode_image(source, backend=backend)
    if not texts:
        raise UnreadableImageError(NO_CODE)
    return texts[0]


def load_grayscale(source: Source) -> Image.Image:
    """The image as 8-bit grayscale, upright per EXIF, transparency on white; limits checked first."""
    if isinstance(source, Image.Image):
        _check_pixels(source.size)
        image = source
    else:
        image = _open(_read_bytes(source))
        if image.format == "JPEG":
            image.draft("L", image.size)  # decode luma only: faster, a third of the memory
    try:
        return _grayscale(image)
    except Exception as err:  # Pillow raises many types on corrupt data; all mean the same here
        raise UnreadableImageError(NOT_AN_IMAGE) from err


def _read_bytes(source: bytes | bytearray | memoryview | str | os.PathLike[str]) -> bytes:
    """The file's bytes; never reads more than MAX_FILE_BYTES + 1 of them."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        size = len(data)
    else:
        try:
            with open(source, "rb") as file:
                size = os.fstat(file.fileno()).st_size
                data = file.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
        except OSError as err:
            raise UnreadableImageError(f"Mutual cannot open the file {os.fspath(source)}.") from err
        size = max(size, len(data))  # a file may grow between stat and read
    if size > MAX_FILE_BYTES:
        raise ImageTooLargeError(
            f"This file is too large to scan ({size / 2**20:.1f} MB; "
            f"the limit is {MAX_FILE_BYTES // 2**20} MB)."
        )
    return data


def _open(data: bytes) -> Image.Image:
    """Pillow's lazy open: parses only the header, so the pixel limit is checked before decoding."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError as err:  # Pillow's own, higher, global limit
        match = re.search(r"\((\d+) pixels\)", str(err))
        raise ImageTooLargeError(_too_large(int(match[1]) if match else None)) from err
    except Exception as err:  # UnidentifiedImageError, and anything a corrupt header triggers
        kind = image_kinds.image_kind(data[: image_kinds.HEAD_BYTES])
        if kind and not image_kinds.is_readable(kind):  # fewer decoders, less to attack: say what to do instead
            raise UnreadableImageError(image_kinds.refusal(kind)) from err
        raise UnreadableImageError(NOT_AN_IMAGE) from err
    _check_pixels(image.size)
    return image


def _check_pixels(size: tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise ImageTooLargeError(_too_large(size[0] * size[1]))


def _too_large(pixels: int | None) -> str:
    limit = MAX_PIXELS // 1_000_000
    if pixels is None:
        return f"This image is too large to scan (the limit is {limit} megapixels)."
    return f"This image is too large to scan ({round(pixels / 1_000_000)} megapixels; the limit is {limit})."


def _grayscale(image: Image.Image) -> Image.Image:
    image.load()
    upright = _upright(image)
    if upright.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        return _stretched(upright)  # convert("L") would clip 16-bit images to white
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        # A transparent background is usually black underneath: show it as paper, not ink.
        # Blended in grayscale (one byte a pixel), not in RGBA: a 40-megapixel image then
        # needs 4 x 40 MB on top of its pixels instead of 3 x 160 MB.
        if upright.mode == "LA":
            gray, alpha = upright.getchannel("L"), upright.getchannel("A")
        else:
            rgba = upright if upright.mode == "RGBA" else upright.convert("RGBA")
            gray, alpha = rgba.convert("L"), rgba.getchannel("A")
        return Image.composite(gray, Image.new("L", gray.size, 255), alpha)
    return upright if upright.mode == "L" else upright.convert("L")


def _upright(image: Image.Image) -> Image.Image:
    """Phone photos are often stored sideways with an EXIF Orientation tag; apply it."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        # exif_transpose copies even upright images: call it only when there is work to do.
        return image if orientation == 1 else ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block should not hide a readable code
        return image


def _stretched(image: Image.Image) -> Image.Image:
    values = np.array(image, dtype=np.float32)  # a copy we own: scaled in place, one array at a time
    low, high = float(values.min()), float(values.max())
    values -= low
    values *= 255.0 / max(high - low, 1e-6)
    return Image.fromarray(values.astype(np.uint8))


def _upscaled(pixels: np.ndarray) -> np.ndarray:
    image = Image.fromarray(pixels)
    return np.asarray(image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC))


def _first_found(passes: list[Callable[[], list[_Found]]]) -> list[str]:
    """Run the passes cheapest first and stop at the first that finds anything."""
    for scan in passes:
        found = scan()
        if found:
            return _in_reading_order(found)
    return []


def _in_reading_order(found: list[_Found]) -> list[str]:
    """Top to bottom in rows, left to right within a row: codes whose centres lie
    within half a code's height of the row's first code share its row."""
    rows: list[list[_Found]] = []
    for item in sorted(found, key=lambda f: f.y):
        if rows and item.y - rows[-1][0].y < rows[-1][0].height / 2:
            rows[-1].append(item)
        else:
            rows.append([item])
    return [item.text for row in rows for item in sorted(row, key=lambda f: f.x)]


def _zxing_corners(position: Any) -> np.ndarray:
    points = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return np.array([(p.x, p.y) for p in points], dtype=np.float64)


def _opencv_text(raw: bytes | str) -> str:
    """OpenCV's text, with legacy Shift_JIS codes repaired.

    OpenCV hands over bytes that are not UTF-8 either raw or re-encoded from
    Latin-1. Latin-1 text never contains C1 control codes (0x80–0x9F), Shift_JIS
    double-byte text nearly always does: that alone decides. Real UTF-8 text has
    no C1 codes, so cards are never touched; half-width katakana (0xA1–0xDF) stay
    Latin-1, as they cannot be told from accented capitals.
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _legacy_text(raw)
    else:
        text = raw
    if _has_c1(text) and max(map(ord, text)) < 256:
        return _legacy_text(text.encode("latin-1"))
    return text


def _legacy_text(raw: bytes) -> str:
    if any(0x80 <= byte <= 0x9F for byte in raw):
        try:
            return raw.decode("shift_jis")
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def _has_c1(text: str) -> bool:
    return any("\x80" <= char <= "\x9f" for char in text)
