"""The layering rule, checked on the source: web -> operations -> domain, models, audit, notices."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "vetting"

# Only these may use Flask: the web layer, the command line, jobs and the application factory.
FLASK_ALLOWED = ("web/", "cli.py", "jobs.py", "__init__.py", "extensions.py")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, module_name: str | None = None) -> set[str]:
    """Every module a file imports at run time, relative imports resolved to absolute names.

    Imports under `if TYPE_CHECKING:` are annotations only, not dependencies, so they are left
    out; imports inside functions count, since they run.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = (module_name or _module_name(path)).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            # `from vetting import web` imports the module vetting.web.
            names.update(f"{module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


def _is_flask(name: str) -> bool:
    top = _top(name)
    return top == "flask" or top.startswith("flask_")


def test_package_has_modules_when_scanned():
    # Guards the other tests against passing on an empty walk.
    assert len(_modules()) > 20
    assert any(_relative(p).startswith("domain/") for p in _modules())


@pytest.mark.parametrize("path", _modules(), ids=_relative)
def test_module_imports_flask_only_when_it_is_web_cli_jobs_or_factory(path: Path):
    relative = _relative(path)
    if relative.startswith(FLASK_ALLOWED[0]) or relative in FLASK_ALLOWED[1:]:
        return
    offending = sorted(name for name in imports_of(path) if _is_flask(name))
    assert offending == [], f"vetting/{relative} imports {offending}; only the web layer may"


DOMAIN = [p for p in _modules() if _relative(p).startswith("domain/")]


@pytest.mark.parametrize("path", DOMAIN, ids=_relative)
def test_domain_module_imports_only_stdlib_and_domain_when_parsed(path: Path):
    stdlib = sys.stdlib_module_names | {"__future__"}
    offending = sorted(
        name
        for name in imports_of(path)
        if not (
            name == "vetting.domain" or name.startswith("vetting.domain.") or (_top(name) in stdlib)
        )
    )
    assert offending == [], f"vetting/{_relative(path)} imports {offending}"


OPERATIONS = [p for p in _modules() if _relative(p).startswith("operations/")]


@pytest.mark.parametrize("path", OPERATIONS, ids=_relative)
def test_operation_never_imports_web_when_parsed(path: Path):
    offending = sorted(
        name
        for name in imports_of(path)
        if name == "vetting.web" or name.startswith("vetting.web.")
    )
    assert offending == [], f"vetting/{_relative(path)} imports {offending}"


def test_checker_finds_forbidden_imports_when_they_are_present(tmp_path: Path):
    # The rule must be able to fail: flask by alias, a relative import into web, inside a
    # function too; while an annotation-only import is not a dependency.
    module = tmp_path / "sample.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import flask_login as fl\n"
        "if TYPE_CHECKING:\n"
        "    from flask import Flask\n"
        "def f():\n"
        "    from ..web import helpers\n"
    )
    names = imports_of(module, "vetting.operations.sample")
    assert {n for n in names if _is_flask(n)} == {"flask_login"}
    assert "vetting.web.helpers" in names
