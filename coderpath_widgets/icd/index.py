"""Search and look up ICD-10-CM codes offline, fast enough to type against.

The code set is the CDC's ICD-10-CM release that ships inside ``simple-icd-10-cm`` (its tabular
XML and its code list). Importing that package parses the 10 MB XML and takes about two seconds,
so this module reads the two files directly, once, and keeps what it needs in a small SQLite
database in :func:`coderpath_widgets.paths.cache_dir`:

* a ``node`` table: every chapter, block and code, with its notes;
* an FTS5 full-text index over each code's description, inclusion terms and "includes" notes
  (and, for codes that carry a 7th character, that character's meaning);
* a ``wording`` table: each description and inclusion term as a sorted bag of words, so a
  query that says exactly what a term says ("lumbago" → "Lumbago NOS") is found directly.

The file name carries the package version and :data:`SCHEMA_VERSION`, so a new release or a new
layout builds a new file. Building takes a few seconds and is atomic (a temporary file renamed
into place), so two kernels starting together cannot leave a half-written index behind.
Afterwards a fresh kernel answers its first search in a few tens of milliseconds.

Words used here, as in the code set:

* a **billable** code is a leaf of the tabular list: it can be reported as is;
* a **header** has codes below it: "choose a more specific code";
* a code "with a 7th character" (``S52.521A``) is formed from a base code (``S52.521``) and one
  of the 7th-character values defined at that base or above it.

The module-level functions use one shared index, built on first use::

    normalize("e119")                      # 'E11.9'
    is_billable("E11.9"), is_billable("E11")  # (True, False)
    chapter_of("I10")                      # 9
    search("high blood pressure")[0].code  # 'I10'
    details("S52.521").seventh_characters  # A, D, G, K, P, S with their meanings
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from coderpath_widgets.paths import cache_dir

#: Bump when the database layout or what goes into it changes; the file name carries it.
SCHEMA_VERSION = 2

SOURCE_DISTRIBUTION = "simple-icd-10-cm"
SOURCE_PACKAGE = "simple_icd_10_cm"

Kind = Literal["chapter", "block", "category", "subcategory", "extension"]

#: Weights of the full-text columns (description, inclusion terms + includes, 7th character).
_COLUMN_WEIGHTS = (10.0, 6.0, 2.0)
_MAX_QUERY_CHARS = 200
_MAX_WORDS = 12

# A well-formed code once the dot is removed: a letter, then a digit and a letter or digit (E11, C4A)
# or, since the FY2026 genetic-disorder codes, a letter and a digit (QA0); then up to four more.
_COMPACT_CODE = re.compile(r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])[0-9A-Z]{0,4}")
_CODE_PREFIX = re.compile(r"[A-Z](?:[0-9][0-9A-Z]?|[A-Z][0-9])[0-9A-Z]{0,4}")
_WORD = re.compile(r"[^\W_]+")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")

# Words that carry no meaning in a search of the tabular list. "with" is here because learners
# write "patient with asthma"; "without" is not, because "without complications" matters.
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its nos of on or the their to was were with "
    "patient patients pt pts".split()
)

# Lay words and abbreviations learners type, mapped to the words the tabular list uses. The key is
# one or more words; the value is what else to accept in their place (all of its words).
_SYNONYMS: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("broken",): (("fracture",),),
    ("break",): (("fracture",),),
    ("fx",): (("fracture",),),
    ("heart", "attack"): (("myocardial", "infarction"),),
    ("mi",): (("myocardial", "infarction"),),
    ("ami",): (("acute", "myocardial", "infarction"),),
    ("htn",): (("hypertension",),),
    ("hbp",): (("hypertension",),),
    ("bp",): (("blood", "pressure"),),
    ("uti",): (("urinary", "tract", "infection"),),
    ("bladder", "infection"): (("cystitis",),),
    ("uri",): (("upper", "respiratory", "infection"),),
    ("copd",): (("chronic", "obstructive", "pulmonary", "disease"),),
    ("chf",): (("congestive", "heart", "failure"),),
    ("gerd",): (("gastro", "esophageal", "reflux"),),
    ("acid", "reflux"): (("esophageal", "reflux"),),
    ("afib",): (("atrial", "fibrillation"),),
    ("cad",): (("atherosclerotic", "heart", "disease"),),
    ("ckd",): (("chronic", "kidney", "disease"),),
    ("dm",): (("diabetes",),),
    ("t2dm",): (("type", "2", "diabetes"),),
    ("dm2",): (("type", "2", "diabetes"),),
    ("t1dm",): (("type", "1", "diabetes"),),
    ("dm1",): (("type", "1", "diabetes"),),
    ("flu",): (("influenza",),),
    ("strep",): (("streptococcal",),),
    ("pink", "eye"): (("conjunctivitis",),),
    ("ear", "infection"): (("otitis", "media"),),
    ("kidney", "stone"): (("calculus", "kidney"),),
    ("sob",): (("shortness", "breath"),),
    ("checkup",): (("check", "up"),),
    ("physical",): (("medical", "examination"),),
    ("annual", "physical"): (("general", "medical", "examination"),),
    ("wellness", "exam"): (("general", "medical", "examination"),),
    ("exam",): (("examination",),),
    ("dvt",): (("deep", "vein", "thrombosis"),),
    ("pe",): (("pulmonary", "embolism"),),
    ("osa",): (("obstructive", "sleep", "apnea"),),
    ("bph",): (("prostatic", "hyperplasia"),),
    ("adhd",): (("attention", "deficit", "hyperactivity"),),
    ("hld",): (("hyperlipidemia",),),
    ("hx",): (("history",),),
}


# ---------------------------------------------------------------- public data types


class UnknownCodeError(KeyError, ValueError):
    """A code that is not in the ICD-10-CM code set (or is not written like a code at all)."""

    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Release:
    """Which ICD-10-CM release the index holds, and where it came from."""

    name: str  # "April 2026"
    fiscal_year: int
    package: str
    package_version: str

    def __str__(self) -> str:
        return (
            f"ICD-10-CM {self.name} (FY{self.fiscal_year}), CDC files shipped by {self.package} {self.package_version}"
        )


@dataclass(frozen=True)
class CodeMatch:
    """One search result."""

    code: str
    description: str
    billable: bool
    chapter: int
    #: The inclusion term or "includes" note that matched, when the description alone did not.
    matched_term: str | None = None
    #: How it was found: "code", "code prefix", "nearest code" (the typed code does not exist),
    #: "text", or "narrower" (a code under a header whose wording equals the query).
    found_by: str = "text"
    #: True for a base code such as S52.521 that is reported only with a 7th character.
    needs_seventh_character: bool = False


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy: a chapter, a block or a code."""

    code: str  # "9" for chapter 9, "I10-I1A" for a block, "I10" for a code
    kind: Kind
    description: str
    billable: bool = False

    @property
    def label(self) -> str:
        """How coders name the level: ``Chapter 9``, ``I10-I1A``, ``I10``."""
        return f"Chapter {self.code}" if self.kind == "chapter" else self.code


@dataclass(frozen=True)
class Note:
    """An instructional note and the level it is written at (it applies to every code below)."""

    text: str
    source: str  # the label of the level: "E11", "E08-E13", "Chapter 4"


@dataclass(frozen=True)
class SeventhCharacter:
    """One 7th-character value: ``A`` → "initial encounter for closed fracture"."""

    character: str
    meaning: str


@dataclass(frozen=True)
class CodeDetails:
    """Everything the tabular list says about one code, with the notes it inherits."""

    code: str
    description: str
    #: "category" (3 characters), "subcategory", or "extension" (a code ending in its 7th character).
    kind: Kind
    billable: bool
    chapter: int
    #: Chapter → block → category → ... → this code.
    hierarchy: tuple[Level, ...]
    #: The codes directly below a header (empty for billable codes).
    children: tuple[Level, ...]
    inclusion_terms: tuple[str, ...]
    includes: tuple[Note, ...]
    excludes1: tuple[Note, ...]
    excludes2: tuple[Note, ...]
    code_first: tuple[Note, ...]
    use_additional_code: tuple[Note, ...]
    code_also: tuple[Note, ...]
    notes: tuple[Note, ...]
    #: The 7th-character values that apply here (for a base code: only those that form a real code).
    seventh_characters: tuple[SeventhCharacter, ...] = ()
    seventh_character_note: Note | None = None
    #: For a code that ends in its 7th character: that character and its meaning.
    seventh_character: SeventhCharacter | None = None

    @property
    def needs_seventh_character(self) -> bool:
        """True for a base code such as ``S52.521`` that is reported only with a 7th character."""
        return not self.billable and bool(self.children) and all(c.kind == "extension" for c in self.children)

    @property
    def status(self) -> str:
        """A plain sentence: can this code be reported as is?"""
        if self.billable:
            return "Billable: this code can be reported as is."
        if self.needs_seventh_character:
            return "Not billable without a 7th character: add one of the 7th characters listed."
        return "Header (not billable): choose a more specific code below it."


# ---------------------------------------------------------------- code formats


def compact(code: str) -> str:
    """The code in upper case without dot or surrounding spaces (``" e11.9 "`` → ``"E119"``).

    >>> compact(" e11.9 ")
    'E119'
    """
    return code.strip().upper().replace(".", "")


def is_well_formed(code: str) -> bool:
    """True when ``code`` is written like an ICD-10-CM code (whether or not it exists).

    >>> is_well_formed("e11.9"), is_well_formed("S52.521A"), is_well_formed("E11.9.9"), is_well_formed("hello")
    (True, True, False, False)
    """
    text = code.strip().upper()
    if text.count(".") > 1 or (text.count(".") == 1 and text.index(".") != 3):
        return False
    return _COMPACT_CODE.fullmatch(text.replace(".", "")) is not None


def dotted(code: str) -> str:
    """The conventional dotted form of a well-formed code (``"S52521A"`` → ``"S52.521A"``).

    >>> dotted("s52521a"), dotted("I10")
    ('S52.521A', 'I10')
    """
    text = compact(code)
    return text if len(text) <= 3 else f"{text[:3]}.{text[3:]}"


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
                text_node = by_seq[node.parent] if node.kind == "extension" else node
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


# ---------------------------------------------------------------- the index

_NODE_COLUMNS = "id, seq, code, description, billable, seventh_base, kind, parent, chapter, terms"


@dataclass
class _Candidate:
    id: int
    seq: int
    code: str
    description: str
    billable: bool
    seventh_base: bool
    kind: str
    parent: int | None
    chapter: int
    terms: list[str]
    rank: float = 0.0  # bm25: more negative is better
    level: int = 0  # how many of the typed words (or lay phrases) the match leaves out
    score: float = 0.0
    exact: bool = False
    matched_term: str | None = None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> _Candidate:
        return cls(*row[:4], bool(row[4]), bool(row[5]), row[6], row[7], row[8], json.loads(row[9]))

    def match(self, found_by: str) -> CodeMatch:
        return CodeMatch(
            self.code, self.description, self.billable, self.chapter, self.matched_term, found_by, self.seventh_base
        )


class IcdIndex:
    """An open ICD-10-CM index: search, details and validity checks.

    ``IcdIndex.open()`` builds the index first when it does not exist yet.
    """

    #: How many matches of one full-text query get a relevance score (the rest are not looked at).
    RANKED_MATCHES = 600
    #: How many of the best-scored matches are re-ranked with the finer rules.
    CANDIDATES = 60

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
            if meta.get("schema") != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"{self.path} has schema {meta.get('schema')}, not {SCHEMA_VERSION}")
        except sqlite3.DatabaseError:
            self._db.close()
            raise
        self.release = Release(meta["release_name"], int(meta["fiscal_year"]), meta["package"], meta["package_version"])
        self._first_extension = int(meta["first_extension_id"])

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> IcdIndex:
        """Open the index at ``path`` (default: the cache), building it first if needed."""
        target = Path(path) if path is not None else index_path()
        if not _looks_complete(target):
            build_index(target)
        try:
            return cls(target)
        except sqlite3.DatabaseError:  # a damaged file: rebuild once
            build_index(target)
            return cls(target)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def _query(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(parameters)).fetchall()

    def codes(self) -> list[tuple[str, str]]:
        """Every code (headers and billable codes) with its description, in tabular order."""
        return self._query("SELECT code, description FROM node WHERE compact IS NOT NULL ORDER BY seq")

    # ------------------------------------------------ validity

    def _row(self, code: str) -> tuple[Any, ...] | None:
        if not isinstance(code, str) or not is_well_formed(code):
            return None
        rows = self._query(
            "SELECT id, code, kind, parent, chapter, billable, description, data FROM node WHERE compact = ?",
            (compact(code),),
        )
        return rows[0] if rows else None

    def normalize(self, code: str) -> str | None:
        """The code in its canonical dotted form, or ``None`` when it is not in the code set."""
        row = self._row(code)
        return row[1] if row else None

    def is_valid(self, code: str) -> bool:
        """True when ``code`` is in the code set at any level (a header or a billable code)."""
        return self._row(code) is not None

    def is_billable(self, code: str) -> bool:
        """True when ``code`` is complete and can be reported (a leaf of the tabular list)."""
        row = self._row(code)
        return bool(row and row[5])

    def chapter_of(self, code: str) -> int:
        """The chapter number (1–22) of a code; raises :class:`UnknownCodeError` for unknown codes."""
        return self._require(code)[4]

    def _require(self, code: str) -> tuple[Any, ...]:
        row = self._row(code)
        if row is not None:
            return row
        shown = code if isinstance(code, str) else repr(code)
        if not isinstance(code, str) or not is_well_formed(code):
            raise UnknownCodeError(
                shown,
                f"'{shown.strip()}' is not written like an ICD-10-CM code: three characters (a letter, then "
                "digits or letters, such as E11), then a dot and up to four more (E11.9, S52.521A)",
            )
        raise UnknownCodeError(
            shown, f"{dotted(code)} is not a code in ICD-10-CM {self.release.name} (FY{self.release.fiscal_year})"
        )

    # ------------------------------------------------ details

    def details(self, code: str) -> CodeDetails:
        """Everything about one code; raises :class:`UnknownCodeError` for codes not in the code set."""
        node_id, canonical, kind, parent, chapter, billable, description, data = self._require(code)
        chain = [(canonical, kind, parent, billable, description, json.loads(data))]
        while chain[-1][2] is not None:
            row = self._query(
                "SELECT code, kind, parent, billable, description, data FROM node WHERE id = ?", (chain[-1][2],)
            )[0]
            chain.append((*row[:5], json.loads(row[5])))
        levels = [Level(c[0], c[1], c[4], bool(c[3])) for c in chain]  # this code first
        children = tuple(
            Level(c, k, d, bool(b))
            for c, k, d, b in self._query(
                "SELECT code, kind, description, billable FROM node WHERE parent = ? ORDER BY seq", (node_id,)
            )
        )

        def inherited(key: str) -> tuple[Note, ...]:
            return tuple(
                Note(text, level.label) for level, c in zip(levels, chain, strict=True) for text in c[5].get(key, [])
            )

        own = chain[0][5] if kind != "extension" else chain[1][5]
        seventh_definition: list[list[str]] | None = None
        seventh_note: Note | None = None
        for level, c in zip(levels, chain, strict=True):
            if seventh_definition is None and "seventh_def" in c[5]:
                seventh_definition = c[5]["seventh_def"]
            if seventh_note is None and "seventh_note" in c[5]:
                seventh_note = Note(c[5]["seventh_note"], level.label)
        seventh_values: tuple[SeventhCharacter, ...] = ()
        this_seventh: SeventhCharacter | None = None
        if seventh_definition is not None:
            values = tuple(SeventhCharacter(c, m) for c, m in seventh_definition)
            seventh_values = values
            if kind == "extension":
                this_seventh = next((v for v in values if v.character == canonical[-1]), None)
            elif children and all(c.kind == "extension" for c in children):
                present = {c.code[-1] for c in children}
                seventh_values = tuple(v for v in values if v.character in present)

        return CodeDetails(
            code=canonical,
            description=description,
            kind=kind,
            billable=bool(billable),
            chapter=chapter,
            hierarchy=tuple(reversed(levels)),
            children=children,
            inclusion_terms=tuple(own.get("inclusion_terms", [])),
            includes=inherited("includes"),
            excludes1=inherited("excludes1"),
            excludes2=inherited("excludes2"),
            code_first=inherited("code_first"),
            use_additional_code=inherited("use_additional_code"),
            code_also=inherited("code_also"),
            notes=inherited("notes"),
            seventh_characters=seventh_values,
            seventh_character_note=seventh_note,
            seventh_character=this_seventh,
        )

    # ------------------------------------------------ search

    def search(self, query: str, limit: int = 20) -> list[CodeMatch]:
        """Codes matching ``query``: a code (with or without dot, any case, or its start) or words.

        A query written like a code lists that code and the codes below it, in tabular order.
        Otherwise the words are searched in descriptions, inclusion terms and "includes" notes:
        codes whose wording equals the query come first (``lumbago`` → "Lumbago NOS" →
        ``M54.50``), then codes matching every word, then codes matching all but one, ranked by
        relevance with complete codes over headers and concise descriptions over long ones.
        Odd text (punctuation, quotes, FTS syntax) is treated as plain words; nothing raises.
        """
        if not isinstance(query, str) or limit <= 0:
            return []
        text = query.strip()[:_MAX_QUERY_CHARS]
        results = self._search_codes(text, limit) or self._nearest_codes(text, limit)
        if not results:
            results = self._search_text(text, limit)
        return results[:limit]

    def _search_codes(self, text: str, limit: int, found_by: str | None = None) -> list[CodeMatch]:
        key = re.sub(r"[\s.]", "", text).upper()
        if not _CODE_PREFIX.fullmatch(key):
            return []
        rows = self._query(
            "SELECT compact, code, description, billable, seventh_base, chapter FROM node "
            "WHERE compact >= ? AND compact < ? ORDER BY compact LIMIT ?",
            (key, key + "[", limit),
        )
        return [
            CodeMatch(
                code,
                description,
                bool(billable),
                chapter,
                None,
                found_by or ("code" if found == key else "code prefix"),
                bool(seventh_base),
            )
            for found, code, description, billable, seventh_base, chapter in rows
        ]

    def _nearest_codes(self, text: str, limit: int) -> list[CodeMatch]:
        """For a code that does not exist (E11.99): the codes under its longest existing start.

        Three characters are never cut: "B12" is searched as words (vitamin B12), not as "B1".
        """
        key = re.sub(r"[\s.]", "", text).upper()
        if not _CODE_PREFIX.fullmatch(key):
            return []
        for end in range(len(key) - 1, 2, -1):
            matches = self._search_codes(key[:end], limit, found_by="nearest code")
            if matches:
                return matches
        return []

    def _search_text(self, text: str, limit: int) -> list[CodeMatch]:
        words = list(dict.fromkeys(w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS))[:_MAX_WORDS]
        if not words:
            return []
        segments = _segments(words)
        variants = _variants(segments)
        known: list[str] = []
        for number, segment in enumerate(segments):
            group = _group(segment)
            last = segment[0][0]
            if self._matches_anything(group):
                known.append(group)
            elif number == len(segments) - 1 and len(segment) == 1 and last.isalpha() and len(last) >= 3:
                unfinished = f'"{last}"*'  # the last word may not be typed to its end: "diab"
                if self._matches_anything(unfinished):
                    known.append(unfinished)
        unknown = len(segments) - len(known)
        if not known or unknown > len(known):
            return []  # mostly words the code set does not use: no guessing
        plans = [(unknown, [tuple(known)])]
        if 2 <= len(known) <= 6:
            plans.append((unknown + 1, list(itertools.combinations(known, len(known) - 1))))
        if 4 <= len(known) <= 6:
            plans.append((unknown + 2, list(itertools.combinations(known, len(known) - 2))))

        candidates = self._exact_wording(variants)
        for level, combinations in plans:
            for combination in combinations:
                if len(candidates) >= limit:
                    break
                for candidate in self._full_text(" AND ".join(combination), level).values():
                    candidates.setdefault(candidate.id, candidate)
        ranked = _rank(list(candidates.values()), variants)
        return self._with_narrower_codes(ranked, limit)

    def _matches_anything(self, expression: str) -> bool:
        try:
            return bool(self._query("SELECT rowid FROM code_text WHERE code_text MATCH ? LIMIT 1", (expression,)))
        except sqlite3.OperationalError:  # a query FTS5 still refuses: treat as no match
            return False

    def _exact_wording(self, variants: list[list[str]]) -> dict[int, _Candidate]:
        """Codes whose description or an inclusion term says exactly what was typed (any order)."""
        forms = sorted({_plain(" ".join(v)) for v in variants} - {""})
        if not forms:
            return {}
        rows = self._query(
            f"SELECT DISTINCT id FROM wording WHERE form IN ({','.join('?' * len(forms))}) LIMIT 50", forms
        )
        found = self._candidates(row[0] for row in rows)
        for candidate in found.values():
            candidate.exact = True
            candidate.rank = -1.0  # exact matches are ordered among themselves by the finer rules alone
        return found

    def _full_text(self, expression: str, level: int) -> dict[int, _Candidate]:
        """The best matches of one FTS5 expression, scored with bm25.

        Codes are numbered short-and-general first and 7th-character codes last, so the first
        matches in rowid order are the likeliest; only those get a bm25 score. A 7th-character
        code is a match of its own only when its base code is not (the query named the 7th
        character: "initial encounter"); otherwise the base code stands for it.
        """
        sql = (
            "SELECT rowid, bm25(code_text, ?, ?, ?) FROM code_text "
            f"WHERE code_text MATCH ? AND rowid {{}} ? LIMIT {self.RANKED_MATCHES}"
        )
        hits = self._query(sql.format("<"), (*_COLUMN_WEIGHTS, expression, self._first_extension))
        if len(hits) < self.CANDIDATES:  # every matching code without a 7th character is in hits
            extension_hits = self._query(sql.format(">="), (*_COLUMN_WEIGHTS, expression, self._first_extension))
            if extension_hits:
                matched = {rowid for rowid, _ in hits}
                marks = ",".join("?" * len(extension_hits))
                parents = dict(
                    self._query(f"SELECT id, parent FROM node WHERE id IN ({marks})", [h[0] for h in extension_hits])
                )
                hits += [hit for hit in extension_hits if parents[hit[0]] not in matched]
        best = dict(sorted(hits, key=lambda hit: hit[1])[: self.CANDIDATES])
        found = self._candidates(best)
        for candidate in found.values():
            candidate.rank, candidate.level = best[candidate.id], level
        return found

    def _candidates(self, ids: Iterable[int]) -> dict[int, _Candidate]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self._query(f"SELECT {_NODE_COLUMNS} FROM node WHERE id IN ({','.join('?' * len(ids))})", ids)
        return {row[0]: _Candidate.from_row(row) for row in rows}

    def _with_narrower_codes(self, ranked: list[_Candidate], limit: int) -> list[CodeMatch]:
        """The ranked matches, each header whose wording equals the query followed by its codes."""
        results: list[CodeMatch] = []
        seen: set[int] = set()
        for candidate in ranked:
            if len(results) >= limit:
                break
            if candidate.id in seen:
                continue
            seen.add(candidate.id)
            results.append(candidate.match("text"))
            if candidate.exact and not candidate.billable:
                rows = self._query(
                    f"SELECT {_NODE_COLUMNS} FROM node WHERE parent = ? ORDER BY seq LIMIT ?",
                    (candidate.id, _NARROWER_SHOWN),
                )
                for row in rows:
                    if row[0] not in seen:
                        seen.add(row[0])
                        results.append(_Candidate.from_row(row).match("narrower"))
        return results[:limit]


# ---------------------------------------------------------------- query building and ranking

_NARROWER_SHOWN = 4

#: Words that make a description generic rather than more specific: they cost nothing in ranking.
_GENERIC_WORDS = frozenset(
    "unspecified specified not site nos elsewhere classified without complications uncomplicated organism other".split()
)
_DEFAULT_WORDING = re.compile(
    r"\b(unspecified|not specified|without complications|without abnormal findings|uncomplicated"
    r"|not elsewhere classified)\b"
)

Segment = tuple[tuple[str, ...], ...]  # the words as typed, then each accepted replacement


def _segments(words: list[str]) -> list[Segment]:
    """Split the words into single words and known lay phrases, each with its replacements."""
    segments: list[Segment] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            key = tuple(words[i : i + size])
            if len(key) == size and key in _SYNONYMS:
                segments.append((key, *_SYNONYMS[key]))
                i += size
                break
        else:
            segments.append(((words[i],),))
            i += 1
    return segments


def _group(segment: Segment) -> str:
    """One FTS5 expression for a segment; quoting every word makes any FTS syntax plain text."""
    options = []
    for words in segment:
        quoted = [f'"{w}"' for w in words]
        options.append(quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")")
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def _variants(segments: list[Segment], cap: int = 16) -> list[list[str]]:
    """Every way of reading the query with its replacements (the words as typed first)."""
    variants: list[list[str]] = [[]]
    for segment in segments:
        variants = [v + list(option) for v in variants for option in segment][:cap]
    return variants


def _plain_forms(text: str) -> set[str]:
    """A text as sorted bags of words for exact comparison, with and without bracketed parts.

    Nonessential modifiers in parentheses, "NOS", "unspecified" and small words are left out,
    and a plural "s" is dropped, so "Fracture of wrist NOS" and "wrist fractures" compare equal.

    >>> sorted(_plain_forms("Zoster [herpes zoster]"))
    ['herpe zoster', 'zoster']
    >>> sorted(_plain_forms("Hypertension (arterial) (benign) NOS"))
    ['hypertension']
    >>> _plain_forms("Fracture of wrist NOS") == _plain_forms("wrist fractures")
    True
    """
    lowered = text.lower()
    forms = {_plain(_PARENTHESES.sub(" ", lowered))}
    forms.update(_plain(m.group(0)[1:-1]) for m in re.finditer(r"\[[^\[\]]*\]", lowered))
    return forms


def _plain(text: str) -> str:
    words = (w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and w != "unspecified")
    return " ".join(sorted(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words))


def _stem(word: str) -> str:
    """A rough stem to explain and weigh results (FTS5's Porter stemmer did the real matching)."""
    return word[: max(4, len(word) - 3)]


def _rank(candidates: list[_Candidate], variants: list[list[str]]) -> list[_Candidate]:
    """Order candidates: exact wording first, then by match level, then by adjusted relevance."""
    variant_stems = [tuple(" " + _stem(w) for w in v) for v in variants]
    all_stems = tuple({stem[1:] for stems in variant_stems for stem in stems})
    for c in candidates:
        description = c.description.lower()
        description_words = " " + " ".join(_WORD.findall(description))
        if c.terms and not any(all(s in description_words for s in stems) for stems in variant_stems):
            term_words = [" " + " ".join(_WORD.findall(t.lower())) for t in c.terms]
            best = max(
                range(len(c.terms)),
                key=lambda i: (
                    max(sum(s in term_words[i] for s in stems) for stems in variant_stems),
                    -len(c.terms[i]),
                ),
            )
            c.matched_term = c.terms[best]
        extra = [
            w
            for w in _WORD.findall(_PARENTHESES.sub(" ", description))
            if w not in _STOPWORDS and w not in _GENERIC_WORDS and not w.startswith(all_stems)
        ]
        score = -c.rank / (1.0 + 0.08 * len(extra))
        if c.billable:
            score *= 1.3
        elif c.seventh_base:
            score *= 1.2
        if _DEFAULT_WORDING.search(description):
            score *= 1.15
        c.score = score
    return sorted(candidates, key=lambda c: (not c.exact, c.level, -c.score, c.seq))


# ---------------------------------------------------------------- the shared index

_shared: IcdIndex | None = None
_shared_lock = threading.Lock()


def shared_index() -> IcdIndex:
    """The index of the installed release, opened (and built if needed) once per process.

    It is found in :func:`~coderpath_widgets.paths.cache_dir`. Its content depends only on the
    release, never on the learner, so once open it is kept even if ``$CODERPATH_HOME`` changes.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = IcdIndex.open(index_path())
        return _shared


def close_shared_index() -> None:
    """Close the shared index; the next call opens the one in the current cache folder."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


def search(query: str, limit: int = 20) -> list[CodeMatch]:
    """Search the code set by code or words; see :meth:`IcdIndex.search`."""
    return shared_index().search(query, limit)


def details(code: str) -> CodeDetails:
    """Everything about ``code``; raises :class:`UnknownCodeError` (a ``KeyError``) if unknown."""
    return shared_index().details(code)


def is_valid(code: str) -> bool:
    """True when ``code`` is in the code set, as a header or a billable code."""
    return shared_index().is_valid(code)


def is_billable(code: str) -> bool:
    """True when ``code`` can be reported as is."""
    return shared_index().is_billable(code)


def normalize(code: str) -> str | None:
    """``"e119"`` → ``"E11.9"``; ``None`` when the code is not in the code set."""
    return shared_index().normalize(code)


def chapter_of(code: str) -> int:
    """The chapter number (1–22) of ``code``; raises :class:`UnknownCodeError` if unknown."""
    return shared_index().chapter_of(code)


def release() -> Release:
    """The release the index holds."""
    return shared_index().release


def version() -> str:
    """``"ICD-10-CM April 2026 (FY2026), CDC files shipped by simple-icd-10-cm 1.5.0"``."""
    return str(release())
