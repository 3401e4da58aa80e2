from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projectoffice.accounts.models import Role
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.materials.models import Document, Lang, Section, SectionKey
from projectoffice.materials.readiness import materials_complete, teaser
from projectoffice.materials.services import section_save
from tests.factories import ProjectFactory, UserFactory, member_of
from tests.materials.helpers import EN, RU, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


def _save(actor, project, key, lang, text, document=Document.MEMO, **kwargs):
    return section_save(actor=actor, project=project, document=document, key=key, lang=lang, text=text, **kwargs)


def test_a_changed_russian_section_marks_its_english_translation_outdated(staff) -> None:
    project = ProjectFactory()
    ru = _save(staff, project, SectionKey.RISKS, Lang.RU, "Длинный цикл продаж.")
    en = _save(staff, project, SectionKey.RISKS, Lang.EN, "A long sales cycle.")
    assert (ru.version, en.source_version) == (1, 1)
    fill(staff, project, Lang.RU)
    fill(staff, project, Lang.EN)
    assert materials_complete(project, FunderClass.FOREIGN_BUSINESS) == (True, [])

    ru = _save(staff, project, SectionKey.RISKS, Lang.RU, "Длинный цикл продаж и санкции.")

    assert ru.version == 2
    complete, missing = materials_complete(project, FunderClass.FOREIGN_BUSINESS)
    assert not complete
    assert missing == ["Меморандум на английском: перевод устарел — «Риски»"]
    _save(staff, project, SectionKey.RISKS, Lang.EN, "A long sales cycle and sanctions.")
    assert materials_complete(project, FunderClass.FOREIGN_BUSINESS) == (True, [])


def test_saving_the_same_russian_text_again_keeps_the_translation_current(staff) -> None:
    project = ProjectFactory()
    _save(staff, project, SectionKey.RISKS, Lang.RU, "Риск.")
    _save(staff, project, SectionKey.RISKS, Lang.EN, "Risk.")
    ru = _save(staff, project, SectionKey.RISKS, Lang.RU, "Риск.  ")
    assert ru.version == 1


def test_an_english_section_records_the_russian_version_its_translator_saw(staff) -> None:
    project = ProjectFactory()
    _save(staff, project, SectionKey.RISKS, Lang.RU, "Риск.")
    _save(staff, project, SectionKey.RISKS, Lang.RU, "Риск, уточнённый.")
    en = _save(staff, project, SectionKey.RISKS, Lang.EN, "Risk.", translates_version=1)
    assert en.source_version == 1
    teaser_outdated = materials_complete(project, FunderClass.FOREIGN_BUSINESS)[1]
    assert "Меморандум на английском: перевод устарел — «Риски»" in teaser_outdated


def test_english_text_without_its_russian_section_is_refused_and_nothing_is_stored(staff) -> None:
    project = ProjectFactory()
    with pytest.raises(ValidationError, match="Сначала заполните раздел на русском"):
        _save(staff, project, SectionKey.RISKS, Lang.EN, "Risk.")
    assert not Section.objects.exists()


def test_a_teaser_section_longer_than_a_page_allows_is_refused(staff) -> None:
    project = ProjectFactory()
    with pytest.raises(ValidationError, match="Не длиннее 700"):
        _save(staff, project, SectionKey.PROBLEM, Lang.RU, "а" * 701, document=Document.TEASER)
    assert not Section.objects.exists()


def test_a_section_not_in_the_document_is_refused(staff) -> None:
    with pytest.raises(ValidationError):
        _save(staff, ProjectFactory(), SectionKey.RISKS, Lang.RU, "Риск.", document=Document.TEASER)


def test_only_staff_and_the_lead_organisation_edit_materials() -> None:
    project = ProjectFactory()
    member_of(project.lead_organisation)  # a colleague, not the one acting
    outsider = member_of(ProjectFactory().lead_organisation)
    with pytest.raises(PermissionDenied):
        _save(outsider, project, SectionKey.RISKS, Lang.RU, "Риск.")
    with pytest.raises(PermissionDenied):
        _save(UserFactory(role=Role.GRANTOR), project, SectionKey.RISKS, Lang.RU, "Риск.")
    lead = member_of(project.lead_organisation)
    assert _save(lead, project, SectionKey.RISKS, Lang.RU, "Риск.").version == 1


@pytest.mark.parametrize(
    ("funder_class", "extra"),
    [
        (FunderClass.FEDERAL_INSTITUTE, {SectionKey.PAYBACK: "Окупаемость 4 года, IRR 24 %."}),
        (FunderClass.LARGE_COMPANY, {SectionKey.PILOT_SCOPE: "Две станции, 6 месяцев.",
                                     SectionKey.INTEGRATION: "Через OPC UA в SCADA заказчика."}),
        (FunderClass.INTERSTATE_FUND, {SectionKey.PARTNERS_ABROAD: "Казахстан, Узбекистан.",
                                       SectionKey.PAYBACK: "Окупаемость 4 года."}),
        (FunderClass.INTERSTATE_BODY, {SectionKey.PARTNERS_ABROAD: "Казахстан, Беларусь."}),
    ],
)  # fmt: skip
def test_each_funder_class_asks_for_its_own_sections(staff, funder_class, extra) -> None:
    project = ProjectFactory()
    fill(staff, project, Lang.RU)
    complete, missing = materials_complete(project, funder_class)
    assert not complete
    assert {m.split("«")[1].rstrip("»") for m in missing if m.startswith("Меморандум:")} == {
        SectionKey(k).label for k in extra
    }
    fill(staff, project, Lang.RU, extra, documents=(Document.MEMO,))
    if funder_class == FunderClass.INTERSTATE_BODY:
        assert materials_complete(project, funder_class)[1] == [
            f"Тизер на английском: нет перевода раздела «{SectionKey(k).label}»" for k in
            [SectionKey.TITLE, SectionKey.SUMMARY, SectionKey.PROBLEM, SectionKey.SOLUTION, SectionKey.MARKET,
             SectionKey.TEAM, SectionKey.FINANCIALS]
        ]  # fmt: skip
        fill(staff, project, Lang.EN, documents=(Document.TEASER,))
    assert materials_complete(project, funder_class) == (True, [])


def test_foreign_business_needs_the_whole_english_materials(staff) -> None:
    project = ProjectFactory()
    fill(staff, project, Lang.RU)
    assert materials_complete(project, FunderClass.LARGE_COMPANY)[0] is False
    complete, missing = materials_complete(project, FunderClass.FOREIGN_BUSINESS)
    assert not complete and len(missing) == 7 + 8
    fill(staff, project, Lang.EN)
    assert materials_complete(project, FunderClass.FOREIGN_BUSINESS) == (True, [])


def test_an_unknown_funder_class_is_an_error() -> None:
    with pytest.raises(ValueError, match="Неизвестный класс"):
        materials_complete(ProjectFactory(), "bank")


def test_the_teaser_for_the_showcase_in_each_language(staff) -> None:
    project = ProjectFactory()
    assert teaser(project, "ru") is None
    fill(staff, project, Lang.RU)
    ru = teaser(project, "ru")
    assert ru is not None
    assert ru["title"] == RU[SectionKey.TITLE]
    assert [s["heading"] for s in ru["sections"]][:2] == ["Кратко о проекте", "Проблема"]
    assert teaser(project, "en") is None
    fill(staff, project, Lang.EN)
    en = teaser(project, "en")
    assert en is not None and en["title"] == EN[SectionKey.TITLE] and en["outdated"] is False
    assert en["sections"][0] == {"key": "summary", "heading": "Summary", "text": EN[SectionKey.SUMMARY],
                                 "outdated": False}  # fmt: skip
    _save(staff, project, SectionKey.SUMMARY, Lang.RU, "Новый текст.", document=Document.TEASER)
    assert teaser(project, "en")["outdated"] is True  # type: ignore[index]
    assert teaser(project, "de") is None
