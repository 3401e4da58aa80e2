"""Writing to the action log; every service that changes something that matters calls this."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from projectoffice.audit.models import AuditEvent


def plain_value(value: Any) -> Any:
    """Turn model field values into JSON-friendly ones (querysets and lists of objects into sorted labels)."""
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1000000.00 and 1000000 are the same amount
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(plain_value(v) for v in value)
    if value is None or isinstance(value, str | int | float | dict):
        return value
    return str(value)  # files and other objects by their name


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of the named fields (m2m fields as sorted lists of their labels)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = plain_value([str(obj) for obj in getattr(instance, name).all()]) if instance.pk else []
        else:
            values[name] = plain_value(getattr(instance, name))
    return values


def planned_snapshot(before: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """What snapshot() would return after applying `data` (model instances and tag names alike)."""
    planned = dict(before)
    for name, value in data.items():
        if name not in before:
            continue
        planned[name] = plain_value([str(v) for v in value]) if isinstance(value, list | tuple) else plain_value(value)
    return planned


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field → {"before", "after"} for the fields whose value changed (blank, None and [] are alike)."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in after
        if before.get(key) != after.get(key) and not (_blank(before.get(key)) and _blank(after.get(key)))
    }


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    message: str = "",
) -> AuditEvent:
    """Record one action on one object."""
    real_actor = None if actor is None or isinstance(actor, AnonymousUser) else actor
    return AuditEvent.objects.create(
        actor=real_actor,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
        message=message,
    )
