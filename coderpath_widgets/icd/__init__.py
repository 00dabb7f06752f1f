"""ICD-10-CM: the official code set as a local search index, with lookups and queries.

The public facade. Everything a feature, a notebook or the nbgrader course needs is here::

    from coderpath_widgets import icd
    icd.normalize("e119")        # 'E11.9'
    icd.details("E11.9").status  # 'billable'
    icd.search("type 2 diabetes")[0].code

The index is built once per release from the files ``simple-icd-10-cm`` ships (no network) and kept in the
user cache; see :mod:`coderpath_widgets.icd.index`.
"""

from __future__ import annotations

from coderpath_widgets.icd.index import (
    CodeDetails,
    CodeMatch,
    IcdIndex,
    Level,
    Note,
    Release,
    SeventhCharacter,
    UnknownCodeError,
    build_index,
    chapter_of,
    close_shared_index,
    compact,
    details,
    dotted,
    index_path,
    is_billable,
    is_valid,
    is_well_formed,
    normalize,
    release,
    search,
    shared_index,
    version,
)

__all__ = [
    "CodeDetails",
    "CodeMatch",
    "IcdIndex",
    "Level",
    "Note",
    "Release",
    "SeventhCharacter",
    "UnknownCodeError",
    "build_index",
    "chapter_of",
    "close_shared_index",
    "compact",
    "details",
    "dotted",
    "index_path",
    "is_billable",
    "is_valid",
    "is_well_formed",
    "normalize",
    "release",
    "search",
    "shared_index",
    "version",
]
