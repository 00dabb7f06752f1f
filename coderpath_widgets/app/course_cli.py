"""``coderpath course …``, ``submit-progress`` and ``student-id``: argument parsing and messages only; the work is
in :mod:`coderpath_widgets.app.course`."""

from __future__ import annotations

import argparse
import os
import sys


def add_course_parser(sub, func) -> None:
    p = sub.add_parser(
        "course", help="the instructor's private course folder (init, student-config, schedule, progress, lab)"
    )
    course = p.add_subparsers(dest="course_command", required=True)

    q = course.add_parser("init", help="copy the course sources and settings (no student data) to DIR")
    q.add_argument("dir")
    q.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    q.set_defaults(func=func)

    q = course.add_parser("student-config", help="write the students' nbgrader_config.py for a one-machine exchange")
    q.add_argument("--exchange", default=os.environ.get("CODERPATH_EXCHANGE", "/usr/local/share/nbgrader/exchange"))
    q.add_argument(
        "--where", default="system", help="system (/etc/jupyter, as root), env, user (~/.jupyter) or a folder"
    )
    q.set_defaults(func=func)

    q = course.add_parser("schedule", help="set the due dates of DIR/schedule.csv in the gradebook")
    q.add_argument("dir")
    q.add_argument("--file", help="another schedule file (columns assignment,duedate)")
    q.set_defaults(func=func)

    q = course.add_parser(
        "progress", help="class progress from the collected 'progress' submissions, joined to the roster"
    )
    q.add_argument("dir")
    q.add_argument("-o", "--output", help="CSV file (default: DIR/progress/class-report.csv)")
    q.set_defaults(func=func)

    q = course.add_parser("lab", help="start JupyterLab in DIR, where the formgrader finds the course")
    q.add_argument("dir")
    q.add_argument("lab_args", nargs=argparse.REMAINDER, help="passed on to `jupyter lab`")
    q.set_defaults(func=func)


def run(args: argparse.Namespace) -> int:
    from coderpath_widgets.app import course

    try:
        if args.course_command == "init":
            written = course.init_course(args.dir, force=args.force)
            target = written[0].parent
            print(f"Course copied to {target} ({', '.join(p.name for p in written)}).")
            print("Student records (gradebook.db, release/, submitted/, autograded/, feedback/) are in its .gitignore.")
            print(f"Next: edit the questions in {target}/source, then `cd {target}` and follow docs/instructors.md.")
        elif args.course_command == "student-config":
            path = course.write_student_config(args.exchange, args.where)
            print(
                f"wrote {path}: students on this machine use the exchange {args.exchange} "
                f"for course {course.COURSE_ID}."
            )
        elif args.course_command == "schedule":
            dues = course.apply_schedule(args.dir, args.file)
            for due in dues:
                print(f"{due.assignment}: due {due.duedate:%Y-%m-%d %H:%M} UTC")
            print(f"{len(dues)} due dates set in {args.dir}/gradebook.db.")
        elif args.course_command == "progress":
            from pathlib import Path

            from coderpath_widgets.features.class_report import run_class_report

            copied = course.gather_progress(args.dir)
            print(f"{len(copied)} progress files from {args.dir}/submitted (run `nbgrader collect progress` first).")
            folder = Path(args.dir) / course.PROGRESS_ASSIGNMENT
            output = Path(args.output) if args.output else folder / "class-report.csv"
            return run_class_report(folder, output, Path(args.dir), force=True)
        elif args.course_command == "lab":
            return course.run_lab(args.dir, [a for a in args.lab_args if a != "--"])
    except course.CourseError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def run_submit_progress(args: argparse.Namespace) -> int:
    from coderpath_widgets.app.course import submit_progress

    result = submit_progress(args.course, [a for a in args.nbgrader_args if a != "--"])
    if result.returncode != 0:
        print(
            f"Your progress was not sent. nbgrader said:\n{(result.stderr or result.stdout).strip()}", file=sys.stderr
        )
        return 1
    print(f"Your progress was sent to the instructor of course '{args.course}' (assignment 'progress').")
    return 0


def run_student_id(args: argparse.Namespace) -> int:
    from coderpath_widgets.progress.store import StoreError, get_store

    store = get_store()
    if args.id is None:
        print(store.student_id() or "(no student id: set one with `coderpath student-id YOUR-LMS-LOGIN`)")
        return 0
    if os.environ.get("JUPYTERHUB_USER"):
        print(f"On this hub your student id is your hub name, {os.environ['JUPYTERHUB_USER']}.", file=sys.stderr)
        return 2
    try:
        store.set_student_id(args.id)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Your progress exports now carry the student id {store.student_id()}.")
    return 0
