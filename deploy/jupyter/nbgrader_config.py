"""nbgrader settings for every user's server on the class hub (deploy/jupyterhub_config.py puts this
folder on JUPYTER_CONFIG_PATH). Instructors add their own ~/.jupyter/nbgrader_config.py with
``c.CourseDirectory.root`` pointing at their copy of instructors/course."""

import getpass
import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "coderpath"
# The same folder for everyone; the hub passes it to each server (a ReadWriteMany volume on Kubernetes).
c.Exchange.root = os.environ.get("CODERPATH_EXCHANGE", "/srv/nbgrader/exchange")
# Students see the courses of their hub groups (nbgrader-coderpath, formgrade-coderpath) and fetch into
# ./coderpath/<assignment>.
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
# nbgrader's docs strongly recommend a log file on a hub: it is where exchange errors end up.
c.NbGrader.logfile = os.path.expanduser("~/.nbgrader.log")

# `nbgrader collect` warns "... claims to be submitted by ada but is owned by jovyan; cheating attempt?" for every
# submission when all servers run under one OS account (Z2JH's jovyan, a local-process spawner): the files' owner
# can never be the student there, so the check says nothing. It is a warning only (collect goes on); nbgrader's
# message names CollectApp.check_owner, but the setting is ExchangeCollect.check_owner. On a hub where each user
# has their own Unix account (PAM, the default in deploy/jupyterhub_config.py) the account is the hub name and the
# check stays on: there a mismatch is worth a look.
if os.environ.get("JUPYTERHUB_USER") and getpass.getuser() != os.environ["JUPYTERHUB_USER"]:
    c.ExchangeCollect.check_owner = False
