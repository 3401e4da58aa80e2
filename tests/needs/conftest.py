from __future__ import annotations

import pytest

from projectoffice.needs import routing


@pytest.fixture(autouse=True)
def _fresh_routing_index() -> None:
    """Each test's database is new, so the in-process routing index starts empty too."""
    routing.forget()
