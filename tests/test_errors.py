"""One error hierarchy: every exception class the project defines is a ``LeadflowError``, and
every ``leadflow ...`` command a message or docstring names exists."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.errors import LeadflowError, LeadflowValueError
from ingest.normalize import NormalizationError
from ingest.store.match_models import UnknownModelVersionError

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "sources", "matchers", "flows", "benchmarks", "sample_data")
NOT_IMPORTED = ("ingest.store.migrations", "flows.__main__")
"""Alembic's environment runs the migrations when imported; ``__main__`` runs the command."""
COMMAND = re.compile(r"`leadflow ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)*)")


def project_modules() -> Iterator[types.ModuleType]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if not info.name.startswith(NOT_IMPORTED):
                yield importlib.import_module(info.name)


def strays(modules: Iterable[types.ModuleType]) -> list[str]:
    """Exception classes defined in ``modules`` that are not ``LeadflowError`` subclasses."""
    return sorted(
        f"{module.__name__}.{cls.__qualname__}"
        for module in modules
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and cls.__module__ == module.__name__
        and issubclass(cls, BaseException)
        and not issubclass(cls, LeadflowError)
    )


def test_every_exception_class_of_the_project_is_a_leadflow_error() -> None:
    assert strays(project_modules()) == []


def test_the_check_sees_an_exception_outside_the_hierarchy() -> None:
    module = types.ModuleType("fake")
    vars(module)["LeadflowError"] = LeadflowError
    exec("class Stray(ValueError): pass\nclass Fine(LeadflowError): pass", vars(module))
    assert strays([module]) == ["fake.Stray"]


def test_bad_values_are_value_errors_under_the_one_root() -> None:
    assert issubclass(NormalizationError, LeadflowValueError)
    assert issubclass(LeadflowValueError, ValueError)
    assert issubclass(UnknownModelVersionError, LeadflowError)


def named_commands() -> list[str]:
    """Every ``leadflow <command>`` a string of the packages names (messages, docstrings)."""
    found: set[str] = set()
    for name in ("ingest", "sources", "matchers", "flows"):
        for path in sorted((REPO / name).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.update(COMMAND.findall(node.value))
    return sorted(found)


@pytest.mark.parametrize("command", named_commands())
def test_a_command_named_in_a_message_exists(command: str) -> None:
    from flows.cli import app

    # a group refuses an unknown subcommand; a command's --help ignores its arguments
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output


def test_the_unknown_model_version_message_names_its_command() -> None:
    assert "model list" in COMMAND.findall(str(UnknownModelVersionError(7)))
