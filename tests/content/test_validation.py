"""Cross-file checks, stale-figure listing and the export/import commands."""

from __future__ import annotations

from datetime import date

import pytest
from widget_text import rewrite_csv as rewrite

from coderpath_widgets.app import cli
from coderpath_widgets.content.dataset import load_dataset, stale_facts, validate_dir
from coderpath_widgets.content.loaders import DataError
from coderpath_widgets.progress.store import get_store


def test_shipped_data_is_valid_and_issuers_are_right():
    dataset = load_dataset()
    bodies = {c.id: c.issuing_body.value for c in dataset.certifications}
    for cert in ("cpc", "coc", "cic", "crc", "cpb", "cpma", "cpc-a"):
        assert bodies[cert] == "AAPC"
    for cert in ("cca", "ccs", "ccs-p", "rhit", "rhia"):
        assert bodies[cert] == "AHIMA", "the seed article wrongly gives the CCS and CCA to AAPC"


FACT_TABLES = ("certifications", "certification_fees", "careers", "career_figures", "programs", "courses", "code_sets")


@pytest.mark.parametrize("table", FACT_TABLES)
def test_a_fact_row_without_a_source_or_as_of_is_refused_by_file_line_and_field(data_copy, table):
    def blank(rows):
        rows[0]["source"] = "   "
        rows[-1]["as_of"] = ""

    rewrite(data_copy / f"{table}.csv", blank)
    with open(data_copy / f"{table}.csv", encoding="utf-8") as handle:
        last_line = sum(1 for _ in handle)
    with pytest.raises(DataError) as info:
        validate_dir(data_copy)
    text = str(info.value)
    assert f"{table}.csv:2 source:" in text
    assert f"{table}.csv:{last_line} as_of:" in text


def test_two_shown_figures_and_a_future_date_are_reported(data_copy):
    def two_shown(rows):
        for row in rows:
            if row["career_id"] == "medical-records-specialist":
                row["shown"] = "yes"
                row["why_shown"] = row["why_shown"] or "test"

    def future(rows):
        rows[0]["as_of"] = "2099"

    rewrite(data_copy / "career_figures.csv", two_shown)
    rewrite(data_copy / "code_sets.csv", future)
    with pytest.raises(DataError) as info:
        validate_dir(data_copy)
    text = str(info.value)
    assert "more than one row of medical-records-specialist is shown" in text
    assert "code_sets.csv:2 as_of: 2099 is in the future" in text


def test_stale_facts_lists_old_shown_figures_oldest_first():
    dataset = load_dataset()
    stale = stale_facts(730, dataset, today=date(2026, 11, 27))
    assert stale and stale == sorted(stale, key=lambda s: -s.age_days)
    assert all(s.age_days > 730 for s in stale)
    assert stale_facts(730, dataset, today=date(2000, 1, 1)) == []
    everything = stale_facts(0, dataset, today=date(2100, 1, 1), shown_only=False)
    assert len(everything) > len(stale_facts(0, dataset, today=date(2100, 1, 1)))


def test_export_and_import_commands(tmp_path, capsys):
    get_store().set("checklist", "skills-typing", {"done": True, "note": "45 wpm"})
    target = tmp_path / "me.json"
    assert cli.main(["export", str(target)]) == 0
    assert "stays on this machine" in capsys.readouterr().out
    get_store().use_profile("second-laptop")
    assert cli.main(["import", str(target)]) == 2  # another profile's export needs a confirmation
    assert "--into-profile second-laptop" in capsys.readouterr().err
    assert get_store().get("checklist", "skills-typing") is None
    assert cli.main(["import", str(target), "--into-profile", "second-laptop"]) == 0
    assert "2 saved fields changed (checklist 2)" in capsys.readouterr().out
    assert get_store().get("checklist", "skills-typing") == {"done": True, "note": "45 wpm"}
    target.write_text("{broken", encoding="utf-8")
    assert cli.main(["import", str(target)]) == 1
    assert "me.json:1 column 2: not valid JSON" in capsys.readouterr().err
