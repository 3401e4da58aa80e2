"""The action log: who did what to which object, when, with the values before and after."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from projectoffice.lib import formats


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
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="тип объекта")
    object_id = models.CharField("номер объекта", max_length=64)
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
        return f"{formats.datetime(self.created_at)} {self.action_label}: {self.object_repr}"

    @property
    def action_label(self) -> str:
        """Russian label of the action's verb (the part after the dot)."""
        verb = self.action.rsplit(".", 1)[-1]
        return ACTION_LABELS.get(verb, verb)

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) with the model's Russian field names, choice labels and Russian formats."""
        model = self.content_type.model_class()
        rows = []
        for name, change in self.changes.items():
            before, after = change.get("before"), change.get("after")
            field = _field(model, name)
            if field is None:  # a computed key such as "2025.revenue", "partners" or a section's title
                label = FIELD_LABELS.get(name.rsplit(".", 1)[-1], name)
                if "." in name:
                    label = f"{label} ({name.split('.', 1)[0]})"
                rows.append((label, _display(before), _display(after)))
            else:
                labels = _labels(model, field)
                rows.append((str(field.verbose_name), _display(before, field, labels), _display(after, field, labels)))
        return rows


def _field(model: type[models.Model] | None, name: str) -> Any:
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _labels(model: type[models.Model] | None, field: Any) -> dict[Any, str]:
    """Code → label: the field's choices, or those a model declares for the codes in a JSON list field."""
    choices = getattr(field, "choices", None) or getattr(model, "LIST_CHOICES", {}).get(field.name)
    if choices is None:
        return {}
    pairs = choices.choices if isinstance(choices, type) and issubclass(choices, models.Choices) else choices
    return {code: str(label) for code, label in pairs}


def _display(value: Any, field: Any = None, labels: dict[Any, str] | None = None) -> str:
    """One recorded value as a person reads it (the log keeps codes, ISO dates and plain decimals)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(_display(v, field, labels) for v in value)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if labels and value in labels:
        return labels[value]
    if isinstance(value, str) and (moment := formats.parse_iso(value)) is not None:
        return formats.datetime(moment) if isinstance(moment, dt.datetime) else formats.date(moment)
    amount = isinstance(field, models.DecimalField | models.FloatField) or field is None
    if amount and (isinstance(value, float) or (isinstance(value, str) and NUMERIC.fullmatch(value))):
        return formats.number(value)  # amounts are recorded as text ("1500000.5"); identifiers keep their digits
    return str(value)


NUMERIC = re.compile(r"-?(?:0|[1-9]\d*)\.\d+|-?[1-9]\d{4,}")


ACTION_LABELS = {
    "room_opened": "комната данных открыта",
    "document_added": "в комнату данных добавлен документ",
    "document_removed": "из комнаты данных убран документ",
    "invitation_revoked": "приглашение отозвано",
    "nda_published": "опубликовано соглашение о неразглашении",
    "nda_accepted": "принято соглашение о неразглашении",
    "created": "создание",
    "updated": "изменение",
    "stage_moved": "смена стадии",
    "reminded": "напоминание по потребности",
    "abandoned": "потребность заброшена",
    "survey_answered": "ответ на опрос",
    "pilot_created": "создан пилотный проект",
    "note_added": "служебная заметка",
    "figures_set": "показатели за год",
    "product_added": "добавлен продукт",
    "contact_added": "добавлен контакт",
    "role_changed": "смена роли",
    "user_created": "новый пользователь",
    "membership_added": "добавлен участник",
    "membership_removed": "удалён участник",
    "membership_changed": "изменено членство",
    "reminder_days_set": "напоминания о сроках",
    "signed_up": "регистрация участника",
    "email_confirmed": "адрес подтверждён",
    "digest_set": "настройка писем участия",
    "phase_added": "добавлен этап",
    "phase_changed": "изменён этап",
    "survey_added": "добавлен опрос",
    "survey_changed": "изменён опрос",
    "surveyquestion_added": "добавлен вопрос опроса",
    "surveyquestion_changed": "изменён вопрос опроса",
    "result_added": "добавлен результат",
    "result_changed": "изменён результат",
    "status_changed": "смена статуса",
    "verified": "сверено с источником",
    "section_saved": "раздел сохранён",
    "budget_changed": "бюджет изменён",
    "attachment_added": "приложен документ",
    "expert_assigned": "назначен эксперт",
    "conflict_declared": "декларация эксперта",
    "scored": "оценки эксперта",
    "submitted": "заявка подана",
    "outcome": "итог заявки",
    "registration_decided": "решение по регистрации",
    "entry_added": "значение внесено",
    "entry_decided": "решение по значению",
    "report_submitted": "отчёт сдан",
    "target_set": "план задан",
    "subscription_saved": "подписка сохранена",
    "subscription_confirmed": "адрес подписки подтверждён",
    "unsubscribed": "отписка по ссылке",
    "merged": "связана с компанией из открытых данных ФНС",
    "invited": "приглашение вести профиль",
    "subscription_deleted": "подписка удалена",
    "feedback_set": "отметка подбора",
    "token_issued": "выдан токен API",
    "token_revoked": "отозван токен API",
    "tokens_revoked": "отозваны токены API",
    "suspended": "приём приостановлен",
    "withdrawn": "отозвано автором",
    "proposals_merged": "предложения объединены",
    "evaluator_assigned": "назначен эксперт",
    "answer_drafted": "подготовлен ответ",
    "answer_published": "ответ опубликован",
    "project_made": "создан проект из предложения",
    "moderated": "решение модератора",
    "blocked": "участник заблокирован",
    "version_published": "опубликована редакция",
    "disposed": "решение по замечанию",
    "funder_created": "новый профиль инвестора",
    "funder_updated": "изменён профиль инвестора",
    "marked": "проект отмечен флагманским",
    "unmarked": "проект убран из флагманских",
    "deal_created": "начата сделка",
    "deal_updated": "изменена сделка",
    "deal_moved": "сделка переведена",
    "intro_requested": "запрос знакомства с витрины",
    # needs
    "request_submitted": "обращение отправлено",
    "request_confirmed": "обращение подтверждено",
    "request_spam": "обращение отмечено как спам",
    "need_qualified": "потребность квалифицирована",
    "need_updated": "потребность изменена",
    "need_split": "потребность выделена",
    "need_merged": "потребности объединены",
    "diagnosis_added": "диагностика",
    "match_sent": "потребность отправлена",
    "match_moved": "смена статуса отправки",
    "solution_created": "решение добавлено",
    "solution_updated": "решение изменено",
    "solution_verified": "решение проверено офисом",
    "case_added": "кейс добавлен",
    "absence_added": "отсутствие эксперта",
}
FIELD_LABELS = {
    "partners": "партнёры",
    "sha256": "контрольная сумма SHA-256",
    "revenue": "выручка",
    "headcount": "численность",
    "product": "продукт",
    "contact": "контакт",
    "member": "участник",
}
