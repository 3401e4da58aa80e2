"""The demo's catalogue tells the truth: the suspended RFRIT grant is marked so, another region's programme is not
offered to Samara, and the demo's application in packaging goes to an open call."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from projectoffice.applications.models import Application
from projectoffice.classifiers.loaders import load_all
from projectoffice.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def test_the_demo_marks_the_rfrit_grant_suspended_and_keeps_khabarovsk_out_of_samaras_catalogue() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True, stdout=None)
    rfrit = Opportunity.objects.get(external_id="rfrit_dev_grants_pp550")
    assert rfrit.status == "suspended" and rfrit.suspension_reason and rfrit.suspended_on
    assert not rfrit.applications.exists()
    assert all(a.opportunity.status == "published" for a in Application.objects.exclude(status="supported"))
    catalogue = Client().get(reverse("opportunities:list"), {"kind": "loan"}).content.decode()
    assert "Совместные программы" not in catalogue and "Хабаровск" not in catalogue
