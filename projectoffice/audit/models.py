"""The action log: who did what to which object, when, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One recorded action, with a dotted type such as `projects.stage_moved`."""

    action = models.CharField("действие", max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", null=True, blank=True, on_delete=models.SET_NULL
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("объект", max_length=300)
    changes = models.JSONField("изменения", default=dict, blank=True)
    message = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "запись журнала"
        verbose_name_plural = "журнал действий"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """Russian label of the action's verb (the part after the dot)."""
        verb = self.action.rsplit(".", 1)[-1]
        return ACTION_LABELS.get(verb, verb)

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) with the model's Russian field names where known."""
        model = self.content_type.model_class()
        rows = []
        for name, change in self.changes.items():
            label = name
            before, after = change.get("before"), change.get("after")
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                    label = str(getattr(field, "verbose_name", name))
                    choices = dict(getattr(field, "choices", None) or [])
                    before, after = choices.get(before, before), choices.get(after, after)
                except Exception:  # a computed key such as "2025.revenue" or "partners"
                    label = FIELD_LABELS.get(name.rsplit(".", 1)[-1], name)
                    if "." in name:
                        label = f"{label} ({name.split('.', 1)[0]})"
            rows.append((label, _display(before), _display(after)))
        return rows


def _display(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "да" if value else "нет"
    return value


ACTION_LABELS = {
    "created": "создание",
    "updated": "изменение",
    "stage_moved": "смена стадии",
    "note_added": "служебная заметка",
    "figures_set": "показатели за год",
    "product_added": "добавлен продукт",
    "contact_added": "добавлен контакт",
    "role_changed": "смена роли",
    "user_created": "новый пользователь",
    "membership_added": "добавлен участник",
    "membership_removed": "удалён участник",
    "status_changed": "смена статуса",
    "verified": "сверено с источником",
    "section_saved": "раздел сохранён",
    "budget_changed": "бюджет изменён",
    "attachment_added": "приложен документ",
    "expert_assigned": "назначен эксперт",
    "conflict_declared": "декларация эксперта",
    "submitted": "заявка подана",
    "outcome": "итог заявки",
}
FIELD_LABELS = {
    "partners": "партнёры",
    "revenue": "выручка",
    "headcount": "численность",
    "product": "продукт",
    "contact": "контакт",
    "member": "участник",
}
