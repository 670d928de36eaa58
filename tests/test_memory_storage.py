"""The in-memory storage keeps the journaled storage's transactions: the same table operations,
committed and rolled back alike, side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_app.memory_storage import MemoryStorage
from networking_app.storage import JournaledStorage, JournaledTable


class Boom(Exception):
    pass


_docs = st.fixed_dictionaries({"k": st.integers(0, 3), "v": st.text(max_size=4)})
_op = st.one_of(
    st.tuples(st.just("insert"), _docs),
    st.tuples(st.just("update"), st.integers(1, 8), st.text(max_size=4)),
    st.tuples(st.just("remove"), st.integers(1, 8)),
    st.tuples(st.just("truncate")),
)
# a transaction: its operations, then a nested one, and whether an exception ends either
_step = st.tuples(st.lists(_op, max_size=4), st.lists(_op, max_size=3), st.sampled_from(["", "inner", "outer"]))


def _apply(table: JournaledTable, op: tuple) -> None:
    if op[0] == "insert":
        table.insert(op[1])
    elif op[0] == "update" and table.contains(doc_id=op[1]):
        table.update({"v": op[2]}, doc_ids=[op[1]])
    elif op[0] == "remove" and table.contains(doc_id=op[1]):
        table.remove(doc_ids=[op[1]])
    elif op[0] == "truncate":
        table.truncate()


def _run(storage, table: JournaledTable, step: tuple) -> None:
    outer_ops, inner_ops, fails = step
    try:
        with storage.transaction():
            for op in outer_ops:
                _apply(table, op)
            try:
                with storage.transaction():
                    for op in inner_ops:
                        _apply(table, op)
                    if fails == "inner":
                        raise Boom  # caught below, inside the outer transaction: it still dooms it
            except Boom:
                pass
            if fails == "outer":
                raise Boom
    except Boom:
        pass


def _docs_of(table: JournaledTable) -> dict[int, dict]:
    return {doc.doc_id: dict(doc) for doc in table.all()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(_step, max_size=8))
def test_transactions_commit_and_roll_back_as_on_disk(tmp_path_factory, steps) -> None:
    disk = JournaledStorage(tmp_path_factory.mktemp("disk") / "mutual.json")
    memory = MemoryStorage()
    on_disk, in_memory = JournaledTable(disk, "t"), JournaledTable(memory, "t")
    for step in steps:
        _run(disk, on_disk, step)
        _run(memory, in_memory, step)
        assert _docs_of(in_memory) == _docs_of(on_disk), step
        assert memory.materialize() == disk.materialize()
    disk.close()
    assert _docs_of(in_memory) == _docs_of(JournaledTable(JournaledStorage(disk.path), "t"))


def test_a_failed_transaction_tells_the_listeners_and_gives_fresh_ids_after() -> None:
    storage = MemoryStorage()
    told: list[object] = []
    storage.listeners.append(told.append)
    table = JournaledTable(storage, "t")
    table.insert({"n": 1})
    with pytest.raises(Boom):
        with storage.transaction():
            table.insert({"n": 2})
            raise Boom
    assert told == [None] and _docs_of(table) == {1: {"n": 1}}
    assert table.insert({"n": 3}) == 2


def test_reading_gives_a_fresh_document_and_what_json_cannot_hold_is_refused_whole(tmp_path: Path) -> None:
    storage = MemoryStorage()
    table = JournaledTable(storage, "t")
    table.insert({"tags": ["a"]})
    table.get(doc_id=1)["tags"].append("b")
    assert table.get(doc_id=1) == {"tags": ["a"]}
    with pytest.raises(TypeError):
        with storage.transaction():
            table.insert({"n": 2})
            table.insert({"when": object()})
    assert _docs_of(table) == {1: {"tags": ["a"]}}
