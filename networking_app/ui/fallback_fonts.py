"""The Noto fallback fonts Flutter's web client asks for, cut from packaged Noto fonts when asked.

Offline (``no_cdn``), Flet's web client fetches ``assets/fonts/<Google Fonts path>`` the first time
a page shows a character none of its fonts has: Chinese, Japanese, Korean, Arabic, Hebrew,
Devanagari, Thai… (``flet_web/patch_index.py`` sets ``fontFallbackBaseUrl``). flet_web ships none
of those files: each request was a 404 and the name was drawn as empty boxes. Which file Flutter
expects to cover which characters is a table compiled into the client (``main.dart.js``; the wasm
build holds the same one). This module reads that table and answers each request with a subset of
a packaged Noto font holding the characters the table promises for that file, at weight 400
(HarfBuzz: 3-70 ms a file, kept in memory).

Nothing here runs before the first such request: a page with only Latin text asks for nothing,
so the first paint does no more work than before.

Where the fonts come from (PyPI, pure data, pinned by hash in ``uv.lock``; not on phones, whose
Flutter uses the system's fonts): ``manimgx-fonts-cjk`` (Noto Sans CJK, the JP/KR/SC/TC/HK faces),
``manimgx-fonts`` (Noto Sans Arabic, Hebrew, Thai, Devanagari… one file each), ``fontpkg-noto-sans``
(Google's Noto Sans, which unlike the Noto project's also holds Devanagari: Flutter sends Devanagari
to that file) and ``uharfbuzz`` (HarfBuzz's subsetter). The packages are located, never imported.
All fonts are under the SIL Open Font License 1.1; each file served keeps its licence name
records (13, 14), as the licence asks of every copy.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# main.dart.js: the fallback table is `NotoFont("<family>","<path>")` calls (minified, e.g. `A.z(`),
# in font index order, plus two encoded strings (flutter: lib/web_ui/dev/roll_fallback_fonts.dart,
# lib/web_ui/lib/src/engine/font_fallbacks.dart). No callee in the pattern: a prefix pattern
# backtracks for a minute on the 9.6 MB file.
_FONT_ENTRY = re.compile(r'\("(Noto [^"]+)","([a-z0-9]+/v\d+/[A-Za-z0-9_.-]+\.woff2)"\)')
_LONG_STRING = re.compile(r'"([A-Za-z0-9,]{20000,})"')
MAX_CODE_POINT = 0x10FFFF
LICENCE_NAME_IDS = (13, 14)  # the OFL's text and URL, kept in every file served (OFL 1.1, condition 2)

# Noto Sans CJK's faces in manimgx-fonts-cjk's collection.
_CJK_FACES = {"Noto Sans JP": 0, "Noto Sans KR": 1, "Noto Sans SC": 2, "Noto Sans TC": 3, "Noto Sans HK": 4}

Table = dict[str, tuple[str, list[tuple[int, int]]]]  # file path -> (Flutter's family, code point ranges)


@dataclass(frozen=True)
class Source:
    """A packaged font file (a face of it) and how to cut a subset of it."""

    path: Path
    face: int
    axes: tuple[tuple[str, float], ...]
    layout_closure: bool = True  # Arabic joining forms, Indic conjuncts: glyphs reached only by GSUB


def package_folder(name: str) -> Path | None:
    """Where an installed package's files are, found without running its code."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _client_code() -> Path:
    folder = package_folder("flet_web")
    if folder is None:
        raise FileNotFoundError("flet_web is not installed")
    return folder / "web" / "main.dart.js"


def _decode_number_runs(text: str) -> list[tuple[int, str]]:
    """Flutter's digits: decimal prefix digits, then one letter that ends the number."""
    out, prefix = [], 0
    for ch in text:
        if ch.isdigit():
            prefix = prefix * 10 + int(ch)
        else:
            base = 97 if ch.islower() else 65
            out.append((prefix * 26 + ord(ch) - base, ch))
            prefix = 0
    return out


def parse_table(js: str) -> Table:
    """{file path: (Flutter's family name, inclusive code point ranges)} from the client's code."""
    fonts = _FONT_ENTRY.findall(js)
    strings = sorted(_LONG_STRING.findall(js), key=len, reverse=True)
    sets_text = next(s for s in strings if "," in s)
    ranges_text = next(s for s in strings if "," not in s)
    font_sets = []
    for part in sets_text.split(","):
        members, index = [], -1
        for delta, _ in _decode_number_runs(part):
            index += delta + 1
            members.append(index)
        font_sets.append(members)
    per_font: list[list[tuple[int, int]]] = [[] for _ in fonts]
    start, size = 0, 1
    for value, ch in _decode_number_runs(ranges_text):
        if ch.islower():
            size = value + 2
            continue
        for font in font_sets[value]:
            per_font[font].append((start, start + size - 1))
        start, size = start + size, 1
    if start != MAX_CODE_POINT + 1:
        raise ValueError("the client's fallback font table did not decode")
    return {path: (family, per_font[i]) for i, (family, path) in enumerate(fonts)}


@cache
def table() -> Table:
    return parse_table(_client_code().read_text(encoding="utf-8"))


def source_for(family: str) -> Source | None:
    """The packaged font that covers one of Flutter's fallback families, or None."""
    base = re.sub(r" \d+$", "", family)  # "Noto Sans SC 93" is slice 93 of "Noto Sans SC"
    if base in _CJK_FACES:
        folder = package_folder("manimgx_fonts_cjk")
        # Without layout closure: each glyph's vertical and other-locale variants (~1.5x the size)
        # are never drawn by Flutter, which sets CJK horizontally with the face's own forms.
        return Source(folder / "NotoSansCJK-VF.otf.ttc", _CJK_FACES[base], (("wght", 400),),
                      layout_closure=False) if folder else None
    if base == "Noto Sans":  # Google's Noto Sans: Latin, Greek, Cyrillic *and* Devanagari
        folder = package_folder("fontpkg_noto_sans")
        return Source(folder / "files" / "NotoSans[wdth,wght].ttf", 0, (("wght", 400), ("wdth", 100))) \
            if folder else None
    folder = package_folder("manimgx_fonts")
    name = "NotoEmoji" if base == "Noto Color Emoji" else base.replace(" ", "")
    path = folder / f"{name}[wght].ttf" if folder else None
    return Source(path, 0, (("wght", 400),)) if path and path.exists() else None


class FallbackFonts:
    """Font files by the path Flutter asks for; each made once, on the first request."""

    def __init__(self) -> None:
        self._made: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._blobs: dict[Path, Any] = {}

    def get(self, path: str) -> bytes | None:
        """The font file Flutter asks for by ``path`` ("notosanssc/v37/….116.woff2"), or None."""
        with self._lock:  # one subset at a time: at most a few tens of ms each
            if path not in self._made:
                entry = table().get(path)
                source = source_for(entry[0]) if entry else None
                if entry is None or source is None:
                    return None
                self._made[path] = self._subset(source, entry[1])
            return self._made[path]

    def _subset(self, source: Source, ranges: list[tuple[int, int]]) -> bytes:
        import uharfbuzz as hb  # type: ignore[import-untyped]

        blob = self._blobs.get(source.path)
        if blob is None:
            blob = self._blobs[source.path] = hb.Blob.from_file_path(str(source.path))
        face = hb.Face(blob, source.face)
        wanted = hb.SubsetInput()
        for first, last in ranges:
            wanted.unicode_set.add_range(first, last)
        for name_id in LICENCE_NAME_IDS:
            wanted.name_id_set.add(name_id)
        for axis, value in source.axes:
            wanted.pin_axis_location(face, axis, value)
        flags = hb.SubsetFlags.DOWNGRADE_CFF2 | hb.SubsetFlags.NO_HINTING  # CFF2 (CJK) becomes CFF
        if not source.layout_closure:
            flags |= hb.SubsetFlags.NO_LAYOUT_CLOSURE
        wanted.flags = flags
        return hb.subset(face, wanted).blob.data


FONTS = FallbackFonts()
ROUTE = "/assets/fonts/{family}/{version}/{file}"  # three segments: the client's own fonts stay static files


def add_route(asgi_app: Any) -> None:
    """Answer the fallback fonts before Flet's static files (a 404 there), inside the app the key guards."""
    import asyncio

    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def fallback_font(request: Request) -> Response:
        params = request.path_params
        path = f"{params['family']}/{params['version']}/{params['file']}"
        try:
            data = await asyncio.to_thread(FONTS.get, path)
        except Exception:  # a font is a nicety: the text then shows as boxes, the app goes on
            import logging

            logging.getLogger(__name__).exception("fallback font %s could not be made", path)
            data = None
        if data is None:
            return Response(status_code=404)
        kind = "font/otf" if data[:4] == b"OTTO" else "font/ttf"
        return Response(data, media_type=kind, headers={"Cache-Control": "private, max-age=86400"})

    asgi_app.router.routes.insert(0, Route(ROUTE, fallback_font))
