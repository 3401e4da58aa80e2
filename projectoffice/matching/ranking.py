"""Matching with explanations: opportunities for an organisation or a project, participants for an opportunity.

An opportunity's score is its fit to the need (`relevance.py`): for a support measure its instrument, amount range,
TRL range, stage, audience and topic against the project; for a tender, the share of what is bought that the
organisation can deliver, then topic, region and deadline (and less of it when the project seeks funding). Then it
is weighed by eligibility; measures whose rules the organisation fails are not offered. Every match carries the
words and codes it matched on and the eligibility checks, so the page can say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from projectoffice.lib import formats
from projectoffice.matching.coding import class_of, classify
from projectoffice.matching.eligibility import Eligibility, Verdict, check_eligibility
from projectoffice.matching.index import opportunity_engine
from projectoffice.matching.models import FeedbackVerdict, MatchFeedback
from projectoffice.matching.relevance import (
    MONEY_KINDS,
    TENDER_SHARE_FOR_FUNDING,
    capability,
    fully_funded,
    is_digital_measure,
    is_digital_need,
    meaningful,
    measure_fit,
    offered_to,
    seeks_money,
    supply_classes,
    tender_key,
)
from projectoffice.matching.semantic import similarity
from projectoffice.matching.text import lemmas
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus, TenderItem
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import Project

# Share of the navec cosine in the topic component. Measured on the judged cases (bench/matching.py): without it
# nDCG@5 is 0.979 / 0.905 (tune / held-out) against 0.940 / 0.902 with 30 %, so matching leaves it out.
SEMANTIC_SHARE = 0.0
ELIGIBILITY_FACTOR = {Verdict.ELIGIBLE: 1.0, Verdict.UNKNOWN: 0.85, Verdict.NOT_ELIGIBLE: 0.3}
MIN_SCORE = 0.05
TEXT_CANDIDATES = 200
TEXT_EVIDENCE_WORDS = 3  # the text score counts in full once two words are shared, two-thirds with one


@dataclass
class Match:
    opportunity: Opportunity
    score: float
    eligibility: Eligibility
    matched_terms: list[str] = field(default_factory=list)
    matched_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    feedback: str = ""

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Participant:
    organisation: Organisation
    project: Project | None
    score: float
    eligibility: Eligibility
    matched_terms: list[str] = field(default_factory=list)
    matched_codes: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def organisation_profile_text(organisation: Organisation) -> str:
    parts = [organisation.name, organisation.short_name, organisation.description]
    parts += [tag.name for tag in organisation.technologies.all()] + [
        tag.name for tag in organisation.competencies.all()
    ]
    parts += [product.name + " " + product.description for product in organisation.products.all()]
    if organisation.main_okved_id:
        parts.append(organisation.main_okved.name)  # type: ignore[union-attr]
    return " ".join(parts)


def project_text(project: Project) -> str:
    parts = [project.title, project.title, project.summary, project.problem, project.solution]
    parts += [tag.name for tag in project.technologies.all()]
    return " ".join(parts)


def organisation_classes(organisation: Organisation) -> set[str]:
    codes = [c.code for c in organisation.extra_okveds.all()]
    if organisation.main_okved_id:
        codes.append(organisation.main_okved.code)  # type: ignore[union-attr]
    return {class_of(code) or code for code in codes}


def _opportunity_queryset() -> object:
    items = Prefetch("tender__items", queryset=TenderItem.objects.only("tender_id", "okpd2_code", "name"))
    return Opportunity.objects.select_related("region", "tender").prefetch_related(items)


def _opportunity_classes(opportunity: Opportunity) -> set[str]:
    tender = getattr(opportunity, "tender", None)
    if tender is None:
        return set()
    return {class_of(item.okpd2_code) for item in tender.items.all() if class_of(item.okpd2_code)}


def _feedback_for(*, organisation: Organisation, project: Project | None) -> dict[int, str]:
    qs = (
        MatchFeedback.objects.filter(project=project)
        if project
        else MatchFeedback.objects.filter(organisation=organisation, project__isnull=True)
    )
    return dict(qs.values_list("opportunity_id", "verdict"))


@dataclass
class Need:
    """What the ranking answers: who asks (the organisation, maybe for a project), with what words and means."""

    organisation: Organisation
    project: Project | None
    text: str
    words: set[str]
    hits: dict[int, float]
    top_text: float
    deliverable: set[str]
    product_words: list[set[str]]
    today: dt.date
    digital: bool

    @classmethod
    def of(cls, organisation: Organisation, project: Project | None, today: dt.date) -> Need:
        text = project_text(project) if project else organisation_profile_text(organisation)
        hits = {hit.id: hit.score for hit in opportunity_engine().search(text, limit=TEXT_CANDIDATES)}
        products = [meaningful(set(lemmas(f"{p.name} {p.description}"))) for p in organisation.products.all()]
        classes = organisation_classes(organisation)
        words = set(lemmas(text))
        return cls(
            organisation,
            project,
            text,
            meaningful(words),
            hits,
            max(hits.values(), default=1.0) or 1.0,
            supply_classes(classes),
            [product for product in products if product],
            today,
            organisation.kind == OrganisationKind.IT_COMPANY or is_digital_need(classes, words),
        )

    def candidates(self) -> object:
        """Every open measure, the tenders the text found, and the tenders for what the organisation delivers;
        other countries' tenders are never offered (see `opportunities.selectors.offered_opportunities`)."""
        published = _opportunity_queryset().filter(status=OpportunityStatus.PUBLISHED)  # type: ignore[attr-defined]
        open_ones = published.domestic().open_on(self.today)
        by_codes = Q()
        for okpd_class in sorted(self.deliverable):
            by_codes |= Q(tender__items__okpd2_code__startswith=okpd_class + ".")
        tenders = Q(pk__in=list(self.hits))
        if by_codes:
            supplied = open_ones.filter(kind=OpportunityKind.TENDER).filter(by_codes).values_list("pk", flat=True)
            tenders |= Q(pk__in=list(supplied.order_by("-pk")[:TEXT_CANDIDATES]))
        return open_ones.filter(~Q(kind=OpportunityKind.TENDER) | tenders).distinct()


def match_opportunities(
    *,
    organisation: Organisation,
    project: Project | None = None,
    limit: int = 10,
    today: dt.date | None = None,
    include_dismissed: bool = False,
) -> list[Match]:
    """Ranked open opportunities the organisation may use for its need (its project's, if given), with reasons.

    Measures for individuals, statuses already held, measures whose rules the organisation fails and tenders it
    cannot deliver are left out; of identical tenders only the first is kept.
    """
    need = Need.of(organisation, project, today or timezone.localdate())
    feedback = _feedback_for(organisation=organisation, project=project)
    liked_kinds = set(
        Opportunity.objects.filter(pk__in=[k for k, v in feedback.items() if v == "interested"]).values_list(
            "kind", flat=True
        )
    )
    matches = []
    for opportunity in need.candidates():  # type: ignore[attr-defined]
        verdict_mark = feedback.get(opportunity.pk, "")
        if verdict_mark == FeedbackVerdict.DISMISSED and not include_dismissed:
            continue
        match = _score(opportunity, need)
        if match is None:
            continue
        match.feedback = verdict_mark
        if opportunity.kind in liked_kinds:
            match.score = min(1.0, match.score + 0.05)
            match.notes.append("похоже на возможности, отмеченные как интересные")
        if match.score > MIN_SCORE:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.opportunity.closes_on or dt.date.max, m.opportunity.pk))
    return _distinct(matches)[:limit]


def _distinct(matches: list[Match]) -> list[Match]:
    """Identical tenders collapse into the best-ranked one."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for match in matches:
        key = tender_key(match.opportunity)
        if key not in seen:
            seen.add(key)
            kept.append(match)
    return kept


def _topic(opportunity: Opportunity, need: Need) -> tuple[float, list[str]]:
    """Keyword relevance (discounted when few meaningful words are shared) blended with meaning."""
    tender = getattr(opportunity, "tender", None)
    items = " ".join(item.name for item in tender.items.all()) if tender is not None else ""
    words = set(lemmas(f"{opportunity.title} {opportunity.summary} {opportunity.eligibility_text} {items}"))
    shared = need.words & meaningful(words)
    keyword = need.hits.get(opportunity.pk, 0.0) / need.top_text if shared else 0.0
    keyword *= min(1.0, (len(shared) + 1) / TEXT_EVIDENCE_WORDS)
    meaning = similarity(need.text, f"{opportunity.title} {opportunity.summary} {items}") if SEMANTIC_SHARE else 0.0
    return (1 - SEMANTIC_SHARE) * keyword + SEMANTIC_SHARE * meaning, sorted(shared)[:12]


def _score(opportunity: Opportunity, need: Need) -> Match | None:
    """The opportunity's fit to the need in [0, 1] with its reasons, or None when it must not be offered."""
    organisation, project = need.organisation, need.project
    if not offered_to(opportunity, organisation) or (is_digital_measure(opportunity) and not need.digital):
        return None
    if opportunity.kind in MONEY_KINDS and fully_funded(project):
        return None  # a project that pays for itself needs no grant, loan or subsidy: nothing it need not use
    eligibility = check_eligibility(opportunity, organisation, project, today=need.today)
    if eligibility.verdict == Verdict.NOT_ELIGIBLE:
        return None
    topic, terms = _topic(opportunity, need)
    region, region_note = _region_fit(opportunity, organisation)
    deadline, deadline_note = _deadline_fit(opportunity, need.today)
    tender = getattr(opportunity, "tender", None)
    codes: list[str] = []
    if tender is None:
        fit, notes = measure_fit(opportunity, organisation, project, topic)
    else:
        items = [(item.okpd2_code, item.name) for item in tender.items.all()]
        able = capability(items, need.deliverable, need.product_words)
        if able.share == 0:
            return None  # the organisation cannot deliver what is bought
        fit = able.share * (0.55 + 0.3 * topic + 0.1 * region + 0.05 * deadline)
        fit *= TENDER_SHARE_FOR_FUNDING if seeks_money(project) else 1.0
        codes, notes = able.codes, [able.note]
    score = fit * ELIGIBILITY_FACTOR[eligibility.verdict]
    notes += [note for note in (region_note, deadline_note) if note]
    return Match(opportunity, round(min(score, 1.0), 4), eligibility, terms, codes, notes)


def _region_fit(opportunity: Opportunity, organisation: Organisation) -> tuple[float, str]:
    """Full marks in the company's region, most for a federal measure, none for another region's."""
    if opportunity.region_id and opportunity.region_id == organisation.region_id:
        return 1.0, "в регионе компании"
    if opportunity.is_federal or not opportunity.region_id:
        return 0.6, ""
    return 0.0, ""


def _deadline_fit(opportunity: Opportunity, today: dt.date) -> tuple[float, str]:
    """Two weeks or more left is best; under five days is a warning."""
    if not opportunity.closes_on:
        return 0.5, ""
    days = (opportunity.closes_on - today).days
    score = 1.0 if days >= 14 else 0.6 if days >= 5 else 0.2
    return score, f"заявки до {formats.date(opportunity.closes_on)}" + (" — срок близко" if days < 5 else "")


def _home_organisations(audience_kinds: list[str]) -> QuerySet[Organisation]:
    """The home region's organisations of the kinds a measure is for, with what the ranking reads."""
    from django.conf import settings

    kinds = audience_kinds or [OrganisationKind.IT_COMPANY, OrganisationKind.UNIVERSITY]
    return (
        Organisation.objects.filter(kind__in=kinds, region__iso_code=settings.HOME_REGION_ISO)
        .select_related("region", "main_okved")
        .prefetch_related(
            "extra_okveds",
            "technologies",
            "competencies",
            "products",
            "figures",
            Prefetch(
                "led_projects",
                queryset=Project.objects.exclude(stage__in=["completed", "declined"]).prefetch_related("technologies"),
            ),
        )
    )


def match_participants(*, opportunity: Opportunity, limit: int = 10, today: dt.date | None = None) -> list[Participant]:
    """Ranked organisations of the home region (with their best project) for an opportunity or a tender."""
    today = today or timezone.localdate()
    if opportunity.for_individuals:
        return []  # a measure for individuals has no organisations to list
    opportunity_words = set(lemmas(f"{opportunity.title} {opportunity.summary} {opportunity.eligibility_text}"))
    classes = _opportunity_classes(opportunity) or {
        class_of(c.code) for c in classify(opportunity.title, scheme="okpd2", top=3)
    }
    results = []
    for organisation in _home_organisations(opportunity.audience_kinds):
        best_overlap = set(lemmas(organisation_profile_text(organisation))) & opportunity_words
        best_project: Project | None = None
        project_overlap: set[str] = set()
        for project in organisation.led_projects.all():
            overlap = set(lemmas(project_text(project))) & opportunity_words
            if len(overlap) > len(project_overlap):
                best_project, project_overlap = project, overlap
        best_overlap |= project_overlap
        org_classes = organisation_classes(organisation)
        matched_codes = sorted(classes & org_classes) or sorted(
            c for c in classes if c[:2] in {o[:2] for o in org_classes}
        )
        text_score = min(1.0, len(best_overlap) / max(4, len(opportunity_words) * 0.3))
        eligibility = check_eligibility(opportunity, organisation, best_project, today=today)
        if classes:
            code_score = 1.0 if classes & org_classes else 0.4 if matched_codes else 0.0
        else:  # a support measure: who it is for is said by its rules, checked above
            code_score = 1.0 if eligibility.verdict == Verdict.ELIGIBLE else 0.5
        score = (0.6 * text_score + 0.4 * code_score) * ELIGIBILITY_FACTOR[eligibility.verdict]
        if classes and not matched_codes and len(best_overlap) < 2:
            continue  # a tender for goods nobody here makes: nothing but formal eligibility would match
        if score > 0.05:
            results.append(
                Participant(
                    organisation, best_project, round(score, 4), eligibility, sorted(best_overlap)[:12], matched_codes
                )
            )
    results.sort(key=lambda p: (-p.score, p.organisation.name))
    return results[:limit]
