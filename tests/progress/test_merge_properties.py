"""Property-based: merging A into B and B into A converge, and importing again changes nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coderpath_widgets.progress import vocabulary as vocab
from coderpath_widgets.progress.store import ProgressStore, materialize, merge_docs

STAMPS = st.integers(0, 30).map(lambda n: f"2026-01-01T00:00:{n:02d}.000000+00:00")
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3))
PAIRS = st.tuples(STAMPS, VALUES).map(list)
FIELDS = st.sampled_from(["done", "note", "status"])
IDS = st.sampled_from(["a", "b", "c", "d"])

FIELD_DOCS = st.dictionaries(FIELDS, PAIRS, max_size=3)
LIST_DOCS = st.builds(
    lambda items, deleted: {"items": {i: e for i, e in items.items() if i not in deleted}, "deleted": deleted},
    st.dictionaries(IDS, st.fixed_dictionaries({"o": STAMPS, "f": FIELD_DOCS}), max_size=4),
    st.dictionaries(IDS, STAMPS, max_size=2),
)


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@settings(deadline=None)
@given(FIELD_DOCS, FIELD_DOCS, FIELD_DOCS)
def test_record_merge_is_commutative_associative_and_idempotent(a, b, c):
    assert _same(merge_docs(vocab.RECORD, a, b), merge_docs(vocab.RECORD, b, a))
    assert _same(
        merge_docs(vocab.RECORD, merge_docs(vocab.RECORD, a, b), c),
        merge_docs(vocab.RECORD, a, merge_docs(vocab.RECORD, b, c)),
    )
    ab = merge_docs(vocab.RECORD, a, b)
    assert _same(merge_docs(vocab.RECORD, ab, b), ab)


@settings(deadline=None)
@given(LIST_DOCS, LIST_DOCS, LIST_DOCS)
def test_list_merge_is_commutative_associative_and_idempotent_and_keeps_tombstones(a, b, c):
    ab, ba = merge_docs(vocab.LIST, a, b), merge_docs(vocab.LIST, b, a)
    assert _same(ab, ba)
    assert _same(materialize(vocab.LIST, ab), materialize(vocab.LIST, ba))
    assert _same(merge_docs(vocab.LIST, ab, c), merge_docs(vocab.LIST, a, merge_docs(vocab.LIST, b, c)))
    assert _same(merge_docs(vocab.LIST, ab, b), ab)
    live = {item["id"] for item in materialize(vocab.LIST, ab)}
    assert not live & (set(a["deleted"]) | set(b["deleted"]))  # a removal on either side stays removed
    assert (set(a["items"]) | set(b["items"])) - set(a["deleted"]) - set(b["deleted"]) == live  # nothing new dropped


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("field"), st.sampled_from(["x", "y"]), st.sampled_from(["done", "note"]), st.booleans()),
        st.tuples(st.just("add"), st.sampled_from(["Valley", "City", "Lake"])),
        st.tuples(st.just("edit"), st.integers(0, 5), st.sampled_from(["applied", "offer"])),
        st.tuples(st.just("remove"), st.integers(0, 5)),
        st.tuples(st.just("attempt"), st.integers(0, 3)),
        st.tuples(st.just("card"), st.booleans()),
    ),
    max_size=8,
)


def _apply(store: ProgressStore, ops) -> None:
    from datetime import date

    for op in ops:
        apps = store.get("jobs", "applications") or []
        if op[0] == "field":
            store.set_field("checklist", op[1], op[2], op[3] if op[2] == "done" else str(op[3]))
        elif op[0] == "add":
            store.list_add("jobs", "applications", {"employer": op[1], "role": "Coder"})
        elif op[0] == "edit" and apps:
            store.list_edit("jobs", "applications", apps[op[1] % len(apps)]["id"], {"status": op[2]})
        elif op[0] == "remove" and apps:
            store.list_remove("jobs", "applications", apps[op[1] % len(apps)]["id"])
        elif op[0] == "attempt":
            store.add_event("case_attempt", {"case_id": f"c{op[1]}", "correct": True})
        elif op[0] == "card":
            store.review_card("cardi-o", op[1], date(2026, 1, 1))


def _content(store: ProgressStore) -> tuple[str, str]:
    data = store.export_data()
    events = sorted(json.dumps(e, sort_keys=True) for e in data["events"])
    return json.dumps(data["changes"], sort_keys=True), json.dumps(events)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=OPS, ops_a=OPS, ops_b=OPS)
def test_two_machines_converge_whichever_way_they_merge_and_reimport_is_idempotent(
    tmp_path_factory, base, ops_a, ops_b
):
    folder = tmp_path_factory.mktemp("machines")
    a = ProgressStore(folder / "a.sqlite3", profile="ana")
    b = ProgressStore(folder / "b.sqlite3", profile="ana")
    _apply(a, base)
    b.import_data(a.export_data(), "base.json")  # the same start on both machines
    _apply(a, ops_a)
    _apply(b, ops_b)
    export_a, export_b = a.export_data(), b.export_data()
    a.import_data(export_b, "b.json")
    b.import_data(export_a, "a.json")
    assert _content(a) == _content(b)
    assert a.import_data(export_b, "b.json").nothing_changed
    assert b.import_data(export_a, "a.json").nothing_changed
    a.close()
    b.close()
