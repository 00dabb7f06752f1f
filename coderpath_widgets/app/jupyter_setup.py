"""Keep JupyterLab in this environment offline: no news feed and no update check; Voilà's defaults are coderpath's.

Out of the box JupyterLab 4 can fetch Jupyter news and ask a website for a newer version. Both are off
once these two files are in the environment's ``etc/jupyter`` (``python3 run.py …`` writes them after
installing; with conda run ``coderpath offline-jupyterlab`` once).

Plain ``voila`` and JupyterLab's Voilà preview use Voilà's stock template, which loads Font Awesome from a
CDN, unless the environment says otherwise. :func:`install_voila_defaults` makes the ``coderpath`` template
and the workbook's Voilà settings the environment's defaults (a wheel install ships the same files).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: file under ``PREFIX/etc/jupyter`` → its content
SETTINGS: dict[str, dict] = {
    "jupyter_server_config.d/coderpath-offline.json": {
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
        }
    },
    "labconfig/default_setting_overrides.json": {
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}
    },
}


def install_offline_settings(prefix: str | Path | None = None) -> list[Path]:
    """Write the settings into ``prefix/etc/jupyter`` (default: this environment), merging with existing files."""
    prefix = sys.prefix if prefix is None else prefix
    written = []
    for relative, content in SETTINGS.items():
        path = Path(prefix) / "etc" / "jupyter" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = dict(content)
        if path.exists():
            try:
                existing = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                existing = {}
            if isinstance(existing, dict):
                merged = {**existing, **{k: {**existing.get(k, {}), **v} for k, v in content.items()}}
        path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


#: Voilà settings that only the ``coderpath dashboard`` launcher needs, left out of the environment defaults:
#: a plain ``voila`` may move to another free port.
LAUNCHER_ONLY = {"Voila": ("port_retries",)}
VOILA_ENV_CONFIG = Path("jupyter-config") / "environment" / "voila.py"


def voila_defaults(root: str | Path | None = None) -> dict:
    """The workbook's Voilà settings (``voila.json`` under ``jupyter-config/voila.json``), minus the launcher's.

    ``PREFIX/etc/jupyter/voila.py`` loads this, so the settings have one home: the workbook's two files.
    """
    from coderpath_widgets.app.server import CONFIG_DIRS, workbook_root

    root = workbook_root() if root is None else Path(root)
    merged: dict = {}
    for folder in reversed(CONFIG_DIRS):  # lowest priority first
        path = root / folder / "voila.json"
        if path.is_file():
            for section, values in json.loads(path.read_text(encoding="utf-8")).items():
                merged.setdefault(section, {}).update(values)
    for section, names in LAUNCHER_ONLY.items():
        for name in names:
            merged.get(section, {}).pop(name, None)
    return merged


def install_voila_defaults(prefix: str | Path | None = None, root: str | Path | None = None) -> list[Path]:
    """Make the ``coderpath`` template and settings this environment's Voilà defaults; return what was written.

    Writes ``prefix/etc/jupyter/voila.py`` (it reads the workbook's settings when Voilà starts) and puts the
    template at ``prefix/share/jupyter/voila/templates/coderpath``: a link to a checkout's template, so edits
    show at once. An installed wheel already has both (its data files); they are left as they are.
    """
    import shutil

    from coderpath_widgets.app.server import TEMPLATE_DIR, workbook_root

    prefix = Path(sys.prefix if prefix is None else prefix)
    root = workbook_root() if root is None else Path(root)
    written = []
    config_source, config_target = root / VOILA_ENV_CONFIG, prefix / "etc" / "jupyter" / "voila.py"
    if config_source.is_file():  # a checkout; an installed wheel has no source and needs none
        config_target.parent.mkdir(parents=True, exist_ok=True)
        config_target.write_text(config_source.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(config_target)
    template_source, template_target = (root / TEMPLATE_DIR).resolve(), prefix / TEMPLATE_DIR
    if template_target.resolve() != template_source and config_source.is_file():
        if template_target.is_symlink() or template_target.is_file():
            template_target.unlink()
        elif template_target.is_dir():  # a copy from an earlier install of this checkout
            shutil.rmtree(template_target)
        template_target.parent.mkdir(parents=True, exist_ok=True)
        try:
            template_target.symlink_to(template_source, target_is_directory=True)
        except OSError:  # no symlinks (Windows without developer mode): a copy, refreshed by each run
            shutil.copytree(template_source, template_target)
        written.append(template_target)
    return written
