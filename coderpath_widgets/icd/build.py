"""Building the SQLite index from the files ``simple-icd-10-cm`` ships: where they are, reading the tabular
XML into nodes, the schema, :func:`build_index` (atomic: a temporary file renamed into place) and
:func:`index_path`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from coderpath_widgets.icd.codes import _COMPACT_CODE, Kind, compact
from coderpath_widgets.icd.ranking import _plain_forms
from coderpath_widgets.paths import cache_dir

#: Bump when the database layout or what goes into it changes; the file name carries it.
SCHEMA_VERSION = 2


SOURCE_DISTRIBUTION = "simple-icd-10-cm"


SOURCE_PACKAGE = "simple_icd_10_cm"


# ---------------------------------------------------------------- the source files


@dataclass(frozen=True)
class _Source:
    tabular_xml: Path
    code_list: Path
    package_version: str
    release_name: str  # "April 2026"


_source_cache: _Source | None = None


def _source() -> _Source:
    """Find the release files inside simple-icd-10-cm without importing it (that takes ~2 s)."""
    global _source_cache
    if _source_cache is None:
        spec = importlib.util.find_spec(SOURCE_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"{SOURCE_DISTRIBUTION} is not installed; it ships the ICD-10-CM files")
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        xmls = sorted(data.glob("icd10c-tabular-*.xml"))
        lists = sorted(data.glob("code-list-*.txt"))
        if len(xmls) != 1 or len(lists) != 1:
            raise RuntimeError(f"expected one tabular XML and one code list in {data}, found {xmls + lists}")
        match = re.fullmatch(r"code-list-([A-Za-z]+)-(\d{4})", lists[0].stem)
        release_name = f"{match.group(1)} {match.group(2)}" if match else lists[0].stem
        _source_cache = _Source(xmls[0], lists[0], metadata.version(SOURCE_DISTRIBUTION), release_name)
    return _source_cache


def index_path(directory: str | os.PathLike[str] | None = None) -> Path:
    """Where the index for the installed release lives (it may not exist yet)."""
    source = _source()
    folder = Path(directory) if directory is not None else cache_dir()
    return folder / f"icd10cm-{SOURCE_DISTRIBUTION}-{source.package_version}-schema{SCHEMA_VERSION}.sqlite3"


# ---------------------------------------------------------------- building


@dataclass
class _Node:
    id: int
    code: str
    kind: Kind
    parent: int | None
    chapter: int
    description: str
    data: dict[str, Any] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)


_NOTE_TAGS = {
    "inclusionTerm": "inclusion_terms",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
}


_NOTE_KEYS = tuple(_NOTE_TAGS.values())


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _read_nodes(source: _Source) -> list[_Node]:
    """Walk the tabular XML into nodes (tabular order) and add the 7th-character codes."""
    import xml.etree.ElementTree as ET  # only needed when building

    valid = {
        line.split()[0].replace(".", "").upper()
        for line in source.code_list.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    root = ET.parse(source.tabular_xml).getroot()
    nodes: list[_Node] = []

    def add(code: str, kind: Kind, parent: _Node | None, chapter: int, description: str) -> _Node:
        node = _Node(len(nodes) + 1, code, kind, parent.id if parent else None, chapter, description)
        nodes.append(node)
        if parent is not None:
            parent.children.append(node.id)
        return node

    def walk(element: Any, parent: _Node | None, chapter: int, seventh: dict[str, str]) -> None:
        tag = element.tag
        if tag == "chapter":
            chapter = int(element.findtext("name"))
            node = add(str(chapter), "chapter", None, chapter, _clean(element.findtext("desc")))
        elif tag == "section":
            block = element.attrib["id"]
            description = _clean(element.findtext("desc"))
            description = re.sub(rf"\s*\({re.escape(block)}\)$", "", description)
            node = add(block, "block", parent, chapter, description)
        else:
            code = _clean(element.findtext("name")).upper()
            kind: Kind = "category" if len(code) == 3 else "subcategory"
            node = add(code, kind, parent, chapter, _clean(element.findtext("desc")))
        own_seventh: dict[str, str] = {}
        children = []
        for child in element:
            if child.tag in ("diag", "section"):
                children.append(child)
            elif child.tag in _NOTE_TAGS:
                # A note such as ", if applicable, any associated conditions" continues its heading.
                texts = [_clean(n.text).lstrip(", ") for n in child.iter("note") if _clean(n.text)]
                node.data.setdefault(_NOTE_TAGS[child.tag], []).extend(texts)
            elif child.tag == "sevenChrNote":
                node.data["seventh_note"] = " ".join(_clean(n.text) for n in child.iter("note"))
            elif child.tag == "sevenChrDef":
                last = None
                for item in child:
                    if item.tag == "extension":
                        last = item.attrib["char"].upper()
                        own_seventh[last] = _clean(item.text)
                    elif item.tag == "note" and last is not None and _clean(item.text):
                        own_seventh[last] += "; " + _clean(item.text)
        if own_seventh:
            node.data["seventh_def"] = list(own_seventh.items())
        effective = own_seventh or seventh
        for child in children:
            walk(child, node, chapter, effective)
        if node.kind in ("category", "subcategory") and not children and effective:
            base = node.code if len(node.code) > 3 else node.code + "."
            base = base.ljust(7, "X")
            for character, meaning in effective.items():
                if compact(base + character) in valid:
                    add(base + character, "extension", node, chapter, f"{node.description}, {meaning}")

    for chapter_element in root.iter("chapter"):
        walk(chapter_element, None, 0, {})

    built = {compact(n.code) for n in nodes if n.kind not in ("chapter", "block")}
    listed = {c for c in valid if _COMPACT_CODE.fullmatch(c)}
    if built != listed:
        raise RuntimeError(
            f"the tabular XML and the code list disagree on {len(built ^ listed)} codes, "
            f"e.g. {sorted(built ^ listed)[:5]}"
        )
    return nodes


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE node (
    id INTEGER PRIMARY KEY,        -- = full-text rowid; codes numbered short-and-general first
    seq INTEGER NOT NULL UNIQUE,   -- tabular order
    code TEXT NOT NULL,            -- dotted code; block range ("A00-A09"); chapter number
    compact TEXT UNIQUE,           -- code without dot; NULL for chapters and blocks
    kind TEXT NOT NULL,
    parent INTEGER,
    chapter INTEGER NOT NULL,
    billable INTEGER NOT NULL,
    seventh_base INTEGER NOT NULL, -- 1 when every child adds a 7th character
    description TEXT NOT NULL,
    terms TEXT NOT NULL,           -- JSON list searched beside the description
    data TEXT NOT NULL             -- JSON: notes, 7th-character definition and note
);
CREATE INDEX node_parent ON node(parent, seq);
CREATE TABLE wording (             -- each description and inclusion term, as a sorted bag of words
    form TEXT NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (form, id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE code_text USING fts5(
    description, terms, seventh,
    content='', tokenize='porter unicode61 remove_diacritics 2', prefix='3'
);
"""


def build_index(path: str | os.PathLike[str] | None = None) -> Path:
    """Build the search index from the installed release and move it into place atomically.

    Returns the path of the finished index. Safe to run while other processes read or build it:
    each builds into its own temporary file and renames it over the target when complete.
    """
    source = _source()
    target = Path(path) if path is not None else index_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    nodes = _read_nodes(source)
    by_seq = {n.id: n for n in nodes}
    # Number codes so that FTS5's natural rowid order visits short, general codes first and
    # 7th-character codes last: a query on a very common word ranks only the first matches.
    codes = sorted(
        (n for n in nodes if n.kind not in ("chapter", "block")),
        key=lambda n: (n.kind == "extension", len(n.description), n.id),
    )
    others = [n for n in nodes if n.kind in ("chapter", "block")]
    new_id = {n.id: number for number, n in enumerate(codes + others, start=1)}

    handle, temp_name = tempfile.mkstemp(prefix=target.stem + "-", suffix=".building", dir=target.parent)
    os.close(handle)
    try:
        db = sqlite3.connect(temp_name)
        try:
            db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            rows = []
            text_rows = []
            for node in nodes:
                is_code = node.kind not in ("chapter", "block")
                # a 7th-character extension is worded by its base code, its parent
                text_node = by_seq[node.parent] if node.kind == "extension" and node.parent is not None else node
                terms = text_node.data.get("inclusion_terms", []) + text_node.data.get("includes", [])
                seventh = node.description[len(text_node.description) + 2 :] if node.kind == "extension" else ""
                seventh_base = bool(node.children) and by_seq[node.children[0]].kind == "extension"
                rows.append(
                    (
                        new_id[node.id],
                        node.id,
                        node.code,
                        compact(node.code) if is_code else None,
                        node.kind,
                        new_id[node.parent] if node.parent else None,
                        node.chapter,
                        int(is_code and not node.children),
                        int(seventh_base),
                        node.description,
                        json.dumps(terms),
                        json.dumps(node.data, separators=(",", ":")) if node.data else "{}",
                    )
                )
                if is_code:
                    text_rows.append((new_id[node.id], text_node.description, "\n".join(terms), seventh))
            db.executemany("INSERT INTO node VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            wordings = {
                (form, new_id[node.id])
                for node in nodes
                if node.kind in ("category", "subcategory")
                for text in [node.description, *node.data.get("inclusion_terms", []), *node.data.get("includes", [])]
                for form in _plain_forms(text)
                if form
            }
            db.executemany("INSERT INTO wording VALUES (?, ?)", sorted(wordings))
            text_rows.sort()
            db.executemany("INSERT INTO code_text(rowid, description, terms, seventh) VALUES (?,?,?,?)", text_rows)
            db.execute("INSERT INTO code_text(code_text) VALUES ('optimize')")
            meta = {
                "schema": str(SCHEMA_VERSION),
                "release_name": source.release_name,
                "fiscal_year": str(_fiscal_year(source)),
                "package": SOURCE_DISTRIBUTION,
                "package_version": source.package_version,
                "codes": str(len(text_rows)),
                "first_extension_id": str(min(i for n in codes if n.kind == "extension" for i in [new_id[n.id]])),
                "built_seconds": f"{time.perf_counter() - started:.2f}",
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.commit()
        finally:
            db.close()
        try:
            os.replace(temp_name, target)
        except OSError:
            if not _looks_complete(target):  # e.g. Windows, where another kernel holds it open
                raise
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return target


def _fiscal_year(source: _Source) -> int:
    """The fiscal year in the XML's ``<version>`` element (read from the first lines only)."""
    with source.tabular_xml.open(encoding="utf-8") as handle:
        head = handle.read(2000)
    match = re.search(r"<version>\s*(\d{4})\s*</version>", head)
    if not match:
        raise RuntimeError(f"no <version> in {source.tabular_xml.name}")
    return int(match.group(1))


def _looks_complete(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == str(SCHEMA_VERSION)
