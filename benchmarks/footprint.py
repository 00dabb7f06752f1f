"""An idle learner's dashboard: resident memory of its whole process tree, and how fast each page loads.

    .venv/bin/python benchmarks/footprint.py                 # 3 timed rounds over every page
    .venv/bin/python benchmarks/footprint.py --rounds 5 --idle 45

Two parts, one run:

1. **Memory.** Starts ``coderpath dashboard`` exactly as a learner does (``python -m coderpath_widgets.app.cli
   dashboard``, an empty learner home), waits until Voilà has pre-heated every kernel it pre-heats and
   ``--idle`` seconds have passed since the start, then sums the resident memory (RSS, and PSS, which counts
   shared pages once) of the launcher, Voilà and every kernel (psutil, the whole process tree). Then it opens
   every page once in Chromium, closes each tab, waits ``--idle`` seconds and measures again. Goal for the
   idle dashboard: at most 350 MB RSS.
2. **Page loads.** One Voilà started as ``coderpath dashboard`` starts it
   (``coderpath_widgets.app.voila_process.VoilaProcess``) over a copy of ``notebooks/`` plus
   ``benchmarks/baseline-one-checkbox.ipynb``, the smallest page with a widget.
   The baseline is served like any page that is not pre-heated (a kernel starts when it is opened). In one
   Chromium (one tab per visit, a warm cache), every page is visited in turn, back to back: no waiting for
   Voilà to pre-heat the next kernel between visits, so a refill competes with the next page for the CPU as
   it would for a learner clicking through. Times navigation → every widget visible; one warm-up round, then
   ``--rounds`` timed rounds; prints medians and each page's ratio to the baseline. Goals: the start page and
   the dashboard (pre-heated) at most 1.0, every other page at most 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coderpath_widgets.app import server as dashboard_server
from coderpath_widgets.app.voila_process import CHROMIUM, CHROMIUM_ARGS, VoilaProcess, close_page, open_page

REPO = Path(__file__).resolve().parent.parent
LOGS = REPO / "test-artifacts" / "voila"


BASELINE = REPO / "benchmarks" / "baseline-one-checkbox.ipynb"
MEMORY_GOAL_MB = 350
PREHEATED_GOAL, OTHER_GOAL = 1.0, 1.5
MB = 1024 * 1024


def tree_memory(pid: int) -> tuple[int, float, float, list[tuple[str, float]]]:
    """(processes, RSS MB, PSS MB, [(name, RSS MB)]) of ``pid`` and all its descendants."""
    import psutil

    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    rss = pss = 0.0
    each = []
    for process in processes:
        try:
            info = process.memory_full_info()
            cmd = process.cmdline()
        except psutil.NoSuchProcess:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        each.append((_role(cmd), info.rss / MB))
    return len(each), rss / MB, pss / MB, each


def _role(cmd: list[str]) -> str:
    text = " ".join(cmd)
    if "ipykernel_launcher" in text:
        return "kernel"
    if "-m voila" in text or text.endswith("/voila"):
        return "voila"
    if "coderpath_widgets.app.cli" in text:
        return "launcher"
    return Path(cmd[0]).name if cmd else "?"


def preheated_pages(voila_json: Path, notebooks: list[str]) -> list[str]:
    """The notebooks Voilà pre-heats under ``voila.json`` (its preheat_kernel and preheat_denylist)."""
    settings = json.loads(voila_json.read_text(encoding="utf-8"))
    if not settings.get("VoilaConfiguration", {}).get("preheat_kernel"):
        return []
    if not settings["VoilaConfiguration"].get("default_pool_size", 1):
        return []
    deny = settings.get("VoilaKernelManager", {}).get("preheat_denylist", [])
    return [nb for nb in notebooks if not any(p in nb or re.match(p, nb) for p in deny)]


def measure_memory(idle: float, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    notebooks = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    preheated = preheated_pages(REPO / "voila.json", notebooks)
    port = dashboard_server.free_port()
    base_url = f"http://{dashboard_server.HOST}:{port}/"
    token = dashboard_server.new_token()
    with tempfile.TemporaryDirectory(prefix="coderpath-footprint-") as tmp:
        log_path = Path(tmp) / "dashboard.log"
        env = dict(os.environ, CODERPATH_HOME=str(Path(tmp) / "home"), CODERPATH_PROFILE="footprint")
        env[dashboard_server.TOKEN_ENV] = token
        env.pop("JUPYTERHUB_USER", None)
        command = [sys.executable, "-m", "coderpath_widgets.app.cli", "dashboard", f"--port={port}"]
        started = time.monotonic()
        with open(log_path, "wb") as log:
            launcher = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
        try:
            dashboard_server.wait_until_serving(base_url, launcher, timeout=180)
            _wait_for_preheating(launcher.pid, len(preheated), log_path)
            pools_seconds = time.monotonic() - started
            time.sleep(max(0.0, idle - (time.monotonic() - started)))
            idle_start = tree_memory(launcher.pid)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                for name in notebooks:
                    tab = context.new_page()
                    open_page(tab, dashboard_server.with_token(dashboard_server.page_url(base_url, name), token))
                    close_page(tab)
                browser.close()
            time.sleep(idle)
            idle_after = tree_memory(launcher.pid)
        finally:
            dashboard_server.stop_process(launcher)
    return {
        "preheated": preheated,
        "pools_seconds": pools_seconds,
        "idle": idle,
        "idle_start": idle_start,
        "idle_after": idle_after,
    }


def _wait_for_preheating(pid: int, kernels: int, log_path: Path, timeout: float = 300) -> None:
    """Until the launcher's tree has ``kernels`` kernels and has been quiet (under 10% of one CPU) for 3 s.

    ``coderpath dashboard`` keeps Voilà's log to errors, so the pools' "filled" lines are not there to read.
    """
    import psutil

    root = psutil.Process(pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tree = [root, *root.children(recursive=True)]
        if sum(_role(p.cmdline()) == "kernel" for p in tree) >= kernels:
            before = sum(sum(p.cpu_times()[:2]) for p in tree)
            time.sleep(3)
            if sum(sum(p.cpu_times()[:2]) for p in tree if p.is_running()) - before < 0.3:
                return
        else:
            time.sleep(0.5)
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
    raise RuntimeError(f"Voilà did not pre-heat {kernels} kernels within {timeout:.0f} s:\n{tail}")


def measure_loads(rounds: int, chromium: str) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="coderpath-footprint-") as tmp:
        folder = Path(tmp) / "notebooks"
        shutil.copytree(REPO / "notebooks", folder)
        baseline = Path(shutil.copy(BASELINE, folder)).name
        pages = [baseline, *sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))]
        settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
        deny = [*settings.get("VoilaKernelManager", {}).get("preheat_denylist", []), "(^|.*/)baseline-"]
        extra = (f"--VoilaKernelManager.preheat_denylist={json.dumps(deny)}",)
        times: dict[str, list[float]] = {name: [] for name in pages}
        server = VoilaProcess(
            folder, Path(tmp) / "home", name="footprint", log_path=LOGS / "footprint.log", extra_args=extra
        )
        with server, sync_playwright() as playwright:
            preheated = preheated_pages(REPO / "voila.json", pages[1:])
            deadline = time.monotonic() + 300
            while not all(server.pools_filled(nb) for nb in preheated) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert server.pools_filled(baseline) == 0, "the baseline must not be pre-heated"
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            for run in range(rounds + 1):
                for name in pages:
                    tab = context.new_page()
                    start = time.perf_counter()
                    open_page(tab, server.url(name))
                    seconds = time.perf_counter() - start
                    close_page(tab)
                    if run > 0:  # round 0 warms the browser cache and the disk cache
                        times[name].append(seconds)
            browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over every page after a warm-up")
    parser.add_argument("--idle", type=float, default=45, help="seconds after the start (and after the visits)")
    parser.add_argument("--memory-only", action="store_true", help="measure memory only, no page-load rounds")
    parser.add_argument("--chromium", default=shutil.which("chromium") or CHROMIUM)
    args = parser.parse_args(argv)
    if not Path(args.chromium).is_file():
        parser.error(f"no Chromium at {args.chromium} (apt-get install chromium)")

    memory = measure_memory(args.idle, args.chromium)
    times = {} if args.memory_only else measure_loads(args.rounds, args.chromium)

    print("Resident memory of `coderpath dashboard` (launcher + Voilà + kernels, psutil, whole process tree)")
    print(
        f"  pre-heated pages: {', '.join(memory['preheated']) or 'none'}"
        f" (pools filled {memory['pools_seconds']:.0f} s after start)"
    )
    for label, (count, rss, pss, each) in (
        (f"idle, {memory['idle']:.0f} s after start", memory["idle_start"]),
        (f"after opening and closing every page, {memory['idle']:.0f} s later", memory["idle_after"]),
    ):
        parts = ", ".join(f"{role} {mb:.0f}" for role, mb in sorted(each, key=lambda e: -e[1]))
        print(f"  {label:<52} {count:2d} processes  RSS {rss:6.0f} MB  PSS {pss:6.0f} MB   ({parts})")
    rss = memory["idle_start"][1]
    print(f"  goal: idle RSS <= {MEMORY_GOAL_MB} MB: {'met' if rss <= MEMORY_GOAL_MB else 'NOT met'} ({rss:.0f} MB)")

    if not times:
        return 0
    pages = list(times)
    base = statistics.median(times[pages[0]])
    preheated = set(memory["preheated"])
    print(f"Page load, navigation to every widget visible, {args.rounds} rounds back to back after a warm-up (median)")
    worst = True
    for name in pages:
        median = statistics.median(times[name])
        runs = " ".join(f"{t:.2f}" for t in times[name])
        if name == pages[0]:
            print(f"  {name:<34} {median:5.2f} s  baseline, not pre-heated   ({runs})")
            continue
        goal = PREHEATED_GOAL if name in preheated else OTHER_GOAL
        ratio = median / base
        ok = ratio <= goal
        worst = worst and ok
        kind = "pre-heated" if name in preheated else "started on visit"
        print(
            f"  {name:<34} {median:5.2f} s  ratio {ratio:4.2f}"
            f" (goal <= {goal}, {kind}: {'met' if ok else 'NOT met'})   ({runs})"
        )
    print(f"  all load goals {'met' if worst else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
