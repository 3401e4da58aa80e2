"""Runtime code imports only what requirements/base.txt installs: a fresh `make demo` has nothing else."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DIRS = [ROOT / "projectoffice", ROOT / "config"]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _base_distributions() -> set[str]:
    text = (ROOT / "requirements" / "base.txt").read_text()
    return {_normalise(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.M)}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Imports under `if TYPE_CHECKING:` never run."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded |= {id(child) for child in ast.walk(node)}
    return guarded


def _imported_top_modules(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = _type_checking_nodes(tree)
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def test_runtime_code_imports_only_packages_of_the_base_requirements() -> None:
    base = _base_distributions()
    owners = importlib.metadata.packages_distributions()
    local = {"config", "projectoffice", "manage"}
    missing = []
    for folder in RUNTIME_DIRS:
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module, line in _imported_top_modules(path):
                if module in sys.stdlib_module_names or module in local or module == "__future__":
                    continue
                dists = owners.get(module, [])
                if not any(_normalise(dist) in base for dist in dists):
                    missing.append(f"{path.relative_to(ROOT)}:{line} imports {module} ({', '.join(dists) or '?'})")
    assert not missing, "not installed by requirements/base.txt:\n" + "\n".join(sorted(missing))
