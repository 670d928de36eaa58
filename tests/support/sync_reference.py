"""The sync rules written the plain way, as a reference: replay every operation in clock order.

Independent of networking_app.sync.replica on purpose: no per-field clocks, no states, just
records changed one operation after another. The property tests check that a replica fed
the same operations in any order, with duplicates, shows exactly what this replay shows.
"""

from __future__ import annotations

from typing import Any

from networking_app.sync.ops import Op
from networking_app.sync.schema import CONTACT_REFERENCES, element_key, set_fields


def replay(ops: list[Op]) -> dict[str, dict[str, dict[str, Any]]]:
    ops = sorted({op.op_id: op for op in ops}.values(), key=lambda op: op.clock)
    merges = _effective_merges(ops)
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for op in ops:
        if op.merge_into:
            continue
        key = (op.table, op.rid)
        if op.create:
            rec = records.setdefault(key, {"alive": False, "values": {}, "sets": {}})
            rec["alive"], rec["reset"] = True, op.clock
            rec["values"].update(op.set)
            for name in set_fields(op.table):
                rec["sets"][name] = [(element_key(v), op.clock, v) for v in op.reset.get(name, [])]
            continue
        if op.delete:
            if key in records:
                records[key]["alive"] = False
            continue
        if op.table == "contacts":
            key = ("contacts", _follow(merges, op.rid, op.clock))
        rec = records.get(key)
        if rec is None or not rec["alive"]:
            continue
        rec["values"].update(op.set)
        for name, items in op.add.items():
            elems = [e for e in rec["sets"].setdefault(name, []) if e[0] not in {element_key(v) for v in items}]
            rec["sets"][name] = elems + [(element_key(v), op.clock, v) for v in items]
        for name, items in op.remove.items():
            gone = {element_key(v) for v in items}
            rec["sets"][name] = [e for e in rec["sets"].get(name, []) if e[0] not in gone]
    return _view(records, merges)


def _effective_merges(ops: list[Op]) -> dict[str, tuple[str, str]]:
    latest: dict[str, tuple[str, str]] = {}
    for op in ops:
        if op.merge_into:
            latest[op.rid] = (op.clock, op.merge_into)  # ops are in clock order: the last one stays
    effective: dict[str, tuple[str, str]] = {}
    for source, (clock, target) in sorted(latest.items(), key=lambda item: item[1][0]):
        if _resolve(effective, target) != source:
            effective[source] = (clock, target)
    return effective


def _resolve(merges: dict[str, tuple[str, str]], contact: str) -> str:
    while contact in merges:
        contact = merges[contact][1]
    return contact


def _follow(merges: dict[str, tuple[str, str]], contact: str, clock: str) -> str:
    """Where a write made at ``clock`` to ``contact`` lands: along merges made before it."""
    while contact in merges and merges[contact][0] < clock:
        contact = merges[contact][1]
    return contact


def _view(records: dict[tuple[str, str], dict[str, Any]],
          merges: dict[str, tuple[str, str]]) -> dict[str, dict[str, dict[str, Any]]]:
    def shown_contact(cid: str) -> bool:
        rec = records.get(("contacts", cid))
        return bool(rec and rec["alive"]) and cid not in merges

    view: dict[str, dict[str, dict[str, Any]]] = {}
    for (table, rid), rec in records.items():
        if not rec["alive"] or (table == "contacts" and rid in merges):
            continue
        doc = {**rec["values"], "id": rid}
        for name in set_fields(table):
            elems = rec["sets"].get(name, [])
            listed = [v for _, clock, v in elems if clock == rec["reset"]]  # in the order created
            later = sorted((clock, k, v) for k, clock, v in elems if clock != rec["reset"])
            doc[name] = listed + [v for _, _, v in later]
        hidden = False
        for name in CONTACT_REFERENCES.get(table, ()):
            if doc.get(name):
                doc[name] = _resolve(merges, doc[name])
                hidden |= not shown_contact(doc[name])
        if table == "intros" and doc.get("seeker_id") == doc.get("helper_id"):
            hidden = True
        if not hidden:
            view.setdefault(table, {})[rid] = doc
    return view
