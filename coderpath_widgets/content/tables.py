"""Any data table as a typed pandas DataFrame, for exploring the data in JupyterLab.

>>> from coderpath_widgets import load_table
>>> fees = load_table("certification_fees")          # doctest: +SKIP
>>> fees.groupby("kind", observed=True)["nonmember_usd"].median()   # doctest: +SKIP

The rows come from the same loader the widgets use (:func:`coderpath_widgets.content.loaders.load`), so a
broken file raises the same :class:`~coderpath_widgets.content.values.DataError` naming file, line and
column. The dtypes follow the model's field types:

==========================  ==================================================================
model field                 column dtype
==========================  ==================================================================
``int`` / ``int | None``    ``Int64`` (an empty cell is ``<NA>``)
``float`` / ``float|None``  ``Float64``
``bool`` / ``bool | None``  ``boolean``
``str`` / ``str | None``    ``string``
an enum                     ``category`` whose categories are every value of the enum, in order
``date``                    ``datetime64``
``AsOf`` (``as_of``)        ``string`` holding the text as written (``2024``, ``2024-05``,
                            ``2024-05-31``); it sorts in date order
``tuple[...]`` (a list)     ``object``: one tuple per row, ``()`` for an empty cell
==========================  ==================================================================

pandas is imported inside :func:`load_table` only, so importing ``coderpath_widgets`` (and a fresh
kernel's first ICD-10-CM search) never pays for it.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coderpath_widgets.content.loaders import load
from coderpath_widgets.content.models import TABLES
from coderpath_widgets.content.values import AsOf

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_SCALAR_DTYPES = {int: "Int64", float: "Float64", bool: "boolean", str: "string", AsOf: "string"}


def column_kinds(model: type) -> dict[str, tuple[Any, bool]]:
    """Each field of ``model`` → (its scalar type, whether it is a ``;``-list).

    >>> from coderpath_widgets.content.models import Step
    >>> column_kinds(Step)["number"]
    (<class 'int'>, False)
    """
    hints = typing.get_type_hints(model)
    kinds = {}
    for field in dataclasses.fields(model):
        kind = hints[field.name]
        if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
            kind = next(a for a in typing.get_args(kind) if a is not type(None))
        many = typing.get_origin(kind) is tuple
        kinds[field.name] = (typing.get_args(kind)[0] if many else kind, many)
    return kinds


def _cell(value: Any) -> Any:
    """A model value as the DataFrame stores it (before the column's dtype is applied)."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, AsOf):
        return value.text
    return value


def load_table(name: str, directory: str | Path | None = None) -> pd.DataFrame:
    """The data table ``name`` (``"certifications"``, ``"courses"``, ...) as a typed DataFrame.

    ``directory`` defaults to ``$CODERPATH_DATA`` or the shipped data. One row per CSV row, in file
    order; one column per model field, named like the CSV header. Unknown names raise ``KeyError``
    listing the tables there are.
    """
    if name not in TABLES:
        raise KeyError(f"There is no data table '{name}'. The tables are: {', '.join(sorted(TABLES))}.")
    import pandas as pd

    model = TABLES[name]
    rows = load(name, directory)
    columns: dict[str, pd.Series] = {}
    for field_name, (kind, many) in column_kinds(model).items():
        values = [getattr(row, field_name) for row in rows]
        if many:
            columns[field_name] = pd.Series([tuple(_cell(v) for v in value) for value in values], dtype=object)
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            dtype = pd.CategoricalDtype([member.value for member in kind])
            columns[field_name] = pd.Series([_cell(v) for v in values], dtype=dtype)
        elif kind is date:
            columns[field_name] = pd.Series(pd.to_datetime(values))
        else:
            columns[field_name] = pd.Series([_cell(v) for v in values], dtype=_SCALAR_DTYPES[kind])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
