"""Reading the action log."""

from __future__ import annotations

from django.db import models

from projectoffice.audit.models import AuditEvent, AuditEventQuerySet


def audit_events_for(*, instance: models.Model, limit: int = 100) -> AuditEventQuerySet:
    """The newest actions on one object, with their actors."""
    return AuditEvent.objects.for_object(instance).select_related("actor")[:limit]
