"""The learner's copy of the notebooks (coderpath lab), the installed workbook, and the environment's Voilà defaults."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from traitlets.config import Config, PyFileConfigLoader

from coderpath_widgets.app import cli, jupyter_setup, server, workbook

REPO = Path(__file__).resolve().parents[2]


def _shipped(tmp_path: Path, **notebooks: str) -> Path:
    folder = tmp_path / "shipped"
    folder.mkdir(exist_ok=True)
    for name, text in notebooks.items():
        (folder / f"{name}.ipynb").write_text(text, encoding="utf-8")
    return folder


def test_first_run_copies_every_shipped_notebook(tmp_path):
    source = _shipped(tmp_path, a="A1", b="B1")
    changes = workbook.sync_workbook(tmp_path / "mine", source)
    assert [(c.notebook, c.action) for c in changes] == [("a.ipynb", "copied"), ("b.ipynb", "copied")]
    assert (tmp_path / "mine" / "a.ipynb").read_text() == "A1"


def test_the_learners_edits_are_never_overwritten_and_a_new_version_is_offered_beside_once(tmp_path):
    source = _shipped(tmp_path, a="A1", b="B1")
    mine = tmp_path / "mine"
    workbook.sync_workbook(mine, source)
    (mine / "a.ipynb").write_text("A1 with my notes", encoding="utf-8")
    assert {c.action for c in workbook.sync_workbook(mine, source)} == {"kept"}  # nothing new shipped

    _shipped(tmp_path, a="A2", b="B2")
    changes = {c.notebook: c for c in workbook.sync_workbook(mine, source)}
    assert changes["a.ipynb"].action == "offered" and changes["b.ipynb"].action == "offered"
    assert (mine / "a.ipynb").read_text() == "A1 with my notes"
    assert (mine / "a (new version).ipynb").read_text() == "A2"
    assert "a (new version).ipynb" in changes["a.ipynb"].message() and "unchanged" in changes["a.ipynb"].message()
    assert (mine / "b.ipynb").read_text() == "B1", "an unedited copy is not replaced either: offered, not forced"

    (mine / "a (new version).ipynb").unlink()  # the learner looked and threw it away
    assert {c.action for c in workbook.sync_workbook(mine, source)} == {"kept"}, "the same version is offered once"


def test_a_deleted_notebook_and_a_new_step_are_copied_again(tmp_path):
    source = _shipped(tmp_path, a="A1")
    mine = tmp_path / "mine"
    workbook.sync_workbook(mine, source)
    (mine / "a.ipynb").unlink()
    _shipped(tmp_path, c="C1")
    changes = {c.notebook: c.action for c in workbook.sync_workbook(mine, source)}
    assert changes == {"a.ipynb": "copied", "c.ipynb": "copied"}


def test_a_folder_with_notebooks_of_its_own_before_the_first_run_keeps_them(tmp_path):
    source = _shipped(tmp_path, a="A1")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "a.ipynb").write_text("my own a", encoding="utf-8")
    (mine / workbook.MANIFEST).write_text("not json", encoding="utf-8")  # a damaged manifest is ignored
    (change,) = workbook.sync_workbook(mine, source)
    assert change.action == "offered" and (mine / "a.ipynb").read_text() == "my own a"


def test_learner_folder_precedence(tmp_path, monkeypatch):
    monkeypatch.delenv(workbook.FOLDER_ENV, raising=False)
    assert workbook.learner_folder() == Path.home() / "coderpath-workbook"  # where the class hub copies it too
    monkeypatch.setenv(workbook.FOLDER_ENV, str(tmp_path / "env"))
    assert workbook.learner_folder() == tmp_path / "env"
    assert workbook.learner_folder(tmp_path / "arg") == tmp_path / "arg"


def test_coderpath_lab_copies_then_starts_jupyterlab_on_the_copy(tmp_path, monkeypatch, capsys):
    started = []
    monkeypatch.setattr(workbook.subprocess, "run", lambda command: started.append(command) or _Done())
    assert cli.main(["lab", "--folder", str(tmp_path / "wb"), "--no-browser"]) == 0
    shipped = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (tmp_path / "wb").glob("*.ipynb")) == shipped
    (command,) = started
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path / 'wb'}" in command and command[-1] == "--no-browser"
    assert "copied 00-start-here.ipynb" in capsys.readouterr().out


class _Done:
    returncode = 0


def test_workbook_root_falls_back_to_the_installed_copy(tmp_path, monkeypatch):
    installed = tmp_path / "prefix" / server.INSTALLED_WORKBOOK
    for relative in ("voila.json", "jupyter-config/voila.json", f"{server.TEMPLATE_DIR}/conf.json"):
        (installed / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / relative, installed / relative)
    monkeypatch.setattr(server, "_has_voila_files", lambda root: root == installed)
    monkeypatch.setattr(server, "installed_workbook_roots", lambda: [tmp_path / "nowhere", installed])
    assert server.workbook_root() == installed
    monkeypatch.setattr(server, "installed_workbook_roots", lambda: [tmp_path / "nowhere"])
    with pytest.raises(FileNotFoundError, match="nowhere"):
        server.workbook_root()


def test_installed_roots_are_under_this_environment_first():
    roots = server.installed_workbook_roots()
    assert roots[0] == Path(sys.prefix) / "share" / "coderpath" / "workbook"


def test_voila_defaults_are_the_workbooks_settings_with_the_template_and_without_the_launchers():
    defaults = jupyter_setup.voila_defaults(REPO)
    root = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    launcher = json.loads((REPO / "jupyter-config" / "voila.json").read_text(encoding="utf-8"))
    assert defaults["VoilaConfiguration"]["template"] == launcher["VoilaConfiguration"]["template"] == "coderpath"
    for key, value in root["VoilaConfiguration"].items():
        assert defaults["VoilaConfiguration"][key] == value
    assert "port_retries" not in defaults.get("Voila", {}), "a plain voila may move to a free port"
    assert defaults["Voila"]["tornado_settings"] == root["Voila"]["tornado_settings"]


def test_install_voila_defaults_writes_a_config_voila_reads_and_links_the_template(tmp_path):
    written = jupyter_setup.install_voila_defaults(tmp_path, REPO)
    config_file = tmp_path / "etc" / "jupyter" / "voila.py"
    template = tmp_path / server.TEMPLATE_DIR
    assert written == [config_file, template]
    assert (template / "conf.json").is_file() and template.resolve() == (REPO / server.TEMPLATE_DIR).resolve()
    loaded = PyFileConfigLoader("voila.py", path=str(config_file.parent)).load_config()
    assert isinstance(loaded, Config)
    assert loaded.VoilaConfiguration.template == "coderpath"
    assert loaded.VoilaConfiguration.strip_sources is True
    assert jupyter_setup.install_voila_defaults(tmp_path, REPO) == [config_file], "the link is made once"


def test_voila_pre_heats_only_the_start_page_and_the_dashboard():
    """The idle footprint (benchmarks/footprint.py): one waiting kernel per pre-heated page, so only two."""
    from types import SimpleNamespace

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    assert settings["VoilaConfiguration"]["preheat_kernel"] is True
    manager = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    fake = SimpleNamespace(preheat_denylist=settings["VoilaKernelManager"]["preheat_denylist"])
    # Voilà filters the absolute paths it finds under the served folder
    preheated = [p.name for p in sorted((REPO / "notebooks").glob("*.ipynb")) if manager._notebook_filter(fake, p)]
    assert preheated == [server.START_PAGE, server.DASHBOARD_PAGE]
