#!/usr/bin/env python3
"""Set up coderpath on this machine (once) and serve the dashboard or run the tests.

    python3 run.py dashboard     # create .venv if needed, install, serve the Voilà dashboard on localhost
    python3 run.py test          # same set-up, then the whole test suite
    python3 run.py setup [--all] # the set-up only: for the dashboard, or (--all) for the tests too

Needs only Python 3.11+. The environment lives in .venv/ beside this file; it is reinstalled when
pyproject.toml or requirements.lock changes. Dependencies are installed at the versions in requirements.lock
(the set the tests passed with), with uv if this machine has it (much faster), else with pip;
CODERPATH_INSTALLER=pip or =uv chooses. Extra arguments after ``test`` go to pytest; after ``dashboard`` to
``coderpath dashboard``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = {"dashboard": "notebooks", "test": "notebooks,instructor,test,dev"}
NODE_PREFIX = ROOT / ".venv" / "node"
LOCK = ROOT / "requirements.lock"


def say(text: str) -> None:
    print(f"[coderpath] {text}", flush=True)


def ensure_environment(extras: str) -> None:
    """Create .venv and install the project with ``extras`` unless that exact install is already there."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older python3
        sys.exit(f"coderpath needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say(f"creating the environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in (ROOT / "pyproject.toml", LOCK) if p.exists())).hexdigest()
    marker = VENV / ".installed"
    installed = marker.read_text().split() if marker.exists() else []
    if installed[:1] == [digest] and set(extras.split(",")) <= set(installed[1:]):
        return  # this pyproject.toml and lock, with these extras (or more), are already installed
    uv = find_uv()
    say(f"installing coderpath with [{extras}] using {'uv' if uv else 'pip'} (first run takes a few minutes)")
    locked = ["-c", str(LOCK)] if LOCK.exists() else []
    if uv:
        command = [*uv, "pip", "install", "--quiet", "--python", str(PYTHON), *locked, "-e", f"{ROOT}[{extras}]"]
        subprocess.run(command, check=True)
    else:
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", *locked, "-e", f"{ROOT}[{extras}]"], check=True)
    subprocess.run([str(BIN / "coderpath"), "offline-jupyterlab"], check=True, stdout=subprocess.DEVNULL)
    marker.write_text(" ".join([digest, *extras.split(",")]))


def find_uv() -> list[str] | None:
    """The uv command if this machine has it (on PATH, or as a module of this Python), else None for pip."""
    choice = os.environ.get("CODERPATH_INSTALLER", "").strip().lower()
    if choice == "pip":
        return None
    if shutil.which("uv"):
        return [shutil.which("uv") or "uv"]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    if choice == "uv":
        sys.exit("CODERPATH_INSTALLER=uv, but uv is not installed here (python3 -m pip install uv).")
    return None


def ensure_proxy() -> None:
    """JupyterHub's configurable-http-proxy (npm) for the hub smoke test, if npm is available."""
    proxy = NODE_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
    if proxy.exists() or shutil.which("configurable-http-proxy"):
        return
    if not shutil.which("npm"):
        say("npm not found: the JupyterHub smoke test will be skipped (install Node.js to run it)")
        return
    say("installing configurable-http-proxy with npm for the JupyterHub smoke test")
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(NODE_PREFIX),
            "configurable-http-proxy@5",
        ],
        check=True,
    )


def ensure_axe() -> None:
    """axe-core (npm) for the browser tests' accessibility checks (tests/e2e/test_app_*.py), if npm is available."""
    if (NODE_PREFIX / "node_modules" / "axe-core" / "axe.min.js").exists():
        return
    if not shutil.which("npm"):
        say(
            "npm not found: the accessibility checks of the browser tests will be skipped (install Node.js to run them)"
        )
        return
    say("installing axe-core with npm for the browser tests' accessibility checks")
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(NODE_PREFIX), "axe-core@4"],
        check=True,
    )


def run_tests(args: list[str]) -> int:
    ensure_environment(EXTRAS["test"])
    ensure_proxy()
    ensure_axe()
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), str(NODE_PREFIX / "node_modules" / ".bin"), env.get("PATH", "")])
    with tempfile.TemporaryDirectory(prefix="coderpath-test-home-") as home:
        # Notebooks executed by the tests write progress here, never into the learner's real store.
        env["CODERPATH_HOME"] = home
        env.setdefault("CODERPATH_PROFILE", "test-learner")
        command = [str(PYTHON), "-m", "pytest", "--nbval-lax", *args]
        say("running: " + " ".join(command[2:]))
        return subprocess.run(command, cwd=ROOT, env=env).returncode


def run_dashboard(args: list[str]) -> int:
    ensure_environment(EXTRAS["dashboard"])
    return subprocess.run([str(BIN / "coderpath"), "dashboard", *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("dashboard", "test", "setup"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "setup":
        ensure_environment(EXTRAS["test"] if "--all" in rest else EXTRAS["dashboard"])
        return 0
    return run_dashboard(rest) if command == "dashboard" else run_tests(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
