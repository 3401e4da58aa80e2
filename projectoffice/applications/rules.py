"""Who may see, edit, review and decide on applications."""

from __future__ import annotations

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee, is_member_of, is_staff
from projectoffice.applications.models import Application, ApplicationStatus, ExpertAssignment


def is_applicant(user: AnyUser, application: Application) -> bool:
    return is_member_of(user, application.project.lead_organisation_id)


def can_list(user: AnyUser) -> bool:
    return (
        isinstance(user, User)
        and user.is_active
        and (can_oversee(user) or user.is_expert or bool(user.organisation_ids))
    )


def can_view(user: AnyUser, application: Application) -> bool:
    return can_oversee(user) or is_applicant(user, application) or is_assigned_expert(user, application)


def can_edit(user: AnyUser, application: Application) -> bool:
    return application.is_open and (is_staff(user) or is_applicant(user, application))


def can_comment(user: AnyUser, application: Application) -> bool:
    """The office, the applicant's team and the assigned experts discuss sections; the grantor only reads."""
    return is_staff(user) or is_applicant(user, application) or is_assigned_expert(user, application)


def can_create_for(user: AnyUser, lead_organisation_id: int) -> bool:
    return is_staff(user) or is_member_of(user, lead_organisation_id)


def can_manage_review(user: AnyUser) -> bool:
    return is_staff(user)


def is_assigned_expert(user: AnyUser, application: Application) -> bool:
    return isinstance(user, User) and ExpertAssignment.objects.filter(application=application, expert=user).exists()


def can_see_expert_names(user: AnyUser) -> bool:
    """Companies see the scores without the experts' names."""
    return can_oversee(user)


def can_submit(user: AnyUser, application: Application) -> bool:
    return application.is_open and (is_staff(user) or is_applicant(user, application))


def can_record_outcome(user: AnyUser, application: Application) -> bool:
    return application.status == ApplicationStatus.SUBMITTED and (is_staff(user) or is_applicant(user, application))
