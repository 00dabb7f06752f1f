"""coderpath: an offline-first Jupyter workbook for becoming a medical coder.

Notebooks import the public factories below; each returns a widget (the library never calls ``display()``).
They are imported on first use (PEP 562), so ``import coderpath_widgets`` stays fast in a fresh kernel.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public factory → the module that defines it
_FACTORIES = {
    "certification_fit": "features.certifications",
    "class_report": "features.class_table",
    "compare_careers": "features.careers",
    "compare_certifications": "features.certifications",
    "drill_terminology": "features.flashcards",
    "load_table": "content.tables",
    "plan_courses": "features.planner",
    "practice_cases": "features.practice.widgets",
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

__all__ = sorted(_FACTORIES)


def __getattr__(name: str) -> Any:
    if name in _FACTORIES:
        value = getattr(importlib.import_module(f".{_FACTORIES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FACTORIES])
