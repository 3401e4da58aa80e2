"""Survey answers checked against their questions, and the results: counts per choice, scale distributions and
means, matrices, text answers — with bar geometry for inline SVG charts and a CSV once the survey is closed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from projectoffice.lib import formats
from projectoffice.lib.spreadsheets import Column, csv_bytes
from projectoffice.participation.models import QuestionKind, Survey, SurveyQuestion

TEXT_MAX: dict[str, int] = {QuestionKind.SHORT: 300, QuestionKind.LONG: 5_000}


def _one(q: SurveyQuestion, value: Any) -> Any:
    """The cleaned answer to one question, or a ValidationError with the reason."""
    if q.kind in TEXT_MAX:
        if not isinstance(value, str) or len(value) > TEXT_MAX[q.kind]:
            raise ValidationError(f"Ответ не длиннее {formats.plural(TEXT_MAX[q.kind], 'знака', 'знаков', 'знаков')}.")
        return value.strip()
    if q.kind == QuestionKind.SINGLE:
        if value not in q.choices:
            raise ValidationError("Выберите один из вариантов.")
        return value
    if q.kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or any(v not in q.choices for v in value) or len(set(value)) != len(value):
            raise ValidationError("Выберите варианты из списка.")
        return value
    if q.kind == QuestionKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= q.scale_max:
            raise ValidationError(f"Оценка от 1 до {q.scale_max}.")
        return value
    if not isinstance(value, dict) or set(value) - set(q.rows) or any(v not in q.choices for v in value.values()):
        raise ValidationError("В каждой строке выберите вариант из столбцов.")
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_answers(survey: Survey, data: dict[str, Any]) -> dict[str, Any]:
    """Answers keyed by question number (as text); unknown keys and missing required answers are refused."""
    questions = {str(q.pk): q for q in survey.questions.all()}
    errors: dict[str, list[str]] = {}
    if set(data) - set(questions):
        errors["__all__"] = ["Ответы на неизвестные вопросы."]
    cleaned: dict[str, Any] = {}
    for key, q in questions.items():
        value = data.get(key)
        if _empty(value):
            if q.required:
                errors[key] = ["Ответьте на этот вопрос."]
            continue
        try:
            cleaned[key] = _one(q, value)
        except ValidationError as exc:
            errors[key] = exc.messages
        if q.kind == QuestionKind.MATRIX and q.required and key in cleaned and set(cleaned[key]) != set(q.rows):
            errors[key] = ["Ответьте в каждой строке."]
    if errors:
        raise ValidationError(errors)
    return cleaned


WIDTH, BAR_H, GAP = 300, 16, 6


@dataclass(frozen=True)
class ChartBar:
    label: str
    count: int
    width: float
    y: float


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    bars: list[ChartBar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    matrix: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return len(self.bars) * (BAR_H + GAP)


def _bars(labels: list[Any], counts: Counter[Any]) -> list[ChartBar]:
    top = max([*counts.values(), 1])
    return [ChartBar(str(label), counts[label], round(WIDTH * counts[label] / top, 1), i * (BAR_H + GAP))
            for i, label in enumerate(labels)]  # fmt: skip


def results(survey: Survey, answers: list[dict[str, Any]]) -> list[QuestionResult]:
    out = []
    for q in survey.questions.all():
        given = [a[str(q.pk)] for a in answers if str(q.pk) in a]
        result = QuestionResult(q, len(given))
        if q.kind in TEXT_MAX:
            result.texts = [t for t in given if t]
        elif q.kind == QuestionKind.SINGLE:
            result.bars = _bars(q.choices, Counter(given))
        elif q.kind == QuestionKind.MULTIPLE:
            result.bars = _bars(q.choices, Counter(v for values in given for v in values))
        elif q.kind == QuestionKind.SCALE:
            result.bars = _bars(list(range(1, q.scale_max + 1)), Counter(given))
            result.mean = round(sum(given) / len(given), 2) if given else None
        else:
            result.matrix = [(row, [sum(1 for g in given if g.get(row) == c) for c in q.choices]) for row in q.rows]
        out.append(result)
    return out


def results_csv(survey: Survey, answers: list[dict[str, Any]]) -> bytes:
    """One row per response (no names), one column per question; lists joined with «; »."""
    questions = list(survey.questions.all())
    columns = [Column("№", 6)] + [Column(q.text, 30) for q in questions]

    def cell(value: Any, question: SurveyQuestion) -> str:
        if isinstance(value, list):
            return "; ".join(map(str, value))
        if isinstance(value, dict):  # a matrix, in the order of its rows (PostgreSQL's jsonb keeps no key order)
            order = {row: i for i, row in enumerate(question.rows)}
            keys = sorted(value, key=lambda k: (order.get(k, len(order)), k))
            return "; ".join(f"{k}: {value[k]}" for k in keys)
        return "" if value is None else str(value)

    rows = ([n, *(cell(a.get(str(q.pk)), q) for q in questions)] for n, a in enumerate(answers, 1))
    return csv_bytes(columns, rows)
