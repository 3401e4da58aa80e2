"""Who may do what with needs: the enterprise files without an account and follows its request by a signed link;
office staff qualify, route, verify solutions; an expert sees only the needs sent to them (or to their institution);
a member of an IT company sees the needs sent to its solutions and edits only its own solutions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee, is_member_of, is_staff
from projectoffice.lib.rate_limits import RateLimit
from projectoffice.needs.models import Expert, Match, MatchStatus

__all__ = ["can_oversee", "is_staff"]

# Requests filed from one address, on the page and through the API together.
INTAKE_LIMIT = RateLimit(
    scope="needs:intake",
    setting="NEEDS_INTAKE_RATE_LIMIT",
    window=3600,
    refusal="Слишком много обращений с вашего адреса. Попробуйте через час или напишите нам.",
)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_qualify(user: AnyUser) -> bool:
    return is_staff(user)


def can_route(user: AnyUser) -> bool:
    return is_staff(user)


def can_verify(user: AnyUser) -> bool:
    return is_staff(user)


def can_list_needs(user: AnyUser) -> bool:
    """The office's inbox and every need: staff, and the grantor reading."""
    return can_oversee(user)


def expert_of(user: AnyUser) -> Expert | None:
    if not isinstance(user, User) or not user.is_active:
        return None
    if not hasattr(user, "_needs_expert"):
        user._needs_expert = Expert.objects.filter(user=user).first()  # type: ignore[attr-defined]
    found: Expert | None = user._needs_expert  # type: ignore[attr-defined]
    return found


def matches_for(user: AnyUser) -> QuerySet[Match]:
    """The matches this user works on: sent to them, to their institution, or to their organisation's solutions."""
    if not isinstance(user, User) or not user.is_active:
        return Match.objects.none()
    condition = Q(solution__vendor_id__in=user.organisation_ids)
    expert = expert_of(user)
    if expert is not None:
        condition |= Q(expert=expert)
        if expert.institution_id:
            condition |= Q(institution_id=expert.institution_id)
    return Match.objects.filter(condition)


def has_work(user: AnyUser) -> bool:
    """The menu's «Мои потребности»: an expert of the needs part, or a member of an IT company."""
    return expert_of(user) is not None or (isinstance(user, User) and bool(user.organisation_ids))


def can_work_on(user: AnyUser, match: Match) -> bool:
    """Take, close, decline and reopen a match: its own addressee (staff too)."""
    if is_staff(user):
        return True
    if not isinstance(user, User) or not user.is_active or user.is_grantor:
        return False
    if match.solution_id is not None and is_member_of(user, match.solution.vendor_id):  # type: ignore[union-attr]
        return True
    expert = expert_of(user)
    if expert is None:
        return False
    return match.expert_id == expert.pk or (
        match.institution_id is not None and match.institution_id == expert.institution_id
    )


def can_view_match(user: AnyUser, match: Match) -> bool:
    return can_oversee(user) or can_work_on(user, match)


def can_see_contacts(user: AnyUser, match: Match) -> bool:
    """The enterprise's contact person: the office always; the addressee once the need is taken."""
    if can_oversee(user):
        return True
    return can_work_on(user, match) and match.taken_at is not None and match.status != MatchStatus.NOT_FOR_ME


def can_edit_solutions_of(user: AnyUser, vendor_id: int) -> bool:
    return is_staff(user) or is_member_of(user, vendor_id)
