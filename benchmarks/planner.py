"""How long the course planner takes for a large plan, against a small one measured in the same run.

One "plan" is the whole pure pipeline the widget runs on each change: order the courses (Kahn's algorithm),
date them, and build the calendar file and the timeline SVG. Courses have random prerequisites that are
acyclic by construction (a course only needs lower-numbered ones) and are shuffled before ordering.

    .venv/bin/python benchmarks/planner.py            # 200 courses against 20, median of 25 runs
    .venv/bin/python benchmarks/planner.py --runs 50 --courses 500
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from coderpath_widgets.content.loaders import AsOf
from coderpath_widgets.content.models import Course
from coderpath_widgets.features.planner import make_schedule, order_courses, schedule_to_ics, timeline_svg

START = date(2026, 1, 5)
BREAKS = [(date(2026, 7, 1), date(2026, 7, 14)), (date(2026, 12, 20), date(2027, 1, 3))]
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def random_courses(count: int, seed: int) -> list[Course]:
    """``count`` courses with up to three random earlier prerequisites each, shuffled."""
    rng = random.Random(seed)
    courses = []
    for n in range(count):
        needs = sorted(rng.sample(range(n), k=min(n, rng.randint(0, 3))))
        courses.append(
            Course(
                id=f"c{n:04d}",
                name=f"Course {n} <with & markup>",
                description="",
                prerequisites=tuple(f"c{i:04d}" for i in needs),
                programs=("certificate",),
                credentials=(),
                planning_hours=rng.randint(10, 120),
                planning_basis="benchmark",
                evidence="",
                source="benchmark",
                as_of=AsOf("2026"),
            )
        )
    rng.shuffle(courses)
    return courses


STAGES = ("order", "schedule", "ics", "svg")


def plan_once(courses: list[Course]) -> dict[str, float]:
    """Seconds for one order + schedule + .ics + SVG, per stage and in total."""
    clock = [time.perf_counter()]
    ordered = order_courses(courses)
    clock.append(time.perf_counter())
    schedule = make_schedule(ordered, 10, START, BREAKS, 4)
    clock.append(time.perf_counter())
    schedule_to_ics(schedule, STAMP)
    clock.append(time.perf_counter())
    timeline_svg(schedule)
    clock.append(time.perf_counter())
    times = {stage: clock[n + 1] - clock[n] for n, stage in enumerate(STAGES)}
    times["total"] = clock[-1] - clock[0]
    return times


def medians(sizes: list[list[Course]], runs: int) -> list[dict[str, float]]:
    """Median seconds per stage and in total for each course list, after one warm-up.

    The sizes are timed in turn within each run, so a change in machine load hits the baseline and the large
    plan alike and the ratio stays meaningful.
    """
    for courses in sizes:
        plan_once(courses)
    samples: list[list[dict[str, float]]] = [[] for _ in sizes]
    for _ in range(runs):
        for n, courses in enumerate(sizes):
            samples[n].append(plan_once(courses))
    return [{key: statistics.median(s[key] for s in runs_of) for key in runs_of[0]} for runs_of in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="timed runs per size (median is reported)")
    parser.add_argument("--courses", type=int, default=200, help="courses in the large plan")
    parser.add_argument("--baseline", type=int, default=20, help="courses in the baseline plan")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    small = random_courses(args.baseline, args.seed)
    large = random_courses(args.courses, args.seed)
    base, big = medians([small, large], args.runs)
    weeks = (make_schedule(order_courses(large), 10, START, BREAKS, 4).finish - START) / timedelta(weeks=1)
    print(f"course planner: order + schedule + .ics + SVG, median of {args.runs} runs (seed {args.seed})")
    for label, count, times in (("baseline", args.baseline, base), ("large", args.courses, big)):
        total = times["total"]
        stages = ", ".join(f"{stage} {times[stage] * 1e3:.2f}" for stage in STAGES)
        print(
            f"  {label:<8} {count:>4} courses: {total * 1e3:8.2f} ms  ({total / count * 1e6:6.1f} µs per course;"
            f" ms by stage: {stages})"
        )
    print(
        f"  ratio large/baseline: {big['total'] / base['total']:.1f}x"
        f" for {args.courses / args.baseline:.0f}x the courses"
    )
    print(f"  (the large plan spans {weeks:.0f} weeks at 10 hours a week)")


if __name__ == "__main__":
    main()
