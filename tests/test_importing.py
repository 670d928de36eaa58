"""An import's memory of its own file (networking_app.store.importing) and what it decides with it:
the same file again adds nobody, however many namesakes there are, and a namesake who no
longer holds a card's values (changed by a merge earlier in the file) is not taken for a copy."""

from __future__ import annotations

import pytest

from networking_app.matching import held_values
from networking_app.models import Card
from networking_app.store import Store
from networking_app.store.importing import INDEX_FROM, HeldCopies
from networking_app.store.people import IMPORT_POSSIBLE


@pytest.fixture
def store(open_store) -> Store:
    return open_store()


NAMES = ["Ana Souza", "王伟", "Λένα Παππά", "김민준", "فرح حداد"]


def many_namesakes(rows: int) -> list[Card]:
    """Rows as LinkedIn writes them: a few names over many people, a link each, few emails."""
    cards = []
    for i in range(rows):
        given, family = NAMES[i % len(NAMES)].split(" ") if " " in NAMES[i % len(NAMES)] else (NAMES[i % len(NAMES)], "")
        cards.append(Card(given=given, family=family, organization=f"Org {i % 7}",
                          urls=[f"https://www.linkedin.com/in/p-{i:05x}"],
                          emails=[f"p{i}@example.org"] if i % 9 == 0 else []))
    return cards


def test_the_same_file_again_with_many_namesakes_adds_nobody(store: Store) -> None:
    first = store.people.import_cards(many_namesakes(300))
    assert (first.added, first.merged, first.unchanged) == (300, 0, 0)
    again = store.people.import_cards(many_namesakes(300))
    assert (again.added, again.merged, again.unchanged) == (0, 0, 300)
    assert again.contact_ids == first.contact_ids  # each line found the very person it made
    assert len(store.people.all()) == 300


def test_an_import_reports_each_possible_duplicate_once_not_every_namesake(store: Store) -> None:
    result = store.people.import_cards(many_namesakes(50))
    asked = [cid for cid, _ in result.possible]
    assert len(asked) == len(set(asked)) == 50 - len(NAMES)  # everyone but each name's first
    assert all(m.reason.startswith("the same name") for _, m in result.possible)
    assert IMPORT_POSSIBLE == 1
    scan = store.people.identify(Card(given="Ana", family="Souza"))
    assert len(scan.possible) == 10  # a scan still asks about every namesake


def others_named(given: str, family: str, count: int) -> list[Card]:
    """Namesakes enough (or none) for the import to index the name's holdings (importing.INDEX_FROM)."""
    return [Card(given=given, family=family, urls=[f"https://x.org/{family}-{n}"]) for n in range(count)]


CROWDS = pytest.mark.parametrize("crowd", [0, INDEX_FROM], ids=["few namesakes", "many namesakes"])


@CROWDS
def test_a_line_its_namesake_held_before_a_merge_changed_them_is_a_person(store: Store, crowd: int) -> None:
    cards = others_named("Ana", "Souza", crowd) + [
             Card(given="Ana", family="Souza", title="CTO", emails=["ana@x.org"]),
             Card(given="Ana", family="Souza", title="CEO", emails=["ana@x.org"]),  # the same person, promoted
             Card(given="Ana", family="Souza", title="CTO")]  # another Ana, or the old line: asked, not dropped
    result = store.people.import_cards(cards)
    assert (result.added, result.merged, result.unchanged) == (crowd + 2, 1, 0)
    assert [store.people.get(cid).title for cid in dict.fromkeys(result.contact_ids[crowd:])] == ["CEO", "CTO"]


@CROWDS
def test_a_contact_renamed_by_a_merge_no_longer_holds_lines_of_its_old_name(store: Store, crowd: int) -> None:
    cards = others_named("Ana", "Souza", crowd) + [
             Card(given="Ana", family="Souza", organization="Lab", emails=["ana@x.org"]),
             Card(formatted="Ana Souza Keller", organization="Lab", emails=["ana@x.org"]),  # the fuller name wins
             Card(given="Ana", family="Souza", organization="Lab")]
    result = store.people.import_cards(cards)
    assert (result.added, result.merged, result.unchanged) == (crowd + 2, 1, 0)
    assert store.people.get(result.contact_ids[crowd]).full_name == "Ana Souza Keller"


def test_held_copies_checks_every_value_not_just_the_rarest() -> None:
    docs = {"a": {"id": "a", "given": "Wen", "family": "Li", "urls": ["https://x.org/wen"], "title": "CTO"},
            "b": {"id": "b", "given": "Wen", "family": "Li", "urls": ["https://x.org/wen"], "title": "Designer"}}
    copies = HeldCopies(lambda name: list(docs) if name == "wen li" else [], docs.get)
    assert copies.holder(Card(given="Wen", family="Li", urls=["https://X.org/wen"], title="designer")) == "b"
    assert copies.holder(Card(given="Wen", family="Li", title="Founder")) is None
    assert copies.holder(Card(given="Wen", family="Li")) == "a"  # a name alone: any namesake holds it
    assert copies.holder(Card(given="Wen", family="Lin")) is None
    docs["c"] = {"id": "c", "formatted": "Wen Li", "title": "Founder"}
    copies.wrote(docs["c"])
    assert copies.holder(Card(given="Wen", family="Li", title="Founder")) == "c"


def test_held_values_compare_like_the_merge_rules() -> None:
    card = Card(given="Ana", emails=[" ANA@x.org"], phones=["+44 20 7946 0001"], title=" Chief  Analyst ")
    stored = {"id": "1", "given": "Ana", "emails": ["ana@x.org"], "phones": ["020 7946 0001"],
              "title": "chief  analyst"}
    assert held_values(card) <= held_values(stored)
    assert not held_values(Card(given="Ana", title="Analyst")) <= held_values(stored)


@CROWDS
def test_a_line_twice_in_one_file_is_one_person(store: Store, crowd: int) -> None:
    line = Card(given="Wen", family="Li", urls=["https://www.linkedin.com/in/wen-li"])
    result = store.people.import_cards(others_named("Wen", "Li", crowd)
                                       + [line, Card(given="Wen", family="Li", title="CTO"), line])
    assert (result.added, result.unchanged) == (crowd + 2, 1)
    assert result.contact_ids[-1] == result.contact_ids[-3]
