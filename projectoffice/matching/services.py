"""Writes of matching: a person's mark on a match («интересно», «не подходит»), checked and audited.

Digest subscriptions have their own service module, subscriptions.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record
from projectoffice.matching import rules
from projectoffice.matching.models import FeedbackVerdict, MatchFeedback
from projectoffice.opportunities.models import Opportunity
from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project


@transaction.atomic
def feedback_set(
    *, actor: User, opportunity: Opportunity, verdict: str, organisation: Organisation, project: Project | None = None
) -> MatchFeedback:
    """Record (or change) the mark on a match of the organisation or of the project; the ranking follows it."""
    if not rules.can_mark(actor, organisation=organisation, project=project):
        raise PermissionDenied("Отмечать подбор могут сотрудники офиса и участники организации.")
    if verdict not in FeedbackVerdict.values:
        raise ValidationError({"verdict": "Отметка — «Интересно» или «Не подходит»."})
    subject = organisation if project is None else project.lead_organisation
    before = MatchFeedback.objects.filter(organisation=subject, project=project, opportunity=opportunity).first()
    feedback, _ = MatchFeedback.objects.update_or_create(
        organisation=subject,
        project=project,
        opportunity=opportunity,
        defaults={"verdict": verdict, "user": actor},
    )
    if before is None or before.verdict != verdict:
        audit_record(
            actor=actor,
            action="matching.feedback_set",
            instance=project or organisation,
            changes={
                str(opportunity): {
                    "before": FeedbackVerdict(before.verdict).label if before else None,
                    "after": FeedbackVerdict(verdict).label,
                }
            },
        )
    return feedback
