"""The match state machine: allowed and refused moves, reopening, and the need's status derived from its matches."""

from __future__ import annotations

import pytest

from projectoffice.accounts.models import Role
from projectoffice.needs.lifecycle import REOPEN, TransitionError, derive_need_status, move, next_statuses
from projectoffice.needs.models import Match, MatchEvent, MatchStatus, NeedStatus
from tests.factories import UserFactory
from tests.needs.factories import MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NeedStatus.NEW),
        (["new"], NeedStatus.SENT),
        (["new", "taken"], NeedStatus.TAKEN),
        (["not_for_me", "taken", "helped"], NeedStatus.HELPED),
        (["not_helped", "taken"], NeedStatus.TAKEN),
        (["unreachable", "not_helped"], NeedStatus.NOT_HELPED),
        (["new", "unreachable"], NeedStatus.UNREACHABLE),
        (["not_for_me", "not_for_me"], NeedStatus.DECLINED),
    ],
)
def test_the_need_status_is_the_first_of_its_matches_statuses_by_priority(statuses: list[str], expected: str) -> None:
    assert derive_need_status(statuses) == expected


def test_a_need_the_reminders_gave_up_on_is_abandoned_unless_someone_took_it() -> None:
    assert derive_need_status(["new"], abandoned=True) == NeedStatus.ABANDONED
    assert derive_need_status(["taken"], abandoned=True) == NeedStatus.TAKEN


def test_an_expert_takes_then_closes_a_match_and_the_need_follows_with_its_history() -> None:
    match = MatchFactory()
    user = match.expert.user
    move(match, MatchStatus.TAKEN, actor=user)
    match.need.refresh_from_db()
    assert match.need.status == NeedStatus.TAKEN and match.need.first_taken_at is not None
    move(match, MatchStatus.HELPED, actor=user)
    match.refresh_from_db()
    match.need.refresh_from_db()
    assert match.status == MatchStatus.HELPED and match.closed_at is not None
    assert match.need.status == NeedStatus.HELPED and match.need.closed_at is not None
    assert list(MatchEvent.objects.filter(match=match).values_list("from_status", "to_status")) == [
        ("new", "taken"),
        ("taken", "helped"),
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("new", "helped"),
        ("new", "not_helped"),
        ("new", "unreachable"),
        ("taken", "new"),
        ("helped", "taken"),
        ("not_for_me", "helped"),
    ],
)
def test_a_move_the_lifecycle_does_not_allow_is_refused_and_changes_nothing(start: str, target: str) -> None:
    match = MatchFactory(status=start)
    with pytest.raises(TransitionError):
        move(match, target, actor=match.expert.user, reason="причина")
    match.refresh_from_db()
    assert match.status == start and not MatchEvent.objects.exists()


def test_a_new_match_offers_only_taking_it_or_not_my_profile() -> None:
    assert next_statuses(MatchFactory()) == [MatchStatus.TAKEN, MatchStatus.NOT_FOR_ME]


def test_not_my_profile_needs_a_reason() -> None:
    match = MatchFactory()
    with pytest.raises(TransitionError, match="почему"):
        move(match, MatchStatus.NOT_FOR_ME, actor=match.expert.user, reason="  ")
    move(match, MatchStatus.NOT_FOR_ME, actor=match.expert.user, reason="Не занимаюсь станками")
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_FOR_ME and match.reason == "Не занимаюсь станками"
    match.need.refresh_from_db()
    assert match.need.status == NeedStatus.DECLINED


def test_any_closed_match_reopens_to_where_it_was_and_counts_the_reopening() -> None:
    taken = MatchFactory()
    move(taken, MatchStatus.TAKEN, actor=taken.expert.user)
    move(taken, MatchStatus.UNREACHABLE, actor=taken.expert.user)
    move(taken, REOPEN, actor=UserFactory(role=Role.STAFF))
    taken.refresh_from_db()
    assert taken.status == MatchStatus.TAKEN and taken.reopened_count == 1 and taken.closed_at is None
    declined = MatchFactory()
    move(declined, MatchStatus.NOT_FOR_ME, actor=declined.expert.user, reason="не мой профиль")
    move(declined, REOPEN, actor=declined.expert.user)
    declined.refresh_from_db()
    assert declined.status == MatchStatus.NEW


def test_taking_a_match_sends_the_contacts_to_both_sides(mailoutbox: list) -> None:  # type: ignore[type-arg]
    need = NeedFactory()
    match = MatchFactory(need=need)
    with pytest.MonkeyPatch.context():
        move(match, MatchStatus.TAKEN, actor=match.expert.user)
    # on_commit runs at the end of the test's transaction in pytest-django only with transaction=True; call directly
    from projectoffice.needs import notifications

    notifications.taken(Match.objects.get(pk=match.pk))
    to = [m.to[0] for m in mailoutbox]
    assert need.request.contact_email in to and match.expert.user.email in to
    to_expert = next(m for m in mailoutbox if m.to == [match.expert.user.email])
    assert need.request.contact_phone in to_expert.body
