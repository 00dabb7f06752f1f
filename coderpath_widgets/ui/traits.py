"""Trait types shared by the panels: a closed vocabulary is an enum, and a bad value is refused by name.

>>> import enum, traitlets
>>> class Phase(enum.StrEnum):
...     SETUP = "setup"
...     DONE = "done"
>>> class Demo(traitlets.HasTraits):
...     phase = EnumTrait(Phase, Phase.SETUP)
>>> demo = Demo()
>>> demo.phase = "done"          # the value, the member's name or the member itself
>>> demo.phase is Phase.DONE, demo.phase == "done"
(True, True)
>>> demo.phase = "finished"
Traceback (most recent call last):
...
traitlets.traitlets.TraitError: Demo.phase must be one of 'setup', 'done'; got 'finished'.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import traitlets


class EnumTrait(traitlets.UseEnum):
    """A trait holding one member of ``enum_class``.

    It accepts the member, its value (``"running"``) or its name (``"RUNNING"``) and always stores the
    member; anything else raises :class:`traitlets.TraitError` naming the trait and every allowed value.
    With a :class:`enum.StrEnum` the member still compares equal to its string, so dropdowns whose
    options are the plain values can be linked to it.
    """

    def __init__(self, enum_class: type[enum.Enum], default_value: Any = None, **kwargs: Any) -> None:
        if default_value is not None and not isinstance(default_value, enum_class):
            default_value = enum_class(default_value)
        super().__init__(enum_class, default_value, **kwargs)

    if TYPE_CHECKING:  # traitlets is read without its annotations (pyproject.toml): say what a trait holds

        def __get__(self, obj: Any, cls: Any = None) -> Any: ...

        def __set__(self, obj: Any, value: Any) -> None: ...

    def validate(self, obj: Any, value: Any) -> Any:
        if isinstance(value, self.enum_class):
            return value
        if value is None and self.allow_none:
            return None
        try:
            return self.enum_class(value)
        except (ValueError, TypeError):
            pass
        if isinstance(value, str) and value in self.enum_class.__members__:
            return self.enum_class.__members__[value]
        allowed = ", ".join(repr(member.value) for member in self.enum_class)
        owner = type(obj).__name__ if obj is not None else "the trait"
        raise traitlets.TraitError(f"{owner}.{self.name} must be one of {allowed}; got {value!r}.")
