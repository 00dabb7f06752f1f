"""`coderpath course init|student-config|schedule`, `student-id` and `grades` as typed (fast: no nbgrader run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderpath_widgets.app.cli import main
from coderpath_widgets.app.late_penalty import DAY, PercentPerDayLate, late_penalty

ROOT = Path(__file__).resolve().parents[2]


def test_course_init_writes_a_private_copy_and_refuses_a_full_folder(tmp_path, capsys):
    target = tmp_path / "my-course"
    assert main(["course", "init", str(target)]) == 0
    assert "gradebook.db" in (target / ".gitignore").read_text(encoding="utf-8")
    assert (target / "source" / "step1-skills" / "step1-skills.ipynb").is_file()
    assert not (target / "gradebook.db").exists() and not (target / "submitted").exists()
    assert main(["course", "init", str(target)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["course", "init", str(target), "--force"]) == 0
    assert main(["course", "init", str(ROOT / "my-course")]) == 2  # inside the public checkout
    assert "inside the public checkout" in capsys.readouterr().err


def test_student_config_is_the_two_settings_students_need(tmp_path, capsys):
    folder = tmp_path / "etc-jupyter"
    assert main(["course", "student-config", "--exchange", "/srv/ex", "--where", str(folder)]) == 0
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    assert (config.CourseDirectory.course_id, config.Exchange.root) == ("coderpath", "/srv/ex")
    assert main(["course", "student-config", "--exchange", "/srv/other", "--where", str(folder)]) == 0  # its own file
    (folder / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    assert main(["course", "student-config", "--exchange", "/srv/ex", "--where", str(folder)]) == 2
    assert "was not written by this command" in capsys.readouterr().err


def test_schedule_needs_a_course_folder(tmp_path, capsys):
    assert main(["course", "schedule", str(tmp_path)]) == 2
    assert "no schedule file" in capsys.readouterr().err


def test_student_id_is_set_once_and_carried_by_exports(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("CODERPATH_HOME", str(tmp_path / "home"))
    assert main(["student-id", "ada.lovelace"]) == 0
    assert main(["export", str(tmp_path / "p.json")]) == 0
    assert json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["student_id"] == "ada.lovelace"
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    assert main(["student-id", "someone-else"]) == 2  # on a hub the hub name is the id
    assert "hub name, ada" in capsys.readouterr().err


def test_grades_without_a_gradebook_says_so(tmp_path, capsys):
    assert main(["grades", str(tmp_path), "--format", "canvas", "-o", str(tmp_path / "g.csv")]) == 2
    assert "no nbgrader gradebook here" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("seconds", "expected"), [(0, 0.0), (1, 0.8), (DAY, 0.8), (DAY + 1, 1.6), (4.5 * DAY, 4.0), (30 * DAY, 4.0)]
)
def test_late_penalty_ten_percent_per_started_day_capped_at_half(seconds, expected):
    assert late_penalty(8.0, seconds, 10, 50) == expected
    assert PercentPerDayLate().late_submission_penalty("ada", 8.0, seconds) == expected
