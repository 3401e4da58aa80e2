from __future__ import annotations

import pytest

from projectoffice.participation import similar


@pytest.fixture(autouse=True)
def _fresh_similarity_index() -> None:
    """Each test's database is new, so the in-process index of similar proposals starts empty too."""
    similar.forget()
