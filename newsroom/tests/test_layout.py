"""The apps' layout: imports run one way, ``bench`` → ``exchange`` → ``stories`` → ``people``
→ ``newsroom`` (README, "Layout"), and no module or function outgrows what a reader can hold.

Every module outside the tests is read as Python (not imported), and every ``import`` in it,
at the top or inside a function, is checked against that order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower depends on nothing higher: an app may import the apps after it, never before it.
ORDER = ["bench", "exchange", "stories", "people", "newsroom"]
# The project's URLconf is where the apps are plugged in.
ALLOWED = {"newsroom/urls.py": set(ORDER) - {"bench"}}
MODULE_LINES = 700
FUNCTION_LINES = 80


def product_modules() -> list[Path]:
    modules = []
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "tests" not in relative.parts:
                modules.append(relative)
    return modules


def imported_apps(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ORDER:
                found.add((top, node.lineno))
    return found


def test_the_layout_check_reads_every_app():
    """A check that found no module would pass whatever the code did."""
    modules = product_modules()
    assert {path.parts[0] for path in modules} == set(ORDER)
    assert Path("exchange/imports.py") in modules
    assert Path("stories/tests/services/test_citations.py") not in modules


@pytest.mark.parametrize("path", product_modules(), ids=str)
def test_imports_run_one_way(path):
    app = path.parts[0]
    allowed = ALLOWED.get(path.as_posix(), set(ORDER[ORDER.index(app) :]))
    wrong = sorted(
        f"{path}:{line} imports {imported} ({app} may import {', '.join(sorted(allowed))})"
        for imported, line in imported_apps(path)
        if imported not in allowed
    )
    assert not wrong, "\n".join(wrong)


def test_a_module_that_imports_against_the_direction_is_caught(tmp_path, monkeypatch):
    monkeypatch.setattr("newsroom.tests.test_layout.ROOT", tmp_path, raising=True)
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "wrong.py").write_text(
        "def f():\n    from stories.models import Story\n", encoding="utf-8"
    )
    assert imported_apps(Path("people/wrong.py")) == {("stories", 2)}


@pytest.mark.parametrize(
    "path", [path for path in product_modules() if "migrations" not in path.parts], ids=str
)
def test_modules_and_functions_stay_small(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    problems = []
    if source.count("\n") > MODULE_LINES:
        problems.append(f"{path}: {source.count(chr(10))} lines (at most {MODULE_LINES})")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > FUNCTION_LINES:
                problems.append(f"{path}:{node.lineno} {node.name}(): {length} lines")
    assert not problems, "\n".join(problems)
