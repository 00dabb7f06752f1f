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

:class:`IcdIndex` answers the queries; the module-level functions use one shared index, built on first use::

    normalize("e119")                      # 'E11.9'
    is_billable("E11.9"), is_billable("E11")  # (True, False)
    chapter_of("I10")                      # 9
    search("high blood pressure")[0].code  # 'I10'
    details("S52.521").seventh_characters  # A, D, G, K, P, S with their meanings

The code forms and records are in :mod:`.codes`, building the file in :mod:`.build`, and the ranking of a
typed query in :mod:`.ranking`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coderpath_widgets.icd.build import SCHEMA_VERSION, _looks_complete, build_index, index_path
from coderpath_widgets.icd.codes import (
    CodeDetails,
    CodeMatch,
    Level,
    Note,
    Release,
    SeventhCharacter,
    UnknownCodeError,
    compact,
    dotted,
    is_well_formed,
)
from coderpath_widgets.icd.ranking import _STOPWORDS, _WORD, _Candidate, _group, _plain, _rank, _segments, _variants

#: Weights of the full-text columns (description, inclusion terms + includes, 7th character).
_COLUMN_WEIGHTS = (10.0, 6.0, 2.0)


_MAX_QUERY_CHARS = 200


_MAX_WORDS = 12


_CODE_PREFIX = re.compile(r"[A-Z](?:[0-9][0-9A-Z]?|[A-Z][0-9])[0-9A-Z]{0,4}")


# ---------------------------------------------------------------- the index

_NODE_COLUMNS = "id, seq, code, description, billable, seventh_base, kind, parent, chapter, terms"


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
