"""Writes to users and memberships, with role changes in the action log."""

from __future__ import annotations

from django.db import models, transaction

from projectoffice.accounts.models import Membership, Role, User
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
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    organisation, name = membership.organisation, membership.user.display_name
    membership.delete()
    audit_record(
        actor=actor, action="accounts.membership_removed", instance=organisation,
        changes={"member": {"before": name, "after": None}},
    )  # fmt: skip
