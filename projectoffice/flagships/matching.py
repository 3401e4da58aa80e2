"""Funders for a flagship, with reasons: the funder's mandate against the project's sector, technologies, stage,
TRL, amount and geography. Reuses the ranking's parts (projectoffice.matching.relevance: amount, TRL and stage fit;
projectoffice.matching.text: the lemmas the topic is matched on). Funders whose channel is closed or on hold are
never offered; only funders of the classes the flagship targets are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from projectoffice.flagships.models import Deal, Flagship, FunderProfile
from projectoffice.matching.ranking import project_text
from projectoffice.matching.relevance import amount_fit, meaningful, stage_fit, trl_fit
from projectoffice.matching.text import lemmas
from projectoffice.opportunities.models import Opportunity, OpportunityStatus
from projectoffice.projects.models import Project

WEIGHTS = {"topic": 0.35, "amount": 0.2, "trl": 0.15, "stage": 0.1, "geography": 0.2}
# Mandates that cover a Russian regional project: Russia, the CIS and the EAEU, BRICS and the SCO, or no limit.
GEOGRAPHY_OK = re.compile(r"росси|рф\b|снг|еаэс|евраз|брикс|шос|самар|поволж|любая|без ограничен|мир", re.IGNORECASE)


@dataclass
class FunderMatch:
    name: str
    funder_class: str
    funder_class_label: str
    score: float
    reasons: list[str] = field(default_factory=list)
    profile: FunderProfile | None = None
    channel: Opportunity | None = None
    in_conversation: bool = False

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)


def _open(channel: Opportunity | None) -> bool:
    return channel is None or channel.status == OpportunityStatus.PUBLISHED


def _stand_in(profile: FunderProfile) -> Opportunity:
    """The profile's mandate in the shape the ranking's fit functions read (never saved)."""
    return Opportunity(
        title=profile.name,
        amount_min=profile.ticket_min,
        amount_max=profile.ticket_max,
        trl_min=profile.trl_min,
        trl_max=profile.trl_max,
        project_stages=list(profile.stages or []),
    )


def _geography(text: str) -> tuple[float, str]:
    if not text.strip():
        return 0.7, ""
    if GEOGRAPHY_OK.search(text):
        return 1.0, f"география мандата: {text}"
    return 0.0, f"география мандата не включает Россию: {text}"


def _topic(project_words: set[str], project_tags: set[str], text: str, tags: set[str]) -> tuple[float, list[str]]:
    shared_tags = sorted(project_tags & tags)
    shared = sorted(project_words & meaningful(set(lemmas(text))))
    value = min(1.0, 0.5 * len(shared_tags) + 0.2 * len(shared))
    reasons = []
    if shared_tags:
        reasons.append("общие технологии: " + ", ".join(shared_tags))
    if shared:
        reasons.append("совпадают слова мандата: " + ", ".join(shared[:8]))
    return value, reasons


def lower_first(label: str) -> str:
    """A choice label inside a sentence: only its first letter goes lower case, acronyms (НИОКР, TRL) stay."""
    return label[:1].lower() + label[1:]


@dataclass
class _Need:
    project: Project
    words: set[str]
    tags: set[str]


def _score_profile(profile: FunderProfile, need: _Need) -> FunderMatch:
    project = need.project
    stand_in = _stand_in(profile)
    text = f"{profile.name} {profile.sectors} {profile.past_deals}"
    if profile.channel is not None:
        text += f" {profile.channel.title} {profile.channel.summary}"
    topic, reasons = _topic(need.words, need.tags, text, {t.name.lower() for t in profile.technologies.all()})
    parts = {"amount": amount_fit(stand_in, project), "trl": trl_fit(stand_in, project),
             "stage": stage_fit(stand_in, project)}  # fmt: skip
    geography, geo_note = _geography(profile.geography)
    value = WEIGHTS["topic"] * topic + WEIGHTS["geography"] * geography
    for name, fit in parts.items():
        value += WEIGHTS[name] * fit.value
        if fit.note:
            reasons.append(fit.note)
    if profile.trl_min or profile.trl_max:
        inside = "входит в диапазон" if parts["trl"].value == 1.0 else "вне диапазона"
        reasons.append(f"TRL проекта {project.trl} {inside} мандата {profile.trl_min or 1}–{profile.trl_max or 9}")
    if geo_note:
        reasons.append(geo_note)
    if profile.instruments:
        reasons.append("инструменты: " + ", ".join(lower_first(x) for x in profile.list_labels("instruments")))
    label = profile.get_funder_class_display()
    reasons.insert(0, f"целевой класс проекта: {lower_first(label)}")
    return FunderMatch(profile.name, profile.funder_class, label, round(value, 3), reasons, profile, profile.channel)


def _score_channel(channel: Opportunity, need: _Need) -> FunderMatch:
    """A channel without a profile: only its text and amount range are known, so it ranks a little lower."""
    topic, reasons = _topic(
        need.words, need.tags, f"{channel.title} {channel.summary} {channel.eligibility_text}", set()
    )
    amount = amount_fit(channel, need.project)
    rest = 1 - WEIGHTS["topic"] - WEIGHTS["amount"]
    value = WEIGHTS["topic"] * topic + WEIGHTS["amount"] * amount.value + 0.6 * rest
    label = channel.get_funder_class_display()
    reasons.insert(0, f"целевой класс проекта: {lower_first(label)}; канал «{lower_first(channel.get_kind_display())}»")
    if amount.note:
        reasons.append(amount.note)
    if channel.stale:
        reasons.append("приём в любое время, но запись давно не сверялась с источником")
    name = channel.provider_name or channel.title
    return FunderMatch(name, channel.funder_class, label, round(value * 0.9, 3), reasons, None, channel)


def match_funders(flagship: Flagship, *, limit: int = 10) -> list[FunderMatch]:
    project = flagship.project
    targets = set(flagship.target_classes)
    need = _Need(
        project,
        meaningful(set(lemmas(f"{project_text(project)} {flagship.sector}"))),
        {t.name.lower() for t in project.technologies.all()},
    )
    deals = list(Deal.objects.filter(project=project).values_list("funder_id", "channel_id"))
    talking = {funder for funder, _ in deals if funder}
    talking_channels = {channel for _, channel in deals if channel}
    profiles = (
        FunderProfile.objects.filter(funder_class__in=targets)
        .filter(Q(channel__isnull=True) | Q(channel__status=OpportunityStatus.PUBLISHED))
        .select_related("channel")
        .prefetch_related("technologies")
    )
    out: list[FunderMatch] = []
    with_profiles: set[int] = set()
    for profile in profiles:
        if profile.channel_id:
            with_profiles.add(profile.channel_id)
        match = _score_profile(profile, need)
        match.in_conversation = profile.pk in talking
        out.append(match)
    channels = (
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, funder_class__in=targets)
        .exclude(pk__in=with_profiles)
        .order_by("title")
    )
    for channel in channels:
        match = _score_channel(channel, need)
        match.in_conversation = channel.pk in talking_channels
        out.append(match)
    out.sort(key=lambda m: (-m.score, m.name))
    return [m for m in out if _open(m.channel)][:limit]
