"""ICD-10-CM: the official code set as a local search index, with lookups and queries.

The public facade. Everything a feature, a notebook or the nbgrader course needs is here::

    from coderpath_widgets import icd
    icd.normalize("e119")        # 'E11.9'
    icd.details("E11.9").status  # 'billable'
    icd.search("type 2 diabetes")[0].code

The index is built once per release from the files ``simple-icd-10-cm`` ships (no network) and kept in the
user cache. Inside: :mod:`.codes` (code forms and the records lookups return), :mod:`.build` (the index
file from the shipped sources), :mod:`.ranking` (a typed query to ranked codes) and :mod:`.index`
(:class:`IcdIndex`, the shared index and the module-level queries).
"""

from __future__ import annotations

from coderpath_widgets.icd.build import build_index, index_path
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
from coderpath_widgets.icd.index import (
    IcdIndex,
    chapter_of,
    close_shared_index,
    details,
    is_billable,
    is_valid,
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
