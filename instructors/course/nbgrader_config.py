"""nbgrader settings for the coderpath course.

Make your own private copy first (``coderpath course init ~/coderpath-course``), then run every instructor
command from that folder, or point ``CourseDirectory.root`` there from your own ``~/.jupyter/nbgrader_config.py``.
The guide is docs/instructors.md.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "coderpath"
# This folder is the course, wherever nbgrader was started from (the formgrader, a hub, a script).
c.CourseDirectory.root = HERE

# The exchange is the shared folder that release_assignment / fetch_assignment / submit / collect use.
# nbgrader's default is /usr/local/share/nbgrader/exchange; set CODERPATH_EXCHANGE to move it
# (a ReadWriteMany volume on Kubernetes, a tmp dir in tests). Students' servers must use the same path:
# see deploy/jupyter/nbgrader_config.py.
if os.environ.get("CODERPATH_EXCHANGE"):
    c.Exchange.root = os.environ["CODERPATH_EXCHANGE"]

# Answer cells start as `answer_q1 = ""`: students type between the quotes, so the stub only points
# there instead of nbgrader's default `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE: type it between the quotes above"}

# A student who deletes a graded cell gets it back at grading time (with a note saying so), and the
# autograder runs it, instead of leaving the question ungraded. Edited read-only and test cells are
# always restored from the gradebook (checksum mismatch), whatever this setting says.
c.OverwriteCells.add_missing_cells = True

# Code checks use coderpath_widgets.icd.index: the first use on a machine builds its ICD-10-CM index
# (a few seconds, kept in the cache folder), so allow more than the default 30 s per cell.
c.ExecutePreprocessor.timeout = 120

# Late submissions lose 10% of the notebook's score per day (a started day counts), at most 50%.
# Due dates come from schedule.csv: `coderpath course schedule` puts them into the gradebook.
c.AssignLatePenalties.plugin_class = "coderpath_widgets.app.late_penalty.PercentPerDayLate"
c.PercentPerDayLate.percent_per_day = 10
c.PercentPerDayLate.max_percent = 50

# MathJax from the local Jupyter server (jupyter-server-mathjax), not from nbconvert's CDN default, in the
# formgrader and in feedback files: templates/base/mathjax.html.j2 comes before nbconvert's own.
c.HTMLExporter.extra_template_basedirs = [
    os.path.join(os.path.dirname(__import__("nbgrader").__file__), "server_extensions", "formgrader", "templates"),
    os.path.join(HERE, "templates"),
]
