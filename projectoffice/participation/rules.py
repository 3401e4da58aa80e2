"""Who may do what in participation: anyone reads; signed-in participants (not blocked) take part in what the
process's current phase opens; only the office answers, moderates and disposes remarks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, is_member_of, is_staff
from projectoffice.participation.models import Action, Evaluation, Phase, Process, Proposal

AUTO_HIDE_REPORTS = 3  # content reported by this many people is hidden until a moderator decides
BLOCK_AFTER_HIDDEN = 3  # a participant with this many pieces hidden by moderators is blocked


def current_phase(process: Process) -> Phase | None:
    today = timezone.localdate()
    return next((p for p in process.phases.all() if p.starts_on <= today <= p.ends_on), None)


def can_view_process(user: AnyUser, process: Process) -> bool:
    return process.is_published or is_staff(user)


def can_participate(user: AnyUser) -> bool:
    """Signed in, active, not the read-only grantor, and not blocked for repeated hidden content."""
    if not isinstance(user, User) or not user.is_active or user.is_grantor:
        return False
    return not hasattr(user, "participation_block")


def phase_allows(process: Process, action: str) -> bool:
    phase = current_phase(process)
    return process.is_published and phase is not None and action in phase.actions


def can_act(user: AnyUser, process: Process, action: Action | str) -> bool:
    return can_participate(user) and phase_allows(process, action)


def can_speak_for(user: AnyUser, organisation_id: int | None) -> bool:
    """A proposal, remark or endorsement on behalf of an organisation only from one of its members."""
    return organisation_id is None or is_member_of(user, organisation_id)


def can_edit_proposal(user: AnyUser, proposal: Proposal) -> bool:
    if not isinstance(user, User) or proposal.author_id != user.pk or proposal.status != "published":
        return False
    window = dt.timedelta(minutes=proposal.process.edit_minutes)
    return timezone.now() - proposal.created_at <= window


def can_withdraw(user: AnyUser, proposal: Proposal) -> bool:
    return isinstance(user, User) and proposal.author_id == user.pk and proposal.status == "published"


def can_manage(user: AnyUser) -> bool:
    """Official answers, evaluators, merges, projects from proposals, draft versions, dispositions, moderation."""
    return is_staff(user)


def can_see_evaluation(user: AnyUser, evaluation: Evaluation) -> bool:
    return is_staff(user) or (isinstance(user, User) and evaluation.expert_id == user.pk)


def can_confirm_affiliation(user: AnyUser, organisation_id: int) -> bool:
    """A person's claim to belong to an organisation is confirmed by one of its members or by the office."""
    return is_staff(user) or is_member_of(user, organisation_id)
