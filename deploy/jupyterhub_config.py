"""JupyterHub for a coderpath class on one machine (guide: docs/instructors.md, "Scale out").

    jupyterhub -f deploy/jupyterhub_config.py

Install the hub into the same environment as the workbook (``pip install -e ".[notebooks,instructor]"``)
plus ``npm install -g configurable-http-proxy``. Every user's server then runs from that environment, so
the workbook, Voilà (``/user/<name>/voila/render/...``) and nbgrader's Assignments tab are there for
everyone. Each user gets the notebooks in ``~/coderpath-workbook`` on first start, and each learner's progress lives
in their own home (``~/.local/share/coderpath``).

Settings come from the environment, so this file needs no editing for a class:

    CODERPATH_EXCHANGE      nbgrader exchange folder shared by all users (default /srv/nbgrader/exchange)
    CODERPATH_INSTRUCTORS   comma-separated user names: hub admins and the formgrade-coderpath group
    CODERPATH_STUDENTS      comma-separated user names for the nbgrader-coderpath group (optional:
                            `nbgrader db student add` also puts students there)
    CODERPATH_IDLE_TIMEOUT  seconds before an idle server is stopped, if jupyterhub-idle-culler is
                            installed (default 3600)

The defaults are a class server where each person has a Unix account (PAM log-in, one process per user).
For a single-machine class without Unix accounts, The Littlest JupyterHub does the same job; for a class
bigger than one machine, use Zero to JupyterHub on Kubernetes (deploy/z2jh-config.yaml).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when JupyterHub loads this file)

COURSE_ID = "coderpath"
HERE = Path(__file__).resolve().parent
WORKBOOK = HERE.parent / "notebooks"  # the learners' notebooks, copied into each home on first start
REPO = HERE.parent  # voila.json (hidden code, extension allowlist) and the CDN-free "coderpath" Voilà template
ENV_BIN = Path(sys.executable).parent  # the environment this hub runs from; user servers run from it too


def names(variable: str) -> list[str]:
    return [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]


INSTRUCTORS = names("CODERPATH_INSTRUCTORS")
STUDENTS = names("CODERPATH_STUDENTS")
EXCHANGE = os.environ.get("CODERPATH_EXCHANGE", "/srv/nbgrader/exchange")
INSTRUCTOR_GROUP = f"formgrade-{COURSE_ID}"
STUDENT_GROUP = f"nbgrader-{COURSE_ID}"

# --- who may log in ----------------------------------------------------------------------------------------
# PAM (Unix accounts) is JupyterHub's default. Any other authenticator (OAuth, LDAP, LTI for logging in from
# your LMS) is set with c.JupyterHub.authenticator_class; the rest of this file stays the same.
c.Authenticator.admin_users = set(INSTRUCTORS)
if STUDENTS:
    c.Authenticator.allowed_users = set(INSTRUCTORS) | set(STUDENTS)
else:
    c.Authenticator.allow_all = True  # everyone the authenticator accepts (e.g. every Unix account)

# --- course groups, as nbgrader's JupyterHubAuthPlugin expects ---------------------------------------------
c.JupyterHub.load_groups = {
    INSTRUCTOR_GROUP: {"users": INSTRUCTORS},
    STUDENT_GROUP: {"users": STUDENTS},
}
c.JupyterHub.load_roles = [
    {
        # `nbgrader db student add` (in an instructor's server) puts the student into nbgrader-coderpath through
        # the hub API. (The formgrader's "Add student" button does not, as of nbgrader 0.9.6.)
        "name": f"{COURSE_ID}-instructor",
        "description": f"Manage membership of {STUDENT_GROUP}",
        "scopes": ["list:groups", "read:groups", f"groups!group={STUDENT_GROUP}"],
        "groups": [INSTRUCTOR_GROUP],
    },
]

# --- users' servers ----------------------------------------------------------------------------------------
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
# $JUPYTERHUB_API_TOKEN in each server: the usual activity/access scopes, plus reading one's own groups
# (the Assignments tab asks the hub which courses a student is in). Each user gets only the subset of
# these that they hold, so only instructors get the group-management scope.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
    "list:groups",
    "read:groups",
    f"groups!group={STUDENT_GROUP}",
]


def is_instructor(spawner) -> bool:
    return any(group.name == INSTRUCTOR_GROUP for group in spawner.user.groups)


def jupyter_config_path(spawner) -> str:
    """Everyone reads deploy/jupyter (nbgrader exchange and auth); students also read deploy/jupyter-students,
    which hides the instructor-only nbgrader tools (formgrader, course list, create assignment)."""
    paths = [HERE / "jupyter"] if is_instructor(spawner) else [HERE / "jupyter-students", HERE / "jupyter"]
    # The workbook's Voilà settings, as on a learner's laptop: code hidden, only the widget extensions, the
    # "coderpath" template (found through JUPYTER_PATH below) with no Font Awesome from a CDN.
    paths += [REPO / "jupyter-config", REPO]
    return os.pathsep.join(str(path) for path in paths)


c.Spawner.environment = {
    "CODERPATH_EXCHANGE": EXCHANGE,
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    "JUPYTER_PATH": str(REPO / "share" / "jupyter"),
}


def copy_workbook(spawner) -> None:
    """Before a user's first start, copy the workbook into ~/coderpath-workbook (never over an existing
    folder; nbgrader fetches assignments into ~/coderpath).

    Progress lives in the progress store, not in the notebooks, so a learner who wants the latest notebooks
    renames ~/coderpath-workbook and restarts their server."""
    home_dir = getattr(spawner, "home_dir", None)  # SimpleLocalProcessSpawner; else the Unix account's home
    account = None if home_dir else pwd.getpwnam(spawner.user.name)
    target = Path(home_dir or account.pw_dir) / "coderpath-workbook"
    if target.exists():
        return
    try:
        shutil.copytree(WORKBOOK, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        if account is not None and os.geteuid() == 0:
            for path in [target, *target.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)
    except OSError as error:  # a hub not running as root cannot write into homes: start without the copy
        spawner.log.warning("could not copy the workbook to %s: %s", target, error)


c.Spawner.pre_spawn_hook = copy_workbook

# The exchange must exist and be writable by everyone before anyone releases or submits (nbgrader's docs:
# `mkdir -p DIR && chmod ugo+rw DIR`). Create it when the hub may; otherwise create it by hand.
try:
    os.makedirs(EXCHANGE, exist_ok=True)
    os.chmod(EXCHANGE, 0o777)
except OSError as error:
    print(f"[coderpath] could not prepare the nbgrader exchange {EXCHANGE}: {error}", file=sys.stderr)

# --- formgrader under JupyterHub >= 4.1 (nbgrader #1870) ---------------------------------------------------
# The formgrader panel is an iframe, which JupyterHub's frame-ancestors policy blanks. Either open it in its
# own tab (https://HUB/user/<name>/formgrader), or give each user a subdomain and allow frames from 'self':
# c.JupyterHub.enable_subdomains = True
# c.JupyterHub.bind_url = "https://hub.example.edu"   # with a wildcard DNS record and certificate
# and in deploy/jupyter/jupyter_server_config.json (read by every user's server), next to "LabApp":
# "ServerApp": {"tornado_settings": {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}}

# --- optional: stop idle servers (pip install jupyterhub-idle-culler) --------------------------------------
if importlib.util.find_spec("jupyterhub_idle_culler") is not None:
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={int(os.environ.get('CODERPATH_IDLE_TIMEOUT', '3600'))}",
            ],
        }
    ]
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    )
