"""The class report as a pandas DataFrame, for instructors working in JupyterLab.

``load_class_report(folder)`` reads the same exports, with the same checks, as ``coderpath class-report`` and
:func:`~coderpath_widgets.show_class_report` (:func:`.class_report.build_report`): one row per learner,
typed columns, and the files left out with the reason in ``frame.attrs["skipped"]``.

pandas is imported inside the function only.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.features.class_report import build_report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: columns of the report that are not whole numbers, and their dtype (every other column is ``Int64``)
_DTYPES = {
    "profile": "string",
    "file": "string",
    "target_credential": "string",
    "last_activity": "datetime",
    "exported_at": "datetime",
}


def _base_columns(dataset: Dataset) -> list[str]:
    """The report's columns in order, also when no export could be read."""
    steps = [f"step{s.number}_{s.id}_percent" for s in sorted(dataset.steps, key=lambda s: s.number)]
    return [
        "profile", "file", "overall_percent", *steps, "cases_attempted", "case_first_try_percent",
        "best_quiz_percent", "quiz_attempts", "flashcards_seen", "target_credential", "applications",
        "last_activity", "exported_at",
    ]  # fmt: skip


def load_class_report(folder: str | os.PathLike[str], dataset: Dataset | None = None) -> pd.DataFrame:
    """The class table of the exports under ``folder`` as a DataFrame, one row per learner.

    Percentages and counts are ``Int64`` (``<NA>`` where a learner has no figure yet, e.g. no case
    attempted), ``last_activity`` and ``exported_at`` are UTC datetimes (``NaT`` if a stamp is unreadable),
    names are ``string``.
    ``frame.attrs["skipped"]`` lists ``(file, reason)`` for each file left out.
    """
    import pandas as pd

    dataset = dataset or load_dataset()
    rows, skipped = build_report(folder, dataset)
    names = list(rows[0]) if rows else _base_columns(dataset)
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        values = [None if value == "" else value for value in values]
        kind = _DTYPES.get(name, "Int64")
        if kind == "datetime":
            columns[name] = pd.Series(
                pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce"), dtype="datetime64[ns, UTC]"
            )
        else:
            columns[name] = pd.Series(values, dtype=kind)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    frame.attrs["skipped"] = [(item.file, item.reason) for item in skipped]
    return frame


#: the old name, kept working for one release (0.2 removes it); call :func:`load_class_report`
class_report = load_class_report
