"""The kernel side of Voilà's pre-heated kernels: wait for the page request before reading progress."""

from __future__ import annotations

import os

#: Environment variable Voilà sets to "True" in the kernels it starts ahead of a visit.
PREHEAT_ENV = "VOILA_PREHEAT"


# ------------------------------------------------------------------ kernel side


def wait_for_page_request() -> None:
    """In a kernel Voilà started ahead of time, wait until someone opens the page.

    Voilà runs each notebook in a spare ("pre-heated") kernel before anyone asks for it, so the next
    visit gets the page at once. Anything the notebook reads before the visit is as old as that
    spare kernel: a tick made on another page since then would be missing. Call this just before
    reading learner state (``store.get_store()`` is the place): in a pre-heated kernel it blocks
    until the page is requested, so imports and data loading are done early and progress is read
    fresh. Everywhere else (JupyterLab, nbval, Voilà without pre-heating) it returns at once, and
    after the first wait it returns at once too.
    """
    if os.environ.get(PREHEAT_ENV) != "True":
        return
    from voila.utils import wait_for_request

    wait_for_request()
    # This kernel now serves a page; a second call must not wait for a second visit.
    os.environ[PREHEAT_ENV] = "False"
