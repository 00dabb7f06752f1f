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
    "certification_fit": "certifications",
    "compare_careers": "careers",
    "compare_certifications": "certifications",
    "drill_terminology": "flashcards",
    "plan_courses": "planner",
    "practice_cases": "practice",
    "show_checklist": "checklist",
    "show_class_report": "class_report",
    "show_code_lookup": "code_lookup",
    "show_code_sets": "overview",
    "show_dashboard": "dashboard",
    "show_path_overview": "overview",
    "show_practice_progress": "practice",
    "show_profile": "overview",
    "show_programs": "overview",
    "take_quiz": "quiz",
    "track_job_search": "jobs",
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
