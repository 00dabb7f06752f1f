"""The application: command line, the Voilà server process and JupyterLab set-up."""
