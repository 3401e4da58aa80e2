"""The classes of funders a flagship project targets (issue 17): shared by the flagship portfolio and the materials."""

from __future__ import annotations

from django.db import models


class FunderClass(models.TextChoices):
    FEDERAL_INSTITUTE = "federal_institute", "Федеральный институт развития"
    LARGE_COMPANY = "large_company", "Крупная компания"
    INTERSTATE_FUND = "interstate_fund", "Межгосударственный фонд"
    FOREIGN_BUSINESS = "foreign_business", "Иностранный бизнес"
    INTERSTATE_BODY = "interstate_body", "Структура межгосударственного сотрудничества"
