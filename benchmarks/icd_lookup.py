"""How fast is the ICD-10-CM lookup? Build time, fresh-process first result, warm query latency.

Run from the repository root::

    .venv/bin/python benchmarks/icd_lookup.py            # 2,000 warm queries
    .venv/bin/python benchmarks/icd_lookup.py --queries 500 --seed 3

Everything happens in a temporary CODERPATH_HOME, so the user's cache is not touched. The
baseline is simple-icd-10-cm's own functions, measured in the same run: ``get_description``
for codes, and for words a linear scan over every description (the package has no search).
Goals: warm p95 < 10 ms; first result in a fresh kernel < 0.5 s after the first search.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STOPWORDS = {"a", "an", "and", "of", "the", "to", "with", "without", "in", "on", "or", "for", "by", "due", "other"}

# Runs in a fresh interpreter; prints seconds since the process started and for the first search.
FIRST_RESULT_PACKAGE = """
import time
started = time.perf_counter()
import coderpath_widgets.icd.index as ix
imported = time.perf_counter()
first = ix.search("lumbago")[0].code
done = time.perf_counter()
print(imported - started, done - imported, first)
"""
# The same, without running the package's __init__ (its factories load lazily, so the two should
# be close): the cost of the lookup module itself.
FIRST_RESULT_MODULE = """
import time
started = time.perf_counter()
import importlib.util, sys, types
package = types.ModuleType("coderpath_widgets")
package.__path__ = [{package_dir!r}]
sys.modules["coderpath_widgets"] = package
import coderpath_widgets.icd.index as ix
imported = time.perf_counter()
first = ix.search("lumbago")[0].code
done = time.perf_counter()
print(imported - started, done - imported, first)
"""
FIRST_RESULT_BASELINE = """
import time
started = time.perf_counter()
import simple_icd_10_cm as cm
imported = time.perf_counter()
first = cm.get_description("M54.50")
done = time.perf_counter()
print(imported - started, done - imported, "M54.50")
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def run_fresh(code: str, env: dict[str, str], runs: int) -> tuple[float, float, float]:
    """Median wall time of a fresh interpreter running ``code`` (spawn to exit), and its own timings."""
    walls, imports, firsts = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - started)
        imported, first, _ = out.stdout.split()
        imports.append(float(imported))
        firsts.append(float(first))
    return statistics.median(walls), statistics.median(imports), statistics.median(firsts)


def make_queries(codes: list[tuple[str, str]], count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, query, source code): half codes as a learner types them, half words from descriptions."""
    queries = []
    for i in range(count):
        code, description = rng.choice(codes)
        if i % 2 == 0:
            typed = code.replace(".", "") if rng.random() < 0.5 else code
            typed = typed.lower() if rng.random() < 0.5 else typed
            queries.append(("code", typed, code))
        else:
            words = [w for w in re.findall(r"[a-z0-9]+", description.lower()) if w not in STOPWORDS]
            picked = rng.sample(words, min(len(words), rng.choice((1, 2, 3))))
            queries.append(("words", " ".join(picked), code))
    return queries


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=2000, help="warm queries to time (default 2000)")
    parser.add_argument("--scans", type=int, default=200, help="word queries timed with the linear-scan baseline")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per start-up figure (median)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coderpath-bench-") as home:
        os.environ["CODERPATH_HOME"] = home
        run(args)


def run(args: argparse.Namespace) -> None:
    """Every measurement, in a temporary CODERPATH_HOME."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    sys.path.insert(0, str(ROOT))
    from coderpath_widgets.icd import index as icd_index

    print(
        f"ICD-10-CM lookup benchmark — {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )

    print("\nBuild (once per release)")
    started = time.perf_counter()
    path = icd_index.build_index()
    build_seconds = time.perf_counter() - started
    line("build the index from the XML and code list", f"{build_seconds:.2f} s")
    line("index file size", f"{path.stat().st_size / 1e6:.1f} MB")

    print(f"\nFresh process, index already built (median of {args.runs})")
    bare, _, _ = run_fresh("import time; print(0, 0, 0)", env, args.runs)
    package_dir = str(ROOT / "coderpath_widgets")
    pkg_wall, pkg_import, pkg_first = run_fresh(FIRST_RESULT_PACKAGE, env, args.runs)
    mod_wall, mod_import, mod_first = run_fresh(FIRST_RESULT_MODULE.format(package_dir=package_dir), env, args.runs)
    base_wall, base_import, base_first = run_fresh(FIRST_RESULT_BASELINE, env, args.runs)
    line("python start-up alone (spawn to exit)", f"{bare * 1000:.0f} ms")
    line("first search call -> first result (what a kernel waits)", f"{pkg_first * 1000:.1f} ms")
    line("spawn -> exit: import coderpath_widgets.icd.index + search", f"{pkg_wall * 1000:.0f} ms")
    line("  of which import (package __init__, lazy factories)", f"{pkg_import * 1000:.0f} ms")
    line("spawn -> exit: icd_index module alone + search", f"{mod_wall * 1000:.0f} ms")
    line("  of which import", f"{mod_import * 1000:.0f} ms; first search {mod_first * 1000:.1f} ms")
    line("spawn -> exit: import simple_icd_10_cm + get_description", f"{base_wall * 1000:.0f} ms")
    line("  of which import simple_icd_10_cm", f"{base_import * 1000:.0f} ms")
    line("import simple_icd_10_cm / first search call", f"{base_import / pkg_first:.0f}x")
    line(
        "baseline / ours, spawn to exit (package, module alone)",
        f"{base_wall / pkg_wall:.1f}x, {base_wall / mod_wall:.1f}x",
    )

    print(f"\nWarm queries: {args.queries} over the whole code set (seed {args.seed}), limit 20")
    index = icd_index.shared_index()
    described = index.codes()
    rng = random.Random(args.seed)
    queries = make_queries(described, args.queries, rng)
    for _, query, _ in queries[:50]:  # warm the page cache and the connection
        index.search(query)

    # Ours first, before simple_icd_10_cm's 100,000-node tree sits in memory and slows the collector.
    ours: dict[str, list[float]] = {"code": [], "words": []}
    results: dict[int, list[str]] = {}
    for number, (kind, query, _) in enumerate(queries):
        started = time.perf_counter()
        matches = index.search(query, 20)
        ours[kind].append(time.perf_counter() - started)
        results[number] = [m.code for m in matches]

    import simple_icd_10_cm as cm

    def wanted(code: str) -> set[str]:  # a 7th-character code is found when its base code stands for it
        return {code, cm.get_parent(code)} if cm.is_extended_subcategory(code) else {code}

    found_first = sum(
        bool(results[n]) and results[n][0] in wanted(source)
        for n, (kind, _, source) in enumerate(queries)
        if kind == "words"
    )
    found_top = sum(
        bool(wanted(source) & set(results[n])) for n, (kind, _, source) in enumerate(queries) if kind == "words"
    )

    lowered = [(c, d.lower()) for c, d in described]
    baseline: dict[str, list[float]] = {"code": [], "words": []}
    scan_top = 0
    for kind, query, source in queries:
        if kind == "code":
            started = time.perf_counter()
            cm.get_description(query.upper())
            baseline["code"].append(time.perf_counter() - started)
        elif len(baseline["words"]) < args.scans:
            words = query.split()
            started = time.perf_counter()
            hits = [c for c, d in lowered if all(w in d for w in words)]
            baseline["words"].append(time.perf_counter() - started)
            scan_top += bool(wanted(source) & set(hits[:20]))

    everything = ours["code"] + ours["words"]
    print(f"  {'':<34}{'p50':>10}{'p95':>10}{'max':>10}")
    for label, values in (
        ("ours: codes", ours["code"]),
        ("ours: words", ours["words"]),
        ("ours: all", everything),
        ("simple_icd_10_cm: get_description", baseline["code"]),
        (f"linear scan of descriptions ({len(baseline['words'])})", baseline["words"]),
    ):
        cells = "".join(f"{percentile(values, q) * 1000:>8.2f}ms" for q in (0.5, 0.95, 1.0))
        print(f"  {label:<34}{cells}")
    for q, name in ((0.5, "p50"), (0.95, "p95")):
        line(
            f"ratio {name}: get_description / our code search",
            f"{percentile(baseline['code'], q) / percentile(ours['code'], q):.2f}x",
        )
        line(
            f"ratio {name}: linear scan / our word search",
            f"{percentile(baseline['words'], q) / percentile(ours['words'], q):.1f}x",
        )
    words = len(ours["words"])
    line("word queries: source code (or its base) ranked first", f"{found_first / words:.0%}")
    line("word queries: source code (or its base) in our top 20", f"{found_top / words:.0%}")
    line(
        f"  the scan's first 20 in tabular order ({len(baseline['words'])} queries)",
        f"{scan_top / len(baseline['words']):.0%}",
    )

    print("\nGoals")
    p95 = percentile(everything, 0.95)
    line("warm p95 < 10 ms", f"{p95 * 1000:.2f} ms — {'met' if p95 < 0.010 else 'NOT met'}")
    line(
        "first result < 0.5 s after the first search (fresh kernel)",
        f"{pkg_first * 1000:.1f} ms — {'met' if pkg_first < 0.5 else 'NOT met'}",
    )
    line(
        "first result < 0.5 s from process start (package import)",
        f"{pkg_wall * 1000:.0f} ms — {'met' if pkg_wall < 0.5 else 'NOT met'}",
    )
    line(
        "first result < 0.5 s from process start (module alone)",
        f"{mod_wall * 1000:.0f} ms — {'met' if mod_wall < 0.5 else 'NOT met'}",
    )
    icd_index.close_shared_index()


if __name__ == "__main__":
    main()
