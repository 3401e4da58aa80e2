"""Matching with explanations: opportunities for an organisation or a project, participants for an opportunity.

Score = text relevance (the keyword engine) + code relevance (OKPD2/OKVED2 classes) + region + stage and TRL fit
+ deadline, then weighed by eligibility (eligible ≥ unknown ≥ not eligible). Every match carries the words and
codes it matched on and the eligibility checks, so the page can say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from projectoffice.lib import formats
from projectoffice.matching.coding import class_of, classify
from projectoffice.matching.eligibility import Eligibility, Verdict, check_eligibility
from projectoffice.matching.index import opportunity_engine
from projectoffice.matching.models import FeedbackVerdict, MatchFeedback
from projectoffice.matching.semantic import similarity
from projectoffice.matching.text import lemmas
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus, TenderItem
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import Project
from projectoffice.projects.stages import Stage

WEIGHTS = {"text": 0.45, "codes": 0.25, "region": 0.1, "fit": 0.15, "deadline": 0.05}
SEMANTIC_SHARE = 0.3  # of the text component: keywords 70 %, meaning (navec cosine) 30 %
ELIGIBILITY_FACTOR = {Verdict.ELIGIBLE: 1.0, Verdict.UNKNOWN: 0.75, Verdict.NOT_ELIGIBLE: 0.3}
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


def match_opportunities(
    *,
    organisation: Organisation,
    project: Project | None = None,
    limit: int = 10,
    today: dt.date | None = None,
    include_dismissed: bool = False,
) -> list[Match]:
    """Ranked open opportunities for the organisation (and its project), with eligibility and reasons."""
    today = today or timezone.localdate()
    text = project_text(project) if project else organisation_profile_text(organisation)
    query_words = set(lemmas(text))
    hits = {hit.id: hit.score for hit in opportunity_engine().search(text, limit=TEXT_CANDIDATES)}
    top_text = max(hits.values(), default=1.0) or 1.0
    wanted_classes = organisation_classes(organisation)
    if project is not None:
        wanted_classes |= {class_of(c.code) for c in classify(text, scheme="okpd2", top=5)}
    feedback = _feedback_for(organisation=organisation, project=project)
    liked_kinds = {
        kind
        for kind in Opportunity.objects.filter(
            pk__in=[k for k, v in feedback.items() if v == "interested"]
        ).values_list("kind", flat=True)
    }
    measures = (
        Opportunity.objects.published().exclude(kind=OpportunityKind.TENDER).open_on(today).values_list("pk", flat=True)
    )
    candidate_ids = set(hits) | set(measures[:TEXT_CANDIDATES])
    candidates = (
        _opportunity_queryset().filter(pk__in=candidate_ids, status=OpportunityStatus.PUBLISHED).open_on(today)  # type: ignore[attr-defined]
    )
    matches = []
    for opportunity in candidates:
        verdict_mark = feedback.get(opportunity.pk, "")
        if verdict_mark == FeedbackVerdict.DISMISSED and not include_dismissed:
            continue
        keyword = hits.get(opportunity.pk, 0.0) / top_text
        meaning = similarity(text, f"{opportunity.title} {opportunity.summary}")
        match = _score(
            opportunity,
            organisation,
            project,
            (1 - SEMANTIC_SHARE) * keyword + SEMANTIC_SHARE * meaning,
            query_words,
            wanted_classes,
            today,
        )
        match.feedback = verdict_mark
        if opportunity.kind in liked_kinds:
            match.score = min(1.0, match.score + 0.05)
            match.notes.append("похоже на возможности, отмеченные как интересные")
        if match.score > 0.05:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.opportunity.closes_on or dt.date.max, m.opportunity.pk))
    return matches[:limit]


def _score(
    opportunity: Opportunity,
    organisation: Organisation,
    project: Project | None,
    text_score: float,
    query_words: set[str],
    wanted_classes: set[str],
    today: dt.date,
) -> Match:
    """The weighed sum of the components (each with its note, if any), then weighed by eligibility."""
    eligibility = check_eligibility(opportunity, organisation, project, today=today)
    text_score, matched_terms = _text_evidence(opportunity, query_words, text_score)
    code_score, matched_codes, code_note = _code_fit(opportunity, wanted_classes, eligibility)
    region_score, region_note = _region_fit(opportunity, organisation)
    fit, fit_note = _stage_fit(opportunity, organisation, project)
    deadline, deadline_note = _deadline_fit(opportunity, today)
    raw = (
        WEIGHTS["text"] * text_score
        + WEIGHTS["codes"] * code_score
        + WEIGHTS["region"] * region_score
        + WEIGHTS["fit"] * fit
        + WEIGHTS["deadline"] * deadline
    )
    score = raw * ELIGIBILITY_FACTOR[eligibility.verdict]
    notes = [note for note in (code_note, region_note, fit_note, deadline_note) if note]
    return Match(opportunity, round(score, 4), eligibility, matched_terms, matched_codes, notes)


def _text_evidence(opportunity: Opportunity, query_words: set[str], text_score: float) -> tuple[float, list[str]]:
    """The text score discounted when few words are shared (one shared word is weak evidence), and the words."""
    tender = getattr(opportunity, "tender", None)
    items = " ".join(item.name for item in tender.items.all()) if tender is not None else ""
    opportunity_words = set(lemmas(f"{opportunity.title} {opportunity.summary} {opportunity.eligibility_text} {items}"))
    shared = query_words & opportunity_words
    return text_score * min(1.0, (len(shared) + 1) / TEXT_EVIDENCE_WORDS), sorted(shared)[:12]


def _code_fit(
    opportunity: Opportunity, wanted_classes: set[str], eligibility: Eligibility
) -> tuple[float, list[str], str]:
    """The share of a tender's classes wanted (0.4 for the same section); for a measure, its OKVED rule."""
    classes = _opportunity_classes(opportunity)
    matched = sorted(classes & wanted_classes)
    if not classes:  # a support measure: its OKVED rule, if any, is an eligibility check
        if not opportunity.okved_prefixes:
            return 0.5, matched, ""
        passed = any(c.outcome == "pass" and c.rule == "okved" for c in eligibility.checks)
        return (1.0 if passed else 0.0), matched, ""
    if matched:
        return len(matched) / len(classes), matched, ""
    sections = {c[:2] for c in wanted_classes}
    if any(c[:2] in sections for c in classes):
        return 0.4, matched, "совпадает раздел классификатора"
    return 0.0, matched, ""


def _region_fit(opportunity: Opportunity, organisation: Organisation) -> tuple[float, str]:
    """Full marks in the company's region, most for a federal measure, none for another region's."""
    if opportunity.region_id and opportunity.region_id == organisation.region_id:
        return 1.0, "в регионе компании"
    if opportunity.is_federal or not opportunity.region_id:
        return 0.6, ""
    return 0.0, ""


def _stage_fit(opportunity: Opportunity, organisation: Organisation, project: Project | None) -> tuple[float, str]:
    """A project's stage and TRL against the measure's; without a project, the organisation's kind."""
    if project is None:
        return (1.0 if opportunity.audience_kinds and organisation.kind in opportunity.audience_kinds else 0.5), ""
    fit, note = 0.5, ""
    if opportunity.project_stages:
        on_stage = project.stage in opportunity.project_stages
        fit = 1.0 if on_stage else 0.2
        note = f"подходит для стадии «{Stage(project.stage).label}»" if on_stage else ""
    if opportunity.trl_min or opportunity.trl_max:
        inside = (opportunity.trl_min or 1) <= project.trl <= (opportunity.trl_max or 9)
        fit = (fit + (1.0 if inside else 0.0)) / 2
    return fit, note


def _deadline_fit(opportunity: Opportunity, today: dt.date) -> tuple[float, str]:
    """Two weeks or more left is best; under five days is a warning."""
    if not opportunity.closes_on:
        return 0.5, ""
    days = (opportunity.closes_on - today).days
    score = 1.0 if days >= 14 else 0.6 if days >= 5 else 0.2
    return score, f"заявки до {formats.date(opportunity.closes_on)}" + (" — срок близко" if days < 5 else "")


def match_participants(*, opportunity: Opportunity, limit: int = 10, today: dt.date | None = None) -> list[Participant]:
    """Ranked organisations of the home region (with their best project) for an opportunity or a tender."""
    from django.conf import settings

    today = today or timezone.localdate()
    opportunity_words = set(lemmas(f"{opportunity.title} {opportunity.summary} {opportunity.eligibility_text}"))
    classes = _opportunity_classes(opportunity) or {
        class_of(c.code) for c in classify(opportunity.title, scheme="okpd2", top=3)
    }
    kinds = opportunity.audience_kinds or [OrganisationKind.IT_COMPANY, OrganisationKind.UNIVERSITY]
    organisations = (
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
    results = []
    for organisation in organisations:
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
