"""Folding text for search-as-you-type (networking_app.search): what a query finds in a name,
whatever the case, the accents and the script. The store's search over cards and notes is in
test_store.py.
"""

from __future__ import annotations

import pytest

from networking_app.search import fold, matches, query_terms, search_fold


def finds(query: str, text: str) -> bool:
    return matches(search_fold(text), query_terms(query))


@pytest.mark.parametrize("query, name", [
    ("zoe", "Zoë"), ("munchen", "MÜNCHEN"), ("angstrom", "Ångström"), ("nguyen van", "Nguyễn Văn Anh"),
    ("strasse", "Straße"), ("istanbul", "İstanbul"), ("finance", "ﬁnance"), ("abc", "ＡＢＣ"),
])
def test_latin_names_are_found_without_their_accents_or_case(query: str, name: str) -> None:
    assert finds(query, name)


def test_greek_is_found_in_any_case_with_or_without_its_accents_and_final_sigma() -> None:
    assert fold("ΣΟΦΊΑ") == fold("Σοφία") == fold("σοφια") == "σοφια"
    assert fold("ΟΔΥΣΣΈΑΣ") == fold("Οδυσσέας")  # a final ς and a capital Σ fold alike
    assert finds("οδυσσεας", "Οδυσσέας Ελύτης")


def test_arabic_is_found_with_or_without_its_vowel_marks() -> None:
    assert fold("مُحَمَّد") == fold("محمد") == "محمد"
    assert finds("محمد", "مُحَمَّد عَلِيّ") and finds("علي", "مُحَمَّد عَلِيّ")


def test_korean_is_found_syllable_by_syllable_and_while_a_syllable_is_typed() -> None:
    assert finds("김민준", "김민준") and finds("민준", "김민준")
    assert finds("기", "김민준")  # on the way to 김 the keyboard shows 기: the name is found already
    assert not finds("박", "김민준")


def test_apostrophes_are_ignored_in_names_and_queries() -> None:
    for query in ("obrien", "O'Brien", "o’brien", "OʼBrien"):
        assert finds(query, "Seán O’Brien"), query
    assert finds("o'brien", "Sean OBrien")


def test_a_query_is_words_that_must_all_occur_in_any_order() -> None:
    assert query_terms("  Zoë   LUND ") == ["zoe", "lund"]
    assert finds("lund zoe", "Zoë Ångström · Lund University")
    assert not finds("zoe oslo", "Zoë Ångström · Lund University")
    assert query_terms("   ") == [] and finds("", "anyone")  # an empty query finds everyone


def test_long_text_folds_like_short_text() -> None:
    assert fold("Ä" * 300) == "a" * 300  # past the cache's length limit, the same rule
    assert fold("PLAIN ASCII") == "plain ascii"
