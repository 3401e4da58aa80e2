"""The apps stand in layers: an app imports only apps below it, shared helpers live in lib, nothing hides a cycle.

The import graph of projectoffice/ is read with ast: imports at module level, under `if TYPE_CHECKING:` and
inside functions alike, since an import moved into a function still ties the two modules together. An app
below another that must hear from it (the catalogue and its search index) offers a hook the upper app fills in
its AppConfig.ready, the one place a function may import the project's modules (the models are loaded by then).
A page of a lower app shows an upper app's panel through a template tag of the upper app.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "projectoffice"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module, dotted (a name imported from a module counts as that module)
    names: tuple[str, ...]  # the names taken from the target (empty for `import x`)
    line: int
    in_function: str  # the enclosing function's name, "" at module level

    @property
    def where(self) -> str:
        return f"{self.module.replace('.', '/')}.py:{self.line}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")[: -node.level]
    return ".".join([*base, node.module] if node.module else base)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, ()
        return
    source = _resolve(module, node)
    plain = []
    for alias in node.names:
        if _is_module(f"{source}.{alias.name}"):
            yield f"{source}.{alias.name}", ()
        else:
            plain.append(alias.name)
    if plain:
        yield source, tuple(plain)


def _walk(node: ast.AST, function: str) -> Iterator[tuple[ast.AST, str]]:
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
        yield child, function
        yield from _walk(child, inner)


def project_imports() -> list[Import]:
    """Every import of a projectoffice module by a projectoffice module, wherever it stands in the file."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, function in _walk(tree, ""):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target, names in _targets(module, node):
                    if target.startswith("projectoffice.") and target != module:
                        found.append(Import(module, target, names, node.lineno, function))
    return found


def _app(dotted: str) -> str:
    """The app a module belongs to: projectoffice.<app>...; a top-level module (cli) is its own app."""
    return dotted.split(".")[1]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for following in sorted(edges.get(node, ())):
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in on_stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def _a_cycle(edges: dict[str, set[str]], component: list[str]) -> list[str]:
    """The shortest way from the component's first node back to it, as the list of nodes passed."""
    start = component[0]
    paths = {following: [start, following] for following in edges[start] if following in component}
    queue = list(paths)
    while queue:
        node = queue.pop(0)
        if node == start:
            return paths[node]
        for following in sorted(edges[node]):
            if following in component and following not in paths:
                paths[following] = [*paths[node], following]
                queue.append(following)
    return [start]


def _explain(edges: dict[str, set[str]], imports: list[Import], key: str) -> str:
    """Each cycle, one import line for each of its steps."""
    lines = []
    for component in _cycles(edges):
        cycle = _a_cycle(edges, component)
        lines.append(" → ".join(cycle) + f" (in a knot of {len(component)}: {', '.join(component)})")
        for source, target in itertools.pairwise(cycle):
            imp = next(i for i in imports if (_node(i.module, key), _node(i.target, key)) == (source, target))
            lines.append(
                f"  {imp.where} imports {imp.target}" + (f" in {imp.in_function}()" if imp.in_function else "")
            )
    return "\n".join(lines)


def _node(dotted: str, key: str) -> str:
    return _app(dotted) if key == "app" else dotted


def test_no_import_cycle_between_apps() -> None:
    imports = project_imports()
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        if _app(imp.module) != _app(imp.target):
            edges[_app(imp.module)].add(_app(imp.target))
    assert not _cycles(edges), "apps that import each other (the lower one offers a hook or a template tag):\n" + (
        _explain(edges, imports, "app")
    )


def test_no_import_cycle_between_modules() -> None:
    imports = project_imports()
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        edges[imp.module].add(imp.target)
    assert not _cycles(edges), "modules that import each other:\n" + _explain(edges, imports, "module")


def test_the_project_modules_are_imported_inside_a_function_only_by_appconfig_ready() -> None:
    hidden = [
        f"{imp.where} imports {imp.target} inside {imp.in_function}()"
        for imp in project_imports()
        if imp.in_function and not (imp.module.endswith(".apps") and imp.in_function == "ready")
    ]
    assert not hidden, "imports hidden in functions (import at the top, or break the cycle they hide):\n" + "\n".join(
        hidden
    )


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_attributes(module: str, source: str) -> Iterator[tuple[int, str]]:
    """`other._name` where `other` is a module of another app imported under that name."""
    tree = ast.parse(source)
    aliases = {}  # local name → another app's module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("projectoffice."):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if _is_module(target) and _app(target) != _app(module):
                    aliases[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name.startswith("projectoffice.") and _app(alias.name) != _app(module):
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        if node.value.id in aliases and _private(node.attr):
            yield node.lineno, f"{aliases[node.value.id]}.{node.attr}"


def test_no_app_imports_a_private_name_of_another_app() -> None:
    """What two apps share is public where it lives (often in lib), not one app's `_name` borrowed by another."""
    borrowed = [
        f"{imp.where} takes {', '.join(filter(_private, imp.names))} from {imp.target}"
        for imp in project_imports()
        if _app(imp.module) != _app(imp.target) and any(_private(name) for name in imp.names)
    ]
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, used in _private_attributes(_module_name(path), path.read_text(encoding="utf-8")):
            borrowed.append(f"{path.relative_to(ROOT)}:{line} uses {used}")
    assert not borrowed, "private names used across apps (make them public, in lib if shared):\n" + "\n".join(borrowed)


def test_the_checks_above_see_imports_inside_functions_and_cycles_between_apps() -> None:
    """The graph reader itself: an import inside a function counts, and a two-app loop is a cycle."""
    tree = ast.parse("def f():\n    from projectoffice.matching.index import search_ids\n")
    [(node, function)] = [(n, f) for n, f in _walk(tree, "") if isinstance(n, ast.ImportFrom)]
    assert function == "f" and list(_targets("projectoffice.opportunities.services", node)) == [
        ("projectoffice.matching.index", ("search_ids",))
    ]
    assert _cycles({"opportunities": {"matching"}, "matching": {"opportunities", "lib"}}) == [
        ["matching", "opportunities"]
    ]
    assert _cycles({"applications": {"lib"}, "kpis": {"applications"}}) == []
    borrowing = "from projectoffice.applications import documents\n\ndocuments._register_fonts()\n"
    assert list(_private_attributes("projectoffice.kpis.documents", borrowing)) == [
        (3, "projectoffice.applications.documents._register_fonts")
    ]
    assert list(_private_attributes("projectoffice.applications.views", borrowing)) == []
