"""The learner's own copy of the notebooks, and ``coderpath lab``: JupyterLab on that copy.

The shipped notebooks (a checkout's ``notebooks/``, or the copy a wheel installs) are read-only material:
a learner who opens one in JupyterLab and types into it should keep what they typed. So ``coderpath lab``
copies the notebooks into the learner's folder the first time (default ``~/coderpath-workbook``, the folder
the class hub copies them to too, or ``$CODERPATH_WORKBOOK``), and on later runs

- copies a notebook the folder does not have (a new step, or one the learner deleted);
- never overwrites a notebook in the folder;
- when the shipped version of a notebook changed since it was copied, writes the new version beside it as
  ``NAME (new version).ipynb`` and says so, once per new version. The learner opens both and keeps what
  they want.

Which shipped version each notebook was copied (or offered) from is kept in ``.coderpath-workbook.json``
in the folder: the SHA-256 of the shipped file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FOLDER_ENV = "CODERPATH_WORKBOOK"
FOLDER_NAME = "coderpath-workbook"
MANIFEST = ".coderpath-workbook.json"
NEW_VERSION_SUFFIX = " (new version)"


def learner_folder(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The learner's workbook folder: argument > ``$CODERPATH_WORKBOOK`` > ``~/coderpath-workbook``."""
    if explicit is not None:
        return Path(explicit).expanduser()
    if os.environ.get(FOLDER_ENV):
        return Path(os.environ[FOLDER_ENV]).expanduser()
    return Path.home() / FOLDER_NAME


def shipped_notebooks() -> Path:
    """The folder of the notebooks this installation ships."""
    from coderpath_widgets.app.server import workbook_root

    return workbook_root() / "notebooks"


@dataclass(frozen=True)
class Change:
    """What :func:`sync_workbook` did with one notebook."""

    notebook: str
    action: str  # "copied", "offered" (new version written beside), "kept" (unchanged, nothing to do)
    path: Path

    def message(self) -> str:
        if self.action == "copied":
            return f"copied {self.notebook}"
        if self.action == "offered":
            return (
                f"{self.notebook} has a new version; your copy is unchanged and the new one is "
                f"{self.path.name} beside it. Open both and keep what you want."
            )
        return f"kept {self.notebook}"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def sync_workbook(folder: str | os.PathLike[str], source: str | os.PathLike[str] | None = None) -> list[Change]:
    """Bring the learner's ``folder`` up to date with the shipped notebooks without touching their edits."""
    folder, source = Path(folder), Path(source) if source is not None else shipped_notebooks()
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    changes = []
    for shipped in sorted(source.glob("*.ipynb")):
        name, digest, mine = shipped.name, _sha(shipped), folder / shipped.name
        if not mine.exists():
            mine.write_bytes(shipped.read_bytes())
            changes.append(Change(name, "copied", mine))
        elif manifest.get(name) == digest or _sha(mine) == digest:
            changes.append(Change(name, "kept", mine))
        else:  # shipped changed since it was copied (or the learner's file predates the manifest)
            beside = mine.with_name(f"{mine.stem}{NEW_VERSION_SUFFIX}{mine.suffix}")
            beside.write_bytes(shipped.read_bytes())
            changes.append(Change(name, "offered", beside))
        manifest[name] = digest
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return changes


def lab_command(folder: Path, extra_args: Sequence[str] = ()) -> list[str]:
    """JupyterLab on ``folder``, with this environment's Python (and so its Voilà preview and settings)."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", *extra_args]


def run_lab(folder: str | os.PathLike[str] | None = None, extra_args: Sequence[str] = ()) -> int:
    """``coderpath lab``: sync the learner's folder, say what changed, then run JupyterLab on it until Ctrl+C."""
    target = learner_folder(folder)
    try:
        changes = sync_workbook(target)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Could not write your workbook in {target}: {exc}", file=sys.stderr)
        return 1
    for change in changes:
        if change.action != "kept":
            print(change.message(), flush=True)
    print(f"Your workbook is {target}. Your edits there are yours: coderpath never overwrites them.", flush=True)
    try:
        return subprocess.run(lab_command(target, extra_args)).returncode
    except KeyboardInterrupt:
        return 0
