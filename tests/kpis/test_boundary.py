"""The KPI boundary: the ledger reads other apps only through their selectors, and every selector is in use.

Both are checked on the source: `kpis` uses no model class of another app other than as a type (the acting
user of a service; an enumeration of choices is a value, not a query either), and each public function of an app's `selectors.py` is called by code of the platform,
not only by tests (a selector only tests call is a second copy of a rule, free to drift from the one in use).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.db import models

ROOT = Path(__file__).resolve().parents[2] / "projectoffice"


def _modules(folder: Path) -> list[Path]:
    return [path for path in sorted(folder.rglob("*.py")) if "migrations" not in path.parts]


def _dotted(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")


def _annotation_names(tree: ast.Module) -> set[int]:
    """The ids of the Name nodes that sit in type annotations."""
    annotations: list[ast.expr | None] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations.append(node.returns)
    return {id(n) for a in annotations if a is not None for n in ast.walk(a) if isinstance(n, ast.Name)}


def _model_imports(path: Path) -> list[str]:
    """Model classes (or managers, querysets) of another app that the module uses other than as a type."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typed = _annotation_names(tree)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in typed}
    found = []
    for node in ast.walk(tree):
        modules: list[tuple[str, list[str]]] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.append((node.module, [alias.asname or alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            modules += [(alias.name, []) for alias in node.names]
        for module, names in modules:
            parts = module.split(".")
            if parts[0] != "projectoffice" or len(parts) < 3 or parts[1] == "kpis" or parts[-1] != "models":
                continue
            if not names:
                found.append(f"{path.name}: import {module}")
            for name in names:
                value = getattr(importlib.import_module(module), name)
                is_model = isinstance(value, type) and issubclass(
                    value, models.Model | models.Manager | models.QuerySet
                )
                if is_model and name in used:
                    found.append(f"{path.name}: {name} from {module}")
    return found


def test_kpis_imports_no_model_of_another_app_to_query() -> None:
    offences = [offence for path in _modules(ROOT / "kpis") for offence in _model_imports(path)]
    assert not offences, "read other apps through their selectors:\n" + "\n".join(offences)


def test_the_scan_sees_a_model_imported_from_another_app(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "from projectoffice.accounts.models import User\nfrom projectoffice.events.models import Event, EventKind\n"
        "import projectoffice.projects.models\n\n\ndef held(actor: User) -> int:\n"
        "    return Event.objects.exclude(kind=EventKind.COURSE).count()\n",
        encoding="utf-8",
    )
    assert _model_imports(module) == [
        "sample.py: Event from projectoffice.events.models",
        "sample.py: import projectoffice.projects.models",
    ]


def _uses(tree: ast.Module, selectors: str) -> set[str]:
    """The names of `selectors` (a dotted module) that this module refers to."""
    used: set[str] = set()
    handles: set[str] = set()  # what the selectors module is called here
    package, _, leaf = selectors.rpartition(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == selectors:
            used |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == package:
            handles |= {alias.asname or alias.name for alias in node.names if alias.name == leaf}
        elif isinstance(node, ast.Import):
            handles |= {alias.asname or alias.name for alias in node.names if alias.name == selectors}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) in handles:
            used.add(node.attr)
    return used


def test_every_selector_has_a_caller_outside_the_tests() -> None:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _modules(ROOT)}
    unused = []
    for path in sorted(ROOT.glob("*/selectors.py")):
        tree, dotted = trees[path], _dotted(path)
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
        called_inside = {
            node.id
            for function in tree.body
            if isinstance(function, ast.FunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Name) and node.id != function.name
        }
        used = called_inside.union(*(_uses(other, dotted) for other_path, other in trees.items() if other_path != path))
        unused += [f"{dotted}.{name}" for name in sorted(defined - used)]
    assert not unused, "selectors no code calls (remove them, or call them):\n" + "\n".join(unused)
