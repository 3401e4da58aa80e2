"""Routing with reasons: solutions by subject, words, industry, registry and cases; experts and institutions by
subject, territory and the institution's filters, with capacity and absences; financing the enterprise is eligible
for; sending only what was proposed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from projectoffice.accounts.models import Role
from projectoffice.needs import routing, services
from projectoffice.needs.models import ExpertAbsence, MatchStatus, NeedStatus
from projectoffice.opportunities.models import OpportunityKind
from tests.factories import FiguresFactory, OpportunityFactory, OrganisationFactory, UserFactory
from tests.needs.factories import (
    ExpertFactory,
    InstitutionFactory,
    MatchFactory,
    MunicipalityFactory,
    NeedFactory,
    SolutionCaseFactory,
    SolutionFactory,
    SubjectFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _proposals(need):  # type: ignore[no-untyped-def]
    routing.invalidate()
    return routing.proposals_for(need)


def test_a_solution_is_proposed_with_every_reason_it_fits() -> None:
    need = NeedFactory()
    fitting = SolutionFactory(subjects=[need.subject], name="Цех-Онлайн")
    SolutionCaseFactory(solution=fitting)
    other_subject = SubjectFactory(theme=ThemeFactory(name="Кадры"), name="Кадры и обучение", keywords="")
    SolutionFactory(subjects=[other_subject], name="Учебный центр", description="Курсы по охране труда", okved_codes=[],
                    registry_number=None, registry_class="")  # fmt: skip
    found = _proposals(need).solutions
    assert [p.name for p in found] == ["Цех-Онлайн"]
    reasons = " | ".join(found[0].reasons)
    for part in ("решает задачи предмета", "совпадают слова описания", "оборудования", "отрасль предприятия (ОКВЭД2 25.62)",
                 "кейс в той же отрасли — АО «Металлист»: простой −18 %", "в реестре российского ПО"):  # fmt: skip
        assert part in reasons


def test_a_solution_without_the_subject_is_found_by_the_words_of_the_need() -> None:
    need = NeedFactory()
    SolutionFactory(subjects=[], name="Монитор станков", okved_codes=[])
    found = _proposals(need).solutions
    assert found and found[0].name == "Монитор станков"
    assert not any("решает задачи предмета" in r for r in found[0].reasons)


def test_a_solution_at_capacity_is_shown_but_not_available() -> None:
    need = NeedFactory()
    solution = SolutionFactory(subjects=[need.subject], max_open_needs=1)
    MatchFactory(kind="solution", expert=None, solution=solution)
    found = _proposals(need).solutions[0]
    assert not found.available and "свободных мест нет" in found.reasons[-1]


def test_experts_by_subject_and_territory_with_their_load_and_absences() -> None:
    need = NeedFactory()
    samara = need.municipality
    tolyatti = MunicipalityFactory(name="городской округ Тольятти", short_name="Тольятти", oktmo="36740000")
    everywhere = ExpertFactory(subjects=[need.subject])
    local = ExpertFactory(subjects=[need.subject])
    local.municipalities.set([samara])
    elsewhere = ExpertFactory(subjects=[need.subject])
    elsewhere.municipalities.set([tolyatti])
    ExpertFactory(subjects=[SubjectFactory(name="Кибербезопасность")])
    absent = ExpertFactory(subjects=[need.subject])
    ExpertAbsence.objects.create(
        expert=absent, starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=3)
    )
    found = {p.pk: p for p in _proposals(need).experts}
    assert set(found) == {everywhere.pk, local.pk, absent.pk}
    assert found[local.pk].score > found[everywhere.pk].score
    assert "работает в муниципалитете «Самара»" in found[local.pk].reasons
    assert "работает по всей области" in found[everywhere.pk].reasons
    assert not found[absent.pk].available and any(r.startswith("отсутствует до") for r in found[absent.pk].reasons)


def test_an_institution_filters_by_industry_headcount_and_company_age() -> None:
    need = NeedFactory()
    need.organisation.founded_on = timezone.localdate() - dt.timedelta(days=365 * 6 + 10)
    need.organisation.save()
    FiguresFactory(organisation=need.organisation, headcount=120)
    metal = InstitutionFactory(name="Фонд металлистов", okved_prefixes=["25"], min_headcount=50, max_headcount=250,
                               min_age_years=3)  # fmt: skip
    InstitutionFactory(name="Фонд пищевиков", okved_prefixes=["10"])
    InstitutionFactory(name="Фонд малых", max_headcount=15)
    InstitutionFactory(name="Фонд стартапов", max_age_years=3)
    found = _proposals(need).institutions
    assert [p.name for p in found] == ["Фонд металлистов"]
    assert found[0].pk == metal.pk
    reasons = " | ".join(found[0].reasons)
    assert "работает с отраслью ОКВЭД2 25" in reasons and "численность в пределах условий (50–250 чел.)" in reasons
    assert "возраст предприятия 6\xa0лет — в условиях" in reasons


def test_an_experts_institution_filters_apply_to_the_expert() -> None:
    need = NeedFactory()
    food = InstitutionFactory(okved_prefixes=["10"])
    ExpertFactory(subjects=[need.subject], institution=food)
    assert _proposals(need).experts == []


def test_financing_lists_the_measures_the_enterprise_is_eligible_for_with_reasons() -> None:
    need = NeedFactory()
    OpportunityFactory(kind=OpportunityKind.LOAN, title="Заём на цифровизацию промышленности на российском ПО",
                       eligibility_text="Промышленные предприятия, внедряющие российское программное обеспечение")  # fmt: skip
    OpportunityFactory(kind=OpportunityKind.GRANT, title="Грант на цифровизацию для молодых компаний",
                       max_company_age_years=1)  # fmt: skip
    found = routing.proposals_for(need).financing
    assert [p.name for p in found] == ["Заём на цифровизацию промышленности на российском ПО"]
    assert "мера на цифровизацию и российское ПО" in found[0].reasons


def test_staff_send_only_what_was_proposed_and_the_need_becomes_sent(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(role=Role.STAFF)
    need = NeedFactory()
    expert = ExpertFactory(subjects=[need.subject])
    vendor = OrganisationFactory(email="sales@vendor.example.invalid")
    solution = SolutionFactory(subjects=[need.subject], vendor=vendor)
    stranger = ExpertFactory(subjects=[SubjectFactory(name="Кибербезопасность")])
    routing.invalidate()
    with pytest.raises(services.NeedsError, match="нет среди предложенных"):
        services.send(need, actor=staff, experts=[stranger.pk])
    assert not need.matches.exists()
    with django_capture_on_commit_callbacks(execute=True):
        matches = services.send(need, actor=staff, experts=[expert.pk], solutions=[solution.pk])
    assert {m.status for m in matches} == {MatchStatus.NEW} and all(m.reasons for m in matches)
    need.refresh_from_db()
    assert need.status == NeedStatus.SENT and need.first_sent_at is not None
    sent_to = {address for m in mailoutbox for address in m.to}
    assert {expert.user.email, "sales@vendor.example.invalid"} <= sent_to
    assert all(need.request.contact_email not in m.body for m in mailoutbox)  # no contacts before the need is taken
    with pytest.raises(services.NeedsError):
        services.send(need, actor=staff, experts=[expert.pk])


def test_routing_many_needs_reads_the_candidates_once(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    needs = [NeedFactory() for _ in range(3)]
    for _ in range(3):
        SolutionFactory(subjects=[needs[0].subject])
        ExpertFactory(subjects=[needs[0].subject])
    routing.invalidate()
    index = routing.current_index()
    with django_assert_max_num_queries(4):
        result = routing.route(list(routing.needs_for_routing([n.pk for n in needs])), index)
    assert len(result) == 3 and all(len(p.solutions) == 3 for p in result.values())


def test_the_reasons_list_the_description_words_as_written_and_the_subjects_keywords_apart() -> None:
    subject = SubjectFactory(theme=ThemeFactory(name="Производство"), name="Техническое зрение",
                             keywords="видеоаналитика, литьё")  # fmt: skip
    need = NeedFactory(subject=subject, title="", description="Брак при литьё деталей: нужен контроль отливок")
    SolutionFactory(subjects=[subject], name="Око", description="Видеоаналитика брака литьё и отливок", okved_codes=[])
    reasons = _proposals(need).solutions[0].reasons
    described = next(r for r in reasons if r.startswith("совпадают слова описания: "))
    assert "видеоаналитика" not in described and "литьё" in described and "литье" not in described
    assert "отливок" in described
    assert any(r.startswith("совпадают ключевые слова предмета: ") and "видеоаналитика" in r for r in reasons)
