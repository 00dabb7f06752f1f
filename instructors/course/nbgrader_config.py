"""nbgrader settings for the coderpath course.

Run every instructor command from this folder (``cd instructors/course``), or point
``CourseDirectory.root`` here from your own ``~/.jupyter/nbgrader_config.py``.
The guide is docs/instructors.md.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "coderpath"

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
