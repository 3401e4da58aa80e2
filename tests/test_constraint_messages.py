"""Every database check of the flagships, materials and KPI apps explains itself in Russian, never «Нарушено ограничение»."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models


@pytest.mark.parametrize("app_label", ["flagships", "materials", "kpis"])
def test_every_check_and_conditional_unique_constraint_has_a_russian_message(app_label: str) -> None:
    for model in apps.get_app_config(app_label).get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None and constraint.fields:
                continue  # Django's own translated «… с такими значениями полей уже существует»
            message = constraint.get_violation_error_message()
            assert "Нарушено" not in message and "violated" not in message, (model.__name__, constraint.name)
            assert any("а" <= ch <= "я" for ch in message.lower()), (model.__name__, constraint.name)
