from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "projectoffice" / "opendata" / "data"


@pytest.fixture
def fns_data() -> Path:
    """The real FNS open-data samples shipped with the code (see their PROVENANCE.md)."""
    return DATA
