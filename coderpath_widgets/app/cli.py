"""The ``coderpath`` command: validate data, serve the dashboard, move progress, report on a class."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _validate(args: argparse.Namespace) -> int:
    from coderpath_widgets.content.dataset import validate_dir
    from coderpath_widgets.content.loaders import DataError

    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"{directory}: not a folder", file=sys.stderr)
        return 2
    try:
        dataset = validate_dir(directory)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    counts = ", ".join(
        f"{len(getattr(dataset, t))} {t}" for t in ("steps", "checklist_items", "certifications", "courses")
    )
    print(f"{directory}: all files are valid ({counts}, and the rest).")
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    from coderpath_widgets.app.server import serve

    return serve(port=args.port, open_browser=args.open) or 0


def _export(args: argparse.Namespace) -> int:
    from coderpath_widgets.progress.store import StoreError, get_store

    try:
        path = get_store().export_json(args.file)
    except StoreError as exc:  # a missing folder, a folder given as the file, a place that cannot be written
        print(exc, file=sys.stderr)
        return 2
    print(
        f"Progress of profile '{get_store().profile}' written to {path}. It stays on this machine unless you share it."
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from coderpath_widgets.progress.store import OtherProfileError, StoreError, get_store

    path = Path(args.file)
    if not path.is_file():
        reason = "is a folder, not a progress export" if path.is_dir() else "does not exist"
        print(f"{path} {reason}.", file=sys.stderr)
        return 2
    try:
        summary = get_store().import_json(path, into_profile=args.into_profile)
    except OtherProfileError as exc:
        print(
            f"{exc}\nTo merge it into '{exc.target_profile}', run: coderpath import {path} --into-profile "
            f"{exc.target_profile}",
            file=sys.stderr,
        )
        return 2
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(summary.text())
    return 0


def _class_report(args: argparse.Namespace) -> int:
    from coderpath_widgets.features.class_report import run_class_report

    return run_class_report(
        Path(args.folder),
        Path(args.output) if args.output else None,
        Path(args.gradebook) if args.gradebook else None,
        force=args.force,
    )


def _course(args: argparse.Namespace) -> int:
    from coderpath_widgets.app import course_cli

    return course_cli.run(args)


def _grades(args: argparse.Namespace) -> int:
    from coderpath_widgets.features.grades import run_grades

    return run_grades(args.course, args.output, args.format, args.final_only)


def _item_analysis(args: argparse.Namespace) -> int:
    from coderpath_widgets.features.item_analysis import run_item_analysis

    return run_item_analysis(args.course, args.output)


def _submit_progress(args: argparse.Namespace) -> int:
    from coderpath_widgets.app import course_cli

    return course_cli.run_submit_progress(args)


def _student_id(args: argparse.Namespace) -> int:
    from coderpath_widgets.app import course_cli

    return course_cli.run_student_id(args)


def _offline_jupyterlab(args: argparse.Namespace) -> int:
    from coderpath_widgets.app.jupyter_setup import install_offline_settings, install_voila_defaults

    for path in install_offline_settings():
        print(f"wrote {path}")
    print("JupyterLab in this environment will not fetch news or check for updates.")
    for path in install_voila_defaults():
        print(f"wrote {path}")
    print("Voilà and JupyterLab's Voilà preview in this environment use the coderpath template and settings.")
    return 0


def _lab(args: argparse.Namespace) -> int:
    from coderpath_widgets.app.workbook import run_lab

    extra = [*(["--no-browser"] if args.no_browser else []), *(a for a in args.jupyterlab_args if a != "--")]
    return run_lab(args.folder, extra)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coderpath", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every CSV of a data folder and list every problem")
    p.add_argument(
        "directory", nargs="?", default=str(_default_data()), help="folder of CSV files (default: shipped data)"
    )
    p.set_defaults(func=_validate)

    p = sub.add_parser("dashboard", help="serve the Voilà dashboard on localhost")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--open", action="store_true", help="open a browser tab")
    p.set_defaults(func=_dashboard)

    p = sub.add_parser("export", help="write your progress to a JSON file")
    p.add_argument("file")
    p.set_defaults(func=_export)

    p = sub.add_parser("import", help="merge a progress JSON file into your progress (rules: docs/progress-format.md)")
    p.add_argument("file")
    p.add_argument(
        "--into-profile",
        metavar="NAME",
        help="merge into profile NAME; needed (as a confirmation) when the file is another profile's export",
    )
    p.set_defaults(func=_import)

    p = sub.add_parser("class-report", help="summarise a folder of learners' progress exports as a CSV table")
    p.add_argument("folder")
    p.add_argument("-o", "--output", help="CSV file to write (default: FOLDER/class-report.csv); never through a link")
    p.add_argument("--force", action="store_true", help="replace the output file if it already exists")
    p.add_argument("--gradebook", "--roster", help="join to the students of this nbgrader course (folder or .db)")
    p.set_defaults(func=_class_report)
    from coderpath_widgets.app.course_cli import add_course_parser

    add_course_parser(sub, _course)

    p = sub.add_parser("grades", help="nbgrader grades as one row per student for Canvas, Moodle or a spreadsheet")
    p.add_argument("course", help="the course folder or its gradebook.db")
    p.add_argument("--format", choices=["canvas", "moodle", "wide"], default="wide")
    p.add_argument("-o", "--output", required=True, help="CSV file to write")
    p.add_argument("--final-only", action="store_true", help="leave scores still waiting for hand grading blank")
    p.set_defaults(func=_grades)

    p = sub.add_parser("item-analysis", help="mean, full marks, discrimination, common wrong answers per graded cell")
    p.add_argument("course", help="the course folder (with gradebook.db and autograded/)")
    p.add_argument("-o", "--output", help="CSV file to write (default: COURSE/item-analysis.csv)")
    p.set_defaults(func=_item_analysis)

    p = sub.add_parser("submit-progress", help="send your progress to your instructor through the nbgrader exchange")
    p.add_argument("--course", default="coderpath")
    p.add_argument("nbgrader_args", nargs=argparse.REMAINDER, help="passed on to `nbgrader submit`")
    p.set_defaults(func=_submit_progress)

    p = sub.add_parser("student-id", help="show, or set once, the student id your progress exports carry")
    p.add_argument("id", nargs="?", help="your id in the class roster (your LMS login)")
    p.set_defaults(func=_student_id)
    p = sub.add_parser(
        "offline-jupyterlab", help="turn off JupyterLab's news feed and update check here; coderpath's Voilà defaults"
    )
    p.set_defaults(func=_offline_jupyterlab)

    p = sub.add_parser("lab", help="open JupyterLab on your own copy of the notebooks (made on first run)")
    p.add_argument("--folder", help="your workbook folder (default: $CODERPATH_WORKBOOK or ~/coderpath-workbook)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    p.add_argument("jupyterlab_args", nargs=argparse.REMAINDER, help="after --: passed on to `jupyter lab`")
    p.set_defaults(func=_lab)
    return parser


def _default_data() -> Path:
    from coderpath_widgets.paths import data_dir

    return data_dir()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
