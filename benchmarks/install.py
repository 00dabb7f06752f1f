"""Set-up time from a fresh clone, with pip and with uv, in the same run.

    .venv/bin/python benchmarks/install.py            # both, every extra (what `python3 run.py test` sets up)
    .venv/bin/python benchmarks/install.py --extras dashboard

For each installer, copies the files a fresh clone has (``git ls-files``: tracked and new, not ignored) into
an empty folder and times ``python3 run.py setup --all`` there, from nothing: a new ``.venv``, empty
download caches (``PIP_CACHE_DIR``, ``UV_CACHE_DIR`` in the temporary folder), the versions in
``requirements.lock``. ``CODERPATH_INSTALLER`` picks the installer; for uv, the ``uv`` this environment has
is put on ``PATH``. Both download from the package index, so the figures include the network.
Then checks each new environment imports coderpath and the locked versions of a few packages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECKED = ("voila", "jupyterlab", "ipywidgets", "pandas")


def fresh_clone(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def locked_versions(names: tuple[str, ...]) -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, _, version = line.split(";")[0].strip().partition("==")
        if version:
            pins[name.lower()] = version.strip()
    return {n: pins.get(n, "?") for n in names}


def set_up(installer: str, extras: str, work: Path, python: str) -> tuple[float, dict[str, str]]:
    clone = fresh_clone(work / f"clone-{installer}")
    env = dict(os.environ, CODERPATH_INSTALLER=installer)
    env["PIP_CACHE_DIR"], env["UV_CACHE_DIR"] = (
        str(work / f"pip-cache-{installer}"),
        str(work / f"uv-cache-{installer}"),
    )
    env.pop("VIRTUAL_ENV", None)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and not Path(p, "uv").exists()]
    if installer == "uv":
        from uv import find_uv_bin

        path.insert(0, str(Path(find_uv_bin()).parent))
    env["PATH"] = os.pathsep.join(path)
    command = [python, "run.py", "setup", *(["--all"] if extras == "all" else [])]
    start = time.perf_counter()
    subprocess.run(command, cwd=clone, env=env, check=True)
    seconds = time.perf_counter() - start
    probe = f"import importlib.metadata as m, coderpath_widgets; print(' '.join(m.version(n) for n in {CHECKED!r}))"
    versions = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", probe], capture_output=True, text=True, check=True, cwd=work
    ).stdout.split()
    return seconds, dict(zip(CHECKED, versions, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extras", choices=["all", "dashboard"], default="all")
    parser.add_argument(
        "--python", default=shutil.which("python3") or sys.executable, help="the python3 run.py runs with"
    )
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="coderpath-install-") as tmp:
        for installer in ("pip", "uv"):
            print(f"[install benchmark] {installer}: python3 run.py setup in a fresh clone ...", flush=True)
            results[installer] = set_up(installer, args.extras, Path(tmp), args.python)
    locked = locked_versions(CHECKED)
    print(f"Set-up from a fresh clone (new .venv, empty caches, requirements.lock), extras: {args.extras}")
    for installer, (seconds, versions) in results.items():
        same = "as locked" if versions == locked else f"NOT as locked {locked}"
        print(f"  {installer:<4} {seconds:7.1f} s   ({', '.join(f'{k} {v}' for k, v in versions.items())}: {same})")
    pip_s, uv_s = results["pip"][0], results["uv"][0]
    print(f"  uv / pip {uv_s / pip_s:.2f} (uv {pip_s / uv_s:.1f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
