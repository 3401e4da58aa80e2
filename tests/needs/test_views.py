"""The role matrix: the office qualifies, routes and sees every need; an expert sees only the needs sent to them
(or to their institution) and the enterprise's contacts only once they took the need; a member of an IT company
sees the needs sent to its solutions and edits only its own solutions; others are refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from projectoffice.accounts.models import Role
from projectoffice.needs.models import IntakeStatus, MatchStatus, Need, NeedStatus, Solution
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.needs.factories import (
    ExpertFactory,
    IntakeRequestFactory,
    MatchFactory,
    NeedFactory,
    SolutionFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_qualify_a_request_into_two_needs_with_a_diagnosis() -> None:
    staff = client_for(UserFactory(role=Role.STAFF))
    request = IntakeRequestFactory()
    assert staff.get(reverse("needs:home")).status_code == 200
    response = staff.post(reverse("needs:request", args=[request.pk]), {
        "title": "Диспетчеризация", "subject": request.subject_id, "priority": "high", "description": "Станки",
        "diagnosis_kind": "call", "diagnosis_notes": "Созвонились с главным инженером",
        "second_description": "Обучить операторов",
    })  # fmt: skip
    assert response.status_code == 302
    needs = list(Need.objects.order_by("pk"))
    assert [n.description for n in needs] == ["Станки", "Обучить операторов"]
    assert needs[0].diagnoses.get().notes == "Созвонились с главным инженером"
    request.refresh_from_db()
    assert request.status == IntakeStatus.QUALIFIED
    assert staff.get(reverse("needs:need", args=[needs[0].pk])).status_code == 200


def test_staff_mark_spam_and_merge_needs_of_one_enterprise() -> None:
    staff = client_for(UserFactory(role=Role.STAFF))
    spam = IntakeRequestFactory()
    staff.post(reverse("needs:request_spam", args=[spam.pk]))
    spam.refresh_from_db()
    assert spam.status == IntakeStatus.SPAM
    first: Need = NeedFactory()
    second: Need = NeedFactory(request=first.request, description="И ещё учёт инструмента")
    staff.post(reverse("needs:merge", args=[second.pk]), {"target": first.pk})
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.merged_into == first and "учёт инструмента" in first.description


@pytest.mark.parametrize("role", [Role.EXPERT, Role.MEMBER, Role.COMMUNITY])
def test_nobody_but_the_office_opens_the_inbox_requests_or_needs(role: str) -> None:
    need = NeedFactory()
    client = client_for(UserFactory(role=role))
    assert client.get(reverse("needs:request", args=[need.request_id])).status_code == 403
    assert client.get(reverse("needs:need", args=[need.pk])).status_code == 403
    assert client.post(reverse("needs:send", args=[need.pk]), {"expert": 1}).status_code == 403
    assert client.post(reverse("needs:request_spam", args=[need.request_id])).status_code == 403


def test_the_grantor_reads_the_inbox_but_changes_nothing() -> None:
    need = NeedFactory()
    grantor = client_for(UserFactory(role=Role.GRANTOR))
    assert grantor.get(reverse("needs:need", args=[need.pk])).status_code == 200
    assert grantor.post(reverse("needs:request_spam", args=[need.request_id])).status_code == 403


def test_an_expert_sees_only_the_needs_sent_to_them_and_the_contacts_once_taken() -> None:
    mine = MatchFactory()
    theirs = MatchFactory()
    expert = client_for(mine.expert.user)
    page = expert.get(reverse("needs:work")).content.decode()
    assert str(mine.need) in page
    assert expert.get(reverse("needs:match", args=[theirs.pk])).status_code == 403
    assert expert.post(reverse("needs:match", args=[theirs.pk]), {"to": "taken"}).status_code == 403
    before = expert.get(reverse("needs:match", args=[mine.pk])).content.decode()
    assert mine.need.request.contact_email not in before
    assert expert.post(reverse("needs:match", args=[mine.pk]), {"to": "taken"}).status_code == 302
    after = expert.get(reverse("needs:match", args=[mine.pk])).content.decode()
    assert mine.need.request.contact_email in after and mine.need.request.contact_phone in after
    expert.post(reverse("needs:match", args=[mine.pk]), {"to": "helped", "reason": "Внедрили MES"})
    mine.refresh_from_db()
    mine.need.refresh_from_db()
    assert mine.status == MatchStatus.HELPED and mine.need.status == NeedStatus.HELPED
    theirs.refresh_from_db()
    assert theirs.status == MatchStatus.NEW


def test_an_expert_of_an_institution_works_on_the_needs_sent_to_the_institution() -> None:
    expert = ExpertFactory()
    match = MatchFactory(kind="institution", expert=None, institution=expert.institution)
    client = client_for(expert.user)
    assert client.post(reverse("needs:match", args=[match.pk]), {"to": "taken"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.TAKEN and match.taken_by == expert.user


def test_a_refused_move_says_why_and_changes_nothing() -> None:
    match = MatchFactory()
    response = client_for(match.expert.user).post(reverse("needs:match", args=[match.pk]), {"to": "helped"})
    assert response.status_code == 400 and "нельзя перейти" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.NEW


def test_a_vendors_member_edits_only_their_solutions_and_sees_the_needs_sent_to_them() -> None:
    vendor, rival = OrganisationFactory(), OrganisationFactory()
    member = member_of(vendor)
    own, foreign = SolutionFactory(vendor=vendor), SolutionFactory(vendor=rival)
    client = client_for(member)
    subject = SubjectFactory()
    data = {"name": "Цех 2.0", "description": "Новая версия", "subjects": [subject.pk], "deployment": "cloud",
            "price_band": "under_1m", "okved_codes": "25, 28.4", "published": "on"}  # fmt: skip
    assert client.post(reverse("needs:solution_edit", args=[own.pk]), data).status_code == 302
    own.refresh_from_db()
    assert own.name == "Цех 2.0" and own.okved_codes == ["25", "28.4"]
    assert client.post(reverse("needs:solution_edit", args=[foreign.pk]), data).status_code == 403
    assert (
        client.post(
            reverse("needs:case_new", args=[foreign.pk]), {"customer": "x", "task": "x", "result": "x"}
        ).status_code
        == 403
    )
    foreign.refresh_from_db()
    assert foreign.name != "Цех 2.0"
    assert client.post(reverse("needs:solution_new") + f"?vendor={rival.pk}", data).status_code == 403
    assert client.post(reverse("needs:solution_verify", args=[own.pk])).status_code == 403
    sent = MatchFactory(kind="solution", expert=None, solution=own)
    other = MatchFactory(kind="solution", expert=None, solution=foreign)
    assert client.get(reverse("needs:match", args=[sent.pk])).status_code == 200
    assert client.get(reverse("needs:match", args=[other.pk])).status_code == 403


def test_a_vendors_edit_takes_the_offices_verification_off_and_staff_verify_again() -> None:
    vendor = OrganisationFactory()
    solution = SolutionFactory(vendor=vendor)
    staff = client_for(UserFactory(role=Role.STAFF))
    staff.post(reverse("needs:solution_verify", args=[solution.pk]))
    solution.refresh_from_db()
    assert solution.verified_at is not None
    client_for(member_of(vendor)).post(reverse("needs:solution_edit", args=[solution.pk]), {
        "name": "Другое", "description": "x", "subjects": [SubjectFactory().pk], "deployment": "cloud",
        "price_band": "under_1m",
    })  # fmt: skip
    solution.refresh_from_db()
    assert solution.verified_at is None


def test_an_unpublished_solution_is_hidden_from_the_public_catalogue(client) -> None:  # type: ignore[no-untyped-def]
    public, hidden = SolutionFactory(name="Видно"), SolutionFactory(name="Черновик", published=False)
    page = client.get(reverse("needs:catalogue")).content.decode()
    assert "Видно" in page and "Черновик" not in page
    assert client.get(reverse("needs:solution", args=[hidden.pk])).status_code == 403
    assert client.get(reverse("needs:solution", args=[public.pk])).status_code == 200
    assert Solution.objects.count() == 2


def test_the_inbox_and_the_catalogue_keep_a_constant_number_of_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = client_for(UserFactory(role=Role.STAFF))
    for _ in range(3):
        NeedFactory()
        SolutionFactory()
    staff.get(reverse("needs:home"))
    with django_assert_max_num_queries(20) as few:
        staff.get(reverse("needs:home"))
        staff.get(reverse("needs:catalogue"))
    for _ in range(6):
        NeedFactory()
        SolutionFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get(reverse("needs:home"))
        staff.get(reverse("needs:catalogue"))


def test_a_diagnosis_dated_after_today_in_samara_is_refused_and_nothing_is_stored() -> None:
    import datetime as dt

    from django.utils import timezone

    need = NeedFactory()
    staff = client_for(UserFactory(role=Role.STAFF))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = {"kind": "call", "held_on": tomorrow.isoformat(), "notes": "Созвонились"}
    response = staff.post(reverse("needs:diagnosis", args=[need.pk]), data, follow=True)
    assert "не может быть позже сегодняшней" in response.content.decode()
    assert not need.diagnoses.exists()
    staff.post(reverse("needs:diagnosis", args=[need.pk]), {**data, "held_on": timezone.localdate().isoformat()})
    assert need.diagnoses.count() == 1


def test_the_need_page_shows_no_text_taken_from_its_address_and_errors_come_as_messages() -> None:
    need = NeedFactory()
    staff = client_for(UserFactory(role=Role.STAFF))
    crafted = staff.get(reverse("needs:need", args=[need.pk]) + "?error=Переведите+деньги+на+счёт")
    assert "Переведите деньги" not in crafted.content.decode()
    other = NeedFactory()  # another enterprise: merging is refused
    response = staff.post(reverse("needs:merge", args=[need.pk]), {"target": other.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("needs:need", args=[need.pk])
    assert "?error" not in response.redirect_chain[-1][0] and 'class="message error"' in response.content.decode()


def test_the_request_page_speaks_of_the_request_in_the_neuter_and_in_human_words() -> None:
    request = IntakeRequestFactory(status=IntakeStatus.CONFIRMED, consent_version="2026-12")
    page = client_for(UserFactory(role=Role.STAFF)).get(reverse("needs:request", args=[request.pk])).content.decode()
    assert "подтверждено" in page and "подтверждена" not in page
    assert "текст согласия в редакции от 01.12.2026" in page and "текст 2026-12" not in page
    assert "---------" not in page and "— не указана —" in page
    assert [label for _, label in IntakeStatus.choices] == ["черновик", "подтверждено", "квалифицировано", "спам"]


def test_the_match_history_always_begins_with_when_it_was_sent() -> None:
    match = MatchFactory()
    client = client_for(match.expert.user)
    client.post(reverse("needs:match", args=[match.pk]), {"to": "taken"})
    page = client.get(reverse("needs:match", args=[match.pk])).content.decode()
    history = page[page.index("<h3>История</h3>") :]
    assert history.index("отправлено") < history.index("взят в работу")


def test_the_enterprise_sees_the_subjects_the_office_requalified_its_request_into() -> None:
    from projectoffice.needs import services
    from tests.needs.factories import ThemeFactory

    need = NeedFactory()
    requalified = SubjectFactory(theme=ThemeFactory(name="Безопасность"), name="Кибербезопасность")
    Need.objects.filter(pk=need.pk).update(subject=requalified)
    page = Client().get(reverse("needs:status", args=[services.status_token(need.request)]))
    task = page.content.decode().split("<h3>Ваша задача</h3>", 1)[1].split("</p>", 1)[0]
    assert "Кибербезопасность" in task and need.request.subject.name not in task
