"""A record from a file someone else may have written is checked against its model."""

from __future__ import annotations

import pytest

from networking_app.record_rules import RecordError, clean_record, clean_value, field_types


def test_every_model_field_has_a_known_kind() -> None:
    for table in ("cards", "events", "contacts", "meetings", "followups", "intros"):
        kinds = set(field_types(table).values())
        assert kinds <= {"str", "int", "bool", "list[str]", "list[dict]"}
    assert field_types("contacts")["history"] == "list[dict]"
    assert field_types("events")["comfort"] == "int"


def test_a_record_is_cleaned_like_a_strangers_text_and_completed_with_defaults() -> None:
    doc = clean_record("contacts", {"id": "abc123", "given": "Ev\u202ee\u0007", "emails": ["x@y.example"],
                                    "unknown": "dropped"})
    assert doc["given"] == "Eve"
    assert doc["emails"] == ["x@y.example"] and doc["tags"] == [] and "unknown" not in doc
    assert clean_value("meetings", "need", "line one\r\nline two\u2028three") == "line one\nline two\nthree"


@pytest.mark.parametrize(("table", "doc", "says"), [
    ("contacts", {}, "no valid id"),
    ("contacts", {"id": ""}, "no valid id"),
    ("contacts", {"id": "a/b"}, "no valid id"),
    ("contacts", "not a record", "must be a record"),
    ("contacts", {"id": "a", "emails": "a@b.example"}, "must be a list"),
    ("contacts", {"id": "a", "emails": [3]}, "must be text"),
    ("contacts", {"id": "a", "history": ["x"]}, "must map text to text"),
    ("events", {"id": "a", "comfort": "5"}, "whole number"),
    ("events", {"id": "a", "comfort": True}, "whole number"),
    ("cards", {"id": "a", "is_default": "yes"}, "true or false"),
    ("secrets", {"id": "a"}, "no table"),
])
def test_a_record_that_does_not_fit_its_model_is_refused_with_a_reason(table: str, doc: object, says: str) -> None:
    with pytest.raises(RecordError, match=says):
        clean_record(table, doc)
