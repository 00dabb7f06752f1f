"""JupyterLab's news feed and update check are switched off by the settings the set-up writes."""

from __future__ import annotations

import json

from jupyter_server.services.config.manager import ConfigManager
from traitlets.config.loader import JSONFileConfigLoader

from coderpath_widgets.app import cli
from coderpath_widgets.app.jupyter_setup import install_offline_settings


def test_settings_are_written_and_read_the_way_jupyterlab_reads_them(tmp_path):
    paths = install_offline_settings(tmp_path)
    etc = tmp_path / "etc" / "jupyter"
    server = JSONFileConfigLoader("coderpath-offline.json", str(etc / "jupyter_server_config.d")).load_config()
    assert server.LabApp.news_url is None
    assert server.LabApp.check_for_updates_class.endswith("NeverCheckForUpdate")
    lab = ConfigManager(read_config_path=[str(etc)], write_config_dir=str(tmp_path / "w")).get(
        "labconfig/default_setting_overrides"
    )
    assert lab["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert len(paths) == 2


def test_existing_overrides_are_kept(tmp_path):
    target = tmp_path / "etc" / "jupyter" / "labconfig" / "default_setting_overrides.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    install_offline_settings(tmp_path)
    merged = json.loads(target.read_text())
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert merged["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False


def test_command(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("sys.prefix", str(tmp_path))
    assert cli.main(["offline-jupyterlab"]) == 0
    assert (tmp_path / "etc" / "jupyter" / "labconfig" / "default_setting_overrides.json").exists()
    assert "will not fetch news" in capsys.readouterr().out
