"""Admin edits leave the same audit trail as edits made through the services."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from projectoffice.audit.services import audit_record, plain_value


class AuditedAdminMixin:
    """Record create/update from the admin with the changed fields' old and new values."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        if hasattr(obj, "build_search_text"):
            obj.search_text = obj.build_search_text()  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        changes = {
            name: {"before": plain_value(form.initial.get(name)), "after": plain_value(form.cleaned_data.get(name))}
            for name in form.changed_data
        }
        app_label = obj._meta.app_label
        audit_record(
            actor=request.user,
            action=f"{app_label}.updated" if change else f"{app_label}.created",
            instance=obj,
            changes=changes,
            message="через администрирование",
        )
