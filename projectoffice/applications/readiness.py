"""The readiness score (0–100) with its gaps, each pointing to where it is fixed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from projectoffice.applications.budget import budget_checks
from projectoffice.applications.models import Application
from projectoffice.lib import formats
from projectoffice.matching.eligibility import Outcome, check_eligibility

WEIGHTS = {"sections": 50, "documents": 20, "budget": 15, "eligibility": 10, "deadline": 5}
DEADLINE_WARNING_DAYS = 3


@dataclass(frozen=True)
class Gap:
    area: str
    message: str
    url: str


@dataclass(frozen=True)
class Part:
    """One scored part of the application: how far it is done (0–1) and what is missing."""

    score: float
    gaps: list[Gap]


def readiness(application: Application) -> tuple[int, list[Gap]]:
    """The weighted score of the five parts (0–100) and their gaps, in the order the parts are listed."""
    scored = parts(application)
    return score_of(scored), [gap for part in scored.values() for gap in part.gaps]


def score_of(scored: dict[str, Part]) -> int:
    return round(sum(WEIGHTS[area] * part.score for area, part in scored.items()))


def complete(scored: dict[str, Part]) -> bool:
    """Nothing is missing: every part is done, and a deadline near at hand only warns (a passed one blocks)."""
    return all(part.score == 1 for area, part in scored.items() if area != "deadline") and scored["deadline"].score > 0


def parts(application: Application) -> dict[str, Part]:
    """Each part of WEIGHTS with its score and gaps; a gap links to where it is fixed."""
    builder = reverse("applications:detail", args=[application.pk])
    return {
        "sections": _sections(application, builder),
        "documents": _documents(application, builder),
        "budget": _budget(application, builder),
        "eligibility": _eligibility(application, builder),
        "deadline": _deadline(application, builder),
    }


def _sections(application: Application, builder: str) -> Part:
    """Each section counts by its length up to its minimum; an empty one counts nothing."""
    gaps: list[Gap] = []
    sections = list(application.sections.select_related("section"))
    points = 0.0
    for st in sections:
        length, minimum = len(st.text.strip()), st.section.min_chars
        anchor = f"{builder}#section-{st.pk}"
        if length == 0:
            gaps.append(Gap("sections", f"Раздел «{st.section.title}» пуст", anchor))
        elif length < minimum:
            needed = formats.plural(minimum, "знака", "знаков", "знаков")
            gaps.append(Gap("sections", f"Раздел «{st.section.title}» короткий: {length} из {needed}", anchor))
            points += length / minimum
        else:
            points += 1
    return Part(points / len(sections) if sections else 1.0, gaps)


def _documents(application: Application, builder: str) -> Part:
    """The share of the required documents that have a file."""
    required = list(application.template.documents.filter(is_required=True))
    attached = set(application.attachments.values_list("document_id", flat=True))
    missing = [d for d in required if d.pk not in attached]
    gaps = [Gap("documents", f"Нет документа «{d.name}»", f"{builder}#documents") for d in missing]
    return Part((len(required) - len(missing)) / len(required) if required else 1.0, gaps)


def _budget(application: Application, builder: str) -> Part:
    """The share of the budget's rules that pass."""
    checks = budget_checks(application)
    gaps = [Gap("budget", c.message, f"{builder}#budget") for c in checks if not c.ok]
    return Part(sum(1 for c in checks if c.ok) / len(checks) if checks else 1.0, gaps)


def _eligibility(application: Application, builder: str) -> Part:
    """The share of the opportunity's requirements the applicant is known to meet; unknowns point to its profile."""
    project = application.project
    eligibility = check_eligibility(application.opportunity, project.lead_organisation, project)
    bad = [c for c in eligibility.checks if c.outcome != Outcome.PASS]
    profile = reverse("organisations:edit", args=[project.lead_organisation_id])
    gaps = [
        Gap("eligibility", f"Требования: {c.reason}", profile if c.outcome == Outcome.UNKNOWN else builder) for c in bad
    ]
    return Part(1 - len(bad) / len(eligibility.checks) if eligibility.checks else 1.0, gaps)


def _deadline(application: Application, builder: str) -> Part:
    """Full marks with time to spare, half within DEADLINE_WARNING_DAYS, none once the deadline has passed."""
    if not application.deadline:
        return Part(1.0, [])
    days = (application.deadline - timezone.localdate()).days
    if days < 0:
        return Part(0.0, [Gap("deadline", f"Срок подачи прошёл {formats.date(application.deadline)}", builder)])
    if days <= DEADLINE_WARNING_DAYS:
        left = f"До срока подачи {_days(days)} ({formats.date(application.deadline)})"
        return Part(0.5, [Gap("deadline", left, builder)])
    return Part(1.0, [])


def _days(days: int) -> str:
    return formats.plural(days, "день", "дня", "дней")
