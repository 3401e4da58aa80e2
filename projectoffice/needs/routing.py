"""Routing with reasons: for a need, the IT solutions, experts and partner institutions to send it to, and the
financing the enterprise is eligible for, each with the reasons it was proposed.

Everything the routing reads about the candidates is loaded once into a `RoutingIndex` (lemma sets through the
matching text pipeline, an inverted index lemma → solutions, subject → experts); a need is then scored in memory,
with no query per candidate. The index is kept per process for `INDEX_TTL` seconds or until the catalogue changes
(`invalidate()` is called by every write to solutions, experts and institutions); the open matches that fill
capacities are counted afresh (one query) for every batch.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from projectoffice.lib import formats
from projectoffice.matching.eligibility import Outcome, Verdict, check_eligibility
from projectoffice.matching.relevance import is_digital_measure, meaningful, offered_to
from projectoffice.matching.text import lemma, lemmas, tokens
from projectoffice.needs.models import (
    Expert,
    ExpertAbsence,
    Match,
    MatchKind,
    MatchStatus,
    Municipality,
    Need,
    PartnerInstitution,
    Solution,
    SolutionCase,
    Subject,
)
from projectoffice.opportunities.selectors import offered_opportunities
from projectoffice.organisations.models import Organisation, OrganisationFigures

INDEX_TTL = 300
VERSION_KEY = "needs:routing-version"
SOLUTIONS_SHOWN = 8
EXPERTS_SHOWN = 8
COMMON_SHARE = 0.25  # a lemma in more than this share of solutions says nothing about any of them
WORDS_SHOWN = 5
VERDICTS_KEPT = 50_000  # cached institution verdicts per index (see RoutingIndex._verdict)
PRESELECT = 2 * SOLUTIONS_SHOWN  # ranked by topic first; the evidence (at most +0.32) orders the best of them
OPEN = (MatchStatus.NEW, MatchStatus.TAKEN)


def invalidate() -> None:
    """Called by every write to the catalogue: the next routing rebuilds its index."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def forget() -> None:
    """Drop this process's index (tests, whose databases are new each time)."""
    global _INDEX
    _INDEX = None


def _words(*texts: str) -> frozenset[str]:
    return frozenset(meaningful(set(lemmas(" ".join(t for t in texts if t)))))


def _okved_class(code: str) -> str:
    return code.split(".")[0]


# --- what the routing knows about a need ---------------------------------------------------------------------


@dataclass(frozen=True)
class NeedProfile:
    need_id: int
    subject_id: int
    municipality_id: int | None
    words: frozenset[str]
    okveds: tuple[str, ...]  # the enterprise's main code first
    headcount: int | None
    age_years: int | None
    # lemma → the word as written (ё kept), for the reasons: the need's own title and description, then its subject
    written: tuple[tuple[str, str], ...] = ()
    subject_written: tuple[tuple[str, str], ...] = ()


def _age(founded_on: dt.date | None, today: dt.date) -> int | None:
    if founded_on is None:
        return None
    return today.year - founded_on.year - ((today.month, today.day) < (founded_on.month, founded_on.day))


NEED_FIELDS = (
    "pk", "subject_id", "municipality_id", "title", "description", "subject__name", "subject__keywords",
    "organisation_id", "organisation__main_okved__code", "organisation__founded_on",
)  # fmt: skip


@lru_cache(maxsize=50_000)
def _need_words(title: str, description: str, subject: str, keywords: str) -> frozenset[str]:
    return _words(title, description, subject, keywords)


@lru_cache(maxsize=50_000)
def _as_written(*texts: str) -> tuple[tuple[str, str], ...]:
    """Each meaningful lemma of the texts with the first form it was written in («литьё», not the lemma «литье»)."""
    wanted = _words(*texts)
    found: dict[str, str] = {}
    for token in tokens(" ".join(t for t in texts if t)):
        word = lemma(token)
        if word in wanted:
            found.setdefault(word, token)
    return tuple(found.items())


def needs_for_routing(needs: Iterable[int] | None = None) -> QuerySet[Need, dict[str, Any]]:
    """What the routing reads of the needs, as plain rows (no model instances: thousands of needs load fast)."""
    queryset = Need.objects.all() if needs is None else Need.objects.filter(pk__in=list(needs))
    return queryset.values(*NEED_FIELDS)


def _organisation_facts(ids: set[int]) -> tuple[dict[int, list[str]], dict[int, int | None]]:
    """The organisations' additional OKVED2 codes and latest headcounts, in two queries."""
    extra: dict[int, list[str]] = defaultdict(list)
    through = Organisation.extra_okveds.through
    for org_id, code in through.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "okvedcode__code"
    ):
        extra[org_id].append(code)
    headcounts: dict[int, int | None] = {}
    figures = OrganisationFigures.objects.filter(organisation_id__in=ids).order_by("organisation_id", "-year")
    for org_id, headcount in figures.values_list("organisation_id", "headcount"):
        headcounts.setdefault(org_id, headcount)
    return extra, headcounts


def profiles(rows: Iterable[dict[str, Any]]) -> list[NeedProfile]:
    rows = list(rows)
    today = timezone.localdate()
    extra, headcounts = _organisation_facts({row["organisation_id"] for row in rows})
    found = []
    for row in rows:
        org_id = row["organisation_id"]
        main = row["organisation__main_okved__code"]
        codes = [main] if main else []
        codes += [c for c in extra.get(org_id, ()) if c not in codes]
        found.append(
            NeedProfile(
                need_id=row["pk"],
                subject_id=row["subject_id"],
                municipality_id=row["municipality_id"],
                words=_need_words(row["title"], row["description"], row["subject__name"], row["subject__keywords"]),
                okveds=tuple(codes),
                headcount=headcounts.get(org_id),
                age_years=_age(row["organisation__founded_on"], today),
                written=_as_written(row["title"], row["description"]),
                subject_written=_as_written(row["subject__name"], row["subject__keywords"]),
            )
        )
    return found


# --- candidates, loaded once ---------------------------------------------------------------------------------


@dataclass
class SolutionEntry:
    pk: int
    name: str
    vendor_id: int
    vendor: str
    subject_ids: frozenset[int]
    words: frozenset[str]
    okveds: tuple[str, ...]
    registry_number: int | None
    registry_class: str
    verified: bool
    cases: list[tuple[str, str, str]]  # customer's OKVED, customer, figures
    max_open: int


@dataclass
class InstitutionEntry:
    pk: int
    name: str
    subject_ids: frozenset[int]
    municipality_ids: frozenset[int]
    okved_prefixes: tuple[str, ...]
    min_headcount: int | None
    max_headcount: int | None
    min_age: int | None
    max_age: int | None


@dataclass
class ExpertEntry:
    pk: int
    name: str
    institution_id: int | None
    subject_ids: frozenset[int]
    municipality_ids: frozenset[int]
    max_open: int
    absences: list[tuple[dt.date, dt.date]]


@dataclass
class Proposal:
    kind: str
    pk: int
    name: str
    score: float
    reasons: list[str]
    available: bool = True
    detail: str = ""  # the vendor or the institution

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.pk, "name": self.name, "score": round(self.score, 3),
                "reasons": self.reasons, "available": self.available}  # fmt: skip


@dataclass
class Proposals:
    solutions: list[Proposal] = field(default_factory=list)
    experts: list[Proposal] = field(default_factory=list)
    institutions: list[Proposal] = field(default_factory=list)
    financing: list[Proposal] = field(default_factory=list)


class RoutingIndex:
    def __init__(self) -> None:
        self.solutions: dict[int, SolutionEntry] = {}
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_subject: dict[int, list[int]] = defaultdict(list)
        self.idf: dict[str, float] = {}
        self.experts: dict[int, ExpertEntry] = {}
        self.experts_by_subject: dict[int, list[int]] = defaultdict(list)
        self.institutions: dict[int, InstitutionEntry] = {}
        self.subjects: dict[int, str] = {}
        self.municipalities: dict[int, str] = {}
        self.order: list[int] = []
        self.word_positions: dict[str, np.ndarray] = {}
        self.subject_positions: dict[int, np.ndarray] = {}
        self.built_version: object = None
        self.built_at = 0.0
        # An institution's verdict depends only on the need's facts its rules look at: cached by those facts.
        self.verdicts: dict[tuple[Any, ...], tuple[bool, list[str], list[str]]] = {}

    @classmethod
    def build(cls) -> RoutingIndex:
        index = cls()
        index.built_version = cache.get(VERSION_KEY)
        index.built_at = time.monotonic()
        index.subjects = dict(Subject.objects.values_list("pk", "name"))
        index.municipalities = {m.pk: str(m) for m in Municipality.objects.all()}
        index._load_solutions()
        index._load_institutions()
        index._load_experts()
        return index

    def _load_solutions(self) -> None:
        """Published solutions as plain rows (no model instances), their subjects and cases in two more queries."""
        rows = list(
            Solution.objects.filter(published=True).values(
                "pk", "name", "description", "registry_number", "registry_class", "okved_codes", "verified_at",
                "max_open_needs", "vendor_id", "vendor__short_name", "vendor__name",
            )
        )  # fmt: skip
        ids = [row["pk"] for row in rows]
        subjects: dict[int, set[int]] = defaultdict(set)
        for solution_id, subject_id in Solution.subjects.through.objects.filter(solution_id__in=ids).values_list(
            "solution_id", "subject_id"
        ):
            subjects[solution_id].add(subject_id)
        cases: dict[int, list[Any]] = defaultdict(list)
        for case in SolutionCase.objects.filter(solution_id__in=ids).values(
            "solution_id", "customer", "industry_okved", "task", "result", "figures"
        ):
            cases[case["solution_id"]].append(case)
        for row in rows:
            pk, own = row["pk"], cases.get(row["pk"], [])
            entry = SolutionEntry(
                pk=pk,
                name=row["name"],
                vendor_id=row["vendor_id"],
                vendor=row["vendor__short_name"] or row["vendor__name"],
                subject_ids=frozenset(subjects.get(pk, ())),
                words=_words(row["name"], row["description"], row["registry_class"],
                             *(f"{c['task']} {c['result']}" for c in own)),
                okveds=tuple(row["okved_codes"] or ()),
                registry_number=row["registry_number"],
                registry_class=row["registry_class"],
                verified=row["verified_at"] is not None,
                cases=[(c["industry_okved"], c["customer"], c["figures"]) for c in own],
                max_open=row["max_open_needs"],
            )  # fmt: skip
            self.solutions[pk] = entry
            for word in entry.words:
                self.by_word[word].append(pk)
            for subject_id in entry.subject_ids:
                self.by_subject[subject_id].append(pk)
        total = max(len(self.solutions), 1)
        limit = max(3, int(total * COMMON_SHARE))
        for word, postings in list(self.by_word.items()):
            if len(postings) > limit:
                del self.by_word[word]
            else:
                self.idf[word] = math.log(1 + total / len(postings))
        self._arrays()

    def _arrays(self) -> None:
        """Numpy views of the index: solutions by position, each word's and subject's postings as positions."""
        self.order = list(self.solutions)
        position = {pk: i for i, pk in enumerate(self.order)}
        self.word_positions = {
            w: np.fromiter((position[pk] for pk in pks), dtype=np.int64) for w, pks in self.by_word.items()
        }
        self.subject_positions = {
            sid: np.fromiter((position[pk] for pk in pks), dtype=np.int64) for sid, pks in self.by_subject.items()
        }

    def _load_institutions(self) -> None:
        for inst in PartnerInstitution.objects.filter(is_active=True).prefetch_related("subjects", "municipalities"):
            self.institutions[inst.pk] = InstitutionEntry(
                pk=inst.pk,
                name=inst.name,
                subject_ids=frozenset(x.pk for x in inst.subjects.all()),
                municipality_ids=frozenset(x.pk for x in inst.municipalities.all()),
                okved_prefixes=tuple(inst.okved_prefixes or ()),
                min_headcount=inst.min_headcount,
                max_headcount=inst.max_headcount,
                min_age=inst.min_age_years,
                max_age=inst.max_age_years,
            )

    def _load_experts(self) -> None:
        today = timezone.localdate()
        experts = (
            Expert.objects.filter(is_active=True, user__is_active=True)
            .select_related("user")
            .prefetch_related(
                "subjects",
                "municipalities",
                Prefetch("absences", queryset=ExpertAbsence.objects.filter(ends_on__gte=today)),
            )
        )
        for e in experts:
            if e.institution_id and e.institution_id not in self.institutions:
                continue  # the institution stopped working with needs
            entry = ExpertEntry(
                pk=e.pk,
                name=str(e.user),
                institution_id=e.institution_id,
                subject_ids=frozenset(x.pk for x in e.subjects.all()),
                municipality_ids=frozenset(x.pk for x in e.municipalities.all()),
                max_open=e.max_open_needs,
                absences=[(a.starts_on, a.ends_on) for a in e.absences.all()],
            )
            self.experts[e.pk] = entry
            for subject_id in entry.subject_ids:
                self.experts_by_subject[subject_id].append(e.pk)

    # --- scoring ---------------------------------------------------------------------------------------------

    def _topic(self, s: SolutionEntry, p: NeedProfile, overlap: float, shared: list[str]) -> tuple[float, list[str]]:
        """What the solution does against what the need asks: its subject, the words they share."""
        score, reasons = 0.0, []
        if p.subject_id in s.subject_ids:
            score += 0.4
            reasons.append(f"решает задачи предмета «{self.subjects.get(p.subject_id, '')}»")
        if overlap:
            score += 0.35 * min(1.0, overlap * 2)
            words = sorted(shared, key=lambda w: (-self.idf[w], w))[:WORDS_SHOWN]
            own, subject = dict(p.written), dict(p.subject_written)
            described = [own[w] for w in words if w in own]
            from_subject = [subject.get(w, w) for w in words if w not in own]
            if described:
                reasons.append("совпадают слова описания: " + ", ".join(described))
            if from_subject:
                reasons.append("совпадают ключевые слова предмета: " + ", ".join(from_subject))
        return score, reasons

    @staticmethod
    def _evidence(s: SolutionEntry, p: NeedProfile, industry: set[str] | None = None) -> tuple[float, list[str]]:
        """Industry fit, a case in the same industry, the software registry, the office's verification."""
        score, reasons = 0.0, []
        fit = next((c for c in s.okveds for code in p.okveds if code.startswith(c)), None)
        if fit:
            score += 0.15
            reasons.append(f"отрасль предприятия (ОКВЭД2 {p.okveds[0]}) среди отраслей решения")
        if industry is None:
            industry = {_okved_class(c) for c in p.okveds}
        case = next((c for c in s.cases if c[0] and _okved_class(c[0]) in industry), None)
        if case:
            score += 0.1
            reasons.append(f"кейс в той же отрасли — {case[1]}" + (f": {case[2]}" if case[2] else ""))
        if s.registry_number:
            score += 0.05
            kind = f", {s.registry_class}" if s.registry_class else ""
            reasons.append(f"в реестре российского ПО, № {s.registry_number}{kind}")
        if s.verified:
            score += 0.02
            reasons.append("проверено офисом")
        return score, reasons

    def propose_solutions(
        self, p: NeedProfile, open_counts: dict[int, int], limit: int = SOLUTIONS_SHOWN
    ) -> list[Proposal]:
        """The subject and the shared words (rarer words weigh more) rank every solution at once in numpy; only the
        best `PRESELECT` of them get the evidence (industry, cases, registry) and their reasons written out."""
        if not self.order:
            return []
        text = np.zeros(len(self.order))
        words = [w for w in p.words if w in self.word_positions]
        for word in words:
            text[self.word_positions[word]] += self.idf[word]
        norm = sum(self.idf[w] for w in words) or 1.0
        overlap = text / norm
        topic = 0.35 * np.minimum(1.0, overlap * 2)
        subject = self.subject_positions.get(p.subject_id)
        if subject is not None:
            topic[subject] += 0.4
        count = min(PRESELECT, len(topic))
        best = np.argpartition(-topic, count - 1)[:count]
        proposals = []
        industry = {_okved_class(c) for c in p.okveds}
        for i in best[topic[best] >= 0.1].tolist():
            pk = self.order[i]
            s = self.solutions[pk]
            shared = [w for w in words if w in s.words]
            score, reasons = self._topic(s, p, float(overlap[i]), shared)
            extra, evidence = self._evidence(s, p, industry)
            busy = open_counts.get(pk, 0)
            available = busy < s.max_open
            if not available:
                evidence.append(f"сейчас в работе {busy} из {s.max_open} — свободных мест нет")
            proposals.append(
                Proposal(MatchKind.SOLUTION, pk, s.name, score + extra, reasons + evidence, available, s.vendor)
            )
        proposals.sort(key=lambda x: (not x.available, -x.score, x.name))
        return proposals[:limit]

    def _verdict(self, inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, list[str], list[str]]:
        """`_institution_verdict`, and the reasons an expert of the institution shows, cached by the facts of the
        need the institution's rules read (10,000 needs share a few hundred such keys). Callers copy the lists."""
        key = (
            inst.pk,
            p.subject_id if inst.subject_ids else None,
            p.municipality_id if inst.municipality_ids else None,
            p.okveds if inst.okved_prefixes else None,
            p.headcount if inst.min_headcount is not None or inst.max_headcount is not None else None,
            p.age_years if inst.min_age is not None or inst.max_age is not None else None,
        )
        found = self.verdicts.get(key)
        if found is None:
            if len(self.verdicts) > VERDICTS_KEPT:
                self.verdicts.clear()
            ok, reasons = self._institution_verdict(inst, p)
            for_experts = [
                f"{inst.name}: {r}" for r in reasons if r.startswith(("работает с отраслью", "числ", "возраст"))
            ]
            found = self.verdicts[key] = (ok, reasons, for_experts)
        return found

    def _institution_verdict(self, inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, list[str]]:
        """Whether the institution takes this enterprise, and why: each of its rules passes (with a reason or none)
        or refuses (with its reason)."""
        reasons: list[str] = []
        for rule in (self._subject_rule, self._territory_rule, _okved_rule, _headcount_rule, _age_rule):
            passed, reason = rule(inst, p)
            if not passed:
                return False, [reason]
            if reason:
                reasons.append(reason)
        return True, reasons

    def _subject_rule(self, inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, str]:
        if not inst.subject_ids:
            return True, ""
        if p.subject_id not in inst.subject_ids:
            return False, "не ведёт этот предмет"
        return True, f"ведёт предмет «{self.subjects.get(p.subject_id, '')}»"

    def _territory_rule(self, inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, str]:
        if not inst.municipality_ids:
            return True, "работает по всей области"
        if p.municipality_id is None:
            return True, ""
        if p.municipality_id not in inst.municipality_ids:
            return False, "работает в других муниципалитетах"
        return True, f"работает в муниципалитете «{self.municipalities.get(p.municipality_id, '')}»"

    def propose_institutions(self, p: NeedProfile, open_counts: dict[int, int]) -> list[Proposal]:
        proposals = []
        for inst in self.institutions.values():
            ok, reasons, _for_experts = self._verdict(inst, p)
            if ok:
                score = 0.5 + (0.2 if inst.subject_ids else 0) + (0.1 if inst.okved_prefixes else 0)
                proposals.append(Proposal(MatchKind.INSTITUTION, inst.pk, inst.name, score, list(reasons)))
        proposals.sort(key=lambda x: (-x.score, x.name))
        return proposals

    def propose_experts(
        self, p: NeedProfile, open_counts: dict[int, int], today: dt.date, limit: int = EXPERTS_SHOWN
    ) -> list[Proposal]:
        proposals = []
        subject_name = self.subjects.get(p.subject_id, "")
        for pk in self.experts_by_subject.get(p.subject_id, ()):
            e = self.experts[pk]
            reasons = [f"ведёт предмет «{subject_name}»"]
            score: float = 0.5
            if e.municipality_ids:
                if p.municipality_id is not None and p.municipality_id not in e.municipality_ids:
                    continue
                if p.municipality_id is not None:
                    score += 0.2
                    reasons.append(f"работает в муниципалитете «{self.municipalities.get(p.municipality_id, '')}»")
            else:
                reasons.append("работает по всей области")
            detail = ""
            if e.institution_id:
                inst = self.institutions[e.institution_id]
                ok, _reasons, for_experts = self._verdict(inst, p)
                if not ok:
                    continue
                detail = inst.name
                reasons += for_experts
            busy = open_counts.get(pk, 0)
            available = busy < e.max_open
            reasons.append(f"в работе {busy} из {e.max_open}")
            score += 0.3 * (1 - min(busy, e.max_open) / e.max_open)
            absent = next((end for start, end in e.absences if start <= today <= end), None)
            if absent:
                available = False
                reasons.append(f"отсутствует до {formats.date(absent)}")
            elif not available:
                reasons.append("свободных мест нет")
            proposals.append(Proposal(MatchKind.EXPERT, pk, e.name, score, reasons, available, detail))
        proposals.sort(key=lambda x: (not x.available, -x.score, x.name))
        return proposals[:limit]

    def propose(self, p: NeedProfile, counts: OpenCounts, today: dt.date | None = None) -> Proposals:
        today = today or timezone.localdate()
        return Proposals(
            solutions=self.propose_solutions(p, counts.solutions),
            experts=self.propose_experts(p, counts.experts, today),
            institutions=self.propose_institutions(p, counts.institutions),
        )


def _okved_rule(inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, str]:
    if not inst.okved_prefixes:
        return True, ""
    hit = next((pre for pre in inst.okved_prefixes for code in p.okveds if code.startswith(pre)), None)
    if hit is None:
        return False, "отрасль предприятия не из тех, с которыми работает институт"
    return True, f"работает с отраслью ОКВЭД2 {hit}"


def _within(value: int | None, low: int | None, high: int | None) -> bool | None:
    """None when the value is unknown."""
    if value is None:
        return None
    return (low or 0) <= value and (high is None or value <= high)


def _headcount_rule(inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, str]:
    if inst.min_headcount is None and inst.max_headcount is None:
        return True, ""
    inside = _within(p.headcount, inst.min_headcount, inst.max_headcount)
    if inside is None:
        return True, "численность предприятия неизвестна — уточнить"
    if not inside:
        return False, "численность предприятия вне условий института"
    low, high = inst.min_headcount or 0, inst.max_headcount
    span = f"{low}–{high}" if high is not None else f"от {low}"
    return True, f"численность в пределах условий ({span} чел.)"


def _age_rule(inst: InstitutionEntry, p: NeedProfile) -> tuple[bool, str]:
    if inst.min_age is None and inst.max_age is None:
        return True, ""
    inside = _within(p.age_years, inst.min_age, inst.max_age)
    if inside is None:
        return True, "возраст предприятия неизвестен — уточнить"
    if not inside:
        return False, "возраст предприятия вне условий института"
    return True, f"возраст предприятия {formats.plural(p.age_years, 'год', 'года', 'лет')} — в условиях"


@dataclass
class OpenCounts:
    experts: dict[int, int]
    solutions: dict[int, int]
    institutions: dict[int, int]


def open_counts() -> OpenCounts:
    """Open (new or taken) matches per expert, solution and institution, in one query."""
    rows = (
        Match.objects.filter(status__in=OPEN)
        .values("kind", "expert_id", "solution_id", "institution_id")
        .annotate(n=Count("pk"))
    )
    counts = OpenCounts({}, {}, {})
    for row in rows:
        if row["expert_id"]:
            counts.experts[row["expert_id"]] = row["n"]
        elif row["solution_id"]:
            counts.solutions[row["solution_id"]] = row["n"]
        elif row["institution_id"]:
            counts.institutions[row["institution_id"]] = row["n"]
    return counts


_INDEX: RoutingIndex | None = None


def current_index() -> RoutingIndex:
    """The process's index, rebuilt when the catalogue changed or after INDEX_TTL seconds."""
    global _INDEX
    version = cache.get(VERSION_KEY)
    if version is None:  # a fresh cache (a restart, a test) knows nothing of the catalogue's changes
        invalidate()
        version = cache.get(VERSION_KEY)
    if _INDEX is None or _INDEX.built_version != version or time.monotonic() - _INDEX.built_at > INDEX_TTL:
        _INDEX = RoutingIndex.build()
    return _INDEX


def route(needs: Iterable[dict[str, Any]], index: RoutingIndex | None = None) -> dict[int, Proposals]:
    """Proposals for many needs at once (rows from `needs_for_routing`)."""
    index = index or current_index()
    counts = open_counts()
    today = timezone.localdate()
    return {p.need_id: index.propose(p, counts, today) for p in profiles(needs)}


def proposals_for(need: Need | dict[str, Any], *, with_financing: bool = True) -> Proposals:
    """One need's proposals (a need or its row from `needs_for_routing`), with the financing its enterprise is
    eligible for."""
    if isinstance(need, dict):
        need = Need.objects.select_related("subject").get(pk=need["pk"])
    result = route(needs_for_routing([need.pk]))[need.pk]
    already = set(need.matches.values_list("kind", "expert_id", "solution_id", "institution_id"))
    sent = {(k, e or s or i) for k, e, s, i in already}
    for group in (result.solutions, result.experts, result.institutions):
        for proposal in group:
            if (proposal.kind, proposal.pk) in sent:
                proposal.available = False
                proposal.reasons.append("уже отправлено")
    if with_financing:
        result.financing = financing_for(need)
    return result


# --- financing from the opportunity radar --------------------------------------------------------------------

FINANCING_KINDS = ("grant", "subsidy", "loan", "tax_benefit", "competition")
FINANCING_SHOWN = 6


def financing_for(need: Need, limit: int = FINANCING_SHOWN) -> list[Proposal]:
    """Published support measures (no tenders) the enterprise is eligible for by the radar's rules, digital measures
    and those sharing words with the need first; each with the rules it meets as its reasons."""
    organisation = (
        Organisation.objects.prefetch_related("figures", "products", "extra_okveds")
        .select_related("main_okved", "region")
        .get(pk=need.organisation_id)
    )
    words = _words(need.description, need.subject.name, need.subject.keywords)
    today = timezone.localdate()
    found = []
    opportunities = offered_opportunities().filter(kind__in=FINANCING_KINDS).open_on(today)
    for opportunity in opportunities[:500]:
        if not offered_to(opportunity, organisation):
            continue
        eligibility = check_eligibility(opportunity, organisation, today=today)
        if eligibility.verdict == Verdict.NOT_ELIGIBLE:
            continue
        reasons = []
        digital = is_digital_measure(opportunity)
        if digital:
            reasons.append("мера на цифровизацию и российское ПО")
        shared = sorted(words & _words(opportunity.title, opportunity.eligibility_text))[:WORDS_SHOWN]
        if shared:
            reasons.append("совпадают слова: " + ", ".join(shared))
        if not digital and not shared:
            continue
        reasons += [c.detail or c.reason for c in eligibility.checks if c.outcome == Outcome.PASS]
        if eligibility.verdict == Verdict.UNKNOWN:
            reasons.append("по части условий не хватает данных — уточнить")
        score = (0.6 if digital else 0.0) + 0.1 * len(shared) + (0.2 if eligibility.verdict == Verdict.ELIGIBLE else 0)
        found.append(
            Proposal(
                "financing", opportunity.pk, opportunity.title, score, reasons, True, opportunity.get_kind_display()
            )
        )
    found.sort(key=lambda x: (-x.score, x.name))
    return found[:limit]
