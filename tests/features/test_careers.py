"""The careers comparison: table, other editions, charts, sorting and escaping.

Most tests use a small data folder written here (the models fix the columns); the last test checks the
shipped data once it validates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import traitlets
from widget_text import FRESH, OLD, SCRIPT, SOURCE, html_of, unrelated_tables, write_tables

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.features.careers import career_rows, compare_careers, growth_chart_svg, pay_chart_svg
from coderpath_widgets.ui import esc

# One row for each table this module does not look at, so the folder validates as a whole.
OTHER_TABLES: dict[str, list[dict[str, str]]] = {
    **unrelated_tables(FRESH),
    "code_sets": [
        dict(
            id="icd10cm",
            name="ICD-10-CM",
            maintained_by="m",
            used_for="u",
            update_cycle="yearly",
            licensing="free",
            code_format="f",
            source_kind="official",
            source=SOURCE,
            as_of=FRESH,
        )
    ],
    "certifications": [
        dict(
            id="cpc",
            credential="CPC",
            issuing_body="AAPC",
            full_name="Certified Professional Coder",
            setting="physician_office",
            level="core",
            source_kind="official",
            source=SOURCE,
            as_of=FRESH,
        ),
        dict(
            id="rhit",
            credential="RHIT",
            issuing_body="AHIMA",
            full_name="Registered HIT",
            setting="health_information",
            level="core",
            source_kind="official",
            source=SOURCE,
            as_of=FRESH,
        ),
    ],
    "certification_fees": [
        dict(
            certification_id="cpc",
            kind="exam",
            member_usd="425",
            shown="yes",
            source_kind="third_party",
            source_reason="a third party in a test",
            source=SOURCE,
            as_of=FRESH,
        )
    ],
}

CAREERS = [
    dict(
        id="coding",
        name="Medical coders (medical records specialists)",
        soc_code="29-2072",
        what_they_do="Assign codes to diagnoses and procedures.",
        certifications="cpc",
        source_kind="official",
        source="O*NET (test fixture)",
        as_of=FRESH,
    ),
    dict(
        id="billing",
        name="Medical billing specialists",
        seed_article_name="medical billing specialists",
        what_they_do="Send claims and follow up on payment.",
        source_kind="official",
        source="O*NET (test fixture)",
        as_of=FRESH,
    ),
    dict(
        id="transcription",
        name="Medical transcriptionists",
        seed_article_name="medical transcriptionists",
        what_they_do="Turn dictation into written reports.",
        source_kind="official",
        source="BLS (test fixture)",
        as_of=FRESH,
    ),
    dict(
        id="him",
        name="Health information managers",
        seed_article_name="health information management professionals",
        what_they_do="Run health information departments.",
        certifications="rhit",
        source_kind="official",
        source="BLS (test fixture)",
        as_of=FRESH,
    ),
    dict(
        id="hit",
        name="Health information technologists",
        seed_article_name="medical records technicians",
        what_they_do="Keep health data accurate.",
        source_kind="official",
        source="BLS (test fixture)",
        as_of=FRESH,
    ),
]


def figure(career_id, pay="", growth="", shown="yes", **extra):
    row = dict(
        career_id=career_id,
        median_pay_usd=pay,
        pay_period="annual" if pay else "",
        growth_pct=growth,
        shown=shown,
        source_kind="official",
        source=f"https://www.bls.gov/fixture/{career_id}",
        as_of=FRESH,
    )
    row.update(extra)
    return row


FIGURES = [
    figure(
        "coding",
        "50250",
        "7",
        projection_period="2024-2034",
        entry_education="postsecondary_nondegree",
        jobs="194800",
        jobs_year="2024",
        why_shown="it is the newest BLS edition",
    ),
    figure(
        "coding",
        "",
        "9",
        shown="no",
        projection_period="2023-2033",
        source_kind="third_party",
        source_reason="a third party in a test",
        source="https://aapc.example/outlook",
        as_of="2025",
    ),
    figure("coding", "44090", "8", shown="no", projection_period="2019-2029", as_of=OLD),
    figure("transcription", "37550", "-5", projection_period="2024-2034", as_of=OLD),
    figure("him", "117960", "23", projection_period="2024-2034", entry_education="bachelor", annual_openings="61400"),
    figure("hit", "25.5", "16", pay_period="hourly", projection_period="2022-2032"),
]


def write_data(directory: Path, **tables: list[dict[str, str]]) -> Path:
    """A complete data folder: the defaults above, with some tables replaced."""
    return write_tables(directory, {**OTHER_TABLES, "careers": CAREERS, "career_figures": FIGURES, **tables})


@pytest.fixture
def data_dir(tmp_path):
    return str(write_data(tmp_path / "data"))


def row_of(table: str, name: str) -> str:
    return table.split(f"<b>{name}</b>")[1].split("</tr>")[0]


def bar_labels(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [r.find("{http://www.w3.org/2000/svg}title").text for r in root.iter("{http://www.w3.org/2000/svg}rect")]


def test_table_shows_shown_figures_and_not_found_for_unknowns(data_dir):
    widget = compare_careers(data_dir)
    table = widget.table.value
    coding = row_of(table, "Medical coders (medical records specialists)")
    for text in (
        "$50,250 a year",
        "+7% (2024-2034)",
        "postsecondary certificate or diploma (no degree)",
        "194,800 in 2024",
        "https://www.bls.gov/fixture/coding",
        f"as of {FRESH}",
        "Credentials: CPC",
    ):
        assert text in coding
    billing = row_of(table, "Medical billing specialists")
    assert billing.count("not found") == 5 and "No figures found." in billing
    assert "$0" not in billing and ">0<" not in billing
    assert "Also called: “medical billing specialists”" in billing
    assert "$25.50 an hour" in row_of(table, "Health information technologists")
    assert "61,400" in row_of(table, "Health information managers")
    assert widget.career_ids == ["coding", "billing", "transcription", "him", "hit"]


def test_other_editions_are_listed_with_their_sources(data_dir):
    page = html_of(compare_careers(data_dir))
    other = page.split("Other editions and sources (2)")[1].split("</details>")[0]
    assert "we show the figures as of" in other and "Why this one: it is the newest BLS edition" in other
    assert "+9% (2023-2033)" in other and "https://aapc.example/outlook" in other and "third-party source" in other
    assert "$44,090 a year" in other and "+8% (2019-2029)" in other


def test_charts_draw_only_known_figures(data_dir):
    rows = career_rows(load_dataset(data_dir))
    pay = pay_chart_svg(rows)
    assert bar_labels(pay) == [
        "Medical coders (medical records specialists): $50,250",
        "Medical transcriptionists: $37,550",
        "Health information managers: $117,960",
    ]  # billing has no pay; the hourly figure is not mixed with yearly ones
    growth = growth_chart_svg(rows)
    assert "Projected employment growth" in growth
    assert "Medical transcriptionists (2024-2034): −5%" in growth
    assert [t.rsplit(": ", 1)[1] for t in bar_labels(growth)] == ["+7%", "−5%", "+23%", "+16%"]
    widget = compare_careers(data_dir)
    assert widget.charts.value.count("cp-chart-box") == 2 and widget.charts.value.count("<svg") == 4  # wide + narrow
    notes = widget.charts.value
    assert (
        "Not in the pay chart because no median pay was found (which is not the same as $0): "
        "Medical billing specialists."
    ) in notes
    assert "only an hourly figure was found (see the table): Health information technologists." in notes
    assert "Not in the growth chart because no projection was found: Medical billing specialists." in notes


def test_negative_growth_is_drawn_left_of_zero(data_dir):
    growth = growth_chart_svg(career_rows(load_dataset(data_dir)))
    rects = {
        m.group(3): (float(m.group(1)), float(m.group(2)))
        for m in re.finditer(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>([^:]+):', growth)
    }
    zero = rects["Medical coders (medical records specialists) (2024-2034)"][0]
    x, width = rects["Medical transcriptionists (2024-2034)"]
    assert x < zero and abs(x + width - zero) < 0.2


def test_sorting_by_pay_and_growth_puts_unknowns_last(data_dir):
    widget = compare_careers(data_dir)
    widget.sort_input.value = "pay"
    assert widget.sort_by == "pay"
    assert widget.career_ids == ["him", "coding", "transcription", "billing", "hit"]
    assert widget.table.value.index("Health information managers") < widget.table.value.index("Medical coders")
    widget.sort_by = "growth"
    assert widget.sort_input.value == "growth"
    assert widget.career_ids == ["him", "hit", "coding", "transcription", "billing"]
    widget.sort_input.value = "article"
    assert widget.career_ids == [c["id"] for c in CAREERS]
    with pytest.raises(traitlets.TraitError, match="sort_by must be one of"):
        widget.sort_by = "salary"


def test_stale_figures_carry_a_badge(data_dir):
    table = compare_careers(data_dir).table.value
    assert f"figure from {OLD} — check the official page" in row_of(table, "Medical transcriptionists")
    assert "check the official page" not in row_of(table, "Health information managers")


def test_every_csv_string_reaches_html_escaped(tmp_path):
    careers = [
        dict(
            row,
            name=f"{row['name']} {SCRIPT}",
            what_they_do=SCRIPT,
            seed_article_name=SCRIPT,
            source=SCRIPT,
            source_kind="third_party",
            source_reason=SCRIPT,
        )
        for row in CAREERS
    ]
    figures = [
        dict(
            row,
            source=SCRIPT,
            source_kind="third_party",
            source_reason=SCRIPT,
            projection_period=SCRIPT,
            jobs_year=SCRIPT,
            why_shown=SCRIPT if row.get("why_shown") else "",
        )
        for row in FIGURES
    ]
    directory = write_data(tmp_path / "nasty", careers=careers, career_figures=figures)
    widget = compare_careers(str(directory))
    page = html_of(widget)
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page
    for svg in re.findall(r"<svg.*?</svg>", widget.charts.value, flags=re.S):
        ET.fromstring(svg)  # still well-formed with hostile labels


def test_real_data_careers():
    dataset = load_dataset()  # the shipped data must validate: a DataError here is a failure, never a skip
    widget = compare_careers()
    assert widget.career_ids == [c.id for c in dataset.careers]
    assert widget.charts.value.count("cp-chart-box") == 2 and widget.charts.value.count("<svg") == 4  # wide + narrow
    page = html_of(widget).lower()
    for named in ("billing", "records", "transcription", "health information"):
        assert named in page
    for row in career_rows(dataset):
        if row.shown is None or row.shown.median_pay_usd is None:
            assert "not found" in row_of(widget.table.value, esc(row.career.name))
