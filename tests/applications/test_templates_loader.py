"""Built-in application templates: loaded once, chosen by the opportunity's kind."""

import pytest

from projectoffice.applications.templates_loader import load_builtin_templates, template_for
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create

pytestmark = pytest.mark.django_db


def test_templates_fall_back_by_kind() -> None:
    load_builtin_templates()
    assert load_builtin_templates() == 0
    opportunity_create(actor=None, data={"kind": "tender", "title": "Закупка", "external_id": "t",
                                                         "provider_name": "ГБУ", "status": "published"})  # fmt: skip
    assert template_for(Opportunity.objects.get(external_id="t")).key == "tender-bid"
