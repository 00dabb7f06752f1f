"""coderpath: an offline-first Jupyter workbook for becoming a medical coder."""

__version__ = "0.1.0"
