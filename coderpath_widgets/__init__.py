"""coderpath: an offline-first Jupyter workbook for becoming a medical coder.

Notebooks import the public factories below; each returns a widget (the library never calls ``display()``),
one call per cell. Every factory is named by what the learner does (``plan_courses``, ``take_quiz``).
They are imported on first use (PEP 562), so ``import coderpath_widgets`` stays fast in a fresh kernel; the
``TYPE_CHECKING`` block lets editors and type checkers see them anyway.

Renamed in 0.1 so that every name is a verb; the old names still work, without a warning, until 0.2:
``certification_fit`` → ``find_certification_fit``, ``practice_cases`` → ``practice_coding_cases``,
``class_report`` → ``load_class_report``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public factory → the module that defines it
_FACTORIES = {
    "compare_careers": "features.careers",
    "compare_certifications": "features.certifications",
    "drill_terminology": "features.flashcards",
    "find_certification_fit": "features.certifications",
    "load_class_report": "features.class_table",
    "load_table": "content.tables",
    "plan_courses": "features.planner",
    "practice_coding_cases": "features.practice.widgets",
    "show_checklist": "features.checklist",
    "show_class_report": "features.class_report",
    "show_code_lookup": "features.code_lookup",
    "show_code_sets": "features.overview",
    "show_dashboard": "dashboard.page",
    "show_item_analysis": "features.item_analysis",
    "show_path_overview": "features.overview",
    "show_practice_progress": "features.practice.widgets",
    "show_profile": "features.overview",
    "show_programs": "features.overview",
    "take_quiz": "features.quiz",
    "track_job_search": "features.jobs",
}

#: old name → new name, for one release
_RENAMED = {
    "certification_fit": "find_certification_fit",
    "class_report": "load_class_report",
    "practice_cases": "practice_coding_cases",
}

__all__ = [
    "compare_careers",
    "compare_certifications",
    "drill_terminology",
    "find_certification_fit",
    "load_class_report",
    "load_table",
    "plan_courses",
    "practice_coding_cases",
    "show_checklist",
    "show_class_report",
    "show_code_lookup",
    "show_code_sets",
    "show_dashboard",
    "show_item_analysis",
    "show_path_overview",
    "show_practice_progress",
    "show_profile",
    "show_programs",
    "take_quiz",
    "track_job_search",
]  # the factories (a test keeps this equal to _FACTORIES)

if TYPE_CHECKING:  # what editors see; at run time the names load on first use
    from coderpath_widgets.content.tables import load_table
    from coderpath_widgets.dashboard.page import show_dashboard
    from coderpath_widgets.features.careers import compare_careers
    from coderpath_widgets.features.certifications import certification_fit as certification_fit
    from coderpath_widgets.features.certifications import compare_certifications, find_certification_fit
    from coderpath_widgets.features.checklist import show_checklist
    from coderpath_widgets.features.class_report import show_class_report
    from coderpath_widgets.features.class_table import class_report as class_report
    from coderpath_widgets.features.class_table import load_class_report
    from coderpath_widgets.features.code_lookup import show_code_lookup
    from coderpath_widgets.features.flashcards import drill_terminology
    from coderpath_widgets.features.item_analysis import show_item_analysis
    from coderpath_widgets.features.jobs import track_job_search
    from coderpath_widgets.features.overview import show_code_sets, show_path_overview, show_profile, show_programs
    from coderpath_widgets.features.planner import plan_courses
    from coderpath_widgets.features.practice.widgets import practice_cases as practice_cases
    from coderpath_widgets.features.practice.widgets import practice_coding_cases, show_practice_progress
    from coderpath_widgets.features.quiz import take_quiz


def __getattr__(name: str) -> Any:
    target = _RENAMED.get(name, name)
    if target in _FACTORIES:
        value = getattr(importlib.import_module(f".{_FACTORIES[target]}", __name__), target)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FACTORIES])
