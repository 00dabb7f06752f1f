"""How a typed query becomes ranked codes: split into segments, each word's variants (synonyms, plural and
verb forms, a light stemmer), and the final ordering of candidates. Pure functions, no database.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from coderpath_widgets.icd.codes import CodeMatch

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
        return cls(
            row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), row[6], row[7], row[8], json.loads(row[9])
        )

    def match(self, found_by: str) -> CodeMatch:
        return CodeMatch(
            self.code, self.description, self.billable, self.chapter, self.matched_term, found_by, self.seventh_base
        )


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
