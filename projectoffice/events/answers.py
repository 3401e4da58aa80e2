"""The event's own questions: one set of rules for the registration page, the API and the service.

Each question is answered under its key (`q<id>`, the page's field name). A text answer is at most
MAX_ANSWER characters, a choice must be one of the question's choices, a consent is a yes/no, and a
required question must be answered. `clean_answers` applies the same form fields the page shows, and
refuses keys the event has no question for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from projectoffice.events.models import Event, Question, QuestionKind

MAX_ANSWER = 2000


def answer_key(question: Question) -> str:
    return f"q{question.pk}"


def answer_field(question: Question) -> forms.Field:
    """The form field that shows and checks the answer to this question."""
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=question.label,
            required=question.required,
            choices=[("", "—"), *[(choice, choice) for choice in question.choices]],
        )
    if question.kind == QuestionKind.CONSENT:
        return forms.BooleanField(label=question.label, required=question.required)
    return forms.CharField(
        label=question.label,
        required=question.required,
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def clean_answers(event: Event, raw: Mapping[str, Any]) -> dict[str, Any]:
    """{question label: clean answer} for every question of the event, or ValidationError({key: messages})."""
    questions = list(event.questions.all())
    known = {answer_key(question) for question in questions}
    errors = {key: ["У мероприятия нет такого вопроса."] for key in raw if key not in known}
    cleaned: dict[str, Any] = {}
    for question in questions:
        key = answer_key(question)
        value = raw.get(key)
        if isinstance(value, (dict, list)):
            errors[key] = ["Ответ должен быть строкой или да/нет."]
            continue
        try:
            cleaned[question.label] = answer_field(question).clean(value)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned
