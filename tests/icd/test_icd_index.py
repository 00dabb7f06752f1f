"""The ICD-10-CM search index: ranking, code formats, details, odd input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coderpath_widgets.icd import build as icd_build
from coderpath_widgets.icd import index as icd_index
from coderpath_widgets.icd.index import IcdIndex, UnknownCodeError

pytestmark = pytest.mark.usefixtures("icd_home_env")


@pytest.fixture
def icd() -> IcdIndex:
    return icd_index.shared_index()


# ---------------------------------------------------------------- ranking

TOP_3 = [
    ("high blood pressure", "I10"),
    ("blood pressure high", "I10"),
    ("hypertension", "I10"),
    ("HTN", "I10"),
    ("lumbago", "M54.50"),
    ("low back pain", "M54.50"),
    ("type 2 diabetes", "E11.9"),
    ("diabetes type 2", "E11.9"),
    ("t2dm", "E11.9"),
    ("asthma", "J45.909"),
    ("strep throat", "J02.0"),
    ("sore throat", "J02.9"),
    ("pneumonia", "J18.9"),
    ("urinary tract infection", "N39.0"),
    ("uti", "N39.0"),
    ("copd", "J44.9"),
    ("heart attack", "I21.9"),
    ("flu", "J11.1"),
    ("depression", "F32.A"),
    ("anxiety", "F41.9"),
    ("headache", "R51.9"),
    ("chest pain", "R07.9"),
    ("hyperlipidemia", "E78.5"),
    ("gerd", "K21.9"),
    ("atrial fibrillation", "I48.91"),
    ("covid", "U07.1"),
    ("stroke", "I63.9"),
    ("kidney stone", "N20.0"),
    ("annual physical", "Z00.00"),
    ("type 2 diabetes with foot ulcer", "E11.621"),
    ("torus fracture lower end right radius initial encounter", "S52.521A"),
    ("Hypertension!!!", "I10"),
]


@pytest.mark.parametrize(("query", "expected"), TOP_3)
def test_likely_code_is_in_the_top_three(icd: IcdIndex, query: str, expected: str) -> None:
    codes = [m.code for m in icd.search(query)]
    assert expected in codes[:3], f"{query!r}: {codes[:5]}"


def test_broken_wrist_finds_wrist_fractures(icd: IcdIndex) -> None:
    top = icd.search("broken wrist", limit=5)
    assert top[0].code == "S62.10"  # "Fracture of wrist NOS"
    assert top[0].matched_term == "Fracture of wrist NOS"
    assert all(m.code.startswith(("S52", "S62")) for m in top)


def test_inclusion_term_that_matched_is_reported(icd: IcdIndex) -> None:
    first = icd.search("high blood pressure")[0]
    assert (first.code, first.matched_term) == ("I10", "high blood pressure")


def test_header_whose_wording_equals_the_query_is_followed_by_its_codes(icd: IcdIndex) -> None:
    matches = icd.search("otitis media", limit=6)
    assert matches[0].code == "H66.9" and not matches[0].billable
    assert [m.code for m in matches[1:5]] == ["H66.90", "H66.91", "H66.92", "H66.93"]
    assert {m.found_by for m in matches[1:5]} == {"narrower"}


def test_base_code_shown_instead_of_its_seventh_character_codes(icd: IcdIndex) -> None:
    matches = icd.search("torus fracture of lower end of right radius")
    assert matches[0].code == "S52.521" and matches[0].needs_seventh_character
    # 7th-character codes appear only as the codes under the exact match, not as matches of their own.
    assert all(m.found_by == "narrower" for m in matches if len(m.code) == 8)
    other = icd.search("torus fracture radius")
    assert other and not any(len(m.code) == 8 for m in other)


# ---------------------------------------------------------------- code queries


@pytest.mark.parametrize("query", ["e119", "E11.9", " e11.9 ", "E119"])
def test_code_with_or_without_dot_any_case(icd: IcdIndex, query: str) -> None:
    first = icd.search(query)[0]
    assert (first.code, first.found_by, first.billable) == ("E11.9", "code", True)


def test_code_prefix_lists_the_category_in_tabular_order(icd: IcdIndex) -> None:
    matches = icd.search("e11", limit=10)
    assert [m.code for m in matches[:4]] == ["E11", "E11.0", "E11.00", "E11.01"]
    assert all(m.code.startswith("E11") for m in matches)
    assert matches[0].found_by == "code" and matches[1].found_by == "code prefix"


def test_seventh_character_code(icd: IcdIndex) -> None:
    assert [m.code for m in icd.search("s52521a")] == ["S52.521A"]


def test_code_that_does_not_exist_shows_the_nearest_codes(icd: IcdIndex) -> None:
    matches = icd.search("E11.99")
    assert matches[0].code == "E11.9" and matches[0].found_by == "nearest code"


# ---------------------------------------------------------------- odd input

ODD = [
    "",
    "   ",
    "!!!",
    '"',
    '"unbalanced quote',
    "*",
    "-",
    "^",
    "NEAR",
    "NEAR(a b)",
    "a OR b NOT c",
    "fracture AND",
    "description: fracture",
    "'); DROP TABLE node; --",
    "\x00\x01",
    "café au lait spots",
    "🩺 fracture",
    "x" * 10_000,
    "e" * 3,
    "E",
    ".",
    "E11..9",
]


@pytest.mark.parametrize("query", ODD)
def test_odd_input_never_raises(icd: IcdIndex, query: str) -> None:
    matches = icd.search(query)
    assert isinstance(matches, list) and len(matches) <= 20
    assert len({m.code for m in matches}) == len(matches)


def test_fts_syntax_is_treated_as_words(icd: IcdIndex) -> None:
    assert [m.code for m in icd.search('"lumbago"')][:1] == ["M54.50"]
    assert [m.code for m in icd.search("lumbago*")][:1] == ["M54.50"]


def test_nonsense_returns_nothing(icd: IcdIndex) -> None:
    assert icd.search("<script>alert(1)</script>") == []
    assert icd.search("qwzx plorf") == []


def test_limit_and_non_text(icd: IcdIndex) -> None:
    assert len(icd.search("fracture", limit=7)) == 7
    assert icd.search("fracture", limit=0) == []
    assert icd.search(None) == []  # type: ignore[arg-type]


# ---------------------------------------------------------------- code formats


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("e119", "E11.9"),
        (" S52.521a ", "S52.521A"),
        ("I10", "I10"),
        ("i1a0", "I1A.0"),
        ("t360x1a", "T36.0X1A"),
        ("QA0", "QA0"),
        ("E11.99", None),
        ("E11.9.9", None),
        ("hello", None),
        ("", None),
        ("A00-A09", None),
    ],
)
def test_normalize(typed: str, canonical: str | None) -> None:
    assert icd_index.normalize(typed) == canonical


def test_valid_and_billable() -> None:
    assert icd_index.is_valid("E11") and not icd_index.is_billable("E11")
    assert icd_index.is_valid("e119") and icd_index.is_billable("e119")
    assert icd_index.is_valid("S52.521") and not icd_index.is_billable("S52.521")
    assert icd_index.is_billable("S52.521A")
    assert not icd_index.is_valid("S52.521B") and not icd_index.is_billable("S52.521B")
    assert not icd_index.is_valid("hello")


def test_chapter_of() -> None:
    assert icd_index.chapter_of("I10") == 9
    assert icd_index.chapter_of("s52521a") == 19
    assert icd_index.chapter_of("QA0") == 17
    assert icd_index.chapter_of("U07.1") == 22


def test_unknown_code_error_is_plain() -> None:
    with pytest.raises(UnknownCodeError) as caught:
        icd_index.chapter_of("E11.99")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, ValueError)
    assert str(caught.value) == "E11.99 is not a code in ICD-10-CM April 2026 (FY2026)"
    with pytest.raises(KeyError, match="not written like an ICD-10-CM code"):
        icd_index.details("hello")


def test_every_listed_code_is_indexed(icd: IcdIndex) -> None:
    lines = icd_build._source().code_list.read_text(encoding="utf-8").split()
    codes = sorted({line for line in lines if icd_index.is_well_formed(line)})  # B99 is a block and a code
    assert len(codes) == 98_186
    for code in codes[::97]:
        assert icd.normalize(code) == icd_index.dotted(code)


# ---------------------------------------------------------------- details


def test_details_of_a_base_code_needing_a_seventh_character(icd: IcdIndex) -> None:
    d = icd.details("s52521")
    assert d.code == "S52.521" and d.description == "Torus fracture of lower end of right radius"
    assert [level.label for level in d.hierarchy] == ["Chapter 19", "S50-S59", "S52", "S52.5", "S52.52", "S52.521"]
    assert not d.billable and d.needs_seventh_character
    assert d.status.startswith("Not billable without a 7th character")
    assert [v.character for v in d.seventh_characters] == list("ADGKPS")
    assert d.seventh_characters[0].meaning == "initial encounter for closed fracture"
    assert d.seventh_character_note is not None and d.seventh_character_note.source == "S52.52"
    assert [c.code for c in d.children] == [f"S52.521{c}" for c in "ADGKPS"]
    assert any(n.source == "S52" and "displaced" in n.text for n in d.notes)


def test_details_of_a_code_with_its_seventh_character(icd: IcdIndex) -> None:
    d = icd.details("S52.521A")
    assert d.billable and d.kind == "extension" and not d.children
    assert d.hierarchy[-2].code == "S52.521"
    assert d.seventh_character is not None and d.seventh_character.character == "A"
    assert d.description.endswith(", initial encounter for closed fracture")


def test_seventh_character_through_placeholder(icd: IcdIndex) -> None:
    d = icd.details("T36.0X1A")
    assert d.hierarchy[-2].code == "T36.0X1" and d.seventh_character.meaning == "initial encounter"
    assert d.inclusion_terms == ("Poisoning by penicillins NOS",)
    # Where only some 7th characters form real codes, only those are listed.
    assert [v.character for v in icd.details("S06.1X7").seventh_characters] == ["A"]


def test_details_of_a_billable_code_with_inherited_notes(icd: IcdIndex) -> None:
    d = icd.details("I10")
    assert d.billable and d.chapter == 9 and d.status.startswith("Billable")
    assert [n.text for n in d.includes][:1] == ["high blood pressure"]
    assert any(n.source == "I10-I1A" and "P29.2" in n.text for n in d.excludes1)
    assert any(n.source == "I10-I1A" for n in d.use_additional_code)
    assert d.seventh_characters == () and d.seventh_character is None


def test_details_of_a_header(icd: IcdIndex) -> None:
    d = icd.details("E11")
    assert not d.billable and not d.needs_seventh_character
    assert d.status.startswith("Header")
    assert "E11.9" in [c.code for c in d.children]
    assert [level.label for level in d.hierarchy] == ["Chapter 4", "E08-E13", "E11"]
    e119 = icd.details("E11.9")
    assert any(n.source == "E11" and "Z79.4" in n.text for n in e119.use_additional_code)
    assert any("E09" in n.text for n in e119.excludes1)


def test_details_inclusion_terms_code_first_and_code_also(icd: IcdIndex) -> None:
    assert "Lumbago NOS" in icd.details("M54.50").inclusion_terms
    assert any("E11" in n.text or "underlying" in n.text for n in icd.details("H36.8").code_first)
    assert icd.details("QA0").code_also[0].text.startswith("if applicable")  # leading comma dropped


# ---------------------------------------------------------------- the file


def test_release_and_file_name(icd: IcdIndex) -> None:
    assert icd_index.version() == "ICD-10-CM April 2026 (FY2026), CDC files shipped by simple-icd-10-cm 1.5.0"
    assert icd.release.fiscal_year == 2026
    assert icd.path.name == f"icd10cm-simple-icd-10-cm-1.5.0-schema{icd_build.SCHEMA_VERSION}.sqlite3"
    assert not list(icd.path.parent.glob("*.building"))  # the build left no temporary file


def test_damaged_file_is_refused(tmp_path: Path) -> None:
    damaged = tmp_path / "index.sqlite3"
    damaged.write_bytes(b"not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        IcdIndex(damaged)
