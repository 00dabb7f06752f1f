"""docs/progress-format.md and progress/vocabulary.py describe the same saved entries."""

import re
from pathlib import Path

from coderpath_widgets.progress import vocabulary as vocab

DOC = Path(__file__).resolve().parents[2] / "docs" / "progress-format.md"


def _table(heading_row: str) -> list[list[str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading_row)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _code(cell: str) -> str | None:
    """`name` → name; plain words (e.g. "checklist item id") → None, a key made of content ids."""
    match = re.fullmatch(r"`([^`]+)`", cell)
    return match.group(1) if match else None


def test_saved_entries_table_equals_the_vocabulary():
    rows = _table("| namespace | key | kind | value | written by |")
    documented = {(_code(ns), _code(key)): kind for ns, key, kind, *_ in rows}
    assert documented == vocab.SAVED_KINDS
    assert ("practice", "current_case") in documented
    assert [(_code(ns), _code(key)) for ns, key, *_ in rows] == list(vocab.SAVED_KEYS)


def test_event_kinds_table_equals_the_vocabulary():
    rows = _table("| event kind | payload | written by |")
    assert tuple(_code(kind) for kind, *_ in rows) == vocab.EVENT_KINDS


def test_documented_fields_match_the_checked_field_types():
    rows = {
        (_code(ns), _code(key)): value
        for ns, key, _, value, _ in _table("| namespace | key | kind | value | written by |")
    }
    for entry, fields in vocab.FIELD_TYPES.items():
        named = set(re.findall(r'"(\w+)"', rows[entry]))
        assert set(fields) <= named, entry
