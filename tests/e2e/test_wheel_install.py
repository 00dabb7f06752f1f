"""The wheel is the whole workbook: built, installed in a fresh venv with no checkout, it serves every page.

The test builds the wheel from this checkout (``pip wheel``, build isolation as for a release), creates a
new venv without system site-packages and installs the wheel there with ``--no-deps``. The dependencies
(Voilà, JupyterLab, ipywidgets, pandas, ...) are not downloaded again: a ``.pth`` file makes the project
venv's site-packages importable after the new venv's own, and ``JUPYTER_PATH`` lists the project venv's
``share/jupyter`` *after* the new venv's, for the data files those packages install (Voilà's base
templates, the widget lab extensions). Everything coderpath ships comes from the wheel: the package, the
notebooks, the Voilà settings and template, and the environment's Voilà defaults. Every command runs from
an empty temporary folder, so nothing is found through the current directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytest.register_assert_rewrite("voila_harness")

from voila_harness import REPO, VOILA_CELL_ERROR, fetch, non_local, resource_urls, widget_output_count  # noqa: E402

from coderpath_widgets.app import server as dashboard_server  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.voila]

TEMPLATE = REPO / "share" / "jupyter" / "voila" / "templates" / "coderpath"
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
FONT_AWESOME_CDN = "cdn.jsdelivr.net/npm/@fortawesome"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        cwd=out,
        timeout=600,
    )
    (path,) = out.glob("coderpath-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> dict:
    """A fresh venv with the wheel installed; returns its paths and the environment to run it with."""
    root = tmp_path_factory.mktemp("fresh")
    prefix = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True, timeout=300)
    python = prefix / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "project-venv-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        cwd=root,
        timeout=600,
    )
    work = root / "elsewhere"
    work.mkdir()
    env = {
        "PATH": f"{prefix / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(root / "home"),
        "CODERPATH_HOME": str(root / "coderpath-home"),
        "CODERPATH_PROFILE": "wheel-test",
        # the new venv's own data files first (coderpath's template), then those of the borrowed dependencies
        "JUPYTER_PATH": os.pathsep.join(str(p / "share" / "jupyter") for p in (prefix, Path(sys.prefix))),
        "PYTHONNOUSERSITE": "1",
        dashboard_server.TOKEN_ENV: dashboard_server.new_token(),  # the learner's own token wins, as in JupyterLab
    }
    return {"prefix": prefix, "python": python, "env": env, "cwd": work}


def _run(venv: dict, code: str) -> str:
    out = subprocess.run(
        [str(venv["python"]), "-c", code], capture_output=True, text=True, env=venv["env"], cwd=venv["cwd"], timeout=300
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_wheel_holds_the_notebooks_the_template_and_the_voila_settings(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.data/data/"
    for notebook in NOTEBOOKS:
        assert f"{data}share/coderpath/workbook/notebooks/{notebook}" in names
    assert f"{data}share/coderpath/workbook/voila.json" in names
    assert f"{data}share/coderpath/workbook/jupyter-config/voila.json" in names
    assert f"{data}etc/jupyter/voila.py" in names
    template_files = sorted(str(p.relative_to(TEMPLATE)) for p in TEMPLATE.rglob("*") if p.is_file())
    assert template_files, "no template files in the checkout"
    for relative in template_files:  # a file added to the template must be added to pyproject's data-files
        assert f"{data}share/jupyter/voila/templates/coderpath/{relative}" in names, relative
        assert f"{data}share/coderpath/workbook/share/jupyter/voila/templates/coderpath/{relative}" in names, relative


def test_the_installed_package_comes_from_the_wheel_not_the_checkout(venv):
    out = _run(
        venv,
        "import coderpath_widgets, json; from coderpath_widgets.app import server\n"
        "print(json.dumps([coderpath_widgets.__file__, str(server.workbook_root())]))",
    )
    package, root = json.loads(out)
    assert Path(package).is_relative_to(venv["prefix"]) and not Path(package).is_relative_to(REPO)
    assert Path(root) == venv["prefix"] / "share" / "coderpath" / "workbook"


def test_coderpath_dashboard_serves_every_page_from_any_folder(venv):
    port = dashboard_server.free_port()
    base = f"http://127.0.0.1:{port}/"
    launcher = subprocess.Popen(
        [str(venv["prefix"] / "bin" / "coderpath"), "dashboard", f"--port={port}"],
        env=venv["env"],
        cwd=venv["cwd"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        dashboard_server.wait_until_serving(base, launcher, timeout=180)
        for notebook in NOTEBOOKS:
            url = dashboard_server.with_token(
                dashboard_server.page_url(base, notebook), venv["env"][dashboard_server.TOKEN_ENV]
            )
            status, page = fetch(url, timeout=300)
            assert status == 200, f"{notebook}: {status}"
            assert VOILA_CELL_ERROR not in page, f"{notebook} has a cell error"
            assert widget_output_count(page) > 0, f"{notebook} shows no widget"
            assert not non_local(resource_urls(page)), f"{notebook} loads {non_local(resource_urls(page))}"
            assert FONT_AWESOME_CDN not in page, f"{notebook} is not served with the coderpath template"
    finally:
        dashboard_server.stop_process(launcher)
        output = launcher.stdout.read().decode("utf-8", errors="replace") if launcher.stdout else ""
    assert "Traceback" not in output, output[-3000:]


def test_plain_voila_in_that_environment_uses_the_coderpath_template(venv):
    port = dashboard_server.free_port()
    folder = venv["cwd"] / "my-notebooks"
    _run(venv, f"from coderpath_widgets.app.workbook import sync_workbook; sync_workbook({str(folder)!r})")
    voila = subprocess.Popen(
        [
            str(venv["python"]),
            "-m",
            "voila",
            str(folder),
            f"--port={port}",
            "--VoilaConfiguration.preheat_kernel=False",
        ],
        env=venv["env"],
        cwd=venv["cwd"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        dashboard_server.wait_until_serving(f"http://127.0.0.1:{port}/", voila, timeout=180)
        url = f"http://127.0.0.1:{port}/voila/render/01-develop-your-skills.ipynb"
        status, page = fetch(dashboard_server.with_token(url, venv["env"][dashboard_server.TOKEN_ENV]), timeout=300)
    finally:
        dashboard_server.stop_process(voila)
    assert status == 200
    assert FONT_AWESOME_CDN not in page and not non_local(resource_urls(page))
    assert VOILA_CELL_ERROR not in page and widget_output_count(page) > 0


def test_the_learners_copy_is_made_from_the_installed_notebooks(venv):
    folder = venv["cwd"] / "workbook"
    out = _run(
        venv,
        f"from coderpath_widgets.app.workbook import sync_workbook\n"
        f"print(sorted(c.notebook for c in sync_workbook({str(folder)!r}) if c.action == 'copied'))",
    )
    assert out.strip() == str(NOTEBOOKS)
