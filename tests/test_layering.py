"""The layering rule of the house style, kept true by walking every import.

cli -> services / queries / checks / formats / reports -> models / db (and the pure helpers).
Nothing imports upward; only cli/ imports Typer; only cli/ and reports/ import Rich; nobody
imports click (Typer vendors it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "claimtrack"
BASE_MODULES = {"models", "db", "dates", "normalize", "vocab", "errors", "migrate", "display", "outfiles",
                "viewjson"}
MIDDLE = {"services", "queries", "checks", "formats", "reports", "extract"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    if rel.stem == "__main__":
        return "cli"  # the `python -m claimtrack` entry point is part of the CLI
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path: Path):
    layer = _layer(path)
    for name in _imports(path):
        top = name.split(".")[0]
        assert top != "click", f"{path.name}: import Typer, not click"
        if top == "typer":
            assert layer == "cli", f"{path}: only cli/ may import Typer"
        if top in ("starlette", "uvicorn"):
            assert layer in ("cli", "web"), f"{path}: only cli/ and web/ may import the web framework"
        if top == "rich":
            assert layer in ("cli", "reports"), f"{path}: only cli/ and reports/ may import Rich"
        if name.startswith("claimtrack."):
            target = name.split(".")[1]
            if layer != "cli":
                assert target != "cli", f"{path}: imports the CLI (upward)"
            if target == "web":  # the web view sits beside the CLI, above reports and queries
                assert layer in ("cli", "web"), f"{path}: imports the web view (upward)"
            if layer in BASE_MODULES:
                assert target not in MIDDLE, f"{path}: the base layer imports {name} (upward)"
