"""The readiness score (0–100) with its gaps, each pointing to where it is fixed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from projectoffice.applications.models import Application
from projectoffice.lib import formats

WEIGHTS = {"sections": 50, "documents": 20, "budget": 15, "eligibility": 10, "deadline": 5}
DEADLINE_WARNING_DAYS = 3


@dataclass(frozen=True)
class Gap:
    area: str
    message: str
    url: str


def readiness(application: Application) -> tuple[int, list[Gap]]:
    from projectoffice.applications.services import budget_checks
    from projectoffice.matching.eligibility import Outcome, check_eligibility

    builder = reverse("applications:detail", args=[application.pk])
    gaps: list[Gap] = []
    sections = list(application.sections.select_related("section"))
    section_points = 0.0
    for st in sections:
        length, minimum = len(st.text.strip()), st.section.min_chars
        anchor = f"{builder}#section-{st.pk}"
        if length == 0:
            gaps.append(Gap("sections", f"Раздел «{st.section.title}» пуст", anchor))
        elif length < minimum:
            needed = formats.plural(minimum, "знака", "знаков", "знаков")
            gaps.append(Gap("sections", f"Раздел «{st.section.title}» короткий: {length} из {needed}", anchor))
            section_points += length / minimum
        else:
            section_points += 1
    section_score = section_points / len(sections) if sections else 1.0
    required = list(application.template.documents.filter(is_required=True))
    attached = set(application.attachments.values_list("document_id", flat=True))
    for document in required:
        if document.pk not in attached:
            gaps.append(Gap("documents", f"Нет документа «{document.name}»", f"{builder}#documents"))
    documents_score = (sum(1 for d in required if d.pk in attached) / len(required)) if required else 1.0
    checks = budget_checks(application)
    for budget_check in checks:
        if not budget_check.ok:
            gaps.append(Gap("budget", budget_check.message, f"{builder}#budget"))
    budget_score = (sum(1 for c in checks if c.ok) / len(checks)) if checks else 1.0
    project = application.project
    eligibility = check_eligibility(application.opportunity, project.lead_organisation, project)
    bad = [c for c in eligibility.checks if c.outcome != Outcome.PASS]
    profile = reverse("organisations:edit", args=[project.lead_organisation_id])
    for check in bad:
        gaps.append(
            Gap("eligibility", f"Требования: {check.reason}", profile if check.outcome == Outcome.UNKNOWN else builder)
        )
    eligibility_score = 1 - len(bad) / len(eligibility.checks) if eligibility.checks else 1.0
    deadline_score = 1.0
    if application.deadline:
        days = (application.deadline - timezone.localdate()).days
        if days < 0:
            gaps.append(Gap("deadline", f"Срок подачи прошёл {formats.date(application.deadline)}", builder))
            deadline_score = 0.0
        elif days <= DEADLINE_WARNING_DAYS:
            left = f"До срока подачи {_days(days)} ({formats.date(application.deadline)})"
            gaps.append(Gap("deadline", left, builder))
            deadline_score = 0.5
    total = (
        WEIGHTS["sections"] * section_score
        + WEIGHTS["documents"] * documents_score
        + WEIGHTS["budget"] * budget_score
        + WEIGHTS["eligibility"] * eligibility_score
        + WEIGHTS["deadline"] * deadline_score
    )
    return round(total), gaps


def _days(days: int) -> str:
    return formats.plural(days, "день", "дня", "дней")
