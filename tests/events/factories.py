from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from projectoffice.events.models import Event, Registration, Session


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    kind = "meetup"
    title = factory.Sequence(lambda n: f"Митап {n}")
    slug = factory.Sequence(lambda n: f"meetup-{n}")
    status = "published"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    capacity = 2


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Занятие {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at + dt.timedelta(hours=1))


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.invalid")
    full_name = factory.Sequence(lambda n: f"Участник {n}")
    status = "confirmed"
    consent_text = "согласие"
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
