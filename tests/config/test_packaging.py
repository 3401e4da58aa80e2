"""An installed package (a wheel, not only the editable checkout) carries every file the code reads at runtime."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _packages_holding(path: Path) -> list[Path]:
    """The folders above the file that are packages: setuptools matches package-data patterns from each."""
    return [folder for folder in path.parents if (folder / "__init__.py").exists()]


def test_every_file_that_is_not_python_is_shipped_as_package_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    missing = []
    for path in sorted((ROOT / "projectoffice").rglob("*")):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        packages = _packages_holding(path)
        shipped = {match for package in packages for pattern in patterns for match in package.glob(pattern)}
        if path not in shipped:
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, "not in [tool.setuptools.package-data] of pyproject.toml:\n" + "\n".join(missing)
