"""The match lifecycle and the need's status that follows from its matches.

A match (the need sent to an expert, an IT company's solution or a partner institution) goes
новый → взят в работу → помогли / не помогли / не удалось связаться (a new match closes only once taken), or
новый (or взят) → «не мой профиль» with a reason; any closed match can be reopened (to «взят в работу» if it had been
taken, else to «новый»).

The need's status is the first of its matches' statuses in the order of `NEED_STATUS_PRIORITY` (as Place des
Entreprises orders them): one expert who helped makes the need «помогли» whatever the others did; a need with no
match is «новая»; a need whose matches all said «не мой профиль» is «отказ»; a need the reminders gave up on
(abandoned_at set) and that nobody took is «заброшена».
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record
from projectoffice.needs import notifications
from projectoffice.needs.models import Match, MatchEvent, MatchStatus, Need, NeedStatus

CLOSED = frozenset({MatchStatus.HELPED, MatchStatus.NOT_HELPED, MatchStatus.UNREACHABLE, MatchStatus.NOT_FOR_ME})
REOPEN = "reopen"

# from → the statuses a person may move the match to
TRANSITIONS: dict[str, frozenset[str]] = {
    MatchStatus.NEW: frozenset({MatchStatus.TAKEN, MatchStatus.NOT_FOR_ME}),  # closing needs taking first
    MatchStatus.TAKEN: frozenset(
        {MatchStatus.HELPED, MatchStatus.NOT_HELPED, MatchStatus.UNREACHABLE, MatchStatus.NOT_FOR_ME}
    ),
    **{closed: frozenset({REOPEN}) for closed in CLOSED},
}
NEEDS_REASON = frozenset({MatchStatus.NOT_FOR_ME})

NEED_STATUS_PRIORITY: list[tuple[str, str]] = [
    (MatchStatus.HELPED, NeedStatus.HELPED),
    (MatchStatus.TAKEN, NeedStatus.TAKEN),
    (MatchStatus.NOT_HELPED, NeedStatus.NOT_HELPED),
    (MatchStatus.UNREACHABLE, NeedStatus.UNREACHABLE),
    (MatchStatus.NEW, NeedStatus.SENT),
    (MatchStatus.NOT_FOR_ME, NeedStatus.DECLINED),
]
CLOSED_NEED = frozenset({NeedStatus.HELPED, NeedStatus.NOT_HELPED, NeedStatus.UNREACHABLE, NeedStatus.DECLINED})
NOBODY_TOOK = frozenset({NeedStatus.NEW, NeedStatus.SENT, NeedStatus.DECLINED})


class TransitionError(Exception):
    """A move the lifecycle does not allow; the message says why, in Russian."""


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def next_statuses(match: Match) -> list[str]:
    """What the match's page offers, in the lifecycle's order."""
    return [s for s in [*MatchStatus.values, REOPEN] if allowed(match.status, s)]


def derive_need_status(statuses: Iterable[str], *, abandoned: bool = False) -> str:
    present = set(statuses)
    derived = next((need for match, need in NEED_STATUS_PRIORITY if match in present), NeedStatus.NEW)
    if abandoned and derived in NOBODY_TOOK:
        return NeedStatus.ABANDONED
    return derived


def refresh_need(need: Need) -> Need:
    """Store the need's status and its first-sent, first-taken and closed moments from its matches."""
    matches = list(need.matches.all())
    need.status = derive_need_status([m.status for m in matches], abandoned=need.abandoned_at is not None)
    need.first_sent_at = min((m.sent_at for m in matches), default=None)
    need.first_taken_at = min((m.taken_at for m in matches if m.taken_at), default=None)
    closed = [m.closed_at for m in matches if m.closed_at and m.status in CLOSED]
    need.closed_at = max(closed) if need.status in CLOSED_NEED and closed else None
    need.save(update_fields=["status", "first_sent_at", "first_taken_at", "closed_at"])
    return need


def move(match: Match, to_status: str, *, actor: User | None, reason: str = "") -> Match:
    """Move a match (or reopen it with to_status="reopen"); refused moves change nothing."""
    reason = reason.strip()
    with transaction.atomic():
        match = Match.objects.select_for_update().select_related("need").get(pk=match.pk)
        if not allowed(match.status, to_status):
            current = MatchStatus(match.status).label
            target = "открыть заново" if to_status == REOPEN else f"«{MatchStatus(to_status).label}»"
            raise TransitionError(f"Из статуса «{current}» нельзя перейти в {target}.")
        if to_status in NEEDS_REASON and not reason:
            raise TransitionError("Укажите, почему потребность не по вашему профилю.")
        now = timezone.now()
        before = match.status
        if to_status == REOPEN:
            match.status = MatchStatus.TAKEN if match.taken_at else MatchStatus.NEW
            match.closed_at = None
            match.reopened_count += 1
        else:
            match.status = to_status
            if to_status == MatchStatus.TAKEN:
                match.taken_at = match.taken_at or now
                match.taken_by = actor
            if to_status in CLOSED:
                match.closed_at = now
        if reason:
            match.reason = reason
        match.save()
        MatchEvent.objects.create(match=match, from_status=before, to_status=match.status, reason=reason, actor=actor)
        audit_record(
            actor=actor,
            action="needs.match_moved",
            instance=match,
            changes={"status": {"before": before, "after": match.status}},
            message=reason,
        )
        refresh_need(match.need)
    if to_status == MatchStatus.TAKEN:
        transaction.on_commit(lambda: notifications.taken(match))
    return match
