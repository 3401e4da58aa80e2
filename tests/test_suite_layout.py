"""What tests share lives in factories, helpers and conftest fixtures: no test module imports another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported_test_modules(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        found += [name for name in names if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_the_check_sees_an_import_of_a_test_module() -> None:
    source = (
        "from tests.api.test_api import bearer\nimport tests.lib.test_links\nfrom tests.api.helpers import bearer\n"
    )
    assert _imported_test_modules(source) == ["tests.api.test_api", "tests.lib.test_links"]


def test_no_test_module_imports_another() -> None:
    found = [
        f"{path.relative_to(TESTS)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in _imported_test_modules(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "move what is shared into tests/factories.py, a helpers module or a conftest fixture:\n" + (
        "\n".join(found)
    )
