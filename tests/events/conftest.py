"""Event forms in tests may be sent at once: the minimum time a person takes is tested on its own."""

import pytest


@pytest.fixture(autouse=True)
def _fast_forms(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 0
