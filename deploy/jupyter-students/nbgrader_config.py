"""nbgrader settings for students' servers only (read before deploy/jupyter/nbgrader_config.py)."""

import os

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

# Submit under the hub user name. nbgrader otherwise names a submission after the OS account, which is the
# same for every student when servers run under one account (containers not named "jovyan", test hubs).
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
