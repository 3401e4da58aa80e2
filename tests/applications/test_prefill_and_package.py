"""What the builder pre-fills and what goes to the funder: each section gets what it asks for, the budget is not
counted twice, and the office's readiness score stays out of the package."""

import io
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from projectoffice.applications import services
from projectoffice.applications.budget import budget_checks
from projectoffice.applications.builtin_templates import TEMPLATES
from projectoffice.applications.documents import build_docx, build_pdf, build_zip, package_context
from projectoffice.applications.models import Application, PrefillSource
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from tests.factories import OrganisationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

# What a section must be about to receive each source: a team list is no contract record, a budget no price.
SECTION_WORDS = {
    PrefillSource.SUMMARY: ("иде", "описани"),
    PrefillSource.PROBLEM: ("проблем", "задач", "цел"),
    PrefillSource.SOLUTION: ("решени", "продукт", "техническ", "предложение участника"),
    PrefillSource.MARKET: ("рын", "коммерциализац", "предприяти", "продаж"),
    PrefillSource.TEAM: ("команд",),
    PrefillSource.PLAN: ("план",),
    PrefillSource.RESULTS: ("результат", "показател", "эффект"),
    PrefillSource.RISKS: ("риск",),
    PrefillSource.BUDGET: ("бюджет", "смет", "финансов"),
}


def test_every_built_in_section_is_pre_filled_only_from_a_source_about_the_same_thing() -> None:
    wrong = [
        f"{spec['key']}: «{title}» ← {prefill}"
        for spec in TEMPLATES
        for title, _guidance, _low, _high, prefill in spec["sections"]
        if prefill and not any(word in title.lower() for word in SECTION_WORDS[PrefillSource(prefill)])
    ]
    assert not wrong, wrong


def test_a_tender_bid_gets_no_team_list_as_contract_experience_and_no_budget_text_as_price() -> None:
    load_builtin_templates()
    opportunity_create(actor=None, data={
        "kind": "tender", "title": "Поставка видеоаналитики", "external_id": "t-1", "provider_name": "ГБУ",
        "status": "published"})  # fmt: skip
    project = ProjectFactory(lead_organisation=OrganisationFactory(), solution="Система видеоаналитики на заводе",
                             team="Иванов И. И. — руководитель\nПетров П. П. — разработчик",
                             budget_total=Decimal(12_000_000), own_funds=Decimal(3_000_000),
                             requested_support=Decimal(9_000_000))  # fmt: skip
    tender = Opportunity.objects.get(external_id="t-1")
    application = services.application_create(actor=UserFactory(role="staff"), project=project, opportunity=tender)
    texts = {st.section.title: st.text for st in application.sections.select_related("section")}
    assert application.template.key == "tender-bid"
    assert texts["Предложение участника"] == "Система видеоаналитики на заводе"
    assert texts["Опыт исполнения аналогичных контрактов"] == ""
    assert texts["Ценовое предложение и его обоснование"] == ""


def test_adding_budget_items_is_not_counted_on_top_of_the_whole_project(setup) -> None:  # type: ignore[no-untyped-def]
    application: Application = setup["application"]  # a project of 1 000 000 ₽ by its card
    assert not application.budget.exists()
    for name, own, requested in [("ФОТ", 200_000, 500_000), ("Оборудование", 100_000, 200_000)]:
        services.budget_item_save(actor=setup["member"], application=application, data={
            "name": name, "own_funds": Decimal(own), "requested": Decimal(requested), "cofinancing": Decimal(0)})  # fmt: skip
    assert sum(i.total for i in application.budget.all()) == Decimal(1_000_000)
    checks = budget_checks(application)
    assert all(c.ok for c in checks if "по карточке" in c.message)
    services.budget_item_save(actor=setup["member"], application=application, data={
        "name": "Ещё раз весь проект", "own_funds": Decimal(300_000), "requested": Decimal(700_000),
        "cofinancing": Decimal(0)})  # fmt: skip
    [over] = [c for c in budget_checks(application) if "по карточке" in c.message]
    assert not over.ok and "учтены ли расходы дважды" in over.message


def test_the_package_for_the_funder_leaves_out_the_readiness_score(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    Application.objects.filter(pk=application.pk).update(readiness=88)
    application.refresh_from_db()
    ctx = package_context(application)
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(build_docx(ctx))).paragraphs)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(build_pdf(ctx))).pages)
    for text in (docx_text, pdf_text):
        assert "Срок подачи" in text and "Готовность" not in text and "88 %" not in text
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(build_zip(application)))
    inner = Document(io.BytesIO(archive.read("заявка.docx")))
    assert "Готовность" not in "\n".join(p.text for p in inner.paragraphs)


def test_the_migration_empties_the_wrong_built_in_mapping_but_keeps_the_offices_own_choices() -> None:
    import importlib

    from django.apps import apps

    from projectoffice.applications.models import TemplateSection

    load_builtin_templates()
    sections = TemplateSection.objects.filter(template__key="tender-bid")
    sections.filter(title__startswith="Опыт").update(prefill="team")  # as installed before the fix
    sections.filter(title__startswith="Ценовое").update(prefill="summary")  # changed by the office: theirs to keep
    importlib.import_module("projectoffice.applications.migrations.0004_tender_bid_prefill").forwards(apps, None)
    assert sections.get(title__startswith="Опыт").prefill == ""
    assert sections.get(title__startswith="Ценовое").prefill == "summary"
