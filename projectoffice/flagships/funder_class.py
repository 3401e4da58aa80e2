"""Interim: the funder classes live in projectoffice.materials.funder_classes (the materials helper's app)."""

from __future__ import annotations

try:
    from projectoffice.materials.funder_classes import FunderClass
except ImportError:  # until the materials branch is merged
    from django.db import models

    class FunderClass(models.TextChoices):  # type: ignore[no-redef]
        FEDERAL_INSTITUTE = "federal_institute", "Федеральный институт развития"
        LARGE_COMPANY = "large_company", "Крупная компания"
        INTERSTATE_FUND = "interstate_fund", "Межгосударственный фонд"
        FOREIGN_BUSINESS = "foreign_business", "Иностранный бизнес"
        INTERSTATE_BODY = "interstate_body", "Структура межгосударственного сотрудничества"


__all__ = ["FunderClass"]
