"""The review summary: weighted score, spread between experts, and the criteria that lose the most points."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from projectoffice.applications.models import Application, Score


@dataclass
class CriterionSummary:
    name: str
    weight: Decimal
    scale_min: int
    scale_max: int
    values: list[int] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (expert label, comment)

    @property
    def mean(self) -> float | None:
        return sum(self.values) / len(self.values) if self.values else None

    @property
    def spread(self) -> int:
        return max(self.values) - min(self.values) if self.values else 0

    @property
    def normalised(self) -> float | None:
        """The mean on a 0–1 scale."""
        return None if self.mean is None else (self.mean - self.scale_min) / (self.scale_max - self.scale_min)

    @property
    def lost_points(self) -> float:
        """Weighted share of the maximum this criterion loses (what to improve first)."""
        return 0.0 if self.normalised is None else float(self.weight) * (1 - self.normalised)


@dataclass
class ReviewSummary:
    criteria: list[CriterionSummary]
    experts: int
    completed: int

    @property
    def weighted_score(self) -> float | None:
        """0–100: the criteria's normalised means weighted by their weights."""
        rated = [c for c in self.criteria if c.normalised is not None]
        weight = sum(float(c.weight) for c in rated)
        if not weight:
            return None
        return round(100 * sum(float(c.weight) * (c.normalised or 0.0) for c in rated) / weight, 1)

    @property
    def weakest(self) -> list[CriterionSummary]:
        return sorted((c for c in self.criteria if c.values), key=lambda c: -c.lost_points)[:3]


def review_summary(application: Application, *, show_names: bool) -> ReviewSummary:
    assignments = list(application.assignments.select_related("expert").order_by("pk"))
    labels = {
        a.pk: (a.expert.display_name if show_names else f"Эксперт {n}") for n, a in enumerate(assignments, start=1)
    }
    criteria = {
        c.pk: CriterionSummary(c.name, c.weight, c.scale_min, c.scale_max) for c in application.template.criteria.all()
    }
    for score in Score.objects.filter(assignment__application=application).order_by("assignment_id"):
        summary = criteria.get(score.criterion_id)
        if summary is not None:
            summary.values.append(score.value)
            if score.comment:
                summary.comments.append((labels[score.assignment_id], score.comment))
    completed = sum(1 for a in assignments if a.completed_at)
    return ReviewSummary(list(criteria.values()), len(assignments), completed)
