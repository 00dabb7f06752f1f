"""Keep JupyterLab in this environment offline: no news feed and no update check.

Out of the box JupyterLab 4 can fetch Jupyter news and ask a website for a newer version. Both are off
once these two files are in the environment's ``etc/jupyter`` (``python3 run.py …`` writes them after
installing; with conda run ``coderpath offline-jupyterlab`` once).
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
