"""ICD-10-CM code forms and the records lookups return.

:func:`compact` and :func:`dotted` convert between ``E119`` and ``E11.9``; :func:`is_well_formed` checks
the shape only (whether the code exists is :meth:`IcdIndex.is_valid`). The dataclasses are what
:class:`IcdIndex` returns: :class:`CodeMatch`, :class:`CodeDetails` with its :class:`Level`, :class:`Note` and
:class:`SeventhCharacter` rows, and :class:`Release`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["chapter", "block", "category", "subcategory", "extension"]


# A well-formed code once the dot is removed: a letter, then a digit and a letter or digit (E11, C4A)
# or, since the FY2026 genetic-disorder codes, a letter and a digit (QA0); then up to four more.
_COMPACT_CODE = re.compile(r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])[0-9A-Z]{0,4}")


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
