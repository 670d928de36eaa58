"""The fallback fonts served to Flutter web: the files it asks for, holding the characters its table
promises, cut from the packaged Noto fonts they claim to be, behind the web mode's key."""

from __future__ import annotations

import pytest

hb = pytest.importorskip("uharfbuzz")

from networking_app.ui import fallback_fonts  # noqa: E402

NAMES = "张伟 王芳 臺灣 山田太郎 やまだ 김민수 محمد عبد الله דוד राज क्षत्रिय สมชาย Γιώργος Иван Nguyễn"
ZHANG = ("notosanssc/v37/k3kCo84MPvpLmixcA63oeAL7Iqp5IZJF9bmaG9_FnYkldv7JjxkkgFsFSSOPMOkySAZ73y9ViAt3acb8NexQ2w"
         ".116.woff2")


def _unicodes(data: bytes) -> set[int]:
    return set(hb.Face(hb.Blob(data)).unicodes)


def _code_points(ranges: list[tuple[int, int]]) -> set[int]:
    return {cp for first, last in ranges for cp in range(first, last + 1)}


def test_the_client_table_decodes_into_the_files_flutter_asks_for() -> None:
    table = fallback_fonts.table()
    # the file flet_web 1.0.5 was seen to request for 张
    zhang = [path for path, (family, ranges) in table.items()
             if family.startswith("Noto Sans SC") and ord("张") in _code_points(ranges)]
    assert zhang == [ZHANG] and table[ZHANG][0] == "Noto Sans SC 93"


def test_every_file_covering_a_name_character_draws_it() -> None:
    table = fallback_fonts.table()
    for ch in {ch for ch in NAMES if ord(ch) >= 0x370 and not ch.isspace()}:  # Latin is Roboto's
        files = [path for path, (family, ranges) in table.items()
                 if fallback_fonts.source_for(family) and ord(ch) in _code_points(ranges)]
        assert files, f"no served file covers {ch!r}"
        for path in files:
            assert ord(ch) in _unicodes(fallback_fonts.FONTS.get(path)), (ch, path)


def test_one_slice_of_each_family_holds_all_it_promises() -> None:
    table = fallback_fonts.table()
    firsts: dict[str, str] = {}
    for path, (family, _) in table.items():
        firsts.setdefault(family.rstrip("0123456789 "), path)
    served = 0
    for base, path in firsts.items():
        if fallback_fonts.source_for(table[path][0]) is None:
            continue
        served += 1
        missing = _code_points(table[path][1]) - _unicodes(fallback_fonts.FONTS.get(path))
        # script fonts lack Google's added Latin, punctuation and combining marks (Roboto or Noto
        # Sans draw those) and Sinhala the Devanagari dandas; never a letter of their own script
        assert all(cp < 0x0370 or 0x1AB0 <= cp < 0x1F00 or 0x2000 <= cp < 0x2E80 or cp in (0x964, 0x965)
                   for cp in missing), (base, sorted(map(hex, missing))[:10])
    assert served >= 25  # CJK (5), Arabic, Hebrew, Thai, Devanagari, Noto Sans and the other scripts


def test_the_packaged_fonts_are_the_noto_fonts_they_claim_under_the_ofl() -> None:
    """The font packages are young and small: what they hold is checked, not assumed."""
    for family, expected in (("Noto Sans SC 93", "Noto Sans CJK SC"), ("Noto Sans KR 0", "Noto Sans CJK KR"),
                             ("Noto Sans Arabic", "Noto Sans Arabic"), ("Noto Sans Hebrew", "Noto Sans Hebrew"),
                             ("Noto Sans", "Noto Sans")):
        source = fallback_fonts.source_for(family)
        assert source is not None and source.path.is_file(), family
        face = hb.Face(hb.Blob.from_file_path(str(source.path)), source.face)
        names = {i: face.get_name(i) or "" for i in (0, 1, 13, 14)}
        assert names[1].startswith(expected), (family, names[1])
        # the Noto project's copyright holders, and the licence
        assert any(holder in names[0] for holder in ("Google", "Adobe", "The Noto Project Authors")), names[0]
        assert "SIL Open Font License" in names[13] and ("OFL" in names[14] or "openfontlicense" in names[14]), names


def test_a_file_served_keeps_its_licence_records() -> None:
    face = hb.Face(hb.Blob(fallback_fonts.FONTS.get(ZHANG)))
    assert "SIL Open Font License" in (face.get_name(13) or "")


def test_files_flutter_does_not_ask_for_by_that_name_are_refused() -> None:
    assert fallback_fonts.FONTS.get("roboto.woff2") is None
    assert fallback_fonts.FONTS.get("notosanssc/v1/nothing.woff2") is None


def test_the_font_route_sits_behind_the_key() -> None:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from networking_app.ui.web_key import AllowedHosts, KeyGate

    app = Starlette()
    fallback_fonts.add_route(app)
    gate = KeyGate(app, "k" * 32, 8550, AllowedHosts.bound_to("127.0.0.1"))
    client = TestClient(gate, base_url="http://127.0.0.1:8550")
    assert client.get(f"/assets/fonts/{ZHANG}").status_code == 403
    client.cookies.set("mutual-key-8550", "k" * 32)
    answer = client.get(f"/assets/fonts/{ZHANG}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "font/otf"
    assert client.get("/assets/fonts/notosanssc/v37/nothing.woff2").status_code == 404
