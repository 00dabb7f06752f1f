"""coderpath: an offline-first Jupyter workbook for becoming a medical coder.

Notebooks import the public factories below; each returns a widget (the library never calls ``display()``).
"""

__version__ = "0.1.0"

from .careers import compare_careers  # noqa: E402
from .certifications import certification_fit, compare_certifications  # noqa: E402
from .checklist import show_checklist  # noqa: E402
from .class_report import show_class_report  # noqa: E402
from .code_lookup import show_code_lookup  # noqa: E402
from .dashboard import show_dashboard  # noqa: E402
from .flashcards import drill_terminology  # noqa: E402
from .jobs import track_job_search  # noqa: E402
from .overview import show_code_sets, show_path_overview, show_profile, show_programs  # noqa: E402
from .planner import plan_courses  # noqa: E402
from .practice import practice_cases, show_practice_progress  # noqa: E402
from .quiz import take_quiz  # noqa: E402

__all__ = [
    "certification_fit",
    "compare_careers",
    "compare_certifications",
    "drill_terminology",
    "plan_courses",
    "practice_cases",
    "show_checklist",
    "show_class_report",
    "show_code_lookup",
    "show_code_sets",
    "show_dashboard",
    "show_path_overview",
    "show_practice_progress",
    "show_profile",
    "show_programs",
    "take_quiz",
    "track_job_search",
]
