"""Writes to users and memberships (roles, memberships, a person's own settings), each in the action log."""

from __future__ import annotations

from django.db import models, transaction

from projectoffice.accounts.models import Membership, Role, User, validate_reminder_days
from projectoffice.audit.services import audit_record


@transaction.atomic
def user_set_role(*, actor: User | None, user: User, role: Role | str) -> bool:
    """Change a user's role; returns False when it was already that role."""
    if user.role == role:
        return False
    before = user.role
    user.role = role
    user.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="accounts.role_changed",
        instance=user,
        changes={"role": {"before": before, "after": str(role)}},
    )
    return True


@transaction.atomic
def membership_add(
    *, actor: User | None, user: User, organisation: models.Model, position: str = "", is_admin: bool = False
) -> Membership:
    """Add the user to the organisation (an organisations.Organisation: accounts sits below organisations and names
    it only through Membership's foreign key); adding a member twice changes nothing."""
    membership, created = Membership.objects.get_or_create(
        user=user, organisation_id=organisation.pk, defaults={"position": position, "is_admin": is_admin}
    )
    if created:
        audit_record(
            actor=actor, action="accounts.membership_added", instance=organisation,
            changes={"member": {"before": None, "after": user.display_name}},
        )  # fmt: skip
    return membership


@transaction.atomic
def membership_update(
    *, actor: User | None, membership: Membership, organisation: models.Model, position: str, is_admin: bool
) -> Membership:
    """Change a membership's organisation, position or profile-admin right; each change is in the action log."""
    stored = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    before = {"организация": str(stored.organisation), "должность": stored.position, "администратор": stored.is_admin}
    stored.organisation_id, stored.position, stored.is_admin = organisation.pk, position.strip(), is_admin
    stored.full_clean()
    after = {"организация": str(organisation), "должность": stored.position, "администратор": stored.is_admin}
    changes = {k: {"before": before[k], "after": after[k]} for k in before if before[k] != after[k]}
    if changes:
        stored.save(update_fields=["organisation", "position", "is_admin"])
        audit_record(
            actor=actor,
            action="accounts.membership_changed",
            instance=organisation,
            changes=changes,
            message=f"участник {stored.user.display_name}",
        )
    return stored


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    organisation, name = membership.organisation, membership.user.display_name
    membership.delete()
    audit_record(
        actor=actor, action="accounts.membership_removed", instance=organisation,
        changes={"member": {"before": name, "after": None}},
    )  # fmt: skip


@transaction.atomic
def reminder_days_set(*, actor: User, days: list[int]) -> User:
    """Set the actor's own deadline reminders (days before a deadline, nearest last; empty — none)."""
    validate_reminder_days(days)
    days = sorted(days, reverse=True)
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = list(user.reminder_days)
    if before != days:
        user.reminder_days = days
        user.save(update_fields=["reminder_days"])
        audit_record(
            actor=actor,
            action="accounts.reminder_days_set",
            instance=user,
            changes={"reminder_days": {"before": before, "after": days}},
        )
    actor.reminder_days = days
    return user
