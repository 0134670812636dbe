"""Command-line values that need no conversion reach the command without pydantic.

Typer checks every parameter value through a pydantic ``TypeAdapter``, built when the value is
first processed, so every command (``COMMAND --help`` too, through the root's completion options)
imported pydantic and built adapters: about 0.1 s of each start-up. :func:`install` makes Typer
pass on, as its adapter would, the values that already are what the parameter wants (none, a
``str`` or ``bool`` for a plain ``str`` or ``bool``, an ``int`` or ``float`` default for an
unconstrained number, a whole number written plainly) and check paths with Typer's own path
checks. Anything else (another number, a choice, a custom parser, an unusual path) goes to
Typer's adapter, built on first use, so messages and results stay Typer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer import core as typer_core
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path

if TYPE_CHECKING:
    from typer._click import Context
    from typer.core import _TyperParameter

_PASSED_AS_IS = (str, int, float, bool)
_DECIMAL = re.compile(r"-?[1-9][0-9]{0,17}|0")


def _plain(descriptor: TypeDescriptor) -> bool:
    """A parameter whose values Typer's adapter only checks the type of (or a path)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return False
    if descriptor.annotation in _PASSED_AS_IS:
        return info.min is None and info.max is None and not info.clamp
    return descriptor.annotation is Path and info.path_type is None and not info.allow_dash


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """A plain ``str``/number/``Path`` parameter: values of that type pass as they are, paths get
    Typer's checks, everything else goes to Typer's adapter."""

    descriptor: TypeDescriptor
    _typer: list[RuntimeParam] = field(default_factory=list, compare=False, repr=False)

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if type(value) is self.annotation and self.annotation in _PASSED_AS_IS:
            return value
        if self.annotation is int and isinstance(value, str) and _DECIMAL.fullmatch(value):
            return int(value)  # what pydantic makes of an id or a count typed plainly
        if self.annotation is Path and isinstance(value, str) and str(Path(value)) == value:
            try:  # what Typer's adapter does once pydantic has made the string a Path
                return coerce_cli_path(Path(value), self.parameter_info, path_type=Path,
                                       param=param, ctx=ctx)  # fmt: skip
            except ValueError:  # e.g. a NUL in the path: Typer's adapter words the error
                pass
        return self.typer_param()._coerce_value(value, param, ctx)

    def typer_param(self) -> RuntimeParam:
        """Typer's own coercion for this parameter (pydantic), built once."""
        if not self._typer:
            self._typer.append(build_runtime_param(self.descriptor))
        return self._typer[0]


def runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    """What Typer uses to coerce one parameter's values: :class:`PlainParam` where it can."""
    if _plain(descriptor):
        return PlainParam(descriptor.parameter_info, descriptor.annotation, descriptor)
    return build_runtime_param(descriptor)


def install() -> None:
    """Let Typer's parameters use :func:`runtime_param` (idempotent)."""
    typer_core.build_runtime_param = runtime_param
