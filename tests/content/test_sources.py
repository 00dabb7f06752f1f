"""Source rules: official hosts per owner, test and unrelated hosts refused, third parties with reasons."""

from __future__ import annotations

import pytest
from widget_text import rewrite_csv as rewrite

from coderpath_widgets.app import cli
from coderpath_widgets.content import sources
from coderpath_widgets.content.dataset import load_dataset, validate_dir
from coderpath_widgets.content.loaders import DataError
from coderpath_widgets.content.models import TABLES, SourceKind

FACT_TABLES = [t for t, model in TABLES.items() if "source_kind" in model.__dataclass_fields__]
SOURCED_TABLES = [t for t, model in TABLES.items() if "source" in model.__dataclass_fields__]


def problems_after(directory, table, change) -> str:
    rewrite(directory / f"{table}.csv", change)
    with pytest.raises(DataError) as info:
        validate_dir(directory)
    return str(info.value)


def set_first(**values):
    def change(rows):
        rows[0].update(values)

    return change


# ---------------------------------------------------------------- classifying one item


@pytest.mark.parametrize(
    "host",
    [
        "cms-qa.ahima.org",
        "conference-test.ahima.org",
        "cms-test.ahima.org",
        "www-devnav.aapc.com",
        "staging.bls.gov",
        "uat.cms.gov",
        "preview.ama-assn.org",
        "dev.onetonline.org",
        "stage-www.cahiim.org",
        "qa2.ahima.org",
    ],
)
def test_test_qa_dev_and_staging_hosts_are_refused_even_for_official_owners(host):
    verdict = sources.classify(f"https://{host}/certification")
    assert verdict.kind == "refused" and "test or development host" in verdict.reason


@pytest.mark.parametrize(
    "url",
    [
        "http://precisionmetalworks360.com/medical-records-or-health-information-technician.html",
        "https://winenfood.com/online-medical-billing-degree-program-length",
        "https://visualfoodie.com/health-information-management-bachelor-program-length",
        "http://www.saswell-cn.com/certification/RHIA?tabid=proviso",
        "https://mbc-bv6.pages.dev/certifications/cpc",
        "https://jobtestsportal.com/cheatsheets/MEDICAL_CODING_SPECIALIST",
        "https://open-exam-prep.com/practice/coc",
    ],
)
def test_unrelated_sites_are_refused(url):
    assert sources.classify(url).kind == "refused"


@pytest.mark.parametrize(
    "item",
    [
        "https://www.aapc.com/certifications/cpco/taking-the-cpco-exam",
        "https://stats.bls.gov/ooh/healthcare/health-information-technologists-and-medical-registrars.htm",
        "https://www.onetonline.org/link/summary/43-3021.00",
        "https://acdis.org/faq/208?category=66",
        "https://www.nhanow.com/certifications/billing-coding",
        "https://perspectives.ahima.org/page/rhia-certification-exam-success-factors",
        "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, Section I.C.19.a",
        "AHIMA CCHIIM Candidate Guide (updated June 27, 2017)",
        "MedlinePlus: Understanding Medical Words (medlineplus.gov/appendixa.html)",
    ],
)
def test_owners_pages_and_named_documents_are_official(item):
    assert sources.classify(item).kind == "official", sources.classify(item).reason


def test_a_page_that_only_looks_official_is_not():
    assert sources.classify("https://aapc.com.example.net/cpc").kind == "third_party"
    assert sources.classify("https://notaapc.com/cpc").kind == "third_party"
    assert sources.classify("Some blog's guide to the CPC").kind == "third_party"


def test_a_school_catalog_is_official_only_for_programs_and_courses():
    url = "https://www.cecil.edu/programs-courses/cewd/healthcare-careers/physician-professional-coder"
    assert sources.classify(url, "programs").kind == "official"
    assert sources.classify(url, "courses").kind == "official"
    assert sources.classify(url, "certifications").kind == "third_party"


def test_the_allowlist_lives_in_one_place_and_covers_every_owner_the_rules_name():
    hosts = {host for owner in sources.OWNERS for host in owner.hosts}
    for host in (
        "aapc.com",
        "ahima.org",
        "nhanow.com",
        "acdis.org",
        "bls.gov",
        "onetonline.org",
        "cms.gov",
        "cdc.gov",
        "ama-assn.org",
        "cahiim.org",
    ):
        assert host in hosts


# ---------------------------------------------------------------- the rules over a data folder


def test_shipped_data_passes_the_source_rules():
    dataset = load_dataset()
    assert len(dataset.certifications) >= 20


def test_a_refused_host_is_reported_with_file_line_and_column(data_copy):
    text = problems_after(
        data_copy,
        "certifications",
        set_first(source="https://cms-qa.ahima.org/certification-careers/certification-exams/rhit"),
    )
    assert "certifications.csv:2 source: 'https://cms-qa.ahima.org/" in text
    assert "is refused: 'cms-qa.ahima.org' is a test or development host" in text


def test_a_refused_host_stays_refused_on_a_third_party_row_with_a_reason(data_copy):
    text = problems_after(
        data_copy,
        "programs",
        set_first(
            source="https://winenfood.com/online-medical-billing-degree-program-length",
            source_kind="third_party",
            source_reason="a blog",
        ),
    )
    assert "programs.csv:2 source:" in text and "a food blog" in text


def test_an_unlisted_host_on_an_official_row_asks_for_third_party_and_a_reason(data_copy):
    text = problems_after(
        data_copy,
        "career_figures",
        set_first(source="https://careers.example.com/coders", source_kind="official", source_reason=""),
    )
    assert (
        "career_figures.csv:2 source_kind: is 'official' but 'https://careers.example.com/coders' is not official "
        "('careers.example.com' is not an official page of any owner the workbook lists); mark the row third_party "
        "with a source_reason, or cite the owner's page"
    ) in text


def test_an_unlisted_host_is_accepted_on_a_third_party_row_with_a_reason(data_copy):
    rewrite(
        data_copy / "careers.csv",
        set_first(
            source="https://careers.example.com/coders",
            source_kind="third_party",
            source_reason="a named career guide, for the job description only",
        ),
    )
    assert validate_dir(data_copy).careers[0].source_kind is SourceKind.THIRD_PARTY


def test_a_third_party_row_needs_its_reason(data_copy):
    text = problems_after(
        data_copy,
        "checklist_items",
        set_first(source="https://careers.example.com/coders", source_kind="third_party", source_reason=""),
    )
    assert "checklist_items.csv:2 source_reason: is empty; say who the third party is and why it is used" in text


def test_an_official_row_citing_an_unlisted_host_is_reported(data_copy):
    text = problems_after(
        data_copy,
        "courses",
        set_first(
            source="https://www.aapc.com/certification/faq.aspx | https://careers.example.com/coders",
            source_kind="official",
            source_reason="",
        ),
    )
    assert "courses.csv:2 source_kind: is 'official' but 'https://careers.example.com/coders' is not official" in text


def test_tables_without_source_kind_take_official_sources_or_named_third_parties(data_copy):
    text = problems_after(data_copy, "quiz_questions", set_first(source="https://careers.example.com/quiz"))
    assert "quiz_questions.csv:2 source: 'https://careers.example.com/quiz' is not accepted" in text


def test_the_cli_prints_every_source_problem(data_copy, capsys):
    rewrite(data_copy / "code_sets.csv", set_first(source="https://www-devnav.aapc.com/certification/faq.aspx"))
    assert cli.main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "code_sets.csv:2 source:" in err and "www-devnav.aapc.com" in err and "Traceback" not in err


# ---------------------------------------------------------------- what the shipped data shows


def test_every_fact_row_says_what_kind_of_source_it_has_and_why_when_third_party():
    dataset = load_dataset()
    for table in FACT_TABLES:
        for row in getattr(dataset, table):
            assert isinstance(row.source_kind, SourceKind)
            if row.source_kind is SourceKind.THIRD_PARTY:
                assert row.source_reason and row.source_reason.strip(), f"{table}: {row}"


def test_no_shipped_row_cites_a_refused_or_unreasoned_source():
    dataset = load_dataset()
    for table in SOURCED_TABLES:
        for row in getattr(dataset, table):
            for item in sources.split_source(row.source):
                verdict = sources.classify(item, table)
                assert verdict.kind != "refused", f"{table}: {item}"
                if verdict.kind == "third_party" and getattr(row, "source_kind", None) is not SourceKind.THIRD_PARTY:
                    assert sources.named_third_party(item), f"{table}: {item}"


def test_every_shown_figure_rests_on_an_official_page_or_a_reasoned_third_party():
    dataset = load_dataset()
    shown = [f for f in dataset.certification_fees if f.shown] + [f for f in dataset.career_figures if f.shown]
    assert shown
    for figure in shown:
        assert figure.source_kind is SourceKind.OFFICIAL or figure.source_reason, figure


def test_no_source_is_plain_http():
    dataset = load_dataset()
    for table in SOURCED_TABLES:
        for row in getattr(dataset, table):
            assert "http://" not in row.source, f"{table}: {row.source}"
