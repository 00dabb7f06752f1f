# coderpath's Voilà settings as this environment's defaults.
#
# Installed as PREFIX/etc/jupyter/voila.py (by the wheel's data files, or `coderpath offline-jupyterlab` for a
# checkout), where plain `voila` and JupyterLab's "Render with Voilà" preview read it. It adds the settings of
# the workbook's voila.json and jupyter-config/voila.json (the coderpath template: no CDN links), minus the
# settings only the `coderpath dashboard` launcher needs; coderpath_widgets.app.jupyter_setup.voila_defaults
# says which. Nothing is added once coderpath is uninstalled.
from traitlets.config import Config

try:
    from coderpath_widgets.app.jupyter_setup import voila_defaults
except ImportError:
    pass
else:
    c.merge(Config(voila_defaults()))  # noqa: F821 - `c` is the config object traitlets gives a config file
