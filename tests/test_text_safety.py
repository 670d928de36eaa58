"""clean_text: what a stranger's card may not smuggle into the UI."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from networking_app.text_safety import clean_text


@pytest.mark.parametrize(
    "control",
    ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068",
     "\u2069", "\u200e", "\u200f", "\u061c"],
)  # fmt: skip
def test_bidi_controls_are_removed_so_a_name_cannot_reorder_the_ui(control: str) -> None:
    assert clean_text(f"Eve{control}gpj.exe") == "Evegpj.exe"


def test_right_to_left_text_itself_is_kept() -> None:
    assert clean_text("שלום עולם") == "שלום עולם"
    assert clean_text("مرحبا") == "مرحبا"


def test_zero_width_and_invisible_format_characters_are_removed() -> None:
    hidden = "J\u200bo\u2060h\ufeffn\u00ad \U000e0041Doe\u2062"
    assert clean_text(hidden) == "John Doe"


def test_hangul_fillers_cannot_fake_a_blank_name() -> None:
    assert clean_text("\u3164\u115f\u1160\uffa0") == ""


def test_joiners_stay_inside_emoji_and_non_latin_words() -> None:
    technologist = "\U0001f469\u200d\U0001f4bb"  # woman technologist
    persian = "می\u200cخواهم"
    assert clean_text(technologist) == technologist
    assert clean_text(persian) == persian


def test_joiners_next_to_latin_letters_or_spaces_are_removed() -> None:
    assert clean_text("Jo\u200dhn") == "John"
    assert clean_text("\u200dé") == "é"
    assert clean_text("é\u200d é") == "é é"
    assert clean_text("é\u200d\u200dé") == "éé"


def test_control_characters_are_removed_and_tabs_become_spaces() -> None:
    assert clean_text("a\x00b\x07c\x1b[31md\x7fe\x9fg\th") == "abc[31mdeg h"


def test_single_line_turns_every_line_break_into_a_space() -> None:
    assert clean_text("a\r\nb\rc\nd\u2028e\u2029f\x0bg\x0ch\x85i") == "a b c d e f g h i"


def test_multiline_keeps_newlines_normalised_to_lf() -> None:
    assert clean_text("a\r\nb\rc\u2028d", multiline=True) == "a\nb\nc\nd"


def test_text_is_nfc_normalised_and_stripped() -> None:
    decomposed = "  Zoe\u0308 A\u030angstro\u0308m \n"
    assert clean_text(decomposed) == "Zoë Ångström"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


def test_long_text_is_cut_with_an_ellipsis_within_max_len() -> None:
    assert clean_text("abcdefghij", max_len=5) == "abcd…"
    assert clean_text("abcdefghij", max_len=10) == "abcdefghij"
    assert len(clean_text("x" * 5000)) == 1000


def test_cut_never_separates_a_letter_from_its_accent() -> None:
    text = "abe\u0301\u0327z"  # "e" with two combining marks that NFC cannot fully compose
    cut = clean_text(text, max_len=4)
    assert cut.endswith("…")
    assert not unicodedata.combining(cut[-2])


def test_lone_surrogates_are_removed_so_text_can_be_written_as_utf8() -> None:
    cleaned = clean_text("ab\ud800c")
    assert cleaned == "abc"
    cleaned.encode("utf-8")


def test_huge_hostile_input_is_bounded() -> None:
    cleaned = clean_text("\u202e" * 1_000_000 + "x" * 1_000_000, max_len=50)
    assert len(cleaned) <= 50


@given(st.text(), st.booleans(), st.integers(min_value=1, max_value=60))
def test_cleaning_is_idempotent_and_leaves_no_dangerous_character(
    text: str, multiline: bool, max_len: int
) -> None:
    cleaned = clean_text(text, multiline=multiline, max_len=max_len)
    assert clean_text(cleaned, multiline=multiline, max_len=max_len) == cleaned
    assert len(cleaned) <= max_len
    assert cleaned == cleaned.strip()
    cleaned.encode("utf-8")
    for char in cleaned:
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cs") or (multiline and char == "\n")
        assert category != "Cf" or char in "\u200c\u200d"
