"""The people commands: scan never merges on a name, contacts --duplicates, merge, not-same, delete, tag/untag;
bad input gets a sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from networking_app.store import Store
from tests.test_cli import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


def scan(cli: Cli, text: str) -> str:
    code, out, err = cli("scan", "-", stdin=text)
    assert code == 0, err
    return out


def ids_in(text: str) -> list[str]:
    return re.findall(r"id ([0-9a-f]{8})", text)


def test_scanning_a_second_john_smith_saves_a_new_contact_and_says_possibly_the_same(cli: Cli) -> None:
    first = scan(cli, "John Smith <john@alpha.example>")
    second = scan(cli, "John Smith <john@beta.example>")
    assert "new contact" in first and "new contact" in second
    [first_id] = ids_in(first)
    assert f"possibly the same as John Smith (id {first_id}): the same name" in second
    assert f"If so: merge {first_id} " in second
    data = cli.json("contacts")
    assert sorted(c["emails"][0] for c in data) == ["john@alpha.example", "john@beta.example"]  # type: ignore[index]


def test_a_linkedin_link_is_named_from_its_slug_but_joins_no_maria_lopez(cli: Cli) -> None:
    scan(cli, "Maria Lopez <maria@lopez.example>")
    out = scan(cli, "https://www.linkedin.com/in/maria-lopez")
    assert "Maria Lopez" in out and "new contact" in out and "possibly the same as Maria Lopez" in out


def test_pasted_free_text_keeps_the_name(cli: Cli) -> None:
    out = scan(cli, "Tom from the bar, 0171 234567")
    assert out.startswith("-: Tom (new contact")
    [tom] = cli.json("contacts")  # type: ignore[misc]
    assert tom["phones"] == ["0171 234567"] and tom["note"] == "Tom from the bar"


def test_a_serial_number_is_refused_with_a_sentence(cli: Cli) -> None:
    code, _, err = cli("scan", "-", stdin="N023X-3431800-V034PG03X-7781")
    assert code == 1 and "not a business card; nothing was saved" in err
    assert cli.json("contacts") == []


def test_contacts_duplicates_lists_pairs_and_why_then_not_same_hides_them(cli: Cli) -> None:
    [a] = ids_in(scan(cli, "Wei Zhang\n+86 138 0013 8000"))
    [b, _] = ids_in(scan(cli, "Wei Zhang\n+86 139 1111 2222"))
    code, out, _ = cli("contacts", "--duplicates")
    assert code == 0 and f"{a}  Wei Zhang  and  {b}  Wei Zhang — the same name" in out
    assert "merge KEEP OTHER" in out
    [shape] = cli.json("contacts", "--duplicates")  # type: ignore[misc]
    assert shape["reason"].startswith("the same name") and {shape["id"][:8], shape["other_id"][:8]} == {a, b}
    code, out, _ = cli("not-same", a, b)
    assert code == 0 and "two people" in out
    assert cli("contacts", "--duplicates")[1] == "No possible duplicates.\n"


def test_a_store_merged_on_a_name_by_an_older_mutual_is_listed_to_review_never_split(cli: Cli, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    from networking_app.models import Contact

    with store.batch():
        store.records.put(Contact(given="John", family="Smith", emails=["john@alpha.example", "john@beta.example"]))
    store.close()
    code, out, _ = cli("contacts", "--duplicates")
    assert "John Smith — one record with email addresses at alpha.example and beta.example" in out
    [john] = cli.json("contacts")  # type: ignore[misc]
    assert john["emails"] == ["john@alpha.example", "john@beta.example"]  # listed, not split


def test_merge_asks_like_the_app_then_merges_and_says_how_to_undo(cli: Cli) -> None:
    [a] = ids_in(scan(cli, "John Smith <john@alpha.example>"))
    [b, _] = ids_in(scan(cli, "John Smith <john@beta.example>"))
    code, _, err = cli("merge", a, b)  # no terminal to ask on
    assert code == 2 and "Merge John Smith" in err and "the one you keep wins" in err and "--yes" in err
    code, out, err = cli("merge", a, b, "--yes")
    assert code == 0, err
    assert "Merged John Smith into John Smith" in out and "To undo: restore " in out
    backup = Path(out.split("restore ")[1].split(" (")[0])
    assert backup.is_file() and "before-merge" in backup.name
    [john] = cli.json("contacts")  # type: ignore[misc]
    assert john["emails"] == ["john@alpha.example", "john@beta.example"] and john["id"].startswith(a)


def test_delete_says_how_to_undo_with_the_newest_backup(cli: Cli) -> None:
    [a] = ids_in(scan(cli, "Ada Lovelace <ada@example.org>"))
    code, out, err = cli("delete", a)
    assert code == 0, err
    assert out.startswith("Deleted Ada Lovelace") and "To undo: restore " in out and "newest backup" in out
    assert f"(id {a[:8]}) with 1 meeting (and my notes)." in out  # what went with them, no follow-up said
    backup = out.split("restore ")[1].split(" (")[0]
    assert cli.json("contacts") == []
    assert cli("restore", backup)[0] == 0
    assert [c["name"] for c in cli.json("contacts")] == ["Ada Lovelace"]  # type: ignore[index]


def test_tag_and_untag(cli: Cli) -> None:
    [a] = ids_in(scan(cli, "Ada Lovelace <ada@example.org>"))
    assert cli("tag", a, "speaker", "Climate")[1] == "Ada Lovelace: speaker, Climate.\n"
    assert cli("tag", a, "SPEAKER")[1] == "Ada Lovelace: speaker, Climate.\n"  # no two alike but for case
    assert cli("untag", a, "climate")[1] == "Ada Lovelace: speaker.\n"
    assert cli.json("contacts", "--tag", "speaker")[0]["tags"] == ["speaker"]  # type: ignore[index]


@pytest.mark.parametrize("args, sentence", [
    (("merge", "deadbeef", "deadbeef", "--yes"), "No contact has an id starting with deadbeef."),
    (("delete", "0123abcd"), "No contact has an id starting with 0123abcd."),
    (("tag", "abc", "x"), "Give at least the first 4 characters of the contact id."),
])
def test_an_unknown_id_gets_a_sentence(cli: Cli, args: tuple[str, ...], sentence: str) -> None:
    scan(cli, "Ada Lovelace <ada@example.org>")
    code, out, err = cli(*args)
    assert code == 1 and err.strip().endswith(sentence) and "Traceback" not in err and out == ""


def test_merging_a_contact_into_itself_and_a_tag_with_control_characters_get_sentences(cli: Cli) -> None:
    [a] = ids_in(scan(cli, "Ada Lovelace <ada@example.org>"))
    code, _, err = cli("merge", a, a + "", "--yes")
    assert code == 1 and "cannot be merged into itself" in err
    code, _, err = cli("tag", a, "vip\x07\nbcc")
    assert code == 1 and "A tag is one line of text" in err and "Traceback" not in err
    code, _, err = cli("untag", a, "nope")
    assert code == 1 and "Ada Lovelace has no tag “nope”." in err
