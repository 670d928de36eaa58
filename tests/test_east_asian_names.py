"""Chinese, Japanese and Korean names read family name first, unspaced, however a file splits them.

Found by a new-user run: LinkedIn's export, a MeCard and a vCard without FN gave "芳 王" and
"민준 김"; a CSV export read back turned 陈静 into "静 陈"; such a record was not seen as a
possible duplicate of the same person scanned whole, and merging the two made "김민준 김".
"""

from __future__ import annotations

import pytest

from networking_app.interop import export_bytes, import_bytes
from networking_app.models import Card, full_name_of
from networking_app.payload import parse_payload
from networking_app.store import Store


@pytest.fixture
def store(open_store) -> Store:
    return open_store()


@pytest.fixture
def empty(open_store) -> Store:
    return open_store(name="empty")


@pytest.mark.parametrize(("given", "family", "name"), [
    ("芳", "王", "王芳"), ("민준", "김", "김민준"), ("太郎", "山田", "山田太郎"), ("タロウ", "ヤマダ", "ヤマダタロウ"),
    ("Ana", "Lima", "Ana Lima"), ("Λένα", "Παππά", "Λένα Παππά"), ("فرح", "حداد", "فرح حداد"),
    ("Wei", "王", "Wei 王"),  # mixed scripts: as given
])
def test_the_name_of_given_and_family_follows_the_script(given: str, family: str, name: str) -> None:
    assert full_name_of({"given": given, "family": family}) == name
    assert full_name_of({"given": given, "family": family, "formatted": "As Written"}) == "As Written"


def test_a_mecard_and_a_vcard_without_fn_give_the_name_family_first() -> None:
    assert parse_payload("MECARD:N:박,지성;EMAIL:park@example.kr;;").card.full_name == "박지성"
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:王;芳;;;\r\nEMAIL:fang@example.cn\r\nEND:VCARD\r\n"
    assert parse_payload(vcard).card.full_name == "王芳"


def test_a_linkedin_row_is_a_possible_duplicate_of_the_same_person_scanned_and_merges_whole(store: Store) -> None:
    scanned = store.people.add(Card(given="김민준", emails=["minjun@example.kr"]))  # the whole name in one field
    csv = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
           "민준,김,https://www.linkedin.com/in/minjun-kim,,Acme,CTO,03 Dec 2026\r\n")
    summary = import_bytes(store, csv.encode(), "Connections.csv")
    assert summary.possible_duplicates == 1
    [linked] = [c for c in store.people.all() if c.id != scanned.id]
    assert linked.full_name == "김민준"
    [pair] = [d for d in store.people.possible_duplicates() if d.other is not None]
    assert {pair.contact.id, pair.other.id} == {scanned.id, linked.id}
    merged = store.people.merge(scanned.id, linked.id)
    assert merged.full_name == "김민준" and merged.urls == ["https://www.linkedin.com/in/minjun-kim"]


def test_a_csv_export_read_back_keeps_the_name(store: Store, empty: Store) -> None:
    store.people.add(Card(formatted="陈静", emails=["jing@example.cn"]))
    data, _ = export_bytes(store, "csv")
    import_bytes(empty, data, "contacts.csv")
    assert [c.full_name for c in empty.people.all()] == ["陈静"]


@pytest.mark.parametrize(("full_name", "given", "hello"), [
    ("Ελένη Παπαδοπούλου", "", "Ελένη"), ("Ana Lima", "Ana", "Ana"), ("王芳", "芳", "王芳"), ("김민준", "", "김민준"),
    ("Dr. Ana Lima", "Ana", "Ana"), ("", "", ""),
])
def test_messages_greet_alike_whoever_writes_them(full_name: str, given: str, hello: str) -> None:
    """The follow-up draft said "Hi Ελένη Παπαδοπούλου," where the intro draft said "Hi Ελένη,"."""
    from networking_app.models import greeting_name

    assert greeting_name(full_name, given) == hello
