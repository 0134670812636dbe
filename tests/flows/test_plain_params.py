"""Values that skip Typer's pydantic adapter come out exactly as the adapter would give them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer import core as typer_core
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.models import OptionInfo
from typer.testing import CliRunner

from flows.plain_params import PlainParam, runtime_param


def outcome(
    annotation: Any, options: dict[str, Any], value: Any, *, ours: bool, default: Any = None
) -> tuple[int, str]:
    """Exit code and output of a one-option command given ``value`` (``--x VALUE`` for a
    string, else the option's default), coerced by :func:`runtime_param` or by Typer's own."""

    def show(x: Any = default) -> None:
        print(type(x).__name__, repr(x))

    show.__annotations__ = {"x": Annotated[annotation, typer.Option(**options)], "return": None}
    app = typer.Typer()
    app.command()(show)

    previous = typer_core.build_runtime_param
    typer_core.build_runtime_param = runtime_param if ours else build_runtime_param
    try:
        result = CliRunner().invoke(app, ["--x", value] if isinstance(value, str) else [])
    finally:
        typer_core.build_runtime_param = previous
    return result.exit_code, result.output


def a_file(folder: Path) -> Path:
    path = folder / "leads.csv"
    path.write_text("a\n")
    return path


VALUES: list[tuple[Any, dict[str, Any], Any]] = [
    (str, {}, "abc"),
    (str, {}, ""),
    (str, {}, 12),
    (str, {}, None),
    (bool, {}, True),
    (bool, {}, "yes"),
    (bool, {}, None),
    (int, {}, 0),
    (int, {}, "12"),
    (int, {}, " 7 "),
    (int, {}, "-3"),
    (int, {}, "12345"),
    (int, {}, "007"),
    (int, {}, "+5"),
    (int, {}, "1_000"),
    (int, {}, "\u0663"),
    (int, {}, "123456789012345678901234567890"),
    (int, {}, "abc"),
    (int, {}, "1.5"),
    (int, {}, True),
    (int, {"min": 1}, 0),
    (float, {}, 0.5),
    (float, {}, "2.5"),
    (float, {}, 2),
    (Path, {}, "no/such/file.csv"),
    (Path, {}, ""),
    (Path, {"exists": True}, "no/such/file.csv"),
    (Path, {"exists": True}, "no//such/./file.csv/"),
    (Path, {"exists": True}, "bad\x00name.csv"),
    (Path, {"exists": True, "dir_okay": False}, "{folder}"),
    (Path, {"exists": True, "file_okay": False}, "{file}"),
    (Path, {"exists": True, "dir_okay": False, "readable": True}, "{file}"),
    (Path, {"exists": True}, "{file}/"),
    (Path, {"exists": True}, "{folder}//leads.csv"),
    (Path, {"resolve_path": True}, "{folder}/../x.csv"),
    (Path, {"writable": True}, "{folder}"),
    (Path, {}, None),
]


@pytest.mark.parametrize(("annotation", "options", "value"), VALUES)
def test_a_value_comes_out_as_typers_adapter_gives_it(
    tmp_path: Path, annotation: Any, options: dict[str, Any], value: Any
) -> None:
    if isinstance(value, str):
        value = value.format(folder=tmp_path, file=a_file(tmp_path))
    default = None if isinstance(value, str) else value
    ours = outcome(annotation, options, value, ours=True, default=default)
    assert ours == outcome(annotation, options, value, ours=False, default=default)
    assert ours[0] in (0, 2), ours  # a value, or a usage error: never a crash


def test_plain_parameters_skip_pydantic_and_the_rest_keep_typers_coercion() -> None:
    assert isinstance(runtime_param(resolve_type_descriptor(str, OptionInfo())), PlainParam)
    assert isinstance(runtime_param(resolve_type_descriptor(Path, OptionInfo())), PlainParam)
    typers = [(int, OptionInfo(min=1)), (list[str], OptionInfo()),
              (str, OptionInfo(parser=str.upper)), (Path, OptionInfo(allow_dash=True))]  # fmt: skip
    for annotation, info in typers:
        assert not isinstance(runtime_param(resolve_type_descriptor(annotation, info)), PlainParam)


def test_an_unreadable_file_is_refused_as_typer_refuses_it(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = a_file(tmp_path)
    path.chmod(0)
    options = {"exists": True, "readable": True}
    ours = outcome(Path, options, str(path), ours=True)
    assert ours == outcome(Path, options, str(path), ours=False)
    assert ours[0] == 2 and "not readable" in ours[1]
