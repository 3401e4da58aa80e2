"""The pipeline's stages and the moves allowed between them."""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    IDEA = "idea", "Идея"
    SCREENING = "screening", "Скрининг"
    PACKAGING = "packaging", "Упаковка"
    SUBMITTED = "submitted", "Заявка подана"
    SUPPORTED = "supported", "Поддержан"
    DECLINED = "declined", "Отклонён"
    IMPLEMENTATION = "implementation", "Реализация"
    COMPLETED = "completed", "Завершён"


# Forward moves follow the pipeline; the backward ones let staff return a project for rework.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.IDEA: (Stage.SCREENING, Stage.DECLINED),
    Stage.SCREENING: (Stage.PACKAGING, Stage.IDEA, Stage.DECLINED),
    Stage.PACKAGING: (Stage.SUBMITTED, Stage.SCREENING),
    Stage.SUBMITTED: (Stage.SUPPORTED, Stage.DECLINED, Stage.PACKAGING),
    Stage.SUPPORTED: (Stage.IMPLEMENTATION,),
    Stage.DECLINED: (Stage.PACKAGING, Stage.IDEA),
    Stage.IMPLEMENTATION: (Stage.COMPLETED,),
    Stage.COMPLETED: (),
}

ORDER = list(Stage)


def allowed_moves(stage: str) -> list[Stage]:
    return [Stage(s) for s in TRANSITIONS[stage]]
