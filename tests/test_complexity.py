"""No block of runtime code is ranked D or worse by radon (cyclomatic complexity above 20): a function that
mixes that many rules is split along them, one small function per rule."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

from radon.complexity import cc_rank, cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_DIRS = [ROOT / "projectoffice", ROOT / "config"]
WORST_RANK_ALLOWED = "C"


def _blocks(blocks: list[Function | Class]) -> Iterator[Function | Class]:
    """Every function, method, class and nested function, as `radon cc` lists them (and the nested too)."""
    for block in blocks:
        yield block
        yield from _blocks(list(getattr(block, "methods", [])) + list(getattr(block, "closures", [])))


def _too_complex(source: str) -> list[str]:
    return [
        f"{block.lineno}:{block.fullname} — {cc_rank(block.complexity)} ({block.complexity})"
        for block in _blocks(cc_visit(source))
        if cc_rank(block.complexity) > WORST_RANK_ALLOWED
    ]


def test_the_check_sees_a_block_ranked_d() -> None:
    branches = "\n".join(f"    if x == {n}:\n        return {n}" for n in range(21))
    assert _too_complex(f"def tangled(x):\n{branches}\n    return -1\n") == ["1:tangled — D (22)"]
    method = textwrap.indent(f"def method(self, x):\n{branches}\n", "    ")
    assert "2:Holder.method — D (22)" in _too_complex(f"class Holder:\n{method}")


def test_no_block_of_runtime_code_is_ranked_d_or_worse() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{problem}"
        for folder in RUNTIME_DIRS
        for path in sorted(folder.rglob("*.py"))
        for problem in _too_complex(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "split these along the rules they mix:\n" + "\n".join(found)
