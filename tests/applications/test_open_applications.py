"""«Open application» is defined once (still being prepared) and every page and job that means it uses it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projectoffice.applications import rules
from projectoffice.applications.models import Application, ApplicationStatus, ReminderSent
from projectoffice.applications.reminders import send_deadline_reminders
from tests.conftest import client_for
from tests.factories import ApplicationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

PREPARED = {ApplicationStatus.DRAFT, ApplicationStatus.REVIEW, ApplicationStatus.READY}


@pytest.fixture
def one_per_status():  # type: ignore[no-untyped-def]
    """One application in each status, all with a deadline ahead, each of its own project."""
    deadline = timezone.localdate() + dt.timedelta(days=7)
    applications = {}
    for status in ApplicationStatus.values:
        application = ApplicationFactory(project=ProjectFactory(title=f"Проект со статусом {status}"))
        Application.objects.filter(pk=application.pk).update(status=status, deadline=deadline)
        applications[status] = Application.objects.get(pk=application.pk)
    return applications


def test_open_means_still_being_prepared_in_the_queryset_the_model_and_the_rules(one_per_status) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(role="staff")
    assert set(Application.objects.open().values_list("status", flat=True)) == PREPARED
    for status, application in one_per_status.items():
        assert application.is_open == (status in PREPARED)
        assert rules.can_edit(staff, application) == (status in PREPARED)
        assert rules.can_submit(staff, application) == (status in PREPARED)
        assert rules.can_record_outcome(staff, application) == (status == ApplicationStatus.SUBMITTED)


def test_the_deadline_calendar_shows_only_open_applications(one_per_status) -> None:  # type: ignore[no-untyped-def]
    page = client_for(UserFactory(role="staff")).get(reverse("applications:calendar")).content.decode()
    for status, application in one_per_status.items():
        link = reverse("applications:detail", args=[application.pk])
        assert (link in page) == (status in PREPARED), status


def test_the_staff_home_and_the_reminders_follow_the_same_definition(one_per_status) -> None:  # type: ignore[no-untyped-def]
    home = client_for(UserFactory(role="staff")).get(reverse("home")).content.decode()
    for status, application in one_per_status.items():
        assert (reverse("applications:detail", args=[application.pk]) in home) == (status in PREPARED), status
    Application.objects.filter(pk__in=[a.pk for a in one_per_status.values()]).update(
        deadline=timezone.localdate() + dt.timedelta(days=1)
    )
    send_deadline_reminders()
    reminded = set(ReminderSent.objects.values_list("application__status", flat=True))
    assert reminded == PREPARED
