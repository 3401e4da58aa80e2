"""A result's progress from the platform's own records: the linked projects' stages, a KPI indicator's fact against
its target, its sub-results, or — when none applies — a percentage entered by staff with evidence."""

from __future__ import annotations

from dataclasses import dataclass

from projectoffice.lib import formats
from projectoffice.participation import hooks
from projectoffice.participation.models import ProgressSource, Result
from projectoffice.projects.stages import Stage

STAGE_PROGRESS: dict[str, int] = {
    Stage.IDEA: 0,
    Stage.SCREENING: 10,
    Stage.PACKAGING: 25,
    Stage.SUBMITTED: 40,
    Stage.DECLINED: 0,
    Stage.SUPPORTED: 55,
    Stage.IMPLEMENTATION: 75,
    Stage.COMPLETED: 100,
}


@dataclass(frozen=True)
class Progress:
    percent: int | None
    how: str


def progress(result: Result) -> Progress:
    """Expects `projects` and `children` prefetched (accountability_results does it)."""
    if result.source == ProgressSource.PROJECTS:
        stages = [p.stage for p in result.projects.all()]
        if not stages:
            return Progress(None, "нет связанных проектов")
        return Progress(round(sum(STAGE_PROGRESS[s] for s in stages) / len(stages)), "по стадиям проектов")
    if result.source == ProgressSource.INDICATOR:
        figures = hooks.indicator_figures(result.indicator_code)
        if figures is None or not figures[1]:
            return Progress(None, "у показателя нет плана на год")
        fact, target = figures
        return Progress(
            min(100, round(fact * 100 / target)),
            f"показатель: факт {formats.number(fact)} из плана {formats.number(target)}",
        )
    if result.source == ProgressSource.CHILDREN:
        known = [p.percent for p in (progress(c) for c in result.children.all()) if p.percent is not None]
        return Progress(round(sum(known) / len(known)) if known else None, "по подрезультатам")
    return Progress(result.manual_progress, f"вручную: {result.evidence}")
